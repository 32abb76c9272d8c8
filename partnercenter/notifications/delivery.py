"""Render and send notifications exactly once, a batch at a time; retries and the sweep's
due list.

Called by the tasks (``send_notification``, ``notifications_send_due``) and by the
development outbox (``render``)."""

import logging
import time
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection
from django.db.models import Case, F, Value, When
from django.template import Context, engines
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification

logger = logging.getLogger(__name__)

# A claim is a lease: a row in `sending` belongs to the worker that claimed it until its
# next_attempt_at, CLAIM_LEASE later. A worker killed mid-send leaves the row there; when
# the lease lapses the sweep (every NOTIFICATION_SWEEP_SECONDS) or the task the broker
# redelivers claims it again, so a lost send goes out within CLAIM_LEASE plus one sweep
# interval (under two minutes). The lease is longer than a send may take: every SMTP step
# gives up after EMAIL_TIMEOUT, and a resend carries the same Message-ID.
CLAIM_LEASE = timedelta(seconds=60)
# Notifications claimed, read and marked sent together: a worker's task, a step of the sweep.
BATCH = 100


def batches(ids: list) -> list[list]:
    return [ids[i : i + BATCH] for i in range(0, len(ids), BATCH)]


def _render_plain(name: str, context: dict) -> str:
    # Plain text is not HTML: "O'Brien" must not become "O&#x27;Brien" in a subject or body.
    template = engines["django"].get_template(name).template
    return template.render(Context(context, autoescape=False))


def render(notification: Notification) -> tuple[str, str, str]:
    context = {**notification.context, "site_url": settings.SITE_URL}
    with translation.override(notification.language):
        subject = _render_plain(f"emails/{notification.template}_subject.txt", context)
        text = _render_plain(f"emails/{notification.template}_body.txt", context)
        html = render_to_string(f"emails/{notification.template}_body.html", context)
    return " ".join(subject.split()), text, html


def notification_send(*, notification_id) -> bool:
    """Send one notification exactly once. Returns True if this call sent it (a batch of
    one: ``notifications_send``)."""
    return notifications_send(notification_ids=[notification_id]) == 1


def notifications_send(*, notification_ids) -> int:
    """Send a batch of notifications, each exactly once; returns how many this call sent.

    One UPDATE ... RETURNING claims every row of the batch that is claimable (due -> sending
    until the lease lapses): of two workers holding the same ids, each row goes to the one
    whose update changed it, and only that one sends it. The claimed rows are read in one
    query, sent over one open connection of the mail backend, and marked sent in one UPDATE.
    A failed send goes back to pending on its own (``notification_failed``); the others go
    on. No send starts once the lease is nearly spent (``send_budget``): what is left goes
    back to pending, due at once. A worker killed mid-batch leaves its rows claimed until
    the lease lapses, as for one send (see ``CLAIM_LEASE``)."""
    started, claimed = time.monotonic(), _claim(notification_ids, timezone.now())
    if not claimed:
        return 0
    notifications = list(Notification.objects.filter(pk__in=claimed).order_by("next_attempt_at", "pk"))
    sent, failed = {}, set()
    try:
        with get_connection() as backend:
            for notification in notifications:
                if time.monotonic() - started > send_budget().total_seconds():
                    break
                try:
                    sent[notification.pk] = _send(notification, backend)
                except Exception as exc:
                    failed.add(notification.pk)
                    logger.exception("Sending notification %s failed; it will be retried", notification.pk)
                    notification_failed(notification=notification, error=exc)
    except Exception as exc:  # the backend would not open (or close): none of the rest went out
        for notification in notifications:
            if notification.pk not in sent and notification.pk not in failed:
                failed.add(notification.pk)
                notification_failed(notification=notification, error=exc)
        logger.exception("The mail backend failed; %s notifications will be retried", len(notifications))
    finally:  # even when the worker is being stopped: what went out is marked sent
        _mark_sent(sent)
    _release([n.pk for n in notifications if n.pk not in sent and n.pk not in failed])
    return len(sent)


