"""Integration: a real Celery worker on Redis sends the email queued after commit."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from enrollment.services.application import enrollment_submit
from partnercenter.celery import app
from partnercenter.notifications.models import Notification

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_worker(settings):
    app.conf.task_always_eager = False
    app.conf.broker_url = settings.REDIS_URL
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.task_always_eager = True


def wait_for(predicate, seconds=15.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_worker_sends_the_verification_email_once(real_worker, admin, application):
    enrollment = enrollment_submit(actor=admin, application=application)
    assert wait_for(lambda: len(mail.outbox) == 1), "the worker did not send the email"
    assert mail.outbox[0].to == [enrollment.partner.contact_email]
    assert wait_for(lambda: Notification.objects.filter(status="sent").count() == 1)
    time.sleep(0.5)
    assert len(mail.outbox) == 1
