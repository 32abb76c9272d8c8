"""Writes for enrollments: one function per state change (HOUSE_STYLE 4).

Each checks the actor's right, locks the row, re-checks the state after the lock, moves
it along ``TRANSITIONS``, writes an ``EnrollmentEvent`` and queues its email after
commit. Views, the API, the admin and tasks all call these.

Domain errors raised: ``InvalidInput`` (400), ``NotPermitted`` (403),
``InvalidTransition`` (409).
"""

from .agreements import agreement_accept, business_profile_update
from .application import (
    TokenError,
    email_verification_confirm,
    enrollment_resend_verification_email,
    enrollment_submit,
    enrollment_withdraw,
    program_errors,
    validate_application,
)
from .common import move
from .pipeline import enrollment_checks_run, enrollment_expire, enrollment_remind
from .review import (
    check_decide,
    enrollment_appeal,
    enrollment_approve,
    enrollment_claim,
    enrollment_reject,
    enrollment_release,
    enrollment_request_info,
    enrollment_respond,
)

__all__ = [
    "TokenError",
    "agreement_accept",
    "business_profile_update",
    "check_decide",
    "enrollment_appeal",
    "enrollment_approve",
    "enrollment_checks_run",
    "enrollment_claim",
    "enrollment_expire",
    "enrollment_reject",
    "enrollment_release",
    "enrollment_remind",
    "enrollment_request_info",
    "enrollment_respond",
    "move",
    "email_verification_confirm",
    "enrollment_resend_verification_email",
    "enrollment_submit",
    "enrollment_withdraw",
    "program_errors",
    "validate_application",
]
