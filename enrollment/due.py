"""What the periodic sweep finds due beyond expiries and reminders (which the deadline
services claim in batches themselves): automated checks and credit checks whose task was
lost, for instance while the broker was down."""

from .models import DirectBillApplication, Enrollment, statuses_for


def enrollments_checks_lost(*, exclude=(), limit: int) -> list:
    """Ids of enrollments in review whose checks never started (their task was lost: the
    broker was down at the time), up to ``limit``, leaving out ``exclude``."""
    lost = Enrollment.objects.filter(status__in=statuses_for("run_checks"), checks_started_at__isnull=True)
    return list(lost.exclude(pk__in=list(exclude)).order_by("pk").values_list("pk", flat=True)[:limit])


def credit_checks_lost(*, exclude=(), limit: int) -> list:
    """Ids of direct-bill enrollments whose credit check is due but never ran (its task was
    lost), up to ``limit``, leaving out ``exclude``."""
    ready = DirectBillApplication.objects.ready_for_credit_check().exclude(enrollment_id__in=list(exclude))
    return list(ready.order_by("enrollment_id").values_list("enrollment_id", flat=True)[:limit])


def transitions_to_approve(*, exclude=(), limit: int) -> list:
    """Ids of transitions' enrollments in review whose checks ran but which no decision
    reached yet (the approval task was lost, or a check waits for a person: the service
    approves only when it may), up to ``limit``, leaving out ``exclude``."""
    waiting = Enrollment.objects.filter(
        status__in=statuses_for("approve"), checks_started_at__isnull=False, indirect_transition__isnull=False
    )
    return list(waiting.exclude(pk__in=list(exclude)).order_by("pk").values_list("pk", flat=True)[:limit])
