"""Steps shared by the relationship services: the audit row, one-time tokens, emails."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from enrollment.models import Partner
from partnercenter.audit.kinds import EventKind
from partnercenter.audit.services import record_event
from partnercenter.core.errors import InvalidTransition
from partnercenter.notifications.services import notification_queue


def record(
    obj, kind: EventKind, *, actor=None, partner: Partner | None = None, from_state="", to_state="", **data
):
    """The one audit row of a state change of ``obj``, filed in ``partner``'s history."""
    return record_event(
        obj,
        kind,
        actor=actor,
        tenant=partner.tenant_id if partner is not None else None,
        from_state=from_state,
        to_state=to_state,
        **data,
    )


def conflict(status: str, label, message) -> InvalidTransition:
    return InvalidTransition(status, message, label=label)


def new_token() -> tuple[str, str]:
    """An unguessable one-time token (256 bits) and the SHA-256 that is stored."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token) -> str:
    return hashlib.sha256((token if isinstance(token, str) else "").encode()).hexdigest()


def invitation_expiry(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(days=settings.INVITATION_TTL_DAYS)


def link(path: str, token: str) -> str:
    """Links carry the token as their last path segment (API.md, Operations)."""
    return f"{settings.SITE_URL}{path}{token}/"


def page_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def notify(*, template: str, recipient: str, partner: Partner | None, context: dict, key: str) -> None:
    notification_queue(
        template=template,
        recipient=recipient,
        language=partner.language if partner else "en",
        context=context,
        key=key,
    )


def notify_provider(template: str, *, provider: Partner, reseller: Partner, key: str) -> None:
    """Tell the provider what its reseller did (authorized it, removed its admin access)."""
    notify(
        template=template,
        recipient=provider.contact_email,
        partner=provider,
        context={
            "first_name": provider.contact_first_name,
            "reseller_name": reseller.legal_name,
            "reseller_mpn_id": reseller.mpn_id,
            "resellers_url": page_url("/indirect-resellers/"),
        },
        key=key,
    )
