"""Thin tasks of commerce: take ids or dates, call a service (HOUSE_STYLE 8)."""

import logging

from celery import shared_task
from django.utils import timezone

from .services import invoices

logger = logging.getLogger(__name__)


@shared_task
def invoices_run() -> dict:
    """Daily: from the invoice run day (``INVOICE_RUN_DAY``) on, bill the month before unless
    its run is done. A day the beat missed, or a run that failed for a partner, is caught up
    the next day; the run is idempotent (one invoice per partner, customer and period)."""
    period = invoices.invoice_run_due(timezone.localdate())
    if period is None:
        return {"period": None, "invoices": 0}
    issued = invoices.invoice_run(period_start=period)
    return {"period": period.isoformat(), "invoices": len(issued)}
