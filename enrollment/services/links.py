"""The primary contact's single-use links (HOUSE_STYLE: tokens single-use, expiring,
unguessable): confirm the email address, or "I did not request this". Only the tokens'
SHA-256 is stored; a new pair supersedes the earlier ones."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from partnercenter.notifications.services import notifications_queue

from ..models import EmailVerification, Enrollment
from .common import contact_email


def hash_token(token) -> str:
    return hashlib.sha256((token if isinstance(token, str) else "").encode()).hexdigest()


def supersede_links(enrollment: Enrollment, now=None) -> None:
    """Every unused link of the enrollment stops working."""
    enrollment.email_verifications.filter(used_at__isnull=True, superseded_at__isnull=True).update(
        superseded_at=now or timezone.now()
    )


def issue_email_verification(
    enrollment: Enrollment, template: str = "enrollment_verify_email"
) -> EmailVerification:
    """A new single-use link for the primary contact, emailed after commit; earlier links
    stop working."""
    return issue_email_verifications([enrollment], template=template)[0]


def issue_email_verifications(
    enrollments, template: str = "enrollment_verify_email"
) -> list[EmailVerification]:
    """``issue_email_verification`` for a batch of locked enrollments (the sweep's
    reminders) in a constant number of queries."""
    now = timezone.now()
    EmailVerification.objects.filter(
        enrollment__in=[e.pk for e in enrollments], used_at__isnull=True, superseded_at__isnull=True
    ).update(superseded_at=now)
    links, tokens = [], []
    for enrollment in enrollments:
        token = secrets.token_urlsafe(32)  # 256 bits: unguessable
        # The second link, "I did not request this": as unguessable, single-use and expiring.
        refusal_token = secrets.token_urlsafe(32)
        tokens.append((token, refusal_token))
        links.append(
            EmailVerification(
                enrollment=enrollment,
                email=enrollment.partner.contact_email,
                token_hash=hash_token(token),
                refusal_token_hash=hash_token(refusal_token),
                created_at=now,
                expires_at=now + timedelta(days=settings.EMAIL_VERIFICATION_TTL_DAYS),
            )
        )
    EmailVerification.objects.bulk_create(links)  # their ids name the emails' keys
    notifications_queue(
        [
            contact_email(
                verification.enrollment,
                template,
                key=f"email-verification:{verification.pk}",
                verify_url=f"{settings.SITE_URL}/verify-email/{token}/",
                not_requested_url=f"{settings.SITE_URL}/not-requested/{refusal_token}/",
                expires_at=verification.expires_at.isoformat(),
            )
            for verification, (token, refusal_token) in zip(links, tokens, strict=True)
        ]
    )
    return links
