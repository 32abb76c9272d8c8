"""Proration has one home (``billing.charges``): monthly in arrears by the day, annual in
advance per year of the term, one-time in the month of purchase; a renewal's new price
never re-prices the days before it; a cut annual term gives back the rest of its year."""

from datetime import date
from decimal import Decimal

import pytest

from billing.charges import add_months, subscription_charges, upfront_refund
from billing.models import SubscriptionTerm
from tests.billing.factories import PriceFactory, subscription_of
from tests.cast import direct_customer, make_direct_bill

pytestmark = pytest.mark.django_db

JANUARY = (date(2026, 1, 1), date(2026, 2, 1))
FEBRUARY = (date(2026, 2, 1), date(2026, 3, 1))


@pytest.fixture
def partner():
    return make_direct_bill()


@pytest.fixture
def customer(partner):
    return direct_customer(partner)


def amounts(subscription, period):
    return [c.amount for c in subscription_charges(subscription, *period)]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2026, 3, 1), 36, date(2029, 3, 1)),
    ],
)
def test_months_are_added_by_the_calendar(day, months, expected):
    assert add_months(day, months) == expected


def test_a_monthly_term_pays_the_days_of_a_partial_month_and_whole_months_whole(partner, customer):
    subscription = subscription_of(
        partner, customer, quantity=4, start=date(2026, 1, 22), unit_price=Decimal("31.00"), billing="monthly"
    )
    # 10 of January's 31 days: 4 × 31.00 × 10 / 31.
    assert amounts(subscription, JANUARY) == [Decimal("40.00")]
    assert amounts(subscription, FEBRUARY) == [Decimal("124.00")]


def test_an_annual_term_is_charged_whole_in_the_month_its_year_starts(partner, customer):
    price = PriceFactory(term="P3Y", billing="annual", unit_price=Decimal("120.00"))
    subscription = subscription_of(partner, customer, price=price, quantity=2, start=date(2026, 1, 10))
    assert amounts(subscription, JANUARY) == [Decimal("240.00")]
    assert amounts(subscription, FEBRUARY) == []
    assert amounts(subscription, (date(2027, 1, 1), date(2027, 2, 1))) == [Decimal("240.00")]
    assert amounts(subscription, (date(2029, 1, 1), date(2029, 2, 1))) == []


def test_perpetual_software_is_charged_once(partner, customer):
    price = PriceFactory(
        term="none", billing="one_time", unit_price=Decimal("99.99"), offer__product__kind="software"
    )
    subscription = subscription_of(partner, customer, price=price, quantity=3, start=date(2026, 1, 5))
    assert subscription.end_date is None
    assert amounts(subscription, JANUARY) == [Decimal("299.97")]
    assert amounts(subscription, FEBRUARY) == []


def test_a_renewal_at_a_new_price_bills_each_term_at_its_own(partner, customer):
    subscription = subscription_of(
        partner,
        customer,
        quantity=1,
        start=date(2025, 1, 16),
        unit_price=Decimal("31.00"),
        billing="monthly",
        term="P1Y",
    )
    SubscriptionTerm.objects.create(
        subscription=subscription,
        number=2,
        start_date=date(2026, 1, 16),
        end_date=date(2027, 1, 16),
        quantity=1,
        unit_price=Decimal("62.00"),
        currency="EUR",
        billing="monthly",
    )
    # 15 days at 31.00 a month, 16 days at 62.00.
    assert amounts(subscription, JANUARY) == [Decimal("15.00"), Decimal("32.00")]


def test_a_yen_charge_has_no_decimals():
    partner = make_direct_bill(country="JP")
    customer = direct_customer(partner)
    subscription = subscription_of(
        partner,
        customer,
        quantity=1,
        start=date(2026, 1, 21),
        unit_price=Decimal("1000"),
        billing="monthly",
        market="japan",
    )
    # 11/31 of 1000 is 354.8…: 355 yen.
    assert subscription.currency == "JPY"
    assert amounts(subscription, JANUARY) == [Decimal("355")]


def test_cutting_an_annual_term_gives_back_the_rest_of_its_year_and_a_monthly_one_nothing(partner, customer):
    price = PriceFactory(term="P1Y", billing="annual", unit_price=Decimal("365.00"))
    annual = subscription_of(partner, customer, price=price, quantity=1, start=date(2026, 1, 1))
    assert upfront_refund(annual.terms.get(), date(2026, 1, 6)) == (
        Decimal("360.00"),
        date(2026, 1, 6),
        date(2027, 1, 1),
    )
    monthly = subscription_of(partner, customer, quantity=1, start=date(2026, 1, 1), billing="monthly")
    assert upfront_refund(monthly.terms.get(), date(2026, 1, 6)) is None


def test_the_credit_position_counts_unpaid_invoices_unbilled_charges_and_credits(partner, customer):
    from billing.credit import credit_position
    from billing.models import Credit
    from tests.billing.factories import InvoiceFactory

    subscription = subscription_of(
        partner, customer, quantity=1, start=date(2026, 1, 1), unit_price=Decimal("31.00"), billing="monthly"
    )
    InvoiceFactory(partner=partner, customer=customer, total=Decimal("31.00"))  # January, unpaid
    InvoiceFactory(
        partner=partner,
        customer=customer,
        total=Decimal("5.00"),
        paid_at="2026-01-20T00:00Z",
        period_start=date(2025, 12, 1),
        period_end=date(2026, 1, 1),
    )
    Credit.objects.create(
        partner=partner,
        customer=customer,
        subscription=subscription,
        amount=Decimal("2.00"),
        currency="EUR",
        reason="cancelled",
        credit_start=date(2026, 2, 1),
        credit_end=date(2026, 2, 2),
    )
    position = credit_position(partner, date(2026, 2, 10))
    # February (unbilled since the January run) is 31.00, less the 2.00 credit.
    assert (position.unpaid, position.unbilled) == (Decimal("31.00"), Decimal("29.00"))
    assert position.used == Decimal("60.00")
    assert position.credit_line is None  # the factory's direct-bill enrollment has no credit line
