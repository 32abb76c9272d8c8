"""The lines of an order, read and priced once (``order_lines_check``): the order page's
review and ``order_place`` both take them from here. Each line is priced at the price list
of the day of the partner's market (``billing.prices.price_on``); an offer not sold there,
in that term or billing frequency, is an error on that line's field. Errors are nested as
the input is: ``{"lines": [{}, {"quantity": ["…"]}]}``."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from enrollment.models import Partner
from partnercenter.core.errors import InvalidInput

from ..models import (
    LINES_MAX,
    QUANTITY_MAX,
    QUANTITY_MIN,
    BillingFrequency,
    Offer,
    Price,
    ProductKind,
    ReservationScope,
    Term,
)
from ..prices import price_on, prices_on


@dataclass(frozen=True)
class PricedLine:
    """One line as the input named it, with its price of the day."""

    offer: Offer
    price: Price
    term: str
    billing: str
    quantity: int
    auto_renew: bool
    scope: str

    @property
    def amount(self) -> Decimal:
        """The first billing period's price: a month, a year, or the purchase."""
        return self.price.unit_price * self.quantity

    @property
    def fingerprint(self) -> tuple:
        return (self.offer.offer_id, self.term, self.billing, self.quantity, self.auto_renew, self.scope)


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _why_not_sold(offer: Offer, term: str, billing: str, *, day: date, market) -> dict:
    """The field of a line whose offer, term or frequency the price list of the day lacks."""
    sold = list(
        prices_on(day, market=market.code, currency=market.currency)
        .filter(offer=offer)
        .values_list("term", "billing")
    )
    if not sold:
        return {"offer_id": [_("This offer is not sold in your market. Choose an offer of your price list.")]}
    if term not in {t for t, _b in sold}:
        return {"term": [_("This offer is not sold for this term. Choose a term of your price list.")]}
    return {
        "billing": [
            _(
                "This offer is not sold with this billing frequency for this term. Choose one of your price list."
            )
        ]
    }


def _line_errors(raw, *, offers: dict, day: date, market) -> tuple[PricedLine | None, dict]:
    if not isinstance(raw, dict):
        return None, {"non_field_errors": [_("Give each line as an object with its offer_id and quantity.")]}
    errors: dict = {}
    offer = offers.get(_text(raw.get("offer_id")))
    if offer is None:
        errors["offer_id"] = [_("Choose an offer of your price list (its offer ID).")]
    term = _text(raw.get("term"))
    if term not in Term.values:
        errors["term"] = [_("Choose the term: P1M, P1Y, P3Y or none (perpetual).")]
    billing = _text(raw.get("billing"))
    if billing not in BillingFrequency.values:
        errors["billing"] = [_("Choose the billing frequency: monthly, annual or one_time.")]
    quantity = raw.get("quantity")
    if (
        isinstance(quantity, bool)
        or not isinstance(quantity, int)
        or not QUANTITY_MIN <= quantity <= QUANTITY_MAX
    ):
        errors["quantity"] = [
            _("Order a whole number from %(min)d to %(max)d.") % {"min": QUANTITY_MIN, "max": QUANTITY_MAX}
        ]
    auto_renew = raw.get("auto_renew", True)
    if not isinstance(auto_renew, bool):
        errors["auto_renew"] = [
            _("Say true or false: whether the subscription renews at the end of its term.")
        ]
    scope = _text(raw.get("scope"))
    if offer is not None and offer.kind == ProductKind.AZURE_RESERVATION:
        if scope not in ReservationScope.values:
            errors["scope"] = [_("Choose the reservation's scope: shared or single.")]
    elif scope:
        errors["scope"] = [_("Only Azure reservations have a scope. Leave it out for this offer.")]
    if errors:
        return None, errors
    price = price_on(
        day, offer=offer, market=market.code, currency=market.currency, term=term, billing=billing
    )
    if price is None:
        return None, _why_not_sold(offer, term, billing, day=day, market=market)
    return PricedLine(offer, price, term, billing, quantity, auto_renew, scope), {}


def order_lines_check(*, partner: Partner, lines, day: date | None = None) -> list[PricedLine]:
    """The lines priced at the price list of ``day`` (today) of the partner's market, or
    ``InvalidInput`` with every line's errors (a read: the order page's review uses it)."""
    day = day or timezone.localdate()
    if not isinstance(lines, list) or not 1 <= len(lines) <= LINES_MAX:
        raise InvalidInput(
            {
                "lines": [
                    ngettext("Order from 1 to %(max)d line.", "Order from 1 to %(max)d lines.", LINES_MAX)
                    % {"max": LINES_MAX}
                ]
            }
        )
    market = partner.market
    ids = {_text(raw.get("offer_id")) for raw in lines if isinstance(raw, dict)}
    offers = {o.offer_id: o for o in Offer.objects.filter(offer_id__in=ids).select_related("product")}
    priced, errors = [], []
    for raw in lines:
        line, line_errors = _line_errors(raw, offers=offers, day=day, market=market)
        priced.append(line)
        errors.append(line_errors)
    if any(errors):
        raise InvalidInput({"lines": errors})
    return priced
