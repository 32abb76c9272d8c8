"""The invoice lists (pages and API, the partner's and the customer's, and *Billing*'s
credits) read a page: a constant number of queries and rows whatever the number of
invoices (tests/test_bounded_reads.py's measure, at two sizes past the page)."""

from datetime import date
from decimal import Decimal

import pytest
from rest_framework.pagination import PageNumberPagination

from billing.models import Credit, Invoice, InvoiceLine
from billing.views import invoices as invoice_views
from partnercenter.accounts.models import Role
from tests.billing.factories import subscription_of
from tests.cast import (
    make_customer_admin,
    make_provider,
    make_reseller,
    share_customer,
    user_of,
)
from tests.conftest import api_as
from tests.test_bounded_reads import PAGE, assert_bounded, measure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_pages(monkeypatch):
    monkeypatch.setattr(invoice_views, "PAGE_SIZE", PAGE)
    monkeypatch.setattr(invoice_views, "CREDITS_SHOWN", PAGE)
    monkeypatch.setattr(PageNumberPagination, "page_size", PAGE)


@pytest.fixture
def world():
    provider = make_provider("Contoso Distribution GmbH")
    reseller = make_reseller(provider)
    customer_admin = make_customer_admin("lists.onmicrosoft.com", name="Lists GmbH")
    own = share_customer(provider, reseller, tenant=customer_admin.tenant)
    return provider, reseller, own, customer_admin


def grower(provider, reseller, own):
    """Invoices of the provider, each to a new customer of the reseller (and every third to
    the customer ``own``, a month earlier each), each with two lines and a credit."""
    made = []

    def grow(size):
        while len(made) < size:
            n = len(made) + 1
            customer = own if n % 3 == 0 else share_customer(provider, reseller)
            subscription = subscription_of(provider, customer, reseller=reseller)
            invoice = Invoice.objects.create(
                partner=provider,
                customer=customer,
                reseller=reseller,
                sequence=n,
                number=f"G{n:09d}",
                period_start=date(2020 + n // 12, n % 12 + 1, 1),
                period_end=date(2020 + n // 12, n % 12 + 1, 28),
                currency="EUR",
                total=Decimal("10.00"),
            )
            for line_number in (1, 2):
                InvoiceLine.objects.create(
                    invoice=invoice,
                    line_number=line_number,
                    kind="charge",
                    subscription=subscription,
                    offer_id=subscription.offer.offer_id,
                    description=subscription.friendly_name,
                    quantity=1,
                    unit_price=Decimal("5.00"),
                    charge_start=invoice.period_start,
                    charge_end=invoice.period_end,
                    amount=Decimal("5.00"),
                )
            Credit.objects.create(
                partner=provider,
                customer=customer,
                subscription=subscription,
                amount=Decimal("1.00"),
                currency="EUR",
                reason="cancelled",
                credit_start=invoice.period_start,
                credit_end=invoice.period_end,
                invoice=invoice,
            )
            made.append(invoice)

    return grow


@pytest.mark.parametrize(
    "url",
    ["/invoices/", "/invoices/?period=2020-04", "/api/v1/invoices/?period=2020-04", "/api/v1/invoices/"],
)
@pytest.mark.parametrize("who", ["provider", "reseller"])
def test_the_partners_lists(client, world, url, who):
    provider, reseller, own, _admin = world
    user = user_of(provider if who == "provider" else reseller, Role.BILLING_ADMIN)
    client.force_login(user)
    fetch = (lambda: api_as(user).get(url)) if url.startswith("/api/") else (lambda: client.get(url))
    assert_bounded(measure(fetch, grower(provider, reseller, own)), "billing_invoice")


def test_the_billing_pages_credits(client, world):
    provider, reseller, own, _admin = world
    user = user_of(provider, Role.BILLING_ADMIN)
    client.force_login(user)
    subscription = subscription_of(provider, own, reseller=reseller)

    def grow(size):
        while Credit.objects.count() < size:
            Credit.objects.create(
                partner=provider,
                customer=own,
                subscription=subscription,
                amount=Decimal("1.00"),
                currency="EUR",
                reason="cancelled",
                credit_start=date(2026, 2, 1),
                credit_end=date(2026, 2, 2),
            )

    assert_bounded(measure(lambda: client.get("/billing/"), grow), "billing_credit")


@pytest.mark.parametrize("url", ["/customer/invoices/", "/api/v1/customer/invoices/"])
def test_the_customers_list(client, world, url):
    provider, reseller, own, customer_admin = world
    client.force_login(customer_admin)
    fetch = (
        (lambda: api_as(customer_admin).get(url)) if url.startswith("/api/") else (lambda: client.get(url))
    )
    grow = grower(provider, reseller, own)
    # Three sizes' worth: every third invoice is the customer's, so both sizes pass the page.
    assert_bounded(measure(fetch, lambda size: grow(size * 3)), "billing_invoice")


def test_the_detail_reads_its_lines_in_one_query(client, world, django_assert_num_queries):
    provider, reseller, own, _admin = world
    grow = grower(provider, reseller, own)
    grow(1)
    invoice = Invoice.objects.get()
    user = user_of(provider, Role.BILLING_ADMIN)
    client.force_login(user)
    client.get(f"/invoices/{invoice.pk}/")
    with django_assert_num_queries(3) as captured:
        assert api_as(user).get(f"/api/v1/invoices/{invoice.pk}/").status_code == 200
    assert sum("billing_invoiceline" in q["sql"] for q in captured.captured_queries) == 1
