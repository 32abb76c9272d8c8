"""Read the audit trail: one history per object and one per partner (its tenant)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Subquery, Window
from django.db.models.functions import RowNumber

from .counts import EventCount
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


@dataclass(frozen=True)
class HistoryPage:
    """Where one page of an object's history stands: its number (1 holds the latest
    events), the number of all its events, and the pages before and after (None at an end)."""

    number: int
    count: int
    older: int | None
    newer: int | None


def attach_history_page(objects, attr: str = "timeline", *, page: int = 1, per_page: int) -> list:
    """Give each object one page of its events as ``obj.<attr>`` (oldest first; page 1 holds
    the latest ``per_page``, page 2 the ``per_page`` before them...) and ``obj.<attr>_page``
    (a ``HistoryPage``): one query for all of them, that fetches at most ``per_page`` rows
    an object however long its history (a window numbers and counts them in SQL)."""
    objects = list(objects)
    if not objects:
        return objects
    page = max(1, page)
    if len(objects) == 1:
        return _attach_one_history_page(objects[0], attr, page=page, per_page=per_page)
    newest_first = [F("at").desc(), F("id").desc()]
    events = (
        Event.objects.filter(
            object_type=objects[0]._meta.label_lower, object_id__in=[str(o.pk) for o in objects]
        )
        .annotate(
            position=Window(RowNumber(), partition_by=[F("object_id")], order_by=newest_first),
            total=Window(Count("*"), partition_by=[F("object_id")]),
        )
        .filter(position__gt=(page - 1) * per_page, position__lte=page * per_page)
        .order_by("at", "id")
    )
    by_id, totals = defaultdict(list), {}
    for event in events:
        by_id[event.object_id].append(event)
        totals[event.object_id] = event.total
    for obj in objects:
        count = totals.get(str(obj.pk), 0)
        setattr(obj, attr, by_id[str(obj.pk)])
        setattr(
            obj,
            f"{attr}_page",
            HistoryPage(
                number=page,
                count=count,
                older=page + 1 if count > page * per_page else None,
                newer=page - 1 if page > 1 else None,
            ),
        )
    return objects


def _attach_one_history_page(obj, attr: str, *, page: int, per_page: int) -> list:
    """``attach_history_page`` for one object (a detail page): the page's rows from the
    index, newest first, and the count the database keeps (``counts``), in one query that
    reads ``page * per_page`` rows at most however long the history."""
    object_type, object_id = obj._meta.label_lower, str(obj.pk)
    counted = EventCount.objects.filter(object_type=object_type, object_id=object_id)
    events = list(
        Event.objects.filter(object_type=object_type, object_id=object_id)
        .annotate(total=Subquery(counted.values("n")[:1]))
        .order_by("-at", "-id")[(page - 1) * per_page : page * per_page]
    )
    events.reverse()  # oldest first, as the page shows them
    count = events[0].total if events else (counted.values_list("n", flat=True).first() or 0)
    setattr(obj, attr, events)
    setattr(
        obj,
        f"{attr}_page",
        HistoryPage(
            number=page,
            count=count or 0,
            older=page + 1 if (count or 0) > page * per_page else None,
            newer=page - 1 if page > 1 else None,
        ),
    )
    return [obj]


def history_of_tenant(tenant_id, *, limit: int = 50) -> list[Event]:
    """A partner's latest events, across all its objects, newest first (bounded)."""
    return list(Event.objects.of_tenant(tenant_id)[:limit])
