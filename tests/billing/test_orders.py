"""Orders at the service level (DOMAIN.md "Direct-bill customers and indirect-reseller
customers"): who orders for which customer, in which currency, with which bounds, and the
audit row of each order."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from billing.models import Order
from billing.money import money
from billing.services.orders import order_submit
from partnercenter.accounts.models import Role
from partnercenter.audit.models import Event
from partnercenter.core.errors import InvalidInput, NotFound, NotPermitted
from relationships.models import Customer
from relationships.services.customer_invitations import customer_invitation_accept
from tests.cast import (
    customer_token,
    direct_customer,
    events_of,
    invite_customer,
    make_direct_bill,
    share_customer,
    user_of,
)

pytestmark = pytest.mark.django_db


# --- Orders -----------------------------------------------------------------------------------------


def order(actor, customer, **overrides):
    data = {
        "offer": "Microsoft 365 Business Standard",
        "quantity": 25,
        "unit_price": Decimal("10.50"),
        **overrides,
    }
    return order_submit(actor=actor, customer=customer, **data)


def test_after_the_customer_authorizes_the_provider_orders_for_it(
    provider, provider_admin, reseller_admin, customer_admin, relationship
):
    customer_invitation_accept(
        actor=customer_admin, token=customer_token(invite_customer(reseller_admin, provider))
    )
    customer = Customer.objects.get()
    placed = order(provider_admin, customer)
    assert (placed.customer, placed.partner, placed.created_by) == (customer, provider, provider_admin)
    assert (placed.offer, placed.quantity, placed.unit_price, placed.currency) == (
        "Microsoft 365 Business Standard",
        25,
        Decimal("10.50"),
        "EUR",
    )
    assert placed.total == Decimal("262.50")
    # One audit row, on the order, in the ordering partner's history.
    [event] = events_of(placed)
    assert (event.kind, event.object_type, event.actor, event.tenant) == (
        "order_submitted",
        "billing.order",
        provider_admin,
        provider.tenant,
    )
    assert (event.from_state, event.to_state) == ("", "submitted")
    assert event.data == {
        "customer": customer.company_name,
        "customer_id": str(customer.pk),
        "quantity": 25,
        "offer": "Microsoft 365 Business Standard",
        "unit_price": "10.50",
        "currency": "EUR",
    }


def test_a_direct_bill_partner_orders_for_its_customer_in_its_currency(db):
    partner = make_direct_bill(country="GB")
    customer = direct_customer(partner)
    assert order(user_of(partner), customer).currency == "GBP"


def test_an_indirect_reseller_does_not_order(provider, reseller, reseller_admin, relationship):
    customer = share_customer(provider, reseller)
    with pytest.raises(NotPermitted) as exc:
        order(reseller_admin, customer)
    assert "your indirect provider orders" in str(exc.value.message)
    assert not Order.objects.exists()
    assert not Event.objects.filter(kind="order_submitted").exists()


def test_a_provider_without_a_relationship_with_the_customer_cannot_order(provider_admin, direct):
    customer = direct_customer(direct)
    with pytest.raises(NotFound):
        order(provider_admin, customer)
    assert not Order.objects.exists()
    assert not Event.objects.filter(kind="order_submitted").exists()


def test_a_provider_orders_for_its_own_direct_customer(provider, provider_admin):
    assert order(provider_admin, direct_customer(provider, role="indirect_provider")).partner == provider


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.SALES_AGENT, True), (Role.ADMIN_AGENT, True), (Role.HELPDESK_AGENT, False)],
)
def test_who_orders(direct, role, allowed):
    customer = direct_customer(direct)
    actor = user_of(direct, role=role)
    if allowed:
        assert order(actor, customer)
    else:
        with pytest.raises(NotPermitted):
            order(actor, customer)


@pytest.mark.parametrize("quantity", [1, 10000])
def test_the_quantity_bounds_are_allowed(direct, direct_admin, quantity):
    assert order(direct_admin, direct_customer(direct), quantity=quantity).quantity == quantity


@pytest.mark.parametrize("quantity", [0, -1, 10001, "5", 2.5, True, None])
def test_the_quantity_is_from_1_to_10000(direct, direct_admin, quantity):
    with pytest.raises(InvalidInput) as exc:
        order(direct_admin, direct_customer(direct), quantity=quantity)
    assert list(exc.value.errors) == ["quantity"]


@pytest.mark.parametrize("price", ["-0.01", "abc", "12.345", "NaN", "Infinity", 1.5, "99999999999"])
def test_the_unit_price_is_a_decimal_amount(direct, direct_admin, price):
    with pytest.raises(InvalidInput) as exc:
        order(direct_admin, direct_customer(direct), unit_price=price)
    assert list(exc.value.errors) == ["unit_price"]


def test_a_zero_price_and_strings_are_fine(direct, direct_admin):
    assert order(direct_admin, direct_customer(direct), unit_price="0").unit_price == Decimal("0.00")
    assert order(direct_admin, direct_customer(direct), unit_price="12.5").unit_price == Decimal("12.50")


def test_yen_has_no_decimals(db):
    partner = make_direct_bill(country="JP")
    customer, actor = direct_customer(partner), user_of(partner)
    with pytest.raises(InvalidInput):
        order(actor, customer, unit_price="1200.50")
    placed = order(actor, customer, unit_price="1200")
    assert money(placed.unit_price, placed.currency) == {"amount": "1200", "currency": "JPY"}


def test_the_currency_is_the_partners_markets(direct, direct_admin):
    with pytest.raises(InvalidInput) as exc:
        order(direct_admin, direct_customer(direct), currency="USD")
    assert "EUR" in exc.value.errors["unit_price"]["currency"][0]
    assert order(direct_admin, direct_customer(direct), currency="EUR").currency == "EUR"


def test_the_offer_is_named(direct, direct_admin):
    for offer in ("", "   ", "x" * 201, None):
        with pytest.raises(InvalidInput) as exc:
            order(direct_admin, direct_customer(direct), offer=offer)
        assert list(exc.value.errors) == ["offer"]


def test_the_database_holds_the_quantity_range(direct):
    customer = direct_customer(direct)
    for quantity in (0, 10001):
        with pytest.raises(IntegrityError), transaction.atomic():
            Order.objects.create(
                customer=customer, partner=direct, offer="x", quantity=quantity, unit_price=1, currency="EUR"
            )
