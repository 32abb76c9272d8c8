"""Writes for billing: orders.

Domain errors raised: ``InvalidInput`` (400), ``NotPermitted`` (403) and ``NotFound`` (404:
the customer is not the partner's).
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnercenter.audit.services import record_event
from partnercenter.core.errors import InvalidInput, NotFound, NotPermitted
from relationships.models import Customer, CustomerRelationship
from relationships.permissions import acting_partner

from .. import events
from ..models import QUANTITY_MAX, QUANTITY_MIN, Order
from ..money import currency_decimals
from ..permissions import Action, require, require_may_order_for

OFFER_MAX = 200
UNIT_PRICE_MAX = Decimal("9999999999.99")


def _order_errors(*, offer, quantity, unit_price, currency, expected_currency) -> tuple[dict, dict]:
    errors: dict = {}
    clean: dict = {"offer": " ".join(offer.split()) if isinstance(offer, str) else ""}
    if not clean["offer"]:
        errors["offer"] = [_("Enter the name of the offer to order.")]
    elif len(clean["offer"]) > OFFER_MAX:
        errors["offer"] = [
            ngettext(
                "Shorten the offer name to at most %(max)d character.",
                "Shorten the offer name to at most %(max)d characters.",
                OFFER_MAX,
            )
            % {"max": OFFER_MAX}
        ]
    if (
        isinstance(quantity, bool)
        or not isinstance(quantity, int)
        or not QUANTITY_MIN <= quantity <= QUANTITY_MAX
    ):
        errors["quantity"] = [
            _("Order a whole number of licenses from %(min)d to %(max)d.")
            % {"min": QUANTITY_MIN, "max": QUANTITY_MAX}
        ]
    else:
        clean["quantity"] = quantity
    try:
        price = Decimal(str(unit_price)) if not isinstance(unit_price, (bool, float)) else None
    except InvalidOperation:
        price = None
    places = currency_decimals(expected_currency)
    if price is None or not price.is_finite() or price < 0 or price > UNIT_PRICE_MAX:
        errors["unit_price"] = {"amount": [_("Enter the unit price as a number from 0, for example 12.50.")]}
    elif price != price.quantize(Decimal(1).scaleb(-places)):
        errors["unit_price"] = {
            "amount": [
                _("Give the unit price in %(currency)s with at most %(places)d decimal places.")
                % {"currency": expected_currency, "places": places}
            ]
        }
    else:
        clean["unit_price"] = price.quantize(Decimal("0.01"))
    if currency and currency != expected_currency:
        errors.setdefault("unit_price", {})["currency"] = [
            _("Your orders are in %(currency)s, your market's currency. Give the price in %(currency)s.")
            % {"currency": expected_currency}
        ]
    return clean, errors


def order_submit(
    *, actor, customer: Customer, offer: str, quantity: int, unit_price, currency: str | None = None
) -> Order:
    """Submit an order for a customer. "After the customer authorizes, the provider may submit
    orders for it; a provider without a reseller relationship with a customer cannot order
    for it" (DOMAIN.md).

    Allowed for a partner that bills the customer (``billing.permissions.may_order``). An
    indirect reseller gets ``NotPermitted`` (its provider orders); a partner without a
    relationship gets ``NotFound`` (the customer is not theirs). The price is in the
    partner's market currency (``currency``, if given, must be it).
    """
    partner = acting_partner(actor)
    relationship = CustomerRelationship.objects.active().filter(customer=customer, partner=partner).first()
    if relationship is None:
        raise NotFound()
    require(actor, Action.ORDER)
    require_may_order_for(relationship)
    expected_currency = partner.market.currency
    clean, errors = _order_errors(
        offer=offer,
        quantity=quantity,
        unit_price=unit_price,
        currency=currency,
        expected_currency=expected_currency,
    )
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        # Lock the relationship: an order never lands for a relationship that is being changed.
        locked = CustomerRelationship.objects.select_for_update().filter(pk=relationship.pk).first()
        if locked is None:
            raise NotFound()
        if not locked.bills_customer:
            raise NotPermitted(_("Your relationship with this customer no longer allows orders."))
        order = Order.objects.create(
            customer=customer,
            partner=partner,
            offer=clean["offer"],
            quantity=clean["quantity"],
            unit_price=clean["unit_price"],
            currency=expected_currency,
            created_by=actor,
        )
        record_event(
            order,
            events.ORDER_SUBMITTED,
            actor=actor,
            tenant=partner.tenant_id,
            to_state="submitted",
            customer=customer.company_name,
            customer_id=str(customer.pk),
            quantity=order.quantity,
            offer=order.offer,
            unit_price=str(order.unit_price),
            currency=order.currency,
        )
    return order
