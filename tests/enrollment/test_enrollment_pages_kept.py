"""One enrollment's pages as they read a moment ago (issue 12, ``enrollment.kept``): its
review page and API and its partner's status page are kept while another partner submits
(the rows that adds are not theirs), and show at once what changes their own rows: a new
check, event or document of theirs, a claim, a decision, their due time passing."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enrollment import events
from enrollment.models import Enrollment, EnrollmentDocument, EnrollmentStatus, VerificationCheck
from enrollment.services.common import record
from enrollment.services.review import enrollment_claim
from tests.conftest import api_as
from tests.factories import EnrollmentFactory, PartnerFactory, VerificationCheckFactory

pytestmark = pytest.mark.django_db

CHECKS = VerificationCheck._meta.db_table


def in_review(**kwargs):
    kwargs.setdefault("due_at", timezone.now() + timedelta(days=3))
    enrollment = EnrollmentFactory(status=EnrollmentStatus.IN_REVIEW, **kwargs)
    VerificationCheckFactory(enrollment=enrollment, kind="email_domain", result="passed")
    record(enrollment, events.SUBMITTED)
    return enrollment


def another_submission():
    """What a submission of another partner writes: its partner, enrollment, check, event."""
    return in_review(partner=PartnerFactory(legal_name="Litware GmbH"))


def computed(fetch) -> bool:
    """Whether ``fetch()`` computed the page (read its checks) or was given it kept."""
    with CaptureQueriesContext(connection) as queries:
        response = fetch()
    assert response.status_code == 200
    return any(CHECKS in query["sql"] for query in queries.captured_queries)


@pytest.fixture
def enrollment(admin):
    return in_review(partner=PartnerFactory(tenant=admin.tenant, legal_name="Fabrikam GmbH"))


@pytest.fixture
def review_page(client, reviewer, enrollment):
    client.force_login(reviewer)
    return lambda: client.get(f"/review/{enrollment.pk}/")


@pytest.fixture
def review_api(reviewer, enrollment):
    client = api_as(reviewer)
    return lambda: client.get(f"/api/v1/review/enrollments/{enrollment.pk}/")


@pytest.fixture
def status_page(client, admin, enrollment):
    return lambda: (client.force_login(admin), client.get(f"/enrollments/{enrollment.pk}/"))[1]


@pytest.fixture(params=["review_page", "review_api", "status_page"])
def kept_page(request):
    return request.getfixturevalue(request.param)


def text(response) -> str:
    return response.content.decode()


def test_another_partner_s_submission_keeps_the_page(kept_page):
    first = text(kept_page())
    another_submission()
    assert not computed(kept_page)
    assert "Litware" not in text(kept_page())
    assert text(kept_page()).count("Fabrikam GmbH") == first.count("Fabrikam GmbH")


def test_a_new_event_of_its_own_shows_at_once(kept_page, enrollment):
    kept_page()
    record(enrollment, events.REMINDER_SENT, email="anna@fabrikam.de")
    assert computed(kept_page)


def test_a_new_check_of_its_own_shows_at_once(kept_page, enrollment):
    kept_page()
    VerificationCheckFactory(enrollment=enrollment, kind="mpn_status", result="failed")
    assert computed(kept_page)


def test_a_new_document_of_its_own_shows_at_once(kept_page, enrollment):
    kept_page()
    EnrollmentDocument.objects.create(
        enrollment=enrollment, file="documents/x.pdf", original_name="register-extract.pdf", size=10
    )
    assert computed(kept_page)
    assert "register-extract.pdf" in text(kept_page())


def test_an_update_of_any_enrollment_retires_it(kept_page):
    kept_page()
    Enrollment.objects.filter(pk=another_submission().pk).update(status=EnrollmentStatus.ACTION_NEEDED)
    assert computed(kept_page)


def test_a_claim_shows_on_the_review_page(review_page, reviewer, enrollment):
    assert "Nobody holds this enrollment." in text(review_page())
    enrollment_claim(actor=reviewer, enrollment=enrollment)
    assert "You hold this enrollment." in text(review_page())


def test_the_review_api_falls_overdue_on_the_second(reviewer, enrollment):
    now = timezone.now()
    Enrollment.objects.filter(pk=enrollment.pk).update(due_at=now + timedelta(seconds=30))
    client = api_as(reviewer)
    url = f"/api/v1/review/enrollments/{enrollment.pk}/"
    for moment, overdue in ((0, False), (29, False), (31, True)):
        with time_machine.travel(now + timedelta(seconds=moment), tick=False):
            assert client.get(url).json()["overdue"] is overdue


def test_another_partner_is_404_while_the_page_is_kept(client, admin, outsider, enrollment):
    """The key holds the reader: another partner's admin is not given the kept page."""
    url = f"/enrollments/{enrollment.pk}/"
    client.force_login(admin)
    assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert api_as(outsider).get(f"/api/v1/enrollments/{enrollment.pk}/").status_code == 404
