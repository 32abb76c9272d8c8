"""Writes for billing: orders.

Domain errors raised: ``InvalidInput`` (400), ``NotPermitted`` (403) and ``Http404`` (the
customer is not the partner's).
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from partnercenter.accounts.models import Role
from partnercenter.core.errors import InvalidInput, NotPermitted
from relationships.models import Customer, CustomerRelationship, CustomerRole
from relationships.permissions import acting_partner, require_roles
from relationships.services.common import record_event

from .models import QUANTITY_MAX, QUANTITY_MIN, Order

# Who places orders in Partner Center: the admins and the sales agents.
ORDER_ROLES = (Role.GLOBAL_ADMIN, Role.ADMIN_AGENT, Role.SALES_AGENT)
# The partners who order for a customer: "a direct-bill partner creates orders", and "for an
# indirect reseller's customers the provider orders products and bills" (DOMAIN.md).
ORDERING_ROLES = (CustomerRole.DIRECT_BILL_PARTNER, CustomerRole.INDIRECT_PROVIDER)
OFFER_MAX = 200
UNIT_PRICE_MAX = Decimal("9999999999.99")
# Currencies without minor units; every other one has two decimals.
CURRENCY_DECIMALS = {"JPY": 0, "KRW": 0}


def currency_decimals(currency: str) -> int:
    return CURRENCY_DECIMALS.get(currency, 2)


def money(amount: Decimal, currency: str) -> dict:
    """Money as the API writes it: ``{"amount": "123.45", "currency": "EUR"}``."""
    places = currency_decimals(currency)
    return {"amount": str(amount.quantize(Decimal(1).scaleb(-places))), "currency": currency}


def _order_errors(*, offer, quantity, unit_price, currency, expected_currency) -> tuple[dict, dict]:
    errors: dict = {}
    clean: dict = {"offer": " ".join(offer.split()) if isinstance(offer, str) else ""}
    if not clean["offer"]:
        errors["offer"] = [_("Enter the name of the offer to order.")]
    elif len(clean["offer"]) > OFFER_MAX:
        errors["offer"] = [_("Shorten the offer name to at most %(max)d characters.") % {"max": OFFER_MAX}]
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

    Allowed for a partner with a relationship to the customer as ``indirect_provider`` or
    ``direct_bill_partner``. An indirect reseller gets ``NotPermitted`` (its provider orders);
    a partner without a relationship gets ``Http404`` (the customer is not theirs). The price is
    in the partner's market currency (``currency``, if given, must be it).
    """
    require_roles(actor, ORDER_ROLES)
    partner = acting_partner(actor)
    relationship = (
        CustomerRelationship.objects.filter(customer=customer, partner=partner)
        .select_related("via_reseller")
        .first()
    )
    if relationship is None:
        raise Http404(_("No such customer."))
    if relationship.role not in ORDERING_ROLES:
        raise NotPermitted(
            _(
                "Indirect resellers do not submit orders: your indirect provider orders products for this "
                "customer and bills it. You manage the customer's users and licenses."
            )
        )
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
            raise Http404(_("No such customer."))
        if locked.role not in ORDERING_ROLES:
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
            kind="order_submitted",
            obj=order,
            actor=actor,
            partner=partner,
            detail=f"customer {customer.pk}: {order.quantity} × {order.offer} at {order.unit_price} {order.currency}",
        )
    return order
