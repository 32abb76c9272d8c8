"""Steps shared by the relationship services: the event row, one-time tokens, emails."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from enrollment.models import Partner
from partnercenter.notifications.services import notification_queue

from ..models import RelationshipEvent


def record_event(
    *, kind: str, obj, actor=None, partner: Partner | None = None, from_state="", to_state="", detail=""
):
    """One audit row: what happened to which object, who did it, from which state to which."""
    return RelationshipEvent.objects.create(
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        partner=partner,
        object_type=obj.__class__.__name__,
        object_id=str(obj.pk),
        from_state=from_state,
        to_state=to_state,
        detail=detail,
    )


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


def notify(*, template: str, recipient: str, partner: Partner | None, context: dict, key: str) -> None:
    notification_queue(
        template=template,
        recipient=recipient,
        language=partner.language if partner else "en",
        context=context,
        key=key,
    )
