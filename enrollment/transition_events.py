"""The audit event kinds of the transition to indirect reseller (``services.transition``).
The staff's note when flagging is the event's ``note``."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partnercenter.audit.kinds import register

TRANSITION_FLAGGED = register(
    "transition_flagged",
    _("Identified for offboarding"),
    lambda d: gettext("%(partner)s may now become an indirect reseller.") % {"partner": d["partner_name"]},
)
TRANSITION_UNFLAGGED = register(
    "transition_unflagged",
    _("No longer identified for offboarding"),
    lambda d: (
        gettext("%(partner)s is no longer offered the transition to indirect reseller.")
        % {"partner": d["partner_name"]}
    ),
)
TRANSITION_STARTED = register(
    "transition_started",
    _("Transition to indirect reseller started"),
    lambda d: gettext("Indirect-reseller enrollment submitted on the same tenant, MPN ID %(mpn_id)s.") % d,
)
TRANSITION_APPROVED = register(
    "transition_approved",
    _("Approved by the automated checks"),
    lambda d: gettext("Every check passed, so the transition was approved at once."),
)
