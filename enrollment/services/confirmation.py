"""The primary contact follows an emailed link: email ownership is confirmed, the
enrollment moves to review and the automated checks are queued (``tasks``); or the second
link, "I did not request this", withdraws the application and tells the global admin.

Domain errors raised: ``TokenError`` (an ``InvalidInput`` on ``token``: 400).
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnercenter.core.errors import InvalidInput
from partnercenter.notifications.services import notification_queue

from .. import check_details, events, tasks
from ..business_days import add_business_days
from ..models import CheckKind, CheckResult, EmailVerification, Enrollment, VerificationCheck
from .common import email_context, move, notify_contact
from .links import hash_token, supersede_links

logger = logging.getLogger(__name__)


class TokenError(InvalidInput):
    """An email-verification token that is unknown, used, replaced or expired (400 on token)."""

    def __init__(self, reason: str, message):
        super().__init__({"token": [str(message)]})
        self.reason = reason
        self.message = message


def _locked_link(token: str, *, field: str, used_message) -> tuple[Enrollment, EmailVerification]:
    """The enrollment and the link of ``token`` (by ``field``: the confirmation's or the
    refusal's hash), locked, while the link still works: never used, not replaced, not
    expired, the application still waiting for the confirmation. Call inside a transaction."""
    token_hash = hash_token(token)
    found = (
        EmailVerification.objects.filter(**{field: token_hash})
        .values_list("enrollment_id", flat=True)
        .first()
    )
    if found is None:
        raise TokenError(
            "unknown", _("This link is not valid. Open the most recent email we sent, or ask for a new link.")
        )
    enrollment = Enrollment.objects.select_for_update().select_related("partner").get(pk=found)
    verification = EmailVerification.objects.select_for_update().get(**{field: token_hash})
    if verification.refused_at:
        raise TokenError(
            "refused",
            _(
                "This application was withdrawn: its primary contact said they did not request it. Nothing more "
                "needs to be done."
            ),
        )
    if verification.used_at:
        raise TokenError("used", used_message)
    if verification.superseded_at:
        raise TokenError("superseded", _("A newer link was sent to you. Open the most recent email from us."))
    if verification.expires_at <= timezone.now():
        raise TokenError(
            "expired",
            _("This link has expired. Sign in and select “Send the email again” on your application's page."),
        )
    if not enrollment.can("confirm_email"):
        raise TokenError("closed", _("This application is no longer waiting for confirmation."))
    return enrollment, verification


def email_verification_confirm(*, token: str) -> Enrollment:
    """The primary contact followed the link: email ownership is confirmed and the
    enrollment moves to review, with its decision due in REVIEW_BUSINESS_DAYS."""
    with transaction.atomic():
        enrollment, verification = _locked_link(
            token,
            field="token_hash",
            used_message=_(
                "This link was already used. Your email address is confirmed; sign in to follow your application."
            ),
        )
        now = timezone.now()
        verification.used_at = now
        verification.save(update_fields=["used_at"])
        VerificationCheck.objects.filter(enrollment=enrollment, kind=CheckKind.EMAIL_OWNERSHIP).update(
            result=CheckResult.PASSED,
            checked_at=now,
            detail_code=check_details.EMAIL_CONFIRMED.code,
            detail_params={"email": verification.email},
            detail_text="",
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


def enrollment_report_not_requested(*, token: str) -> Enrollment:
    """The primary contact followed the second link, "I did not request this": the
    application is withdrawn, its links stop working, the tenant's global admins are told
    by email, and staff find it in the partner's history (its own event kind)."""
    with transaction.atomic():
        enrollment, verification = _locked_link(
            token,
            field="refusal_token_hash",
            used_message=_(
                "This email address is already confirmed, so this link no longer withdraws the application. "
                "Ask your organization's global admin to withdraw it."
            ),
        )
        now = timezone.now()
        verification.refused_at = now
        verification.save(update_fields=["refused_at"])
        move(
            enrollment,
            "withdraw",
            kind=events.NOT_REQUESTED,
            actor_label=f"{enrollment.partner.contact_name} <{verification.email}>",
            data={"email": verification.email},
            decided_at=now,
            due_at=None,
        )
        supersede_links(enrollment, now)
        _tell_global_admins(enrollment, verification.email)
    return enrollment


def _tell_global_admins(enrollment: Enrollment, email: str) -> None:
    partner = enrollment.partner
    admins = [u for u in partner.tenant.users.filter(is_active=True) if u.is_global_admin]
    for admin in admins:
        notification_queue(
            template="enrollment_not_requested",
            recipient=admin.email,
            language=partner.language,
            context=email_context(enrollment, first_name=admin.first_name, contact_email=email),
            key=f"enrollment:{enrollment.pk}:not_requested:{admin.pk}",
        )


def _enqueue_checks(enrollment_id) -> None:
    try:
        tasks.run_automated_checks.delay(str(enrollment_id))
    except Exception:  # the broker is unreachable: the periodic sweep runs the checks
        logger.exception("Could not enqueue the checks of %s; the sweep will run them", enrollment_id)
