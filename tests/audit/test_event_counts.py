"""The count of each object's history is kept by the database (partnercenter.audit.counts):
whoever writes or deletes events, one at a time or in a batch, the count is the number of
events; and a detail page's timeline reads one page of rows with it (issue 12)."""

import pytest

from partnercenter.audit.counts import EventCount
from partnercenter.audit.models import Event
from partnercenter.audit.selectors import attach_history_page
from tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db


def _count(obj) -> int:
    return EventCount.objects.get(object_type=obj._meta.label_lower, object_id=str(obj.pk)).n


def _event(obj, **extra) -> Event:
    return Event(
        kind="enrollment.submitted",
        actor_label="test",
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        **extra,
    )


def test_one_by_one_in_a_batch_and_deleted_the_count_is_the_number_of_events():
    enrollment = EnrollmentFactory()
    already = Event.objects.of(enrollment).count()
    _event(enrollment).save()
    Event.objects.bulk_create([_event(enrollment) for _ in range(25)])
    assert _count(enrollment) == already + 26 == Event.objects.of(enrollment).count()
    Event.objects.filter(pk__in=list(Event.objects.of(enrollment).values_list("pk", flat=True)[:5])).delete()
    assert _count(enrollment) == Event.objects.of(enrollment).count()


def test_a_detail_pages_timeline_is_one_page_with_the_kept_count(django_assert_num_queries):
    enrollment = EnrollmentFactory()
    Event.objects.bulk_create([_event(enrollment, note=str(i)) for i in range(23)])
    total = Event.objects.of(enrollment).count()
    newest = list(Event.objects.of(enrollment).order_by("-at", "-id")[:10])[::-1]
    with django_assert_num_queries(1):
        (found,) = attach_history_page([enrollment], page=1, per_page=10)
    assert [e.pk for e in found.timeline] == [e.pk for e in newest]
    assert (found.timeline_page.count, found.timeline_page.older, found.timeline_page.newer) == (
        total,
        2,
        None,
    )
    (last,) = attach_history_page([enrollment], page=3, per_page=10)
    assert len(last.timeline) == total - 20 and last.timeline_page.older is None
    (beyond,) = attach_history_page([enrollment], page=9, per_page=10)
    assert beyond.timeline == [] and beyond.timeline_page.count == total
