"""The audit event kinds of enrollments, agreements and the business profile, declared once.

Each renders its sentence from the event's parameters in the reader's language; people's
own words (a reason, a request, an answer) are the event's ``note``. The codes are the
``event`` values of an enrollment's ``timeline`` in the API.
"""

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from partnercenter.audit.kinds import listed, register

from . import check_details
from .models import CheckKind, DocumentType, Program


def _check(data) -> str:
    return str(CheckKind(data["check"]).label)


def _document(data) -> str:
    """Which check a document answers, and what it is."""
    return f"{_check(data)}: {DocumentType(data['document_type']).label}"


SUBMITTED = register(
    "submitted",
    _("Application submitted"),
    lambda d: gettext("We emailed a confirmation link to %(email)s.") % {"email": d["email"]},
)
VERIFICATION_EMAIL_RESENT = register(
    "verification_email_resent",
    _("Confirmation email sent again"),
    lambda d: (
        gettext("A new link went to %(email)s; the earlier one no longer works.") % {"email": d["email"]}
    ),
)
REMINDER_SENT = register(
    "reminder_sent",
    _("Reminder sent"),
    lambda d: gettext("A reminder with a new link went to %(email)s.") % {"email": d["email"]},
)
EMAIL_CONFIRMED = register("email_confirmed", _("Email address confirmed"))
EXPIRED = register(
    "expired",
    _("Application expired"),
    lambda d: gettext("The primary contact did not confirm the email address in time."),
)
WITHDRAWN = register("withdrawn", _("Application withdrawn"))
NOT_REQUESTED = register(
    "not_requested",
    _("Withdrawn: not requested by the primary contact"),
    lambda d: (
        gettext("%(email)s followed the link “I did not request this”; the global admin was told.")
        % {"email": d["email"]}
    ),
)
CHECKS_COMPLETED = register(
    "checks_completed",
    _("Automated checks completed"),
    lambda d: (
        gettext("Passed: %(passed)d, failed: %(failed)d, left to a reviewer: %(pending)d.")
        % {"passed": d["passed"], "failed": d["failed"], "pending": d["pending"]}
    ),
)
CHECK_PASSED = register("check_passed", _("Check passed"), _check)
CHECK_FAILED = register("check_failed", _("Check failed"), _check)
CHECK_WAIVED = register("check_waived", _("Check waived"), _check)
CLAIMED = register("claimed", _("Reviewer assigned"))
RELEASED = register("released", _("Reviewer unassigned"))
INFO_REQUESTED = register("info_requested", _("Information requested"))
RESPONDED = register("responded", _("Partner answered"))
# The answer went in with a document for a check: which check, what document.
RESPONDED_WITH_DOCUMENT = register(
    "responded_with_document", _("Partner answered with a document"), _document
)
APPEAL_SUBMITTED = register(
    "appeal_submitted",
    _("Document submitted"),
    _document,
)
APPROVED = register("approved", _("Application approved"))
REJECTED = register("rejected", _("Application rejected"))
AGREEMENT_ACCEPTED = register(
    "agreement_accepted",
    _("Agreement accepted"),
    lambda d: gettext("%(agreement)s %(version)s (%(language)s), region %(region)s") % d,
)

# Direct bill: the questionnaire, the credit check and the support plan (``services.direct_bill``).
QUESTIONNAIRE_ANSWERED = register(
    "questionnaire_answered",
    _("Qualification questionnaire answered"),
    lambda d: check_details.render(check_details.QUESTIONNAIRE_PASSED.code, {}),
)
QUESTIONNAIRE_FAILED = register(
    "questionnaire_failed",
    _("Application ended: the questionnaire does not qualify"),
    lambda d: check_details.render(check_details.QUESTIONNAIRE_FAILED.code, {"reasons": d["reasons"]}),
)
CREDIT_APPROVED = register(
    "credit_approved",
    _("Credit line approved"),
    lambda d: check_details.money(d["amount"], d["currency"]),
)
CREDIT_DECLINED = register(
    "credit_declined", _("Credit line declined"), lambda d: check_details.decline_reason(d)
)
CREDIT_CHECK_OVERRIDDEN = register(
    "credit_check_overridden",
    _("Credit check overridden"),
    lambda d: (
        check_details.render(check_details.CREDIT_OVERRIDDEN_APPROVED.code, d)
        if d["approved"]
        else check_details.render(check_details.CREDIT_OVERRIDDEN_DECLINED.code, d)
    ),
)
SUPPORT_PLAN_CONFIRMED = register(
    "support_plan_confirmed",
    _("Support plan confirmed"),
    lambda d: check_details.support_plan_name(d["plan"]),
)

