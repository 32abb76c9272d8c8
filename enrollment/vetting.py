"""Partner Center's *vetting* of a partner (DOMAIN.md, "Verification in detail"), read from
the enrollments' statuses (``states``) and their verification checks: ``vetting_of`` is the
one mapping; the partner profile (page, ``/api/v1/partner/``) and the legal business profile
(``/v1/profiles/legalbusiness``) read it through ``partner_vetting``.

``vettingStatus`` (Partner Center: ``none``, ``pending``, ``authorized``, ``rejected``):

| enrollment status | vettingStatus | vettingSubStatus |
|---|---|---|
| pending_email_verification | pending | emailOwnership |
| in_review, action_needed | pending | the first step still open: emailDomain (the email domain and employment check), businessVerification, other (any other check), else decision |
| approved, active | authorized | none |
| rejected | rejected | none |
| withdrawn, expired | (not counted: never decided) | |

A partner's vetting is that of its latest enrollment that counts, in any program; none
(``none``/``none``) before any. ``last_finalized`` (``vettingVersion=LastFinalized``) skips
the pending ones: the last decision.
"""

from collections.abc import Iterable
from typing import NamedTuple

from .models import OPEN_STATUSES, UNDECIDED_STATUSES, CheckKind, CheckResult, EnrollmentStatus

NONE = "none"
PENDING = "pending"
AUTHORIZED = "authorized"
REJECTED = "rejected"
VETTING_STATUSES = (NONE, PENDING, AUTHORIZED, REJECTED)

# The steps under way, in the order the program runs them (Partner Center's names).
EMAIL_OWNERSHIP = "emailOwnership"
EMAIL_DOMAIN = "emailDomain"
BUSINESS_VERIFICATION = "businessVerification"
DECISION = "decision"
OTHER = "other"
# The checks that are a step of their own; the others (MPN ID, address, bank account,
# duplicate, direct bill's questionnaire, credit check and support plan) are "other".
STEP_OF_CHECK = {
    CheckKind.EMAIL_OWNERSHIP: EMAIL_OWNERSHIP,
    CheckKind.EMAIL_DOMAIN: EMAIL_DOMAIN,  # "Email domain and employment"
    CheckKind.BUSINESS_VERIFICATION: BUSINESS_VERIFICATION,
}
STEP_ORDER = (EMAIL_OWNERSHIP, EMAIL_DOMAIN, BUSINESS_VERIFICATION, OTHER)
# A check is settled once passed or waived; pending and failed (which may be appealed) are
# still with the partner or the reviewer.
SETTLED = (CheckResult.PASSED, CheckResult.WAIVED)


class Vetting(NamedTuple):
    status: str
    sub_status: str


NOT_VETTED = Vetting(NONE, NONE)


def vetting_of(status: str, checks: Iterable = ()) -> Vetting | None:
    """Partner Center's vetting of one enrollment of ``status``; ``checks`` (its
    verification checks: ``kind``, ``result``) say which step is under way while it is in
    review. None for an application that was never decided (withdrawn, expired)."""
    if status == EnrollmentStatus.PENDING_EMAIL_VERIFICATION:
        return Vetting(PENDING, EMAIL_OWNERSHIP)
    if status in UNDECIDED_STATUSES:
        open_steps = {STEP_OF_CHECK.get(check.kind, OTHER) for check in checks if check.result not in SETTLED}
        return Vetting(PENDING, next((step for step in STEP_ORDER if step in open_steps), DECISION))
    if status in OPEN_STATUSES:  # approved or active: verified
        return Vetting(AUTHORIZED, NONE)
    if status == EnrollmentStatus.REJECTED:
        return Vetting(REJECTED, NONE)
    return None


def partner_vetting(enrollments: Iterable, *, last_finalized: bool = False) -> Vetting:
    """The vetting of the latest of ``enrollments`` (newest first) that counts; with
    ``last_finalized``, of the latest decision. Reads each one's ``checks.all()`` only while
    it is in review (prefetch them)."""
    for enrollment in enrollments:
        in_review = enrollment.status in UNDECIDED_STATUSES
        if in_review and last_finalized:
            continue
        vetting = vetting_of(enrollment.status, enrollment.checks.all() if in_review else ())
        if vetting is not None:
            return vetting
    return NOT_VETTED
