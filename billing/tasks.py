"""Thin tasks of billing: take ids, reload, call a service (HOUSE_STYLE 8).

- A placed order's completion is queued after its commit; the sweep completes what a lost
  task left pending. Each service locks the order and re-checks its status, so the task and
  two sweeps at once complete an order once.
- Renewals are a ``due_at`` sweep, never countdowns (HOUSE_STYLE 10): each due subscription
  is claimed with a conditional update, so two sweeps at once act once, and the service of
  its step (remind, renew, expire) moves it and sets its next ``due_at``.
- The invoice run is daily: from ``INVOICE_RUN_DAY`` on it bills the month before until that
  month's run is done (idempotent: one invoice per partner, customer and period)."""

import logging
import time

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import renewals
from .models import Order, Subscription
from .services import invoices, orders
from .services import subscriptions as services

logger = logging.getLogger(__name__)


@shared_task
def order_complete_task(order_id: str) -> str | None:
    """Complete a placed order. Not retried here: an order it leaves pending (a failure,
    a lost message) is the sweep's a minute later."""
    order = Order.objects.filter(pk=order_id).first()
    if order is None:
        return None
    return orders.order_complete(order=order).status


@shared_task
def orders_sweep() -> dict:
    """Every minute: complete the orders left pending for over a minute (a broker down)."""
    done = {"orders_completed": 0}
    for order_id in orders.orders_stale_due():
        try:
            order = Order.objects.get(pk=order_id)
            result = orders.order_complete(order=order)
            done["orders_completed"] += result.changed and result.status == "completed"
        except Exception:  # one bad order must not stop the sweep; it is retried next time
            logger.exception("Completing order %s failed", order_id)
    return done


STEPS = {
    "remind": services.subscription_remind,
    "renew": services.subscription_renew,
    "expire": services.subscription_expire,
}


@shared_task
def subscriptions_sweep() -> dict:
    """Reminders, renewals and expiries that are due, batch after batch until nothing is due
    or ``SWEEP_SECONDS`` have passed."""
    deadline = time.monotonic() + settings.SWEEP_SECONDS
    done = dict.fromkeys(STEPS, 0)
    while time.monotonic() < deadline:
        now = timezone.now()
        due = renewals.subscriptions_due(now)
        for subscription_id, due_at in due:
            if not renewals.claim(subscription_id, due_at, now):
                continue  # another sweep took it
            moved = False
            try:
                subscription = Subscription.objects.select_related("partner").get(pk=subscription_id)
                step = renewals.due_step(subscription, now)
                if step is not None:
                    moved = STEPS[step](subscription_id=subscription_id)
                    done[step] += bool(moved)
            except Exception:  # one bad row must not stop the sweep; it is retried after its lease
                logger.exception("Subscription sweep failed for %s", subscription_id)
                continue
            if not moved:
                renewals.release(subscription_id, now)
        if len(due) < renewals.SWEEP_BATCH:
            break
    return done


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