# Not on an enrollment's timeline: the partner's business profile and the agreement templates.
# The business profile's fields, as its form names them (``changed`` stores the field names).
BUSINESS_PROFILE_FIELDS = {
    "description": _("Description"),
    "website": _("Website"),
    "industries": _("Industries"),
    "services": _("Services"),
}
PMC_SIGNED_IN = register(
    "pmc_signed_in",
    _("Signed in to the Partner Membership Center"),
    lambda d: (
        gettext("%(username)s, listing MPN IDs %(mpn_ids)s.")
        % {"username": d["pmc_username"], "mpn_ids": ", ".join(d["mpn_ids"]) or "–"}
    ),
)
BUSINESS_PROFILE_UPDATED = register(
    "business_profile_updated",
    _("Business profile updated"),
    lambda d: gettext("Changed: %(fields)s.") % {"fields": listed(d["changed"], BUSINESS_PROFILE_FIELDS)},
)
AGREEMENT_TEMPLATE_MADE_CURRENT = register(
    "agreement_template_made_current",
    _("Agreement version made current"),
    lambda d: (
        ngettext(
            "%(name)s %(version)s (%(language)s) is offered now; %(retired)d other version retired.",
            "%(name)s %(version)s (%(language)s) is offered now; %(retired)d other versions retired.",
            d["retired"],
        )
        % d
    ),
)

# A program's applications opened or closed by staff (``services.programs``); the reason is
# the event's note, as staff wrote it.
PROGRAM_APPLICATIONS_OPENED = register(
    "program_applications_opened",
    _("Applications opened"),
    lambda d: gettext("%(program)s takes applications again.") % {"program": Program(d["program"]).label},
)
PROGRAM_APPLICATIONS_CLOSED = register(
    "program_applications_closed",
    _("Applications closed"),
    lambda d: (
        gettext("%(program)s takes no new applications; those submitted continue.")
        % {"program": Program(d["program"]).label}
    ),
)

# Check results that a reviewer's decision records, by result.
CHECK_DECIDED = {"passed": CHECK_PASSED, "failed": CHECK_FAILED, "waived": CHECK_WAIVED}

# Written before the one audit trail, by a service that now writes its facts in another
# row: older timelines keep their entries readable.
VERIFICATION_EMAIL_SENT = register("verification_email_sent", _("Confirmation email sent"))


# --- Incentives (issue 11) -------------------------------------------------------------------


def _incentive_program(data) -> str:
    from .incentives import IncentiveProgram

    return str(IncentiveProgram(data["program"]).label)


INCENTIVES_INVITED = register(
    "incentives_invited",
    _("Invited to indirect-reseller incentives"),
    lambda d: gettext("The invitation went to %(email)s.") % {"email": d["email"]},
)
INCENTIVES_ENROLLED = register(
    "incentives_enrolled",
    _("Enrolled in incentives"),
    lambda d: gettext("Enrolled in %(program)s.") % {"program": _incentive_program(d)},
)

# The transition to indirect reseller's kinds (their own module, loaded with these).
from .transition_events import (  # noqa: E402, F401
    TRANSITION_APPROVED,
    TRANSITION_FLAGGED,
    TRANSITION_STARTED,
    TRANSITION_UNFLAGGED,
)
