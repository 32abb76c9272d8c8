"""Commerce of a direct-bill partner in a real Chromium (issue 10, "Done when"): its global
admin opens a direct customer's page, *Add products* (an offer, a quantity, the total
reviewed, *Submit order*), sees the order completed and the subscription, adds a user of
the customer's tenant (the temporary password shown once) and assigns a license (the
*Licenses* section: 1 of 5 assigned); the month ends, the invoice run bills March, and the
partner reads *Invoices*, the invoice of the month with its line items, and downloads its
PDF and the reconciliation file.

On a fixed calendar (time_machine, frozen around each phase; the live server's thread
sees the same clock). Every page is audited with axe-core; screenshots
``var/screenshots/<NN>-commerce-<name>.png`` from 240 (240–259).
"""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.utils.translation import gettext as _
from playwright.sync_api import Page, expect

from billing.models import Invoice, LicenseAssignment, Order, Subscription
from billing.tasks import invoices_run
from tests.billing.factories import with_credit_line
from tests.cast import direct_customer, make_direct_bill, user_of
from tests.factories import TenantFactory

from .a11y import audit
from .commerce_helpers import (
    INVOICED,
    ORDERED,
    PRODUCT,
    add_user,
    assign_license,
    assigned_of,
    choose_offer,
    customer_url,
    licenses_row,
    money,
    price_list,
    review_order,
    submit_order,
    user_row,
)
from .helpers import expect_labelled_cells, h1, sign_in
from .provider_helpers import nav

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

SHOT_START = {"test_a_direct_bill_partner_orders_assigns_a_license_and_reads_the_invoice": 240}
SHOT_END = 260

PARTNER = "Fourth Coffee B.V."
ADMIN = "eva.dejong@fourthcoffee.nl"
CUSTOMER = "Alpine Ski House B.V."
CUSTOMER_DOMAIN = "alpineskihouse.onmicrosoft.com"
UPN = f"kim.akers@{CUSTOMER_DOMAIN}"
QUANTITY = 5


@pytest.fixture
def world(db):
    partner = make_direct_bill(
        legal_name=PARTNER,
        country="NL",
        tenant=TenantFactory(name=PARTNER, domain="fourthcoffee.onmicrosoft.com", country="NL"),
    )
    with_credit_line(partner, Decimal("5000.00"))
    user_of(partner, email=ADMIN, first_name="Eva", last_name="de Jong")
    customer = direct_customer(
        partner,
        company_name=CUSTOMER,
        tenant=TenantFactory(name=CUSTOMER, domain=CUSTOMER_DOMAIN, country="NL"),
    )
    return partner, customer, price_list(partner)


def order_and_assign(page: Page, base: str, shoot, customer, price) -> None:
    """On 10 March: *Add products*, the review, *Submit order*; a user and its license."""
    currency = price.currency
    page.goto(customer_url(base, customer))
    expect(h1(page)).to_have_text(CUSTOMER)
    choose_offer(page, price, QUANTITY)
    shoot(page, "commerce-add-products")
    review_order(page)
    total = money(QUANTITY * price.unit_price, currency)  # the first month's 5 × 10.50
    expect(page.locator("main table tbody tr")).to_contain_text(PRODUCT)
    expect(page.locator("main")).to_contain_text(
        _("Total for the first billing period: %(total)s") % {"total": total}
    )
    shoot(page, "commerce-review-order")
    submit_order(page, CUSTOMER)

    order = Order.objects.get()
    expect(page).to_have_url(f"{base}/orders/{order.pk}/")
    expect(page.locator("dl.summary")).to_contain_text(_("Completed"))
    expect(page.locator("dl.summary")).to_contain_text(total)
    shoot(page, "commerce-order")

    # The subscription on the customer's page.
    page.goto(customer_url(base, customer))
    subscription = Subscription.objects.get()
    row = page.locator("#subscriptions table tbody tr", has_text=PRODUCT)
    expect(row).to_contain_text(_("Active"))
    expect(row.locator("td").nth(1)).to_have_text(str(QUANTITY))
    expect(licenses_row(page, PRODUCT)).to_contain_text(assigned_of(0, QUANTITY))

    # *Users*: a user of the customer's tenant, its temporary password shown once.
    password = add_user(page, "Kim", "Akers", "kim.akers")
    expect(user_row(page, UPN)).to_contain_text(_("No licenses"))
    shoot(page, "commerce-users")
    assign_license(page, UPN, PRODUCT)
    expect(page.locator("#temporary-password")).to_have_count(0)  # shown once only
    expect(page.locator("main")).not_to_contain_text(password)
    expect(user_row(page, UPN)).to_contain_text(PRODUCT)
    expect(licenses_row(page, PRODUCT)).to_contain_text(assigned_of(1, QUANTITY))
    shoot(page, "commerce-licenses")
    assert LicenseAssignment.objects.filter(subscription=subscription).count() == 1


