"""Read the audit trail: one history per object and one per partner (its tenant)."""

from collections import defaultdict

from .models import Event, EventQuerySet


def history_of(obj) -> EventQuerySet:
    """The events of one object, oldest first."""
    return Event.objects.of(obj).select_related("actor")


def attach_history(objects, attr: str = "timeline") -> list:
    """Give each object its events, oldest first, as ``obj.<attr>``: one query for all of
    them (a page of enrollments costs one query for their timelines, whatever its length)."""
    objects = list(objects)
    if not objects:
        return objects
    object_type = objects[0]._meta.label_lower
    by_id = defaultdict(list)
    events = Event.objects.filter(object_type=object_type, object_id__in=[str(o.pk) for o in objects])
    for event in events.order_by("at", "id"):
        by_id[event.object_id].append(event)
    for obj in objects:
        setattr(obj, attr, by_id[str(obj.pk)])
    return objects


def history_of_tenant(tenant_id, *, limit: int = 50) -> list[Event]:
    """A partner's latest events, across all its objects, newest first (bounded)."""
    return list(Event.objects.of_tenant(tenant_id)[:limit])
