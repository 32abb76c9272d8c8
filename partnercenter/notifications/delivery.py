"""Render and send one notification exactly once; retries and the sweep's due list.

Called by the tasks (``send_notification``, ``notifications_send_due``) and by the
development outbox (``render``)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template import Context, engines
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification

logger = logging.getLogger(__name__)

# A worker that died mid-send leaves a row in `sending`; after this long it is retried.
STALE_SENDING_AFTER = timedelta(minutes=15)


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
    """Send one notification exactly once. Returns True if this call sent it.

    The row is claimed with a conditional update (pending -> sending): of two workers
    holding the same task, only the one whose update changed a row sends.
    """
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, status=Notification.Status.PENDING, next_attempt_at__lte=now
    ).update(status=Notification.Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=now)
    if claimed != 1:
        return False
    notification = Notification.objects.get(pk=notification_id)
    try:
        subject, text, html = render(notification)
        message = EmailMultiAlternatives(
            subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[notification.recipient]
        )
        message.attach_alternative(html, "text/html")
        message.send()
    except Exception as exc:
        notification_failed(notification=notification, error=exc)
        raise
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.SENT, sent_at=timezone.now(), subject=subject[:300], last_error=""
    )
    return True


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
    """Ids of pending notifications whose time has come, and of stale claims (up to
    ``limit``, leaving out ``exclude``)."""
    now = timezone.now()
    Notification.objects.filter(
        status=Notification.Status.SENDING, next_attempt_at__lt=now - STALE_SENDING_AFTER
    ).update(status=Notification.Status.PENDING)
    return list(
        Notification.objects.filter(status=Notification.Status.PENDING, next_attempt_at__lte=now)
        .exclude(pk__in=list(exclude))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
