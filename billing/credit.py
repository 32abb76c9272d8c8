"""A direct-bill partner's credit line and what stands against it, once: the unpaid
invoices plus what is unbilled (the charges of the periods no invoice run has billed yet,
through the end of the current month, less the credits no invoice took yet).

An order is refused when it would take the partner past its credit line
(``services.orders``); the billing admin reads the same figures (the invoices pages)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Max, Q, Sum

from enrollment.models import Program

from .charges import month_start, next_month, subscription_charges
from .models import Credit, Invoice, Subscription


@dataclass(frozen=True)
class CreditPosition:
    currency: str
    credit_line: Decimal | None  # None: the partner has no credit line (not direct bill)
    unpaid: Decimal
    unbilled: Decimal

    @property
    def used(self) -> Decimal:
        return self.unpaid + self.unbilled

    @property
    def available(self) -> Decimal | None:
        return None if self.credit_line is None else self.credit_line - self.used


def unbilled_since(partner) -> date | None:
    """The first day no invoice run of ``partner`` has billed yet (None: it never ran)."""
    last = Invoice.objects.filter(partner=partner).aggregate(last=Max("period_start"))["last"]
    return next_month(last) if last else None


def unbilled(partner, today: date) -> Decimal:
    """The partner's charges from the first unbilled day through the end of ``today``'s
    month, less its credits not yet on an invoice (two queries and the subscriptions'
    terms, whatever the number of its customers)."""
    start = unbilled_since(partner)
    end = next_month(today)
    subscriptions = Subscription.objects.filter(partner=partner).prefetch_related("terms")
    if start is not None:
        subscriptions = subscriptions.filter(Q(end_date__isnull=True) | Q(end_date__gt=start))
    earliest = start or min((s.start_date for s in subscriptions), default=month_start(today))
    charges = sum(
        (c.amount for s in subscriptions for c in subscription_charges(s, earliest, end)), Decimal("0")
    )
    credits = Credit.objects.unbilled().filter(partner=partner).aggregate(total=Sum("amount"))["total"]
    return charges - (credits or Decimal("0"))


def unpaid(partner) -> Decimal:
    total = Invoice.objects.unpaid().filter(partner=partner).aggregate(total=Sum("total"))["total"]
    return total or Decimal("0")


def credit_position(partner, today: date) -> CreditPosition:
    """Where ``partner`` stands against its credit line on ``today``."""
    line = None
    enrollment = (
        partner.enrollments.active().filter(program=Program.DIRECT_BILL).select_related("direct_bill").first()
    )
    if enrollment is not None and enrollment.credit_line is not None:
        line = enrollment.credit_line[0]
    return CreditPosition(
        currency=partner.market.currency,
        credit_line=line,
        unpaid=unpaid(partner),
        unbilled=unbilled(partner, today),
    )
