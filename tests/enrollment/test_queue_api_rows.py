"""The queue API writes its rows by hand (``QueueRowSerializer.to_representation``, issue
12; its checks read as plain rows, ``queue_checks.QueueCheck``): each row must be what the
serializer's declared fields write from model instances, key by key and in the
same order, for every kind of row (indirect and direct bill, with and without a credit
line, assigned or not, overdue or not, checks pending, passed by the system or decided
by a reviewer with a note)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from rest_framework import serializers

from enrollment import check_details
from enrollment.api.review import QueueRowSerializer
from enrollment.models import CheckResult, Enrollment, EnrollmentStatus
from tests.conftest import api_as
from tests.factories import (
    DirectBillApplicationFactory,
    EnrollmentFactory,
    PartnerFactory,
    VerificationCheckFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(reviewer, other_reviewer):
    now = timezone.now()
    late = EnrollmentFactory(
        status=EnrollmentStatus.IN_REVIEW,
        submitted_at=now - timedelta(days=9),
        due_at=now - timedelta(days=1),
        assignee=other_reviewer,
        partner=PartnerFactory(country="JP"),
    )
    VerificationCheckFactory(enrollment=late, kind="email_ownership", result=CheckResult.PENDING)
    passed = VerificationCheckFactory(enrollment=late, kind="mpn_active", result=CheckResult.PASSED)
    passed.detail = check_details.Detail(check_details.MPN_COUNTRY_SAME.code, {"country": "JP"})
    passed.checked_at = now
    passed.save()
    VerificationCheckFactory(
        enrollment=late,
        kind="bank_account",
        result=CheckResult.FAILED,
        decided_by=reviewer,
        detail="Wrong IBAN",
    )
    billed = DirectBillApplicationFactory(enrollment__status=EnrollmentStatus.IN_REVIEW).enrollment
    waiting = DirectBillApplicationFactory(
        enrollment__status=EnrollmentStatus.ACTION_NEEDED, credit_line_amount=None, support_plan=""
    ).enrollment
    fresh = EnrollmentFactory(
        status=EnrollmentStatus.PENDING_EMAIL_VERIFICATION, submitted_at=now, assignee=reviewer
    )
    return [late, billed, waiting, fresh]


def test_each_row_is_what_the_declared_fields_write(reviewer, rows):
    body = api_as(reviewer).get("/api/v1/review/enrollments/").json()
    assert {row["id"] for row in body["results"]} == {str(e.pk) for e in rows}
    for written in body["results"]:
        enrollment = Enrollment.objects.get(pk=written["id"])
        declared = serializers.Serializer.to_representation(QueueRowSerializer(), enrollment)
        assert list(written.items()) == list(declared.items())
    assert any(row["checks"] and row["assignee"] for row in body["results"])
    assert any(row["credit_line"] for row in body["results"])
    assert any(row["overdue"] for row in body["results"])


def test_times_are_written_in_the_current_time_zone_as_the_declared_fields_write(rows):
    with timezone.override(ZoneInfo("Asia/Tokyo")):
        for enrollment in Enrollment.objects.filter(pk__in=[e.pk for e in rows]):
            written = QueueRowSerializer().to_representation(enrollment)
            assert written == serializers.Serializer.to_representation(QueueRowSerializer(), enrollment)
            assert written["submitted_at"].endswith("+09:00")
