"""Placing orders at the service level (issue 10, "Orders and subscriptions"): who may order
for which customer, the roles, the price of the day, the bounds of a line, the credit line,
idempotency and the audit row. Errors of lines are nested as the input is."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction

from billing.models import Order, OrderLine
from billing.services.orders import order_place
from partnercenter.accounts.models import Role
from partnercenter.audit.models import Event
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from relationships.models import CustomerRelationship
from tests.billing.factories import PriceFactory, line, sold, subscription_of, with_credit_line
from tests.cast import direct_customer, events_of, make_direct_bill, share_customer, user_of
from tests.factories import EnrollmentFactory, PartnerFactory

pytestmark = pytest.mark.django_db

DAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(DAY, tick=True):
        yield


def place(actor, customer, *lines, key=""):
    return order_place(actor=actor, customer=customer, lines=list(lines), idempotency_key=key)


def nothing_placed():
    assert not Order.objects.exists()
    assert not Event.objects.filter(kind="order_placed").exists()


# --- Who may order --------------------------------------------------------------------------------


def test_a_direct_bill_partner_orders_for_its_direct_customer(direct, direct_admin):
    customer = direct_customer(direct)
    price = sold(direct, unit_price=Decimal("10.50"))
    order = place(direct_admin, customer, line(price, 25))
    assert (order.customer, order.partner, order.reseller, order.created_by) == (
        customer,
        direct,
        None,
        direct_admin,
    )
    assert (order.status, order.currency, order.total, order.replayed) == (
        "pending",
        "EUR",
        Decimal("262.50"),
        False,
    )
    [placed] = order.lines.all()
    assert (placed.line_number, placed.offer, placed.price, placed.quantity) == (1, price.offer, price, 25)
    assert (placed.term, placed.billing, placed.unit_price, placed.auto_renew, placed.scope) == (
        "P1Y",
        "monthly",
        Decimal("10.50"),
        True,
        "",
    )
    [event] = events_of(order)
    assert (event.kind, event.actor, event.tenant, event.from_state, event.to_state) == (
        "order_placed",
        direct_admin,
        direct.tenant,
        "",
        "pending",
    )
    assert event.data == {
        "customer": customer.company_name,
        "customer_id": str(customer.pk),
        "lines": 1,
        "total": "262.50",
        "currency": "EUR",
    }


def test_a_provider_orders_for_its_resellers_customer(provider, provider_admin, reseller, relationship):
    customer = share_customer(provider, reseller)
    order = place(provider_admin, customer, line(sold(provider)))
    assert (order.partner, order.reseller) == (provider, reseller)


def test_a_provider_does_not_order_for_its_own_direct_customer(provider, provider_admin):
    customer = direct_customer(provider, role="indirect_provider")
    with pytest.raises(NotPermitted) as exc:
        place(provider_admin, customer, line(sold(provider)))
    assert "through one of your resellers" in str(exc.value.message)
    nothing_placed()


def test_a_provider_whose_reseller_left_does_not_order(provider, provider_admin, reseller, relationship):
    customer = share_customer(provider, reseller)
    CustomerRelationship.objects.filter(partner=reseller).update(state="terminated")
    with pytest.raises(NotPermitted):
        place(provider_admin, customer, line(sold(provider)))
    nothing_placed()


def test_an_indirect_reseller_is_refused_with_the_reason(provider, reseller, reseller_admin, relationship):
    customer = share_customer(provider, reseller)
    with pytest.raises(NotPermitted) as exc:
        place(reseller_admin, customer, line(sold(reseller)))
    assert "Indirect resellers do not submit orders" in str(exc.value.message)
    nothing_placed()


def test_a_direct_bill_partner_whose_enrollment_is_not_active_is_refused(db):
    partner = PartnerFactory()
    EnrollmentFactory(partner=partner, program="indirect_reseller", status="active")
    EnrollmentFactory(partner=partner, program="direct_bill", status="in_review")
    customer = direct_customer(partner)
    with pytest.raises(NotPermitted) as exc:
        place(user_of(partner), customer, line(sold(partner)))
    assert "direct-bill enrollment is active" in str(exc.value.message)
    nothing_placed()


def test_an_outsider_does_not_find_the_customer(direct, outsider, provider_admin):
    customer = direct_customer(direct)
    for actor in (outsider, provider_admin):
        with pytest.raises(NotFound):
            place(actor, customer, line(sold(direct)))
    nothing_placed()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ADMIN_AGENT, True),
        (Role.SALES_AGENT, False),
        (Role.HELPDESK_AGENT, False),
        (Role.BILLING_ADMIN, False),
    ],
)
def test_who_of_the_partner_orders(direct, role, allowed):
    customer, price = direct_customer(direct), sold(direct)
    actor = user_of(direct, role=role)
    if allowed:
        assert place(actor, customer, line(price)).created_by == actor
    else:
        with pytest.raises(NotPermitted) as exc:
            place(actor, customer, line(price))
        assert "global admin or an admin agent can order" in str(exc.value.message)
        nothing_placed()


# --- The price of the day -------------------------------------------------------------------------


def test_each_line_takes_the_price_of_the_day(direct, direct_admin):
    customer = direct_customer(direct)
    march = sold(direct, unit_price=Decimal("10.00"), effective_from=date(2026, 3, 1))
    PriceFactory(
        offer=march.offer,
        market="europe",
        currency="EUR",
        unit_price=Decimal("12.00"),
        effective_from=date(2026, 4, 1),
    )
    assert place(direct_admin, customer, line(march, 1)).total == Decimal("10.00")
    with time_machine.travel(datetime(2026, 4, 1, 9, 0, tzinfo=UTC)):
        assert place(direct_admin, customer, line(march, 1)).total == Decimal("12.00")
    with time_machine.travel(datetime(2026, 2, 28, 9, 0, tzinfo=UTC)):
        with pytest.raises(InvalidInput) as exc:
            place(direct_admin, customer, line(march, 1))
        assert list(exc.value.errors["lines"][0]) == ["offer_id"]


def test_an_offer_of_another_market_term_or_frequency_is_refused_on_its_field(direct, direct_admin):
    customer = direct_customer(direct)
    elsewhere = sold(market="united_states", currency="USD")
    yearly = sold(direct, term="P1Y", billing="monthly")
    cases = [
        (line(elsewhere), "offer_id"),
        (line(yearly, term="P3Y"), "term"),
        (line(yearly, billing="annual"), "billing"),
        (line(yearly, offer_id="NOPE:0001"), "offer_id"),
        (line(yearly, term="P2Y"), "term"),
        (line(yearly, billing="weekly"), "billing"),
    ]
    for body, field in cases:
        with pytest.raises(InvalidInput) as exc:
            place(direct_admin, customer, body)
        assert list(exc.value.errors["lines"][0]) == [field], body
    nothing_placed()


def test_the_partners_currency_is_the_orders(db):
    partner = make_direct_bill(country="GB")
    order = place(user_of(partner), direct_customer(partner), line(sold(partner)))
    assert order.currency == "GBP"


# --- The lines --------------------------------------------------------------------------------------


@pytest.mark.parametrize("quantity", [1, 10000])
def test_the_quantity_bounds_are_allowed(direct, direct_admin, quantity):
    order = place(direct_admin, direct_customer(direct), line(sold(direct), quantity))
    assert order.lines.get().quantity == quantity


@pytest.mark.parametrize("quantity", [0, -1, 10001, "5", 2.5, True, None])
def test_a_bad_quantity_is_refused_on_its_line(direct, direct_admin, quantity):
    price = sold(direct)
    with pytest.raises(InvalidInput) as exc:
        place(direct_admin, direct_customer(direct), line(price), line(price, quantity))
    assert exc.value.errors["lines"][0] == {}
    assert list(exc.value.errors["lines"][1]) == ["quantity"]
    nothing_placed()


@pytest.mark.parametrize("lines", [[], None, "x", [{"offer_id": "x"}] * 51])
def test_an_order_has_one_to_fifty_lines(direct, direct_admin, lines):
    with pytest.raises(InvalidInput) as exc:
        order_place(actor=direct_admin, customer=direct_customer(direct), lines=lines)
    assert list(exc.value.errors) == ["lines"]


def test_a_line_that_is_not_an_object_is_refused(direct, direct_admin):
    with pytest.raises(InvalidInput) as exc:
        order_place(actor=direct_admin, customer=direct_customer(direct), lines=["x"])
    assert list(exc.value.errors["lines"][0]) == ["non_field_errors"]


def test_auto_renew_is_a_boolean_and_on_by_default(direct, direct_admin):
    customer, price = direct_customer(direct), sold(direct)
    order = place(direct_admin, customer, line(price), line(price, auto_renew=False))
    assert [line.auto_renew for line in order.lines.all()] == [True, False]
    with pytest.raises(InvalidInput) as exc:
        place(direct_admin, customer, line(price, auto_renew="yes"))
    assert list(exc.value.errors["lines"][0]) == ["auto_renew"]


def test_a_reservation_has_a_scope_and_nothing_else_does(direct, direct_admin):
    customer = direct_customer(direct)
    reservation = sold(direct, kind="azure_reservation", term="P3Y", billing="annual")
    seats = sold(direct)
    order = place(direct_admin, customer, line(reservation, 2, scope="single"))
    assert order.lines.get().scope == "single"
    for body in (line(reservation), line(reservation, scope="everything"), line(seats, scope="shared")):
        with pytest.raises(InvalidInput) as exc:
            place(direct_admin, customer, body)
        assert list(exc.value.errors["lines"][0]) == ["scope"]


def test_the_database_holds_the_quantity_range(direct):
    price = sold(direct)
    order = Order.objects.create(customer=direct_customer(direct), partner=direct, currency="EUR")
    for quantity in (0, 10001):
        with pytest.raises(IntegrityError), transaction.atomic():
            OrderLine.objects.create(
                order=order,
                line_number=1,
                offer=price.offer,
                price=price,
                quantity=quantity,
                term="P1Y",
                billing="monthly",
                unit_price=1,
                currency="EUR",
            )


# --- The credit line ---------------------------------------------------------------------------------


def test_an_order_past_the_credit_line_is_refused_with_the_reason(direct, direct_admin):
    with_credit_line(direct, Decimal("1000"))
    customer = direct_customer(direct)
    price = sold(direct, unit_price=Decimal("100.00"), billing="annual")
    subscription_of(direct, customer, price=price, quantity=3, start=date(2026, 3, 1))  # 300 unbilled
    place(direct_admin, customer, line(price, 5))  # 500 pending: 800 used
    with pytest.raises(InvalidInput) as exc:
        place(direct_admin, customer, line(price, 3))
    [message] = exc.value.errors["non_field_errors"]
    assert "€300.00" in message and "€1,000.00" in message and "€200.00 of it is available" in message
    assert place(direct_admin, customer, line(price, 2)).total == Decimal("200.00")  # exactly the line
    assert Order.objects.pending().count() == 2


def test_the_refusal_is_in_the_readers_language(direct, direct_admin):
    from django.utils import translation

    with_credit_line(direct, Decimal("1000"))
    price = sold(direct, unit_price=Decimal("1500.00"), billing="annual")
    with translation.override("ru"), pytest.raises(InvalidInput) as exc:
        place(direct_admin, direct_customer(direct), line(price, 1))
    assert "1\xa0500,00\xa0€" in exc.value.errors["non_field_errors"][0]


def test_a_partner_without_a_credit_line_is_not_limited(provider, provider_admin, reseller, relationship):
    price = sold(provider, unit_price=Decimal("999999.00"))
    order = place(provider_admin, share_customer(provider, reseller), line(price, 10000))
    assert order.total == Decimal("9999990000.00")


# --- Idempotency ---------------------------------------------------------------------------------------


def test_the_same_key_twice_is_one_order(direct, direct_admin):
    customer, price = direct_customer(direct), sold(direct)
    first = place(direct_admin, customer, line(price, 3), key="req-1")
    again = place(direct_admin, customer, line(price, 3), key="req-1")
    assert (again.pk, again.replayed) == (first.pk, True)
    assert Order.objects.count() == 1
    assert Event.objects.filter(kind="order_placed").count() == 1


def test_the_same_key_with_another_body_is_409(direct, direct_admin):
    customer, price = direct_customer(direct), sold(direct)
    place(direct_admin, customer, line(price, 3), key="req-1")
    for body, target in ((line(price, 4), customer), (line(price, 3), direct_customer(direct))):
        with pytest.raises(InvalidTransition) as exc:
            place(direct_admin, target, body, key="req-1")
        assert "already used for another order" in str(exc.value.message)
    with pytest.raises(InvalidTransition):
        place(direct_admin, customer, line(price, 0), key="req-1")  # a bad body too
    assert Order.objects.count() == 1


def test_a_key_belongs_to_one_partner(direct, direct_admin, outsider_partner, outsider):
    place(direct_admin, direct_customer(direct), line(sold(direct)), key="req-1")
    other = place(outsider, direct_customer(outsider_partner), line(sold(outsider_partner)), key="req-1")
    assert other.replayed is False and Order.objects.count() == 2


def test_a_key_longer_than_the_column_is_refused(direct, direct_admin):
    customer, price = direct_customer(direct), sold(direct)
    assert place(direct_admin, customer, line(price), key="k" * 100).idempotency_key == "k" * 100
    with pytest.raises(InvalidInput) as exc:
        place(direct_admin, customer, line(price), key="k" * 101)
    assert list(exc.value.errors) == ["idempotency_key"]
