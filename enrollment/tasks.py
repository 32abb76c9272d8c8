"""Thin tasks: take ids, reload, call a service. Multi-day waits are due_at-style
columns swept here every minute, never countdowns (HOUSE_STYLE 10)."""

import logging
import time
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import status_counts
from .due import credit_checks_lost, enrollments_checks_lost, transitions_to_approve
from .models import EmailVerification
from .services import checks, deadlines, direct_bill, incentives, transition_approval

logger = logging.getLogger(__name__)


@shared_task
def run_automated_checks(enrollment_id: str) -> bool:
    return checks.enrollment_checks_run(enrollment_id=enrollment_id)


@shared_task
def run_credit_check(enrollment_id: str) -> bool:
    """A direct-bill application's credit check (claimed once: twice runs it once)."""
    return direct_bill.enrollment_run_credit_check(enrollment_id=enrollment_id)


@shared_task
def run_transition_checks(enrollment_id: str) -> bool:
    """A transition's enrollment: its automated checks, then its approval at once when
    they pass (each claimed or re-checked: twice does each once)."""
    checks.enrollment_checks_run(enrollment_id=enrollment_id)
    return transition_approval.transition_auto_approve(enrollment_id=enrollment_id)


@shared_task
def enrollments_sweep() -> dict:
    """Expiries, reminders and checks whose task was lost, batch after batch until nothing
    is due or ``SWEEP_SECONDS`` have passed (no cap per run: a backlog clears in one run, and
    a run never outlasts the beat interval by much). Each batch claims its rows, so two
    sweeps at once (or a sweep and a task) do each thing once."""
    deadline = time.monotonic() + settings.SWEEP_SECONDS
    try:  # the status counts' rows since the last run, folded into one a status
        status_counts.compact()
    except Exception:
        logger.exception("Compacting the status counts failed; the next sweep will")
    done = {
        "expired": 0,
        "reminded": 0,
        "checked": 0,
        "credit_checked": 0,
        "transition_approved": 0,
        "incentives_invited": 0,
    }
    for name, service in (
        ("expired", deadlines.enrollments_expire),
        ("reminded", deadlines.enrollments_remind),
        ("incentives_invited", incentives.incentives_invitations_send),  # after the transition
    ):
        while time.monotonic() < deadline:
            try:
                moved = service(limit=deadlines.BATCH)
            except Exception:  # a bad batch must not stop the sweep; it is retried next time
                logger.exception("Sweep step %s failed", name)
                break
            done[name] += moved
            if moved < deadlines.BATCH:
                break
    for name, lost, service in (
        ("checked", enrollments_checks_lost, checks.enrollment_checks_run),
        ("credit_checked", credit_checks_lost, direct_bill.enrollment_run_credit_check),
        ("transition_approved", transitions_to_approve, transition_approval.transition_auto_approve),
    ):
        seen: set = set()  # a row is tried once per run, so a failing one cannot hold the loop
        while time.monotonic() < deadline and (ids := lost(exclude=seen, limit=deadlines.BATCH)):
            seen.update(ids)
            for enrollment_id in ids:
                try:
                    done[name] += bool(service(enrollment_id=enrollment_id))
                except Exception:  # one bad row must not stop the sweep; it is retried next time
                    logger.exception("Sweep step %s failed for %s", name, enrollment_id)
    return done


@shared_task
def email_verifications_purge() -> int:
    """Nightly: forget the hashes of links that expired more than 90 days ago."""
    cutoff = timezone.now() - timedelta(days=90)
    deleted, _ = EmailVerification.objects.filter(expires_at__lt=cutoff, used_at__isnull=True).delete()
    return deleted
