"""Reads of billing, scoped to the caller's partner."""

from django.db.models import QuerySet

from .models import Order


def customer_orders(row) -> QuerySet[Order]:
    """The orders of a customer (a ``relationships.selectors.CustomerRow``) that its partner
    may see: its own, and for a reseller those of the provider that orders for the customer."""
    return (
        Order.objects.filter(customer=row.customer, partner_id__in=[r.partner_id for r in row.relationships])
        .select_related("partner", "created_by")
        .order_by("-created_at", "pk")
    )
