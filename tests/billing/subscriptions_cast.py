"""What the subscription tests share: fixed days, prices and subscriptions of the cast."""

from datetime import UTC, date, datetime
from decimal import Decimal

from billing.models import Subscription
from billing.renewals import next_due_at
from tests.billing.factories import OfferFactory, PriceFactory, ProductFactory, subscription_of

START = date(2026, 1, 1)


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def annual_price(unit_price="120.00", offer=None, **kwargs):
    return PriceFactory(
        offer=offer or OfferFactory(), term="P1Y", billing="annual", unit_price=Decimal(unit_price), **kwargs
    )


def monthly_price(unit_price="10.00", offer=None, **kwargs):
    return PriceFactory(
        offer=offer or OfferFactory(), term="P1Y", billing="monthly", unit_price=Decimal(unit_price), **kwargs
    )


def reservation_price(unit_price="900.00"):
    offer = OfferFactory(product=ProductFactory(kind="azure_reservation", name="Azure Reserved VM D2s v5"))
    return PriceFactory(offer=offer, term="P1Y", billing="annual", unit_price=Decimal(unit_price))


def scheduled(subscription: Subscription) -> Subscription:
    """As the order leaves it: due when ``billing.renewals`` says."""
    subscription.due_at = next_due_at(subscription)
    subscription.save(update_fields=["due_at"])
    return subscription


def direct_subscription(partner, customer, *, price=None, **kwargs) -> Subscription:
    return scheduled(
        subscription_of(partner, customer, price=price or monthly_price(), start=START, **kwargs)
    )
