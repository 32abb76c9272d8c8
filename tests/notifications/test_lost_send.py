"""A worker killed mid-send: the email still goes out within two minutes (not after a
quarter of an hour), once, and a resend carries the same Message-ID."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone

from partnercenter.notifications import delivery, tasks
from partnercenter.notifications.models import Notification
from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

TWO_MINUTES = timedelta(minutes=2)


class WorkerKilled(BaseException):  # noqa: N818 - what SIGKILL looks like from inside the send
    """Nothing after it runs: no failure is recorded, the row stays claimed."""


def sweep_interval() -> timedelta:
    return timedelta(seconds=settings.CELERY_BEAT_SCHEDULE["notifications-send-due"]["schedule"])


def killed_mid_send(monkeypatch, notification, at) -> str:
    """The worker dies inside the send; returns the Message-ID of the message it was sending."""
    lost = []

    def kill(self, *args, **kwargs):
        lost.append(self.message()["Message-ID"])
        raise WorkerKilled

    with monkeypatch.context() as patched, time_machine.travel(at, tick=False):
        patched.setattr(mail.EmailMultiAlternatives, "send", kill)
        with pytest.raises(WorkerKilled):
            tasks.send_notification(str(notification.pk))
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sending", 1)
    return lost[0]


def test_the_lease_and_the_sweep_bring_a_lost_send_back_within_two_minutes():
    assert delivery.CLAIM_LEASE + sweep_interval() <= TWO_MINUTES
    # A send that is still talking to the SMTP server is not taken from its worker.
    assert timedelta(seconds=settings.EMAIL_TIMEOUT) * 3 < delivery.CLAIM_LEASE


def test_a_send_lost_with_its_worker_is_sent_by_the_first_sweep_after_the_lease(monkeypatch):
    notification = NotificationFactory()
    start = timezone.now()
    killed_mid_send(monkeypatch, notification, start)
    # Within the lease the send still belongs to its worker: nobody else sends it.
    with time_machine.travel(start + delivery.CLAIM_LEASE - timedelta(seconds=1), tick=False):
        assert tasks.notifications_send_due() == 0
        assert tasks.send_notification(str(notification.pk)) is False
    assert mail.outbox == []
    # The lease lapsed: the next sweep, at most one interval later, sends it.
    with time_machine.travel(start + delivery.CLAIM_LEASE + timedelta(seconds=1), tick=False):
        assert tasks.notifications_send_due() == 1
        assert tasks.notifications_send_due() == 0
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 2)
    assert notification.sent_at - start < TWO_MINUTES
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        assert tasks.notifications_send_due() == 0
        assert tasks.send_notification(str(notification.pk)) is False
    assert len(mail.outbox) == 1


def test_the_task_the_broker_redelivers_sends_it_too_and_only_once(monkeypatch):
    notification = NotificationFactory()
    start = timezone.now()
    killed_mid_send(monkeypatch, notification, start)
    redelivered = start + timedelta(seconds=settings.TASK_REDELIVERY_SECONDS)
    assert redelivered - start <= TWO_MINUTES
    with time_machine.travel(redelivered, tick=False):
        assert tasks.send_notification(str(notification.pk)) is True
        # The sweep of the same moment finds nothing left to do.
        assert tasks.notifications_send_due() == 0
    assert len(mail.outbox) == 1


def test_the_resend_carries_the_message_id_of_the_lost_send(monkeypatch):
    notification = NotificationFactory()
    start = timezone.now()
    lost = killed_mid_send(monkeypatch, notification, start)
    with time_machine.travel(start + TWO_MINUTES, tick=False):
        assert tasks.notifications_send_due() == 1
    assert lost == f"<notification.{notification.pk}@testserver>"
    assert [message.message()["Message-ID"] for message in mail.outbox] == [lost]


def test_the_message_id_is_the_notifications_id_at_the_sites_domain(settings):
    settings.SITE_URL = "https://partners.example.com:8443"
    first, second = NotificationFactory(), NotificationFactory()
    assert tasks.send_notification(str(first.pk)) is True
    assert tasks.send_notification(str(second.pk)) is True
    assert [message.message()["Message-ID"] for message in mail.outbox] == [
        f"<notification.{first.pk}@partners.example.com>",
        f"<notification.{second.pk}@partners.example.com>",
    ]
    assert (
        delivery.message_id(Notification.objects.get(pk=first.pk))
        == mail.outbox[0].extra_headers["Message-ID"]
    )
