"""The sweep clears a backlog in one run (issue 12: at most 500 of each kind a run, at 11
queries a row): batch after batch until nothing is due or ``SWEEP_SECONDS`` have passed,
in a constant number of queries a batch, and each enrollment still gets its one audit row
and its one email."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enrollment import tasks
from enrollment.models import EmailVerification, Enrollment
from enrollment.services import deadlines
from partnercenter.audit.models import Event
from partnercenter.notifications import delivery
from partnercenter.notifications import tasks as notification_tasks
from partnercenter.notifications.models import Notification
from tests.factories import EnrollmentFactory, NotificationFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def due(n, kind):
    """``n`` enrollments waiting for the email confirmation, due to be reminded or to expire."""
    if kind == "remind":
        dates = {"remind_at": NOW - timedelta(hours=1), "expires_at": NOW + timedelta(days=20)}
    else:
        dates = {"remind_at": NOW - timedelta(days=29), "expires_at": NOW - timedelta(minutes=1)}
    return [EnrollmentFactory(status="pending_email_verification", **dates) for _ in range(n)]


def test_a_backlog_larger_than_a_batch_clears_in_one_run(monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(deadlines, "BATCH", 3)
    expiring, reminded = due(7, "expire"), due(5, "remind")
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.enrollments_sweep() == {
            "expired": 7,
            "reminded": 5,
            "checked": 0,
            "credit_checked": 0,
            "incentives_invited": 0,
            "transition_approved": 0,
        }
    assert tasks.enrollments_sweep() == {
        "expired": 0,
        "reminded": 0,
        "checked": 0,
        "credit_checked": 0,
        "incentives_invited": 0,
        "transition_approved": 0,
    }

    assert set(Enrollment.objects.filter(status="expired")) == set(expiring)
    for enrollment in expiring:
        assert list(Event.objects.of(enrollment).values_list("kind", "from_state", "to_state")) == [
            ("expired", "pending_email_verification", "expired")
        ]
    for enrollment in reminded:
        assert list(Event.objects.of(enrollment).values_list("kind", flat=True)) == ["reminder_sent"]
        link = EmailVerification.objects.get(enrollment=enrollment)
        assert Notification.objects.filter(idempotency_key=f"email-verification:{link.pk}").count() == 1
    assert Notification.objects.filter(template="enrollment_expired").count() == 7
    assert Notification.objects.filter(template="enrollment_reminder").count() == 5
    assert len(mail.outbox) == 12
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        e.partner.contact_email for e in expiring + reminded
    )


def test_an_earlier_link_stops_working_when_the_reminder_or_the_expiry_comes(
    django_capture_on_commit_callbacks,
):
    (expiring,), (reminded,) = due(1, "expire"), due(1, "remind")
    for enrollment in (expiring, reminded):
        EmailVerification.objects.create(
            enrollment=enrollment,
            email="a@b.de",
            token_hash=enrollment.pk.hex,
            expires_at=NOW + timedelta(days=1),
        )
    tasks.enrollments_sweep()
    old = EmailVerification.objects.filter(token_hash__in=[expiring.pk.hex, reminded.pk.hex])
    assert all(link.superseded_at == NOW for link in old)
    assert EmailVerification.objects.filter(enrollment=reminded, superseded_at__isnull=True).count() == 1


@pytest.mark.parametrize("kind", ["expire", "remind"])
def test_a_batch_costs_the_same_queries_at_any_size(kind):
    service = deadlines.enrollments_expire if kind == "expire" else deadlines.enrollments_remind
    counts = []
    for size in (2, 12):
        due(size, kind)
        with CaptureQueriesContext(connection) as queries:
            assert service(limit=50) == size
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1] <= 10  # a batch of 500 costs what one row did


def test_the_run_is_bounded_by_time(settings):
    settings.SWEEP_SECONDS = 0
    due(2, "expire")
    assert tasks.enrollments_sweep() == {
        "expired": 0,
        "reminded": 0,
        "checked": 0,
        "credit_checked": 0,
        "incentives_invited": 0,
        "transition_approved": 0,
    }
    assert not Enrollment.objects.filter(status="expired").exists()


def test_the_notifications_sweep_sends_a_backlog_larger_than_a_batch(monkeypatch):
    due_list = delivery.notifications_due
    monkeypatch.setattr(delivery, "notifications_due", lambda **kw: due_list(**{**kw, "limit": 2}))
    NotificationFactory.create_batch(5, next_attempt_at=NOW - timedelta(minutes=1))
    assert notification_tasks.notifications_send_due() == 5
    assert notification_tasks.notifications_send_due() == 0
    assert len(mail.outbox) == 5