def send_budget() -> timedelta:
    """How long a batch may go on starting sends: a send that starts within it ends (every
    SMTP step gives up after EMAIL_TIMEOUT; three of them) before its claim's lease lapses."""
    return CLAIM_LEASE - 3 * timedelta(seconds=settings.EMAIL_TIMEOUT)


def _claim(notification_ids, now) -> list:
    """One conditional UPDATE ... RETURNING: the ids of the rows this call now holds."""
    if not notification_ids:
        return []
    pk = Notification._meta.pk
    ids = [pk.get_db_prep_value(pk.to_python(i), connection) for i in notification_ids]
    stamp = Notification._meta.get_field("next_attempt_at")
    table, q = Notification._meta.db_table, connection.ops.quote_name
    sql = (
        f"UPDATE {q(table)} SET {q('status')} = %s, {q('attempts')} = {q('attempts')} + 1,"  # noqa: S608 - names are ours, values parameters
        f" {q('next_attempt_at')} = %s WHERE {q('id')} IN ({', '.join(['%s'] * len(ids))})"
        f" AND {q('status')} IN (%s, %s) AND {q('next_attempt_at')} <= %s RETURNING {q('id')}"
    )
    params = [
        Notification.Status.SENDING,
        stamp.get_db_prep_value(now + CLAIM_LEASE, connection),
        *ids,
        Notification.Status.PENDING,
        Notification.Status.SENDING,
        stamp.get_db_prep_value(now, connection),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [pk.to_python(row[0]) for row in cursor.fetchall()]


def _send(notification: Notification, backend) -> str:
    """Send one claimed notification over ``backend``; returns its subject."""
    subject, text, html = render(notification)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers={"Message-ID": message_id(notification)},
        connection=backend,
    )
    message.attach_alternative(html, "text/html")
    message.send()
    return subject


def _mark_sent(sent: dict) -> None:
    """One UPDATE for the batch: sent, with each one's subject."""
    if sent:
        Notification.objects.filter(pk__in=list(sent)).update(
            status=Notification.Status.SENT,
            sent_at=timezone.now(),
            subject=Case(*[When(pk=pk, then=Value(subject[:300])) for pk, subject in sent.items()]),
            last_error="",
        )


def _release(notification_ids: list) -> None:
    """Claimed but not tried (the batch ran out of time): pending again and due at once,
    the attempt not counted."""
    if notification_ids:
        Notification.objects.filter(pk__in=notification_ids, status=Notification.Status.SENDING).update(
            status=Notification.Status.PENDING, attempts=F("attempts") - 1, next_attempt_at=timezone.now()
        )


def message_id(notification: Notification) -> str:
    """The same Message-ID every time this notification is sent: a resend after a lost
    worker is recognisably the same message (RFC 5322 3.6.4), never a new one."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<notification.{notification.pk}@{domain}>"


def notification_failed(*, notification: Notification, error: Exception) -> None:
    """Back to pending with a growing delay, or failed for good after the last attempt."""
    if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        status, next_at = Notification.Status.FAILED, notification.next_attempt_at
        logger.error("Notification %s failed for good: %s", notification.pk, error)
    else:
        status = Notification.Status.PENDING
        next_at = timezone.now() + timedelta(minutes=2**notification.attempts)
    Notification.objects.filter(pk=notification.pk, status=Notification.Status.SENDING).update(
        status=status, next_attempt_at=next_at, last_error=repr(error)[:2000]
    )


def notifications_due(*, exclude=(), limit: int = 500) -> list:
    """Ids of pending notifications whose time has come, and of claims that lapsed (up to
    ``limit``, leaving out ``exclude``)."""
    return list(
        Notification.objects.claimable(timezone.now())
        .exclude(pk__in=list(exclude))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
