"""Thin tasks: take ids, call the service.

Retries are the sweep's job: a failed send puts the row back to pending with a growing
delay (``delivery.notification_failed``), and ``notifications_send_due`` picks it up when due,
up to ``NOTIFICATION_MAX_ATTEMPTS``. So the task itself never retries.
"""

import logging

from celery import shared_task

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
def notifications_send_due() -> int:
    """Every minute: send what is due (the broker was down, an earlier failure, a stale claim)."""
    return sum(send_notification(str(notification_id)) for notification_id in delivery.notifications_due())
