"""The Incentives page (issue 11): the incentive programs the partner may enroll in and
whether it is enrolled, for its global admin and incentives admins, with *Enroll*. Thin:
``enrollment.incentives`` reads, ``services.incentives.incentive_enroll`` writes; a refusal
is the 403 page with the service's reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from partnercenter.core.pages import domain_errors

from ..incentives import IncentiveProgram, incentive_programs_for
from ..permissions import require_incentives_admin
from ..selectors import partner_for
from ..services.incentives import incentive_enroll


@login_required
@require_GET
def incentives(request):
    require_incentives_admin(request.user)
    partner = partner_for(request.user)
    return render(
        request,
        "enrollment/incentives.html",
        {"partner": partner, "rows": incentive_programs_for(partner)},
    )


@login_required
@require_POST
@domain_errors(back="enrollment:incentives")
def incentives_enroll(request, program):
    enrollment = incentive_enroll(actor=request.user, program=program)
    messages.success(
        request,
        _("Your organization is enrolled in %(program)s.")
        % {"program": IncentiveProgram(enrollment.program).label},
    )
    return redirect("enrollment:incentives")


urlpatterns = [
    path("incentives/", incentives, name="incentives"),
    path("incentives/<str:program>/enroll/", incentives_enroll, name="incentives-enroll"),
]
