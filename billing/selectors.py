"""Reads of billing, scoped to the caller's partner: another partner's order is not found."""

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import Order, OrderLine


def customer_orders(row) -> QuerySet[Order]:
    """The orders of a customer (a ``relationships.selectors.CustomerRow``) that its partner
    may see: its own, and for a reseller those of the provider that orders for the customer."""
    return (
        Order.objects.filter(customer=row.customer, partner_id__in=[r.partner_id for r in row.relationships])
        .select_related("partner", "customer", "created_by")
        .order_by("-created_at", "pk")
    )


def orders_for(partner) -> QuerySet[Order]:
    """The partner's orders: those it placed, and for a reseller those its provider placed
    for its customers (read-only), newest first."""
    return (
        Order.objects.filter(Q(partner=partner) | Q(reseller=partner))
        .select_related("partner", "customer", "reseller", "created_by")
        .order_by("-created_at", "pk")
    )


def filter_orders(
    orders: QuerySet[Order],
    *,
    customer_id=None,
    status: str = "",
    created_after: date | None = None,
    created_before: date | None = None,
) -> QuerySet[Order]:
    """``orders`` of one customer, in one status, placed on or after and on or before a day."""
    if customer_id:
        orders = orders.filter(customer_id=customer_id)
    if status:
        orders = orders.filter(status=status)
    if created_after:
        orders = orders.filter(created_at__date__gte=created_after)
    if created_before:
        orders = orders.filter(created_at__date__lte=created_before)
    return orders


def with_lines(orders: QuerySet[Order]) -> QuerySet[Order]:
    """Orders with their lines, each line's offer and subscription (two more queries)."""
    lines = OrderLine.objects.select_related("offer", "subscription").order_by("line_number")
    return orders.prefetch_related(Prefetch("lines", queryset=lines))


def order_for(partner, order_id) -> Order:
    """One of the partner's orders with its lines, or 404."""
    return get_object_or_404(with_lines(orders_for(partner)), pk=order_id)
