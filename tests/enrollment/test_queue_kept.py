"""The review queue as it read a moment ago (issue 12, ``core.generations``): the page and
the API give back what they wrote until a table they read changes or a file falls overdue,
and never what another reviewer, language or filter saw."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enrollment.models import Enrollment
from enrollment.services.review import enrollment_claim
from tests.conftest import api_as
from tests.factories import EnrollmentFactory, PartnerFactory

pytestmark = pytest.mark.django_db

QUEUE = "/review/"
API = "/api/v1/review/enrollments/"
ENROLLMENTS = Enrollment._meta.db_table


@pytest.fixture
def signed_in(client, reviewer):
    client.force_login(reviewer)
    return client


def in_review(hours=48, **kwargs):
    return EnrollmentFactory(status="in_review", due_at=timezone.now() + timedelta(hours=hours), **kwargs)


UNASSIGNED = '<span class="muted">Unassigned</span>'


def body(response) -> str:
    """The queue's own part of the page (the rest carries the request's nonce)."""
    page = response.content.decode()
    return page[page.index("<h1>") : page.index("</main>")]


def reads_enrollments(queries) -> bool:
    return any(ENROLLMENTS in query["sql"] for query in queries)


class TestThePage:
    def test_a_second_look_reads_no_enrollment(self, signed_in):
        in_review()
        first = signed_in.get(QUEUE)
        with CaptureQueriesContext(connection) as again:
            second = signed_in.get(QUEUE)
        assert body(second) == body(first)
        assert not reads_enrollments(again.captured_queries)

    def test_a_claim_shows_at_once(self, signed_in, reviewer):
        enrollment = in_review(partner=PartnerFactory(legal_name="Fabrikam"))
        assert UNASSIGNED in signed_in.get(QUEUE).content.decode()
        enrollment_claim(actor=reviewer, enrollment=enrollment)
        page = signed_in.get(QUEUE).content.decode()
        assert UNASSIGNED not in page
        assert ">You<" in page

    def test_a_new_file_shows_at_once(self, signed_in):
        in_review()
        signed_in.get(QUEUE)
        in_review(partner=PartnerFactory(legal_name="Northwind Traders"))
        assert "Northwind Traders" in signed_in.get(QUEUE).content.decode()

    def test_a_file_falls_overdue_on_the_second(self, signed_in):
        """Within the age chart's minute, too: the page is kept until the next due time."""
        now = timezone.now()
        EnrollmentFactory(status="in_review", due_at=now + timedelta(seconds=30))
        for moment, overdue in ((0, False), (29, False), (31, True)):
            with time_machine.travel(now + timedelta(seconds=moment), tick=False):
                assert ("overdue-flag" in signed_in.get(QUEUE).content.decode()) is overdue

    def test_each_reviewer_and_language_reads_its_own(self, client, reviewer, other_reviewer):
        enrollment = in_review()
        enrollment_claim(actor=reviewer, enrollment=enrollment)
        client.force_login(reviewer)
        assert ">You<" in client.get(QUEUE).content.decode()
        client.force_login(other_reviewer)
        mine = client.get(QUEUE).content.decode()
        assert ">You<" not in mine
        assert reviewer.get_full_name() in mine
        assert "審核佇列" in client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()

    def test_each_filter_reads_its_own(self, signed_in):
        in_review(partner=PartnerFactory(country="DE", legal_name="Fabrikam"))
        in_review(partner=PartnerFactory(country="FR", legal_name="Contoso"))
        assert "Contoso" in signed_in.get(QUEUE).content.decode()
        assert "Contoso" not in signed_in.get(f"{QUEUE}?country=DE").content.decode()


