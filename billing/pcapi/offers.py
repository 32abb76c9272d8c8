"""``GET /v1/offers?country=`` and ``GET /v1/offers/{offerId}?country=``: Partner Center's
Offer resources from the price list of the caller's market (``billing.offers``, the same
reads as *Pricing and offers* and ``/api/v1/offers/``; the same roles may see it).

The portal's rule: "a partner sees its market's prices only, in its market's currency"
(``billing.prices``). A country of another market, or no country Partner Center knows, is
400 (code 2000) naming ``country``. Paged as Partner Center pages offers: ``offset`` and
``size`` (at most ``SIZE_MAX``), with ``links.next`` while more follow."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries
from rest_framework.response import Response

from partnercenter.core.markets import market_for_country
from partnercenter.pcapi import shapes
from partnercenter.pcapi.errors import INVALID_INPUT, PartnerCenterError
from partnercenter.pcapi.paging import page_size
from partnercenter.pcapi.views import PartnerCenterView

from ..models import QUANTITY_MAX, QUANTITY_MIN, ProductKind
from ..offers import OfferRow, offer_for, offer_rows, offers_for, price_list_partner
from . import mapping

SIZE_DEFAULT = 100
SIZE_MAX = 500


def _country(request, partner) -> str:
    """The ``country`` asked, if it is in the partner's market (400 otherwise)."""
    raw = request.query_params.get("country", "")
    code = raw.strip().upper()
    if len(code) != 2 or code not in countries:
        raise PartnerCenterError(
            400,
            INVALID_INPUT,
            _("Give the country as its two-letter ISO code, for example DE."),
            [{"field": "country", "description": raw}],
        )
    market = partner.market
    if market_for_country(code).code != market.code:
        raise PartnerCenterError(
            400,
            INVALID_INPUT,
            _(
                "%(country)s is not in your market (%(market)s): you see the offers of your market's "
                "price list only."
            )
            % {"country": code, "market": market.name},
            [{"field": "country", "description": raw}],
        )
    return code


def _offset(request) -> int:
    raw = request.query_params.get("offset", "")
    if raw in ("", None):
        return 0
    try:
        offset = int(raw)
    except ValueError:
        offset = -1
    if offset < 0:
        raise PartnerCenterError(
            400,
            INVALID_INPUT,
            _("offset must be a whole number from 0."),
            [{"field": "offset", "description": raw}],
        )
    return offset


def offer_resource(row: OfferRow, country: str) -> dict:
    offer, product = row.offer, row.offer.product
    cycles = list(dict.fromkeys(mapping.billing_cycle(price.billing) for price in row.prices))
    terms = list(dict.fromkeys(mapping.term_duration(price.term) for price in row.prices))
    data = {
        "id": offer.offer_id,
        "name": offer.name,
        "description": product.name,
        "minimumQuantity": QUANTITY_MIN,
        "maximumQuantity": QUANTITY_MAX,
        "locale": mapping.locale(),
        "country": country,
        "isAddOn": False,
        "hasAddOns": False,
        "isAvailableForPurchase": True,
        "billing": mapping.billing_type(product.kind),
        "supportedBillingCycles": cycles,
        "termDurations": [term for term in terms if term],
        "isAutoRenewable": product.kind != ProductKind.SOFTWARE,
        "isTrial": False,
        "acquisitionType": "purchase",
        "product": {"id": product.product_id, "name": product.name, "unit": mapping.unit_type(product.kind)},
        "unitType": mapping.unit_type(product.kind),
    }
    return shapes.resource("Offer", data, shapes.uri(f"/offers/{offer.offer_id}", country=country))


class OffersView(PartnerCenterView):
    """Partner Center's "Get a list of offers for a market"."""

    def get(self, request):
        partner = price_list_partner(request.user)
        country = _country(request, partner)
        size = page_size(request, default=SIZE_DEFAULT, maximum=SIZE_MAX)
        offset = _offset(request)
        today = timezone.localdate()
        page = list(offers_for(partner, today)[offset : offset + size + 1])
        more = len(page) > size
        items = [offer_resource(row, country) for row in offer_rows(partner, today, page[:size])]
        next_link = (
            shapes.link(shapes.uri("/offers", country=country, offset=offset + size, size=size))
            if more
            else None
        )
        return Response(shapes.collection(items, next_link=next_link))


class OfferView(PartnerCenterView):
    """Partner Center's "Get an offer by ID" (404 when it is not on the market's price list)."""

    def get(self, request, offer_id):
        partner = price_list_partner(request.user)
        country = _country(request, partner)
        return Response(offer_resource(offer_for(partner, timezone.localdate(), offer_id), country))