def read_the_invoice(page: Page, base: str, shoot, price) -> None:
    """On 2 April, after the run: *Invoices*, March's invoice, its PDF and CSV."""
    currency = price.currency
    invoice = Invoice.objects.get()
    page.goto(f"{base}/")
    audit(page)
    nav(page, _("Invoices"))
    expect(h1(page)).to_have_text(_("Invoices"))
    row = page.locator("table.invoices tbody tr", has_text=invoice.number)
    expect(row).to_contain_text(CUSTOMER)
    # 22 of March's 31 days of 5 × 10.50.
    expect(row).to_contain_text(money("37.26", currency))
    shoot(page, "commerce-invoices")

    row.get_by_role("link", name=invoice.number).click()
    expect(h1(page)).to_have_text(_("Invoice %(number)s") % {"number": invoice.number})
    lines = page.locator("table.lines tbody tr")
    expect(lines).to_have_count(1)
    expect(lines.first).to_contain_text(PRODUCT)
    expect(lines.first.locator("td").nth(3)).to_have_text(str(QUANTITY))
    expect(lines.first.locator("td").nth(4)).to_have_text(money("10.50", currency))
    expect(lines.first.locator("td").nth(5)).to_have_text(money("37.26", currency))
    expect(page.locator("table.lines tfoot tr.total")).to_contain_text(money("37.26", currency))
    expect_labelled_cells(page, "lines")  # on a phone each amount says what it is
    shoot(page, "commerce-invoice")

    # The PDF, through the signed-in browser's own cookies.
    pdf_link = page.get_by_role("link", name=_("Download PDF"))
    pdf = page.request.get(base + pdf_link.get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")

    # The reconciliation file: a download, one row per line item.
    with page.expect_download() as download:
        page.get_by_role("link", name=_("Download reconciliation file (CSV)")).click()
    assert download.value.suggested_filename == f"{invoice.number}-reconciliation.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert [
        (r["InvoiceNumber"], r["OfferName"], r["Quantity"], r["Amount"], r["Currency"]) for r in rows
    ] == [(invoice.number, PRODUCT, str(QUANTITY), "37.26", currency)]
    assert (rows[0]["ChargeStartDate"], rows[0]["ChargeEndDate"]) == ("2027-03-10", "2027-03-31")


def test_a_direct_bill_partner_orders_assigns_a_license_and_reads_the_invoice(
    page: Page, live_server, shoot, world
):
    partner, customer, price = world
    base = live_server.url

    with time_machine.travel(ORDERED, tick=False):
        sign_in(page, base, ADMIN)
        order_and_assign(page, base, shoot, customer, price)

    with time_machine.travel(INVOICED, tick=False):
        invoices_run()
        invoice = Invoice.objects.get()
        assert (invoice.partner, invoice.customer, invoice.total) == (partner, customer, Decimal("37.26"))
        sign_in(page, base, ADMIN)  # March's session has ended (two weeks)
        read_the_invoice(page, base, shoot, price)
