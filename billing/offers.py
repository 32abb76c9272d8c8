"""Reads of the price list (*Pricing and offers*), scoped to the caller's partner: the
offers sold in its market, each with its prices of the day in its market's currency
(``billing.prices.partner_prices_on``). An offer not sold in the partner's market is not
found (404), as another partner's object is."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from partnercenter.core.errors import NotFound
from relationships.permissions import acting_partner

from .models import BillingFrequency, Offer, Price, Term
from .permissions import require_may_see_price_list
from .prices import partner_prices_on

SEARCH_MAX = 100  # characters of a search
_TERM_ORDER = {term: n for n, term in enumerate(Term.values)}
_BILLING_ORDER = {billing: n for n, billing in enumerate(BillingFrequency.values)}


@dataclass
class OfferRow:
    """An offer as a partner sees it: with its prices of the day, shortest term first."""

    offer: Offer
    prices: list[Price]

    @property
    def product(self):
        return self.offer.product


def offers_for(partner, day: date, *, kind: str | None = None, search: str = "") -> QuerySet[Offer]:
    """The offers sold in the partner's market on ``day`` (of ``kind``; whose offer name,
    product name or offer ID holds ``search``), by product and offer name."""
    offers = Offer.objects.filter(pk__in=partner_prices_on(partner, day).order_by().values("offer"))
    if kind:
        offers = offers.filter(product__kind=kind)
    search = (search or "").strip()[:SEARCH_MAX]
    if search:
        offers = offers.filter(
            Q(name__icontains=search) | Q(product__name__icontains=search) | Q(offer_id__icontains=search)
        )
    return offers.select_related("product").order_by("product__name", "name", "offer_id")


def offer_rows(partner, day: date, offers) -> list[OfferRow]:
    """The offers (a page of ``offers_for``) with their prices of the day: one query."""
    offers = list(offers)
    prices: dict = {offer.pk: [] for offer in offers}
    for price in partner_prices_on(partner, day).filter(offer__in=offers):
        prices[price.offer_id].append(price)
    return [
        OfferRow(
            offer,
            sorted(
                prices[offer.pk], key=lambda p: (_TERM_ORDER.get(p.term, 9), _BILLING_ORDER.get(p.billing, 9))
            ),
        )
        for offer in offers
    ]


def offer_for(partner, day: date, offer_id: str) -> OfferRow:
    """One offer by its Partner Center ID, if sold in the partner's market (``NotFound``)."""
    offer = offers_for(partner, day).filter(offer_id=offer_id).first()
    if offer is None:
        raise NotFound()
    return offer_rows(partner, day, [offer])[0]


def price_list_partner(user):
    """The partner whose price list ``user`` sees: a user whose roles may see it
    (``NotPermitted`` with the reason otherwise), of an active partner."""
    require_may_see_price_list(user)
    return acting_partner(user)
