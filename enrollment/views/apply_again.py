"""Apply again after an application ended without becoming active (rejected, withdrawn,
expired): the enrollment wizard starts over, its steps filled in from that application
where it makes sense. The new application is submitted by the wizard, through the same
service as any other (``enrollment_submit``)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnercenter.core.errors import InvalidTransition
from partnercenter.core.pages import domain_errors

from .. import selectors
from ..models import Enrollment, Program
from ..permissions import ONLY_THE_GLOBAL_ADMIN_ENROLLS, may_enroll, require_global_admin

# The session key of the wizard's prefilled steps ({step: {field: value}}).
PREFILL = "enrollment_prefill"

ADDRESS_FIELDS = ("line1", "line2", "city", "state", "postal_code", "country")


def prefill_of(enrollment: Enrollment) -> dict[str, dict]:
    """The wizard's steps as the earlier application filled them in. Bank account numbers
    are never stored in clear, so they are typed again; so is the confirmation."""
    app = enrollment.application or {}
    profile = app.get("legal_business_profile") or {}
    address = profile.get("address") or {}
    contact = app.get("primary_contact") or {}
    support = app.get("support_profile") or {}
    bank = app.get("bank_account") or {}
    steps = {
        "program": {"program": enrollment.program},
        "mpn": {"mpn_id": app.get("mpn_id")},
        "business": {"company_name": profile.get("company_name")}
        | {k: address.get(k) for k in ADDRESS_FIELDS},
        "contact": {k: contact.get(k) for k in ("first_name", "last_name", "email", "phone")}
        | {"language": app.get("language") or enrollment.partner.language},
        "support": {k: support.get(k) for k in ("email", "phone", "website")},
        "bank": {"holder_name": bank.get("holder_name"), "bic": bank.get("bic")},
    }
    return {step: {k: v for k, v in fields.items() if v} for step, fields in steps.items()}


@login_required
@require_POST
@domain_errors(back="enrollment:status")
def apply_again(request, enrollment_id):
    enrollment = selectors.enrollment_for(request.user, enrollment_id)
    require_global_admin(request.user, ONLY_THE_GLOBAL_ADMIN_ENROLLS)
    if not enrollment.may_apply_again:
        raise InvalidTransition(
            enrollment.status,
            _("This application is still open: follow it on this page."),
            label=enrollment.get_status_display(),
        )
    # A direct-bill application that did not qualify offers the indirect-reseller path:
    # the same details, the other program.
    program = request.POST.get("program") or enrollment.program
    if program not in Program.values:
        program = enrollment.program
    if not may_enroll(request.user, program):
        raise InvalidTransition(
            enrollment.status,
            _(
                "Your organization already has an open application in this program. Follow it from the overview."
            ),
        )
    request.session[PREFILL] = prefill_of(enrollment) | {"program": {"program": program}}
    # The wizard's first URL starts a new application (and forgets any half-typed one).
    return redirect("enrollment:wizard")
