"""*Become an indirect reseller* (the flagged partner's global admin) and *Identified for
offboarding* (program staff). The services hold the rules and say why they refuse."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from partnercenter.core.pages import domain_errors

from ..models import Partner, Program
from ..permissions import require_reviewer
from ..services import transition as services
from ..transition import transition_of
from ..transition_rules import offered_transition


@login_required
@domain_errors(back="enrollment:become-indirect-reseller")
def become_indirect_reseller(request):
    """The details on record, the confirmation, *Enroll now*; refused (403, with the
    reason) to anyone but the global admin of a partner identified for offboarding."""
    row = offered_transition(request.user)
    if request.method == "POST":
        row = services.transition_start(actor=request.user, confirm=request.POST.get("confirm") == "on")
        messages.success(
            request,
            _(
                "Your indirect-reseller enrollment is submitted. Approval is usually immediate and takes at most three working days."
            ),
        )
        return redirect("enrollment:status", enrollment_id=row.enrollment_id)
    partner = row.partner
    return render(
        request,
        "enrollment/transition/become_indirect_reseller.html",
        {"transition": row, "partner": partner, "bank": getattr(partner, "bank_account", None)},
    )


def _back_to_offboarding(request, partner_id):
    from django.urls import reverse

    return reverse("enrollment:review-offboarding", kwargs={"partner_id": partner_id})


@login_required
@domain_errors(back=_back_to_offboarding)
def offboarding(request, partner_id):
    """Program staff identify a direct-bill partner for offboarding, or take it back
    before the partner started."""
    require_reviewer(request.user)
    partner = get_object_or_404(Partner.objects.select_related("tenant"), pk=partner_id)
    if request.method == "POST":
        if request.POST.get("action") == "unflag":
            services.transition_unflag(actor=request.user, partner=partner, note=request.POST.get("note", ""))
            messages.success(request, _("The partner is no longer identified for offboarding."))
        else:
            services.transition_flag(actor=request.user, partner=partner, note=request.POST.get("note", ""))
            messages.success(
                request,
                _("The partner is identified for offboarding: its global admin is offered the transition."),
            )
        return redirect("enrollment:review-offboarding", partner_id=partner.pk)
    return render(
        request,
        "review/offboarding.html",
        {
            "partner": partner,
            "transition": transition_of(partner),
            "is_direct_bill": partner.is_active_in(Program.DIRECT_BILL),
        },
    )


urlpatterns = [
    path("partner/become-indirect-reseller/", become_indirect_reseller, name="become-indirect-reseller"),
    path("review/partners/<uuid:partner_id>/offboarding/", offboarding, name="review-offboarding"),
]
