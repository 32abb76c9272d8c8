"""The price of the day, once: an order takes it, a renewal takes it on its own day, and the
price list shows it. A partner sees its market's prices only, in its market's currency."""

from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery

from .models import Price


def _key_of(prices: QuerySet[Price]) -> QuerySet[Price]:
    return prices.filter(
        offer=OuterRef("offer"),
        market=OuterRef("market"),
        currency=OuterRef("currency"),
        term=OuterRef("term"),
        billing=OuterRef("billing"),
    )


def prices_on(day: date, *, market: str, currency: str) -> QuerySet[Price]:
    """The price list of a market and currency on ``day``: per offer, term and billing
    frequency, the price with the latest ``effective_from`` not after ``day`` (a
    correlated subquery, so it runs on SQLite as on PostgreSQL)."""
    in_effect = Price.objects.filter(market=market, currency=currency, effective_from__lte=day)
    latest = _key_of(in_effect).order_by("-effective_from").values("effective_from")[:1]
    return (
        in_effect.filter(effective_from=Subquery(latest))
        .select_related("offer__product")
        .order_by("offer__product__name", "offer__name", "term", "billing")
    )


def price_on(day: date, *, offer, market: str, currency: str, term: str, billing: str) -> Price | None:
    """The price of one offer, term and billing frequency in a market on ``day`` (None: the
    offer is not sold there, in that term and frequency, on that day)."""
    return (
        Price.objects.filter(
            offer=offer, market=market, currency=currency, term=term, billing=billing, effective_from__lte=day
        )
        .select_related("offer__product")
        .order_by("-effective_from")
        .first()
    )


def partner_prices_on(partner, day: date) -> QuerySet[Price]:
    """The price list ``partner`` sees on ``day``: its market's, in its currency."""
    market = partner.market
    return prices_on(day, market=market.code, currency=market.currency)
