"""The primary contact follows the emailed link: email ownership is confirmed, the
enrollment moves to review and the automated checks are queued (``tasks``).

Domain errors raised: ``TokenError`` (an ``InvalidInput`` on ``token``: 400).
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnercenter.core.errors import InvalidInput

from .. import events, tasks
from ..business_days import add_business_days
from ..models import CheckKind, CheckResult, EmailVerification, Enrollment, VerificationCheck
from .common import move, notify_contact
from .links import hash_token

logger = logging.getLogger(__name__)


class TokenError(InvalidInput):
    """An email-verification token that is unknown, used, replaced or expired (400 on token)."""

    def __init__(self, reason: str, message):
        super().__init__({"token": [str(message)]})
        self.reason = reason
        self.message = message


def email_verification_confirm(*, token: str) -> Enrollment:
    """The primary contact followed the link: email ownership is confirmed and the
    enrollment moves to review, with its decision due in REVIEW_BUSINESS_DAYS."""
    token_hash = hash_token(token)
    found = (
        EmailVerification.objects.filter(token_hash=token_hash)
        .values_list("enrollment_id", flat=True)
        .first()
    )
    if found is None:
        raise TokenError(
            "unknown", _("This link is not valid. Open the most recent email we sent, or ask for a new link.")
        )
    with transaction.atomic():
        enrollment = Enrollment.objects.select_for_update().select_related("partner").get(pk=found)
        verification = EmailVerification.objects.select_for_update().get(token_hash=token_hash)
        now = timezone.now()
        if verification.used_at:
            raise TokenError(
                "used",
                _(
                    "This link was already used. Your email address is confirmed; sign in to follow your application."
                ),
            )
        if verification.superseded_at:
            raise TokenError(
                "superseded", _("A newer link was sent to you. Open the most recent email from us.")
            )
        if verification.expires_at <= now:
            raise TokenError(
                "expired",
                _(
                    "This link has expired. Sign in and select “Send the email again” on your application's page."
                ),
            )
        if not enrollment.can("confirm_email"):
            raise TokenError("closed", _("This application is no longer waiting for confirmation."))
        verification.used_at = now
        verification.save(update_fields=["used_at"])
        VerificationCheck.objects.filter(enrollment=enrollment, kind=CheckKind.EMAIL_OWNERSHIP).update(
            result=CheckResult.PASSED,
            checked_at=now,
            detail=f"{verification.email} confirmed by following the emailed link.",
            evidence={"email": verification.email, "confirmed_at": now.isoformat()},
        )
        move(
            enrollment,
            "confirm_email",
            kind=events.EMAIL_CONFIRMED,
            actor_label=f"{enrollment.partner.contact_name} <{verification.email}>",
            email_confirmed_at=now,
            due_at=add_business_days(now, settings.REVIEW_BUSINESS_DAYS, enrollment.calendar_country),
        )
        transaction.on_commit(lambda: _enqueue_checks(enrollment.pk))
        notify_contact(
            enrollment,
            "enrollment_email_confirmed",
            key=f"enrollment:{enrollment.pk}:email_confirmed",
            due_at=enrollment.due_at.isoformat(),
        )
    return enrollment


def _enqueue_checks(enrollment_id) -> None:
    try:
        tasks.run_automated_checks.delay(str(enrollment_id))
    except Exception:  # the broker is unreachable: the periodic sweep runs the checks
        logger.exception("Could not enqueue the checks of %s; the sweep will run them", enrollment_id)
