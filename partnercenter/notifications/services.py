"""Queue an email: every email goes through one ``Notification`` row, sent after commit by
``tasks.send_notification`` (which calls ``delivery``)."""

import logging

from django.db import transaction

from .delivery import batches
from .models import Notification
from .tasks import send_notification, send_notifications

logger = logging.getLogger(__name__)


def notification_queue(
    *, template: str, recipient: str, language: str, context: dict, key: str
) -> Notification:
    """Record an email and send it after the surrounding transaction commits.

    ``key`` makes it idempotent: queuing the same key twice records and sends one email.
    If the broker is down the row stays pending and the periodic sweep sends it later.
    """
    notification, created = Notification.objects.get_or_create(
        idempotency_key=key,
        defaults={"template": template, "recipient": recipient, "language": language, "context": context},
    )
    if created:
        transaction.on_commit(lambda: _enqueue(notification.pk))
    return notification


def notifications_queue(emails: list[dict]) -> list[Notification]:
    """``notification_queue`` for a batch (the sweep): each of ``emails`` holds the same
    keyword arguments. One query finds the keys already recorded, one inserts the others;
    the new ones are sent after commit, a task per batch (``delivery.BATCH``), so every key
    is still recorded and sent once."""
    keys = [email["key"] for email in emails]
    known = set(
        Notification.objects.filter(idempotency_key__in=keys).values_list("idempotency_key", flat=True)
    )
    new = {}  # a key twice in the batch is one email
    for email in emails:
        if email["key"] not in known:
            new.setdefault(
                email["key"],
                Notification(
                    idempotency_key=email["key"],
                    template=email["template"],
                    recipient=email["recipient"],
                    language=email["language"],
                    context=email["context"],
                ),
            )
    created = Notification.objects.bulk_create(list(new.values()))
    ids = [str(notification.pk) for notification in created]
    transaction.on_commit(lambda: [_enqueue_batch(batch) for batch in batches(ids)])
    return created


def _enqueue_batch(notification_ids: list[str]) -> None:
    """One task for a batch: the worker claims and marks them sent in one query each."""
    try:
        send_notifications.delay(notification_ids)
    except Exception:  # the broker is unreachable: the sweep will pick the rows up
        logger.exception(
            "Could not enqueue %s notifications; the sweep will send them", len(notification_ids)
        )


def _enqueue(notification_id) -> None:
    try:
        send_notification.delay(str(notification_id))
    except Exception:  # the broker is unreachable: the sweep will pick the row up
        logger.exception("Could not enqueue notification %s; the sweep will send it", notification_id)
