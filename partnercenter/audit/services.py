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
    event = event_for(
        obj,
        kind,
        actor=actor,
        actor_label=actor_label,
        tenant=tenant,
        from_state=from_state,
        to_state=to_state,
        note=note,
        at=at,
        **data,
    )
    event.save(force_insert=True)
    return event


def event_for(
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
    """The row ``record_event`` writes, unsaved: a batch of state changes (the sweep) writes
    one each with ``record_events``."""
    if not kinds.is_registered(kind):
        raise ValueError(f"{kind!r} is not a registered audit event kind")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return Event(
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


def record_events(events: list[Event]) -> list[Event]:
    """The audit rows of a batch of state changes (each built by ``event_for``), in one insert."""
    return Event.objects.bulk_create(events)
