"""Thin tasks of billing: take ids, reload, call a service (HOUSE_STYLE 8). A placed order's
completion is queued after its commit; the sweep completes what a lost task left pending.
Each service locks the order and re-checks its status, so the task and two sweeps at once
complete an order once."""

import logging

from celery import shared_task

from .models import Order
from .services import orders

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
