"""Two beats at once: two enrollment sweeps in two processes (threads with their own
database connections) that found the same due work remind, expire and check each
enrollment once."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from enrollment import tasks
from partnercenter.audit.models import Event
from tests.factories import EnrollmentFactory
from tests.notifications.test_concurrent_sweeps import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_sweeps_at_once_do_each_thing_once(monkeypatch):
    now = timezone.now()
    to_remind = [
        EnrollmentFactory(remind_at=now - timedelta(minutes=1), expires_at=now + timedelta(days=20))
        for _ in range(3)
    ]
    to_expire = [EnrollmentFactory(remind_at=None, expires_at=now - timedelta(minutes=1)) for _ in range(3)]
    to_check = [EnrollmentFactory(status="in_review") for _ in range(3)]
    done = run_together(monkeypatch, tasks, "enrollments_checks_lost", tasks.enrollments_sweep)
    assert sum((Counter(d) for d in done), Counter()) == {"reminded": 3, "expired": 3, "checked": 3}
    events = Counter(Event.objects.values_list("kind", "object_id"))
    for enrollments, kind in (
        (to_remind, "reminder_sent"),
        (to_expire, "expired"),
        (to_check, "checks_completed"),
    ):
        for enrollment in enrollments:
            assert events[(kind, str(enrollment.pk))] == 1, (kind, enrollment)
    emailed = Counter(message.to[0] for message in mail.outbox)
    for enrollment in to_remind + to_expire:
        assert emailed[enrollment.partner.contact_email] == 1
