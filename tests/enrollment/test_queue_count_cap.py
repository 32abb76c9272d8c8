"""A narrowed queue is counted up to ``selectors.QUEUE_COUNT_MAX`` rows, never further
(issue 12: counting every overdue file, or every file of a country, read thousands of
rows on every request). Beyond it the page says "more than" and offers no page past it;
the API says so in ``count_capped``. Without a narrowing filter the count is exact (the
counts the database keeps)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.pagination import PageNumberPagination

from enrollment import selectors
from enrollment.views import review as review_views
from partnercenter.core.querysets import count_at_most
from tests.conftest import api_as
from tests.factories import EnrollmentFactory, PartnerFactory

pytestmark = pytest.mark.django_db

CAP, PAGE = 6, 2


@pytest.fixture(autouse=True)
def _small(monkeypatch):
    monkeypatch.setattr(selectors, "QUEUE_COUNT_MAX", CAP)
    monkeypatch.setattr(review_views, "PAGE_SIZE", PAGE)
    monkeypatch.setattr(PageNumberPagination, "page_size", PAGE)


def overdue_files(n, country="FR"):
    due = timezone.now() - timedelta(days=1)
    for _ in range(n):
        EnrollmentFactory(status="in_review", due_at=due, partner=PartnerFactory(country=country))


def test_count_at_most_reads_one_row_past_the_cap():
    overdue_files(CAP + 3)
    rows = selectors.review_queue(user=None).model.objects.all()
    with CaptureQueriesContext(connection) as captured:
        assert count_at_most(rows, CAP) == (CAP, True)
    assert f"LIMIT {CAP + 1}" in captured[0]["sql"]
    assert count_at_most(rows, CAP + 3) == (CAP + 3, False)
    assert count_at_most(rows, 100) == (CAP + 3, False)


def test_a_narrowed_queue_past_the_cap_says_more_than(client, reviewer):
    overdue_files(CAP + 3)
    client.force_login(reviewer)
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/review/?overdue=on&country=FR")
    counts = [q["sql"] for q in captured if q["sql"].startswith("SELECT COUNT(*) FROM (SELECT")]
    assert counts and all(f"LIMIT {CAP + 1}" in sql for sql in counts)
    assert f"More than {CAP} enrollments match these filters" in page.content.decode()
    assert f"Page 1 of more than {CAP // PAGE}" in page.content.decode()
    last = client.get(f"/review/?overdue=on&country=FR&page={CAP // PAGE + 5}")
    assert last.context["page"].number == CAP // PAGE  # no page past the count
    assert not last.context["page"].has_next()

    body = api_as(reviewer).get("/api/v1/review/enrollments/?overdue=true&country=FR").json()
    assert (body["count"], body["count_capped"]) == (CAP, True)
    assert len(body["results"]) == PAGE


def test_under_the_cap_the_count_is_exact(client, reviewer):
    overdue_files(CAP - 1)
    overdue_files(2, country="DE")
    client.force_login(reviewer)
    page = client.get("/review/?country=FR")
    assert page.context["page"].paginator.count == CAP - 1
    assert "match these filters" not in page.content.decode()
    body = api_as(reviewer).get("/api/v1/review/enrollments/?country=FR").json()
    assert (body["count"], body["count_capped"]) == (CAP - 1, False)


def test_the_whole_queue_is_counted_exactly_past_the_cap(client, reviewer):
    overdue_files(CAP + 3)
    body = api_as(reviewer).get("/api/v1/review/enrollments/").json()
    assert (body["count"], body["count_capped"]) == (CAP + 3, False)
    client.force_login(reviewer)
    assert "match these filters" not in client.get("/review/").content.decode()


def test_the_overdue_queue_is_the_undecided_files_past_due(reviewer):
    # The queue leaves its own status filter out beside the overdue one (the planner's
    # estimate): what it holds must still be the undecided files that are overdue.
    past = timezone.now() - timedelta(days=1)
    for status in (
        "pending_email_verification",
        "in_review",
        "action_needed",
        "approved",
        "rejected",
        "active",
    ):
        EnrollmentFactory(status=status, due_at=past)
        EnrollmentFactory(status=status, due_at=past + timedelta(days=3))
    queue = selectors.review_queue(user=reviewer, overdue=True)
    expected = set(queue.model.objects.undecided().overdue(timezone.now()).values_list("pk", flat=True))
    assert expected and {e.pk for e in queue} == expected
    assert selectors.queue_total(queue, overdue=True) == (len(expected), False)
