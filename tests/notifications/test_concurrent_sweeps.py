"""Two beats at once (two sweeps of due notifications in two processes, each with its own
database connection): every email goes out once."""

import threading

import pytest
from django.core import mail
from django.db import connection

from partnercenter.notifications import delivery, tasks
from partnercenter.notifications.models import Notification
from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(monkeypatch, module, name, sweep, count=2) -> list:
    """Run ``sweep`` in ``count`` threads that each read their due list (``module.name``)
    before any of them acts on it: the worst overlap two beats could produce."""
    barrier = threading.Barrier(count, timeout=30)
    real = getattr(module, name)

    def due_then_wait(*args, **kwargs):
        found = real(*args, **kwargs)
        barrier.wait()
        return found

    monkeypatch.setattr(module, name, due_then_wait)
    results, errors = [], []

    def run():
        try:
            results.append(sweep())
        except Exception as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(results) == count
    return results


def test_two_sweeps_at_once_send_each_due_email_once(monkeypatch):
    notifications = [NotificationFactory(recipient=f"contact{n}@partner.de") for n in range(12)]
    sent = run_together(monkeypatch, delivery, "notifications_due", tasks.notifications_send_due)
    assert sum(sent) == 12
    assert sorted(m.to[0] for m in mail.outbox) == sorted(n.recipient for n in notifications)
    assert set(Notification.objects.values_list("status", "attempts")) == {("sent", 1)}
