"""Thin tasks: take ids, reload, call a service. Multi-day waits are due_at-style
columns swept here every minute, never countdowns (HOUSE_STYLE 10)."""

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .models import EmailVerification
from .selectors import enrollments_due
from .services import checks, deadlines, direct_bill

logger = logging.getLogger(__name__)


@shared_task
def run_automated_checks(enrollment_id: str) -> bool:
    return checks.enrollment_checks_run(enrollment_id=enrollment_id)


@shared_task
def run_credit_check(enrollment_id: str) -> bool:
    """A direct-bill application's credit check (claimed once: twice runs it once)."""
    return direct_bill.enrollment_run_credit_check(enrollment_id=enrollment_id)


@shared_task
def enrollments_sweep() -> dict:
    """Reminders, expiries and checks whose task was lost. Each service claims its row,
    so two sweeps at once (or a sweep and a task) do each thing once."""
    done = {"expired": 0, "reminded": 0, "checked": 0, "credit_checked": 0}
    due = enrollments_due()
    for name, ids, service in (
        ("expired", due["expire"], deadlines.enrollment_expire),
        ("reminded", due["remind"], deadlines.enrollment_remind),
        ("checked", due["checks"], checks.enrollment_checks_run),
        ("credit_checked", due["credit_checks"], direct_bill.enrollment_run_credit_check),
    ):
        for enrollment_id in ids:
            try:
                done[name] += service(enrollment_id=enrollment_id)
            except Exception:  # one bad row must not stop the sweep; it is retried next time
                logger.exception("Sweep step %s failed for %s", name, enrollment_id)
    return done


@shared_task
def email_verifications_purge() -> int:
    """Nightly: forget the hashes of links that expired more than 90 days ago."""
    cutoff = timezone.now() - timedelta(days=90)
    deleted, _ = EmailVerification.objects.filter(expires_at__lt=cutoff, used_at__isnull=True).delete()
    return deleted
