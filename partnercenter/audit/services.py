"""Write the audit trail: every state change calls ``record_event`` once (HOUSE_STYLE 7b)."""

from django.utils import timezone

from . import kinds
from .models import Event

SYSTEM = "system"


def actor_label_for(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return SYSTEM
    return f"{actor.get_full_name()} <{actor.email}>"


def record_event(
    obj,
    kind: kinds.EventKind,
    *,
    actor=None,
    actor_label: str | None = None,
    tenant=None,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    at=None,
    **data,
) -> Event:
    """One audit row: ``kind`` happened to ``obj``.

    ``actor`` is the user who acted (None: the system); ``actor_label`` names someone who
    is not a user (the primary contact following a link). ``tenant`` (a tenant or its id)
    files the row in a partner's history. ``note`` holds people's own words; ``data`` the
    parameters the kind's sentence is rendered from, at read time, in the reader's language.
    """
    if not kinds.is_registered(kind):
        raise ValueError(f"{kind!r} is not a registered audit event kind")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return Event.objects.create(
        at=at or timezone.now(),
        kind=kind.code,
        actor=actor,
        actor_label=(actor_label or actor_label_for(actor))[:300],
        tenant_id=getattr(tenant, "pk", tenant),
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        note=note or "",
        data=data,
    )
