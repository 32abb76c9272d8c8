"""A batch of notifications: claimed in one query, sent over one connection, marked sent in
one query; each email still goes out exactly once, under two senders at once too, and the
claim stays a lease (issue 12: two autocommit UPDATEs per email made a worker send 61/s)."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnercenter.notifications import delivery, services, tasks
from partnercenter.notifications.models import Notification
from tests.factories import NotificationFactory


def notifications(n: int) -> list[str]:
    return [str(x.pk) for x in NotificationFactory.create_batch(n, recipient="contact@partner.de")]


@pytest.mark.django_db(transaction=True)
def test_two_senders_of_overlapping_batches_send_each_email_once(monkeypatch):
    ids = notifications(30)
    # Both claim at the same moment: the first 20 and the last 20, ten of them in both.
    batches, barrier, real = [ids[:20], ids[10:]], threading.Barrier(2, timeout=30), delivery._claim

    def claim_together(*args, **kwargs):
        barrier.wait()
        return real(*args, **kwargs)

    monkeypatch.setattr(delivery, "_claim", claim_together)
    results, errors = [], []

    def send(batch):
        try:
            results.append(delivery.notifications_send(notification_ids=batch))
        except Exception as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sum(results) == 30
    assert sorted(str(m.extra_headers["Message-ID"]) for m in mail.outbox) == sorted(
        f"<notification.{pk}@testserver>" for pk in ids
    )
    assert set(Notification.objects.values_list("status", "attempts")) == {("sent", 1)}
    monkeypatch.undo()
    # Sent already: a third sender, or the task the broker redelivers, sends nothing.
    assert delivery.notifications_send(notification_ids=ids) == 0
    assert len(mail.outbox) == 30


@pytest.mark.django_db
def test_a_batch_costs_the_same_queries_at_any_size():
    def queries(n: int) -> int:
        ids = notifications(n)
        with CaptureQueriesContext(connection) as captured:
            assert delivery.notifications_send(notification_ids=ids) == n
        return len(captured)

    assert queries(2) == queries(40) == 3  # claim, read, mark sent
    assert Notification.objects.filter(status="sent", sent_at__isnull=False).count() == 42
    assert set(Notification.objects.values_list("subject", flat=True)) == {m.subject for m in mail.outbox}


@pytest.mark.django_db
def test_a_failed_email_goes_back_to_pending_and_the_rest_of_the_batch_goes_out(monkeypatch):
    ids = notifications(3)
    real_send = mail.EmailMultiAlternatives.send

    def second_fails(self, *args, **kwargs):
        if self.extra_headers["Message-ID"] == f"<notification.{ids[1]}@testserver>":
            raise ConnectionRefusedError("SMTP down")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", second_fails)
    assert tasks.send_notifications(ids) == 2
    rows = {str(n.pk): n for n in Notification.objects.all()}
    assert [(rows[pk].status, rows[pk].attempts) for pk in ids] == [("sent", 1), ("pending", 1), ("sent", 1)]
    assert "SMTP down" in rows[ids[1]].last_error
    assert rows[ids[1]].next_attempt_at > timezone.now()  # retried later, by the sweep
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_the_mail_backend_down_puts_the_whole_batch_back_for_a_retry(monkeypatch):
    ids = notifications(3)

    def down(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.open", down)
    assert tasks.send_notifications(ids) == 0
    assert set(Notification.objects.values_list("status", "attempts")) == {("pending", 1)}
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_batch_that_runs_out_of_lease_starts_no_send_and_gives_the_rest_back(monkeypatch):
    ids = notifications(3)
    assert delivery.send_budget() > timedelta(0)
    monkeypatch.setattr(delivery, "send_budget", lambda: timedelta(seconds=-1))
    assert tasks.send_notifications(ids) == 0
    assert mail.outbox == []
    # Not tried: pending again, due now, the attempt not counted; the sweep sends them.
    assert set(Notification.objects.values_list("status", "attempts")) == {("pending", 0)}
    assert not Notification.objects.filter(next_attempt_at__gt=timezone.now()).exists()
    monkeypatch.undo()
    assert tasks.notifications_send_due() == 3
    assert set(Notification.objects.values_list("status", "attempts")) == {("sent", 1)}


class WorkerStopped(BaseException):  # noqa: N818 - a warm shutdown reaching into the send
    """Nothing after it runs but the batch's ``finally``."""


@pytest.mark.django_db
def test_a_worker_stopped_mid_batch_marks_what_went_out_and_keeps_the_rest_leased(monkeypatch):
    ids = notifications(3)
    real_send = mail.EmailMultiAlternatives.send
    sends = []

    def third_stops(self, *args, **kwargs):
        sends.append(self)
        if len(sends) == 3:
            raise WorkerStopped
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", third_stops)
    with pytest.raises(WorkerStopped):
        tasks.send_notifications(ids)
    statuses = sorted(Notification.objects.values_list("status", flat=True))
    assert statuses == ["sending", "sent", "sent"]
    # The unfinished one is its worker's until the lease lapses, then anyone's.
    monkeypatch.undo()
    assert tasks.notifications_send_due() == 0
    with time_machine.travel(timezone.now() + delivery.CLAIM_LEASE + timedelta(seconds=1)):
        assert tasks.notifications_send_due() == 1
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_a_batch_queued_together_is_sent_a_task_per_batch(monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(delivery, "BATCH", 4)
    tasks_sent = []
    monkeypatch.setattr(tasks.send_notifications, "delay", tasks_sent.append)
    emails = [
        {
            "template": "enrollment_withdrawn",
            "recipient": f"contact{n}@partner.de",
            "language": "en",
            "context": {"first_name": "Jonas", "legal_name": "Fabrikam", "program": "indirect_reseller"},
            "key": f"batch:{n}",
        }
        for n in range(10)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        created = services.notifications_queue(emails)
    assert [len(batch) for batch in tasks_sent] == [4, 4, 2]
    assert sorted(pk for batch in tasks_sent for pk in batch) == sorted(str(n.pk) for n in created)
    assert sum(tasks.send_notifications(batch) for batch in tasks_sent) == 10
    assert len(mail.outbox) == 10
