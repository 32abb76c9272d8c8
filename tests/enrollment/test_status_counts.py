"""The count of each status the database keeps (``enrollment.status_counts``) equals the
real count after every move, whoever makes it: the services, the sweep's batch UPDATE,
the admin, a cascade, a rolled-back transaction, a factory; and after it is compacted.
The queue reads it in one query of a few rows (no COUNT over the enrollments)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from enrollment import selectors, status_counts, tasks
from enrollment.models import Enrollment, EnrollmentStatus, Partner
from enrollment.services.application import enrollment_withdraw
from enrollment.services.review import enrollment_approve, enrollment_reject, enrollment_request_info
from enrollment.status_counts import StatusCount
from tests.factories import EnrollmentFactory, UserFactory, VerificationCheckFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


def real() -> dict[str, int]:
    rows = Enrollment.objects.order_by().values("status").annotate(n=Count("*"))
    return dict.fromkeys(EnrollmentStatus.values, 0) | {row["status"]: row["n"] for row in rows}


def assert_true():
    assert selectors.queue_counts() == real()


def reviewable(**partner):
    enrollment = EnrollmentFactory(status="in_review", **partner)
    for kind in ["email_ownership", "mpn_status", "business_verification"]:
        VerificationCheckFactory(enrollment=enrollment, kind=kind, result="passed")
    return enrollment


def test_every_service_move_keeps_the_count(admin, reviewer):
    assert_true()
    approved, rejected, asked = (reviewable() for _ in range(3))
    withdrawn = reviewable(partner__tenant=admin.tenant)
    assert_true()
    assert selectors.queue_counts()["in_review"] == 4
    enrollment_approve(actor=reviewer, enrollment=approved)
    assert_true()
    enrollment_reject(actor=reviewer, enrollment=rejected, reason="The documents do not match.")
    assert_true()
    enrollment_request_info(actor=reviewer, enrollment=asked, message="Send the registration.")
    assert_true()
    enrollment_withdraw(actor=admin, enrollment=withdrawn)
    assert_true()
    counts = selectors.queue_counts()
    assert (counts["approved"], counts["rejected"], counts["action_needed"], counts["in_review"]) == (
        1,
        1,
        1,
        0,
    )


def test_the_sweeps_batch_update_keeps_the_count():
    with time_machine.travel(NOW, tick=False):
        for _ in range(3):
            EnrollmentFactory(
                status="pending_email_verification",
                remind_at=NOW - timedelta(days=29),
                expires_at=NOW - timedelta(minutes=1),
            )
        assert tasks.enrollments_sweep()["expired"] == 3
    assert_true()
    assert selectors.queue_counts()["expired"] == 3


def test_the_admin_deleting_and_a_cascade_keep_the_count(client, admin):
    superuser = UserFactory(tenant=None, roles=[], is_staff=True, is_superuser=True, email="su@partners.test")
    client.force_login(superuser)
    one, two = EnrollmentFactory(status="in_review"), EnrollmentFactory(status="approved")
    three = EnrollmentFactory(partner=two.partner, status="rejected")
    response = client.post(f"/admin/enrollment/enrollment/{one.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Enrollment.objects.filter(pk=one.pk).exists()
    assert_true()
    Partner.objects.filter(pk=two.partner_id).delete()  # its enrollments go with it
    assert not Enrollment.objects.filter(pk=three.pk).exists()
    assert_true()


def test_a_bulk_update_and_a_rolled_back_move_keep_the_count():
    enrollments = [EnrollmentFactory(status="in_review") for _ in range(4)]
    Enrollment.objects.filter(pk__in=[e.pk for e in enrollments[:3]]).update(status="approved")
    assert_true()
    Enrollment.objects.filter(pk=enrollments[3].pk).update(due_at=NOW)  # no status changed
    assert_true()
    with pytest.raises(RuntimeError), transaction.atomic():
        Enrollment.objects.filter(pk=enrollments[3].pk).update(status="rejected")
        raise RuntimeError("rolled back")
    assert_true()
    assert selectors.queue_counts()["in_review"] == 1


def test_compacting_keeps_one_row_a_status_and_the_same_counts():
    for status in ("in_review", "in_review", "approved", "action_needed"):
        EnrollmentFactory(status=status)
    Enrollment.objects.filter(status="action_needed").update(status="in_review")
    assert StatusCount.objects.count() > 3
    status_counts.compact()
    assert_true()
    assert sorted(StatusCount.objects.values_list("status", "n")) == [("approved", 1), ("in_review", 3)]
    EnrollmentFactory(status="approved")
    assert_true()
    tasks.enrollments_sweep()  # the sweep compacts them every run
    assert StatusCount.objects.count() == 2
    assert_true()


def test_the_queue_reads_the_counts_in_one_query_and_counts_no_enrollment(client, reviewer):
    for status in ("in_review", "action_needed", "approved", "pending_email_verification"):
        EnrollmentFactory(status=status)
    with CaptureQueriesContext(connection) as captured:
        counts = selectors.queue_counts()
    assert len(captured) == 1 and "enrollment_enrollment" not in captured[0]["sql"]
    rows = Enrollment.objects.none()  # not read: the counts answer
    assert selectors.queue_total(rows, counts) == (3, False)  # the undecided ones
    assert selectors.queue_total(rows, counts, status="approved") == (1, False)
    client.force_login(reviewer)
    for path in ("/review/", "/review/?status=approved", "/api/v1/review/enrollments/"):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        # Neither the paginator's COUNT(*) nor a count by status of the enrollments.
        counted = [
            q["sql"] for q in captured if '"__count"' in q["sql"] or '"n" FROM "enrollment_e' in q["sql"]
        ]
        assert counted == [], path
    assert client.get("/api/v1/review/enrollments/").json()["count"] == 3
    assert client.get("/review/?country=DE").status_code == 200


def test_the_age_chart_reads_only_the_young_files_and_takes_the_old_from_the_counts():
    now = datetime(2025, 6, 11, 12, 0, tzinfo=UTC)
    for days in (60, 90, 400):
        EnrollmentFactory(status="in_review", submitted_at=now - timedelta(days=days))
    EnrollmentFactory(status="action_needed", submitted_at=now - timedelta(hours=2))
    EnrollmentFactory(status="approved", submitted_at=now - timedelta(days=60))  # decided: not counted
    with CaptureQueriesContext(connection) as captured:
        buckets = selectors.queue_age_buckets(now)
    assert [b.count for b in buckets] == [1, 0, 0, 3]
    assert len(captured) == 1 and "e.submitted_at >=" in captured[0]["sql"]


def test_the_pages_counted_from_the_kept_counts_are_the_real_pages(client, reviewer, monkeypatch):
    from rest_framework.pagination import PageNumberPagination

    from enrollment.views import review as review_views

    monkeypatch.setattr(review_views, "PAGE_SIZE", 2)
    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    for _ in range(5):
        EnrollmentFactory(status="in_review")
    EnrollmentFactory(status="approved")
    client.force_login(reviewer)
    last = client.get("/review/?page=3")
    assert last.context["page"].paginator.num_pages == 3 and len(last.context["page"].object_list) == 1
    assert client.get("/review/?page=9").context["page"].number == 3  # past the end: the last page
    body = client.get("/api/v1/review/enrollments/?page=3").json()
    assert (body["count"], len(body["results"]), body["next"]) == (5, 1, None)
    assert client.get("/api/v1/review/enrollments/?status=approved").json()["count"] == 1
    assert client.get("/api/v1/review/enrollments/?page=4").status_code == 404


def test_the_volume_seed_by_copy_keeps_the_count():
    from django.core.management import call_command

    with open("/dev/null", "w") as quiet:
        call_command("seed_volume", enrollments=40, providers=3, relationships=10, customers=30, stdout=quiet)
    assert_true()
    assert sum(selectors.queue_counts().values()) == 40


@pytest.mark.django_db(transaction=True)
def test_emptying_the_table_empties_the_counts():
    EnrollmentFactory(status="in_review")
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE enrollment_enrollment CASCADE")  # what flush and seed_volume --replace do
    assert_true()
    assert not StatusCount.objects.exists()
    EnrollmentFactory(status="approved")
    assert_true()
