"""Thin tasks: take ids, call the service.

Retries are the sweep's job: a failed send puts the row back to pending with a growing
delay (``delivery.notification_failed``), and ``notifications_send_due`` picks it up when due,
up to ``NOTIFICATION_MAX_ATTEMPTS``. So the task itself never retries.
"""

import logging
import time

from celery import shared_task
from django.conf import settings

from . import delivery

logger = logging.getLogger(__name__)


@shared_task
def send_notification(notification_id: str) -> bool:
    try:
        return delivery.notification_send(notification_id=notification_id)
    except Exception:
        logger.exception("Sending notification %s failed; it will be retried", notification_id)
        return False


@shared_task
def send_notifications(notification_ids: list[str]) -> int:
    """A batch (``delivery.BATCH`` at most): claimed in one query, marked sent in one."""
    try:
        return delivery.notifications_send(notification_ids=notification_ids)
    except Exception:
        logger.exception("Sending %s notifications failed; they will be retried", len(notification_ids))
        return 0


@shared_task
def notifications_send_due() -> int:
    """Every minute: send what is due (the broker was down, an earlier failure, a stale
    claim), batch after batch until nothing is due or ``SWEEP_SECONDS`` have passed: no cap
    per run, so a backlog is not spread over many runs. Each row is tried once a run."""
    deadline = time.monotonic() + settings.SWEEP_SECONDS
    sent, seen = 0, set()
    while time.monotonic() < deadline and (ids := delivery.notifications_due(exclude=seen)):
        seen.update(ids)
        sent += sum(send_notifications([str(pk) for pk in batch]) for batch in delivery.batches(ids))
    return sent
