"""The direct-bill actions of the pages: the global admin confirms the support plan (from
the status page) and a reviewer overrides the credit check (from the review page).

Thin: selectors read, the services of ``enrollment.services.direct_bill`` write and hold
every rule; their ``InvalidInput`` goes back on the form that was sent.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnercenter.core.forms import call_with_form

from .. import selectors
from ..forms.direct_bill import CreditOverrideForm, SupportPlanForm
from ..permissions import require_global_admin
from ..questionnaire import parse_amount
from ..services import direct_bill as services
from .application import status
from .review import _review_page, partner_action, reviewer_required, staff_action


@login_required
@require_POST
@partner_action
def support_plan(request, enrollment_id):
    enrollment = selectors.enrollment_for(request.user, enrollment_id)
    require_global_admin(request.user)
    form = SupportPlanForm(request.POST, auto_id="id_support_plan_%s")
    form.is_valid()
    done = call_with_form(
        form,
        lambda: services.enrollment_confirm_support_plan(
            actor=request.user, enrollment=enrollment, plan=request.POST.get("plan", "")
        ),
        fields={"plan": "plan"},
    )
    if done is None:
        # The status page again, with the form and its errors.
        request.partner_action_forms = {"support_plan_form": form}
        return status(request, enrollment_id=enrollment_id)
    messages.success(
        request, _("The support plan is confirmed. The reviewer can now approve the application.")
    )
    return redirect("enrollment:status", enrollment_id=enrollment_id)


def _amount(text: str) -> Decimal | None:
    """The typed amount (thousands separators allowed); empty or not a valid amount is None,
    which the service refuses for an approval (``questionnaire.parse_amount``)."""
    return parse_amount((text or "").strip().replace(",", "").replace(" ", "")) if text else None


@reviewer_required
@require_POST
@staff_action
def credit_override(request, enrollment_id):
    enrollment = get_object_or_404(selectors.reviewable_enrollments(request.user), pk=enrollment_id)
    approved = request.POST.get("result") == "approve"
    form = CreditOverrideForm(request.POST, auto_id="id_credit_%s")
    form.is_valid()
    done = call_with_form(
        form,
        lambda: services.enrollment_override_credit_check(
            actor=request.user,
            enrollment=enrollment,
            approved=approved,
            amount=_amount(request.POST.get("amount", "")) if approved else None,
            note=request.POST.get("note", ""),
        ),
        fields={"credit_line": "amount", "credit_line.amount": "amount", "credit_line.currency": "amount"},
    )
    if done is None:
        return _review_page(request, enrollment_id, bound={"credit_override_form": form})
    messages.success(
        request,
        _("The credit check is approved with your credit line.")
        if approved
        else _("The credit check is declined. The partner sees your note."),
    )
    return redirect("enrollment:review-detail", enrollment_id=enrollment_id)


urlpatterns = [
    path("enrollments/<uuid:enrollment_id>/support-plan/", support_plan, name="support-plan"),
    path("review/<uuid:enrollment_id>/credit-check/", credit_override, name="review-credit-check"),
]
