"""The portal's commerce values in Partner Center's words, and back, each mapping once.

- Offer IDs are the same on both sides (Partner Center's ``<product>:<sku>``, e.g.
  ``CFQ7TTC0LH18:0001``): the price list is loaded with Partner Center's IDs.
- Terms are ISO 8601 durations on both sides (``termDuration``: ``P1M``, ``P1Y``, ``P3Y``);
  perpetual software has no term in Partner Center (null) and ``none`` in the portal.
- Billing frequencies: ``billingCycle`` ``monthly``, ``annual`` and ``one_time`` (Partner
  Center also writes ``none`` for what is bought once; the portal reads both as one-time).
- Statuses: Partner Center's subscription statuses (``active``, ``suspended``, ``expired``,
  ``deleted``) and order statuses (``pending``, ``completed``, ``cancelled``).
"""

from datetime import UTC, date, datetime, time, timedelta

from django.utils.translation import get_language

from ..models import BillingFrequency, OrderStatus, ProductKind, SubscriptionStatus, Term

# --- Terms and billing frequencies ------------------------------------------------------------

_BILLING_CYCLES = {
    BillingFrequency.MONTHLY: "monthly",
    BillingFrequency.ANNUAL: "annual",
    BillingFrequency.ONE_TIME: "one_time",
}
_BILLING_FROM_PC = {"monthly": BillingFrequency.MONTHLY, "annual": BillingFrequency.ANNUAL}
_BILLING_FROM_PC |= {"one_time": BillingFrequency.ONE_TIME, "onetime": BillingFrequency.ONE_TIME}
_BILLING_FROM_PC |= {"none": BillingFrequency.ONE_TIME}
DEFAULT_BILLING_CYCLE = "monthly"  # Partner Center: "The default is Monthly at order creation."


def billing_cycle(billing: str) -> str:
    """The portal's billing frequency as Partner Center's ``billingCycle``."""
    return _BILLING_CYCLES.get(billing, "unknown")


def billing_from_cycle(value) -> str:
    """A ``billingCycle`` (any case) as the portal's billing frequency; a value Partner Center
    does not have is passed on as given, for the order's service to refuse on its field."""
    if not isinstance(value, str):
        return ""
    return _BILLING_FROM_PC.get(value.strip().lower(), value)


def term_duration(term: str) -> str | None:
    """The portal's term as Partner Center's ``termDuration`` (None: perpetual)."""
    return None if term == Term.PERPETUAL else term


def term_from_duration(value) -> str:
    """A ``termDuration`` as the portal's term (``P1Y`` in any case); anything else is passed
    on for the service to refuse on its field."""
    if not isinstance(value, str):
        return ""
    upper = value.strip().upper()
    return upper if upper in Term.values else value


# --- Statuses ---------------------------------------------------------------------------------

_SUBSCRIPTION_STATUSES = {
    SubscriptionStatus.ACTIVE: "active",
    SubscriptionStatus.SUSPENDED: "suspended",
    SubscriptionStatus.EXPIRED: "expired",
    # Partner Center has no "cancelled": a cancelled subscription is deleted there.
    SubscriptionStatus.CANCELLED: "deleted",
}

_ORDER_STATUSES = {
    OrderStatus.PENDING: "pending",
    OrderStatus.COMPLETED: "completed",
    OrderStatus.CANCELLED: "cancelled",
    # Partner Center's orders have no "failed": an order that made no subscriptions ended
    # without them, which its clients read as cancelled.
    OrderStatus.FAILED: "cancelled",
}


def subscription_status(status: str) -> str:
    return _SUBSCRIPTION_STATUSES.get(status, "none")


def order_status(status: str) -> str:
    return _ORDER_STATUSES.get(status, "unknown")


# --- Kinds of product -------------------------------------------------------------------------

_UNIT_TYPES = {
    ProductKind.LICENSE: "Licenses",
    ProductKind.AZURE_PLAN: "Usage-based",
    ProductKind.AZURE_RESERVATION: "Reservations",
    ProductKind.SOFTWARE: "Licenses",
}


def unit_type(kind: str) -> str:
    return _UNIT_TYPES.get(kind, "Licenses")


def billing_type(kind: str) -> str:
    """Partner Center's ``billing`` of an offer / ``billingType`` of a subscription."""
    return "usage" if kind == ProductKind.AZURE_PLAN else "license"


# --- Dates and the reader's locale ------------------------------------------------------------


def day_time(day: date | None) -> str | None:
    """A day as Partner Center's UTC date-time (``2026-01-01T00:00:00Z``)."""
    if day is None:
        return None
    return datetime.combine(day, time.min).strftime("%Y-%m-%dT%H:%M:%SZ")


def last_day(end: date | None) -> date | None:
    """The portal's exclusive end as the last day included, as Partner Center writes ends."""
    return end - timedelta(days=1) if end is not None else None


def instant(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


_LOCALES = {"en": "en-US", "zh-hant": "zh-TW", "zh-hans": "zh-CN", "ru": "ru-RU"}


def locale() -> str:
    """The language of the answer as Partner Center's locale (``X-Locale`` chose it)."""
    return _LOCALES.get((get_language() or "en").lower(), "en-US")
