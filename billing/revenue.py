"""What a partner invoiced over a period: the revenue the direct-bill continuing obligations
read (``enrollment.restrictions``; enrollment may not import billing, so billing registers
this source at start, in ``billing.apps``)."""

from datetime import date
from decimal import Decimal

from django.db.models import Sum

from .models import Invoice


def invoiced_revenue(partner, currency: str, start: date, end: date) -> Decimal:
    """The totals of the partner's invoices in ``currency`` for billing periods that begin
    from ``start`` (included) to ``end`` (excluded)."""
    total = Invoice.objects.filter(
        partner=partner, currency=currency, period_start__gte=start, period_start__lt=end
    ).aggregate(total=Sum("total"))["total"]
    return total or Decimal("0")
