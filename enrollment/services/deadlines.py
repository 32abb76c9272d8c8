"""The waits of email ownership, swept by beat (``tasks.enrollments_sweep``): one reminder
after one business day, and the end of an application whose primary contact never
confirmed, after ENROLLMENT_EXPIRY_DAYS. Each claims its rows, so a sweep that runs twice
(or a sweep and a resend at once) does each thing once (HOUSE_STYLE 9).

The sweep moves a batch at a time in a constant number of queries (issue 12: a backlog of
10,000 took ten beat runs at 11 queries a row): the due rows are locked with ``SKIP
LOCKED`` (a second sweep takes the next ones instead of waiting), re-checked under the
lock, moved in one update, and each still gets its one audit row and its one email (the
rows and the notifications inserted in one statement each). The one-row services are the
same code with a batch of one."""

from django.db import transaction
from django.utils import timezone

from partnercenter.audit.services import record_events
from partnercenter.notifications.services import notifications_queue

from .. import events
from ..models import MOVES, EmailVerification, Enrollment, statuses_for
from .common import contact_email, event_of
from .links import issue_email_verifications

# How many rows one batch locks and moves.
BATCH = 500


def _due_to_remind(now):
    return Enrollment.objects.filter(
        status__in=statuses_for("remind"),
        remind_at__lte=now,
        reminder_sent_at__isnull=True,
        expires_at__gt=now,
    )


def _due_to_expire(now):
    return Enrollment.objects.filter(status__in=statuses_for("expire"), expires_at__lte=now)


def _lock(due, ids, limit) -> list[Enrollment]:
    """The due rows (of ``ids`` if given), locked; rows another sweep holds are skipped."""
    if ids is not None:
        due = due.filter(pk__in=ids)
    return list(
        due.select_for_update(skip_locked=True, of=("self",)).select_related("partner").order_by("pk")[:limit]
    )


def enrollments_remind(*, ids=None, limit: int = BATCH) -> int:
    """One reminder to each primary contact who has not confirmed after one business day
    (of ``ids``, or up to ``limit`` of the due), with a fresh link (the earlier one stops
    working). Returns how many this call reminded."""
    now = timezone.now()
    with transaction.atomic():
        enrollments = _lock(_due_to_remind(now), ids, limit)
        if not enrollments:
            return 0
        Enrollment.objects.filter(pk__in=[e.pk for e in enrollments]).update(reminder_sent_at=now)
        issue_email_verifications(enrollments, template="enrollment_reminder")
        record_events([event_of(e, events.REMINDER_SENT, email=e.partner.contact_email) for e in enrollments])
    return len(enrollments)


def enrollments_expire(*, ids=None, limit: int = BATCH) -> int:
    """The applications whose primary contact never confirmed end (of ``ids``, or up to
    ``limit`` of the due), each with an email. Returns how many this call ended."""
    now = timezone.now()
    with transaction.atomic():
        enrollments = [e for e in _lock(_due_to_expire(now), ids, limit) if e.can("expire")]
        if not enrollments:
            return 0
        ids = [e.pk for e in enrollments]
        target = MOVES["expire"].target
        Enrollment.objects.filter(pk__in=ids).update(
            status=target, decided_at=now, due_at=None, updated_at=now
        )
        EmailVerification.objects.filter(
            enrollment__in=ids, used_at__isnull=True, superseded_at__isnull=True
        ).update(superseded_at=now)
        moved = []
        for enrollment in enrollments:
            old, enrollment.status = enrollment.status, target
            moved.append(event_of(enrollment, events.EXPIRED, from_status=old))
        record_events(moved)
        notifications_queue(
            [contact_email(e, "enrollment_expired", key=f"enrollment:{e.pk}:expired") for e in enrollments]
        )
    return len(enrollments)


def enrollment_remind(*, enrollment_id) -> bool:
    """The reminder of one enrollment (``enrollments_remind``). True if this call sent it."""
    return enrollments_remind(ids=[enrollment_id]) == 1


def enrollment_expire(*, enrollment_id) -> bool:
    """The end of one application (``enrollments_expire``). True if this call ended it."""
    return enrollments_expire(ids=[enrollment_id]) == 1
