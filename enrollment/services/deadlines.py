"""The waits of email ownership, swept by beat (``tasks.enrollments_sweep``): one reminder
after one business day, and the end of an application whose primary contact never
confirmed, after ENROLLMENT_EXPIRY_DAYS. Each claims its row, so a sweep that runs twice
(or a sweep and a resend at once) does each thing once (HOUSE_STYLE 9)."""

from django.db import transaction
from django.utils import timezone

from .. import events
from ..models import Enrollment, statuses_for
from .common import lock, move, notify_contact, record
from .links import issue_email_verification, supersede_links


def enrollment_remind(*, enrollment_id) -> bool:
    """One reminder to a primary contact who has not confirmed after one business day,
    with a fresh link (the earlier one stops working). True if this call sent it."""
    now = timezone.now()
    with transaction.atomic():
        claimed = Enrollment.objects.filter(
            pk=enrollment_id,
            status__in=statuses_for("remind"),
            remind_at__lte=now,
            reminder_sent_at__isnull=True,
        ).update(reminder_sent_at=now)
        if claimed != 1:
            return False
        enrollment = lock(Enrollment(pk=enrollment_id))
        issue_email_verification(enrollment, template="enrollment_reminder")
        record(enrollment, events.REMINDER_SENT, email=enrollment.partner.contact_email)
    return True


def enrollment_expire(*, enrollment_id) -> bool:
    """An application whose primary contact never confirmed ends, with an email. True if
    this call ended it."""
    now = timezone.now()
    with transaction.atomic():
        enrollment = (
            Enrollment.objects.select_for_update().select_related("partner").filter(pk=enrollment_id).first()
        )
        if (
            enrollment is None
            or not enrollment.can("expire")
            or enrollment.expires_at is None
            or enrollment.expires_at > now
        ):
            return False
        move(enrollment, "expire", kind=events.EXPIRED, decided_at=now, due_at=None)
        supersede_links(enrollment, now)
        notify_contact(enrollment, "enrollment_expired", key=f"enrollment:{enrollment.pk}:expired")
    return True
