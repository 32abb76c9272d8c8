"""What a subscription costs in a billing period: the one home of proration, used by the
invoice run (what is billed), the credit-line check (what is unbilled) and cancellation
(what is credited back).

- **Monthly** billing is in arrears and prorated by day: a term's days in a calendar month
  times the monthly unit price, over the month's days. A partial first or last month (or a
  term cut by a cancellation) pays for its days only.
- **Annual** billing is in advance: each year of a term (from its start) is charged in
  full in the month that year starts.
- **One-time** (perpetual software) is charged once, in the month of purchase.

Amounts are ``Decimal`` rounded half up to the currency's places, line by line."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .models import BillingFrequency, Subscription, SubscriptionTerm
from .money import currency_decimals


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months; the 31st becomes the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def round_money(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-currency_decimals(currency)), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Charge:
    """One charge: ``quantity`` × ``unit_price`` for the days ``[start, end)``."""

    subscription: Subscription
    term: SubscriptionTerm
    start: date
    end: date
    quantity: int
    unit_price: Decimal
    amount: Decimal
    currency: str


def _months(start: date, end: date):
    """The calendar months that ``[start, end)`` touches, as (month start, next month start)."""
    month = month_start(start)
    while month < end:
        following = next_month(month)
        yield month, following
        month = following


def _year_starts(term: SubscriptionTerm, until: date):
    """The days each year of a term starts (its cycle starts), before ``until``."""
    years = 0
    while True:
        cycle = add_months(term.start_date, 12 * years)
        if cycle >= until or (term.end_date is not None and cycle >= term.end_date):
            return
        yield cycle
        years += 1


def cycle_end(term: SubscriptionTerm, cycle_start: date) -> date:
    """Where the annual cycle that starts on ``cycle_start`` ends (the term's end at most)."""
    end = add_months(cycle_start, 12)
    return min(end, term.end_date) if term.end_date is not None else end


def term_charges(subscription: Subscription, term: SubscriptionTerm, start: date, end: date) -> list[Charge]:
    """The charges of one term that fall in ``[start, end)`` (a billing period)."""
    charges: list[Charge] = []

    def charge(first: date, last: date, amount: Decimal) -> None:
        charges.append(
            Charge(
                subscription=subscription,
                term=term,
                start=first,
                end=last,
                quantity=term.quantity,
                unit_price=term.unit_price,
                amount=round_money(amount, term.currency),
                currency=term.currency,
            )
        )

    if term.billing == BillingFrequency.MONTHLY:
        term_end = term.end_date or end
        for month, following in _months(max(start, term.start_date), min(end, term_end)):
            first, last = max(month, term.start_date, start), min(following, term_end, end)
            if first >= last:
                continue
            days_in_month = (following - month).days
            amount = term.unit_price * term.quantity * Decimal((last - first).days) / Decimal(days_in_month)
            charge(first, last, amount)
    elif term.billing == BillingFrequency.ANNUAL:
        for cycle in _year_starts(term, end):
            if cycle >= start:
                charge(cycle, cycle_end(term, cycle), term.unit_price * term.quantity)
    elif start <= term.start_date < end:  # one-time
        charge(
            term.start_date,
            term.end_date or term.start_date + timedelta(days=1),
            term.unit_price * term.quantity,
        )
    return charges


def subscription_charges(subscription: Subscription, start: date, end: date) -> list[Charge]:
    """Every charge of a subscription in ``[start, end)``, term by term. The terms are read
    from ``subscription.terms.all()`` (prefetch them for a list)."""
    return [
        found
        for term in subscription.terms.all()
        if term.start_date < end and (term.end_date is None or term.end_date > start)
        for found in term_charges(subscription, term, start, end)
    ]


def upfront_refund(term: SubscriptionTerm, on: date) -> tuple[Decimal, date, date] | None:
    """What cutting ``term`` on ``on`` gives back of what was charged in advance: the
    prorated rest of its current annual cycle (amount, from, to), or None (monthly terms
    are billed in arrears for their days only, so nothing was paid ahead). Ask before the
    term is cut: the cycle's end is read from the term's own end."""
    if term.billing != BillingFrequency.ANNUAL:
        return None
    cycles = list(_year_starts(term, on + timedelta(days=1)))
    if not cycles:
        return None
    cycle = cycles[-1]
    cycle_last = cycle_end(term, cycle)
    if on >= cycle_last:
        return None
    unused = Decimal((cycle_last - on).days) / Decimal((cycle_last - cycle).days)
    amount = round_money(term.unit_price * term.quantity * unused, term.currency)
    return (amount, on, cycle_last) if amount > 0 else None