class TestTheApi:
    def test_a_claim_shows_at_once(self, reviewer):
        enrollment = in_review()
        client = api_as(reviewer)
        assert client.get(API).json()["results"][0]["assignee"] is None
        enrollment_claim(actor=reviewer, enrollment=enrollment)
        assert client.get(API).json()["results"][0]["assignee"] is not None

    def test_a_second_look_reads_no_enrollment(self, reviewer):
        in_review()
        client = api_as(reviewer)
        first = client.get(API).json()
        with CaptureQueriesContext(connection) as again:
            assert client.get(API).json() == first
        assert not reads_enrollments(again.captured_queries)

    def test_a_file_falls_overdue_on_the_minute(self, reviewer):
        now = timezone.now()
        in_review(hours=2)
        client = api_as(reviewer)
        with time_machine.travel(now + timedelta(hours=1, minutes=59)):
            assert client.get(f"{API}?overdue=true").json()["count"] == 0
        with time_machine.travel(now + timedelta(hours=2, seconds=1)):
            assert client.get(f"{API}?overdue=true").json()["count"] == 1

    def test_bad_input_is_still_a_400_each_time(self, reviewer):
        client = api_as(reviewer)
        for _ in range(2):
            response = client.get(f"{API}?status=nonsense")
            assert response.status_code == 400
            assert "status" in response.data

    def test_the_browsable_api_renders_the_kept_page_itself(self, reviewer):
        in_review(partner=PartnerFactory(legal_name="Fabrikam"))
        client = api_as(reviewer)
        for _ in range(2):
            response = client.get(f"{API}?format=api")
            assert response.status_code == 200
            assert response["Content-Type"].startswith("text/html")
            assert "Fabrikam" in response.content.decode()
        assert client.get(API)["Content-Type"] == "application/json"


class TestTheClock:
    """A page is kept until something on it changes with time (``queue_clock.queue_page_valid_until``):
    a file falling overdue elsewhere in the queue leaves it as it was."""

    def test_a_file_off_the_page_falling_overdue_keeps_it(self, signed_in, reviewer):
        now = timezone.now()
        due = {"DE": now + timedelta(seconds=50), "FR": now + timedelta(seconds=20)}  # within a minute
        for country, due_at in due.items():
            EnrollmentFactory(status="in_review", due_at=due_at, partner=PartnerFactory(country=country))
        client = api_as(reviewer)
        pages = {
            f"{QUEUE}?country=DE": lambda url: body(signed_in.get(url)),
            f"{API}?country=DE": lambda url: client.get(url).json(),
        }
        for url, read in pages.items():
            with time_machine.travel(now, tick=False):
                first = read(url)
            with time_machine.travel(now + timedelta(seconds=25), tick=False):  # FR's file is overdue
                with CaptureQueriesContext(connection) as later:
                    assert read(url) == first
                assert not reads_enrollments(later.captured_queries), url
            with time_machine.travel(due["DE"] + timedelta(seconds=1), tick=False):
                assert read(url) != first  # its own file's flag
        with time_machine.travel(due["DE"] + timedelta(seconds=1), tick=False):
            assert client.get(f"{API}?country=DE").json()["results"][0]["overdue"] is True

    def test_an_overdue_list_beyond_its_cap_gains_files_after_its_pages(self, reviewer, monkeypatch):
        from enrollment import selectors

        monkeypatch.setattr(selectors, "QUEUE_COUNT_MAX", 1)
        now = timezone.now()
        for name, due_at in (("Overdue 3h", -3 * 3600), ("Overdue 2h", -2 * 3600), ("Next", 20)):
            EnrollmentFactory(
                status="in_review",
                due_at=now + timedelta(seconds=due_at),
                partner=PartnerFactory(legal_name=name),
            )
        client = api_as(reviewer)

        def names(url):
            return [row["partner"]["legal_name"] for row in client.get(url).json()["results"]]

        with time_machine.travel(now, tick=False):
            assert names(f"{API}?overdue=true") == ["Overdue 3h"]  # counted beyond its cap of 1
            assert names(f"{API}?overdue=true&ordering=-due_at") == ["Overdue 2h"]
        with time_machine.travel(now + timedelta(seconds=25), tick=False):  # "Next" is overdue
            with CaptureQueriesContext(connection) as later:
                assert names(f"{API}?overdue=true") == ["Overdue 3h"]
            assert not reads_enrollments(later.captured_queries)  # it comes after the pages offered
            assert names(f"{API}?overdue=true&ordering=-due_at") == ["Next"]  # newest first: changed
