"""Every email goes through one Notification row and is sent exactly once, later if not now."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone

from partnercenter.notifications import services, tasks
from partnercenter.notifications.models import Notification
from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def queue(key="k1", **extra):
    return services.notification_queue(
        template="enrollment_withdrawn",
        recipient="jonas@fabrikam.de",
        language=extra.pop("language", "en"),
        context={
            "first_name": "Jonas",
            "legal_name": "Fabrikam",
            "program": "indirect_reseller",
            "status_url": "http://x/",
        },
        key=key,
    )


def test_same_key_is_one_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue()
        second = queue()
    assert first.pk == second.pk
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_task_running_twice_sends_once():
    notification = NotificationFactory()
    assert tasks.send_notification(str(notification.pk)) is True
    assert tasks.send_notification(str(notification.pk)) is False
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.status == "sent" and notification.attempts == 1 and notification.sent_at


def test_rendered_in_the_recipients_language():
    notification = NotificationFactory(language="ru")
    tasks.send_notification(str(notification.pk))
    message = mail.outbox[0]
    assert message.subject != "Your CSP application was withdrawn"
    assert message.alternatives[0][1] == "text/html"


def test_failure_is_retried_later_by_the_sweep_exactly_once(monkeypatch):
    notification = NotificationFactory()
    calls = {"n": 0}
    real_send = mail.EmailMultiAlternatives.send

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionRefusedError("SMTP down")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", flaky)
    assert tasks.send_notification(str(notification.pk)) is False
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("pending", 1)
    assert "SMTP down" in notification.last_error
    assert tasks.notifications_send_due() == 0  # not due yet: it waits
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert tasks.notifications_send_due() == 1
        assert tasks.notifications_send_due() == 0
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.status == "sent"


def test_gives_up_after_the_max_attempts(monkeypatch, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    notification = NotificationFactory()
    monkeypatch.setattr(
        mail.EmailMultiAlternatives, "send", lambda self, *a, **k: (_ for _ in ()).throw(OSError("x"))
    )
    tasks.send_notification(str(notification.pk))
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        tasks.notifications_send_due()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("failed", 2)
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert tasks.notifications_send_due() == 0


def test_broker_down_at_commit_does_not_lose_the_email(monkeypatch, django_capture_on_commit_callbacks):
    def broker_down(*args, **kwargs):
        raise ConnectionError("redis unreachable")

    monkeypatch.setattr(tasks.send_notification, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        queue()
    assert mail.outbox == []
    assert Notification.objects.get().status == "pending"
    monkeypatch.undo()
    assert tasks.notifications_send_due() == 1
    assert len(mail.outbox) == 1


def test_context_is_encrypted_at_rest():
    NotificationFactory(context={"verify_url": "http://x/verify-email/SECRET-TOKEN/"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT context FROM notifications_notification")
        (raw,) = cursor.fetchone()
    assert "SECRET-TOKEN" not in raw
    assert Notification.objects.get().context["verify_url"].endswith("SECRET-TOKEN/")


def test_plain_text_is_not_html_escaped_but_html_is():
    notification = NotificationFactory(
        context={
            "first_name": "Seán O'Brien <b>",
            "legal_name": "Smith & Sons",
            "program": "indirect_reseller",
            "status_url": "http://x/",
        }
    )
    tasks.send_notification(str(notification.pk))
    message = mail.outbox[0]
    assert "Seán O'Brien <b>" in message.body and "Smith & Sons" in message.body
    html = message.alternatives[0][0]
    assert "O&#x27;Brien &lt;b&gt;" in html and "Smith &amp; Sons" in html
