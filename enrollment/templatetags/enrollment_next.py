"""The way on from the partner's status page: after approval, **Accept the agreement**;
after a rejection (or a withdrawn or expired application), what to do and **Apply again**,
with what was decided on each check. Only the global admin acts; anyone else reads who can."""

from django import template

from partnercenter.accounts.selectors import global_admins_of

from ..models import EnrollmentStatus
from ..permissions import may_enroll

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.inclusion_tag("enrollment/_next_step_actions.html", takes_context=True)
def next_step_actions(context):
    enrollment = context["enrollment"]
    user = _user(context)
    acts = bool(user and user.is_global_admin)
    wanted = enrollment.can_accept_agreement or enrollment.may_apply_again
    return {
        "enrollment": enrollment,
        "rejected": enrollment.status == EnrollmentStatus.REJECTED,
        "acts": acts,
        # Another application of the program is open already: apply again is not the way.
        "open_elsewhere": enrollment.may_apply_again and acts and not may_enroll(user, enrollment.program),
        "global_admins": global_admins_of(enrollment.partner.tenant_id) if wanted and not acts else [],
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("enrollment/_decided_checks.html", takes_context=True)
def decided_checks(context):
    """The checks of a rejected enrollment with what was decided on each (``outcomes``)."""
    enrollment = context["enrollment"]
    shown = enrollment.status == EnrollmentStatus.REJECTED
    return {"checks": list(enrollment.checks.all()) if shown else []}
