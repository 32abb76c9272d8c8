"""Timelines are bounded (issue 12: with 10,000 events the status page took 9 s): the status
page, the review page and the enrollment in the API show the latest TIMELINE_PAGE_SIZE
events; older ones are a page further (``?timeline_page=`` on the pages, the paged
``timeline/`` endpoints in the API). A check's decision stays readable however old."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enrollment import events
from enrollment.services.common import record
from tests.conftest import api_as
from tests.factories import EnrollmentFactory, PartnerFactory, VerificationCheckFactory

pytestmark = pytest.mark.django_db

START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _pages_of_three(settings):
    settings.TIMELINE_PAGE_SIZE = 3


@pytest.fixture
def enrollment(admin, reviewer):
    enrollment = EnrollmentFactory(partner=PartnerFactory(tenant=admin.tenant), status="in_review")
    check = VerificationCheckFactory(
        enrollment=enrollment, kind="email_domain", result="passed", decided_by=reviewer
    )
    # The oldest event: the reviewer's decision, with a note, far back in the timeline.
    record(
        enrollment,
        events.CHECK_DECIDED["passed"],
        actor=reviewer,
        note="Seen the DNS record",
        at=START,
        check="email_domain",
    )
    check.refresh_from_db()
    add_events(enrollment, 6)
    return enrollment


def add_events(enrollment, n, start=1):
    for i in range(start, start + n):
        record(enrollment, events.REMINDER_SENT, email=f"event{i}@x.de", at=START + timedelta(hours=i))


class TestPages:
    def test_the_status_page_shows_the_latest_and_pages_the_older(self, client, admin, enrollment):
        client.force_login(admin)
        first = client.get(f"/enrollments/{enrollment.pk}/")
        assert [e.data["email"] for e in first.context["enrollment"].timeline] == [
            "event4@x.de",
            "event5@x.de",
            "event6@x.de",
        ]
        assert "?timeline_page=2" in first.content.decode() and "7 events in all." in first.content.decode()
        last = client.get(f"/enrollments/{enrollment.pk}/?timeline_page=3")
        assert [e.kind for e in last.context["enrollment"].timeline] == ["check_passed"]
        assert "?timeline_page=2" in last.content.decode() and "?timeline_page=4" not in last.content.decode()

    def test_the_decision_is_read_however_old(self, client, admin, enrollment):
        client.force_login(admin)
        page = client.get(f"/enrollments/{enrollment.pk}/")
        check = next(c for c in page.context["enrollment"].checks.all() if c.kind == "email_domain")
        assert check.decision.note == "Seen the DNS record"

    @pytest.mark.parametrize("value", ["0", "-1", "abc", "99999999999999999999", "2.5", ""])
    def test_any_page_number_answers(self, client, admin, enrollment, value):
        client.force_login(admin)
        assert client.get(f"/enrollments/{enrollment.pk}/?timeline_page={value}").status_code == 200

    def test_the_review_page_pages_too(self, client, reviewer, enrollment):
        client.force_login(reviewer)
        page = client.get(f"/review/{enrollment.pk}/?timeline_page=2")
        assert [e.data.get("email") for e in page.context["enrollment"].timeline] == [
            "event1@x.de",
            "event2@x.de",
            "event3@x.de",
        ]

    def test_the_status_page_costs_the_same_queries_and_rows_at_any_length(
        self, client, admin, enrollment, settings
    ):
        settings.GENERATIONS_CACHE = False  # the page as computed: a kept one reads none of it
        client.force_login(admin)
        client.get(f"/enrollments/{enrollment.pk}/")
        with CaptureQueriesContext(connection) as short:
            client.get(f"/enrollments/{enrollment.pk}/")
        add_events(enrollment, 40, start=100)
        with CaptureQueriesContext(connection) as long:
            response = client.get(f"/enrollments/{enrollment.pk}/")
        assert len(long.captured_queries) == len(short.captured_queries)
        assert len(response.context["enrollment"].timeline) == 3


class TestApi:
    def test_the_enrollment_carries_the_latest_a_count_and_a_link(self, admin, enrollment):
        body = api_as(admin).get(f"/api/v1/enrollments/{enrollment.pk}/").json()
        assert [e["detail"] for e in body["timeline"]] and len(body["timeline"]) == 3
        assert body["timeline_count"] == 7
        assert body["timeline_url"] == f"/api/v1/enrollments/{enrollment.pk}/timeline/"

    def test_the_timeline_endpoint_pages_newest_first(self, admin, enrollment):
        client = api_as(admin)
        first = client.get(f"/api/v1/enrollments/{enrollment.pk}/timeline/").json()
        assert first["count"] == 7 and len(first["results"]) == 3 and first["next"]
        assert first["results"][0]["at"] > first["results"][-1]["at"]
        last = client.get(f"/api/v1/enrollments/{enrollment.pk}/timeline/?page=3").json()
        assert [e["event"] for e in last["results"]] == ["check_passed"]

    def test_another_partners_timeline_is_not_found(self, outsider, enrollment):
        assert api_as(outsider).get(f"/api/v1/enrollments/{enrollment.pk}/timeline/").status_code == 404

    def test_staff_page_the_timeline_on_the_review_api(self, reviewer, admin, enrollment):
        body = api_as(reviewer).get(f"/api/v1/review/enrollments/{enrollment.pk}/").json()
        assert body["timeline_url"] == f"/api/v1/review/enrollments/{enrollment.pk}/timeline/"
        assert api_as(reviewer).get(body["timeline_url"] + "?page=2").json()["count"] == 7
        assert api_as(admin).get(body["timeline_url"]).status_code == 403

    def test_the_schema_documents_the_endpoints(self, admin):
        schema = api_as(admin).get("/api/v1/schema/?format=json").json()
        assert "/api/v1/enrollments/{id}/timeline/" in schema["paths"]
        assert "/api/v1/review/enrollments/{id}/timeline/" in schema["paths"]
