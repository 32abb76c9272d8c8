import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnercenter.core.fields import EncryptedJSONField


class NotificationQuerySet(models.QuerySet):
    def claimable(self, now):
        """Due to be sent: pending and its time has come, or claimed by a worker whose
        lease (``next_attempt_at``) lapsed: that worker died mid-send."""
        return self.filter(
            status__in=[Notification.Status.PENDING, Notification.Status.SENDING], next_attempt_at__lte=now
        )


class Notification(models.Model):
    """One email the program sends: rendered from ``templates/emails/<template>_*`` in
    ``language`` and sent exactly once by ``send_notification``.

    The context is encrypted because it may carry a link with a one-time token.
    """

    class Status(models.TextChoices):
        PENDING = "pending"  # waiting to be sent (first try or a retry)
        SENDING = "sending"  # claimed by one worker until next_attempt_at; then anyone may retry
        SENT = "sent"  # delivered to the mail backend (final)
        FAILED = "failed"  # gave up after NOTIFICATION_MAX_ATTEMPTS (final)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    idempotency_key = models.CharField(max_length=200, unique=True)
    template = models.CharField(max_length=100)
    recipient = models.EmailField()
    language = models.CharField(max_length=10)
    context = EncryptedJSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    subject = models.CharField(max_length=300, blank=True, help_text="As sent.")

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.template} to {self.recipient} ({self.status})"
