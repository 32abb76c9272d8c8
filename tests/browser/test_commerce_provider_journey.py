"""Commerce of an indirect provider and its reseller in a real Chromium (issue 10, "Done
when"), each person in their own browser: the provider's global admin orders for the
customer its reseller brought, on the customer's page; the reseller's global admin sees
that order read-only (no *Add products*), adds a user of the customer's tenant and assigns
a license from the provider's subscription, and reads assigned of bought on the customer
list; the reseller's helpdesk agent resets a user's password but has no license or order
actions (the page says why). After March's invoice run the reseller sees what its provider
billed its customer.

On a fixed calendar (time_machine, frozen around each phase; the live server's thread
sees the same clock). Every page is audited with axe-core; screenshots
``var/screenshots/<NN>-commerce-<name>.png`` from 260 (260–289).
"""

from decimal import Decimal

import pytest
import time_machine
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from playwright.sync_api import Page, expect

from billing.models import Invoice, LicenseAssignment, Order, Subscription
from billing.tasks import invoices_run
from partnercenter.accounts.models import Role
from tests.cast import share_customer, user_of
from tests.factories import ProviderResellerRelationshipFactory, TenantFactory

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
from .helpers import expect_labelled_cells, h1, sign_in, text_n
from .provider_helpers import (
    CUSTOMER,
    CUSTOMER_DOMAIN,
    PROVIDER,
    PROVIDER_ADMIN,
    RESELLER,
    RESELLER_ADMIN,
    described,
    make_provider,
    make_reseller,
    nav,
    table_row,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

SHOT_START = {"test_a_provider_orders_for_its_resellers_customer_and_the_reseller_manages_licenses": 260}
SHOT_END = 290

HELPDESK = "tim.krause@fabrikam.de"
UPN = f"megan.bowen@{CUSTOMER_DOMAIN}"
QUANTITY = 3


@pytest.fixture
def world(db):
    provider, reseller = make_provider(), make_reseller()
    ProviderResellerRelationshipFactory(provider=provider, reseller=reseller)
    user_of(reseller, Role.HELPDESK_AGENT, email=HELPDESK, first_name="Tim", last_name="Krause")
    customer = share_customer(
        provider,
        reseller,
        company_name=CUSTOMER,
        tenant=TenantFactory(name=CUSTOMER, domain=CUSTOMER_DOMAIN, country="DE"),
    )
    return provider, reseller, customer, price_list(provider)


def provider_orders(page: Page, base: str, shoot, customer, price) -> None:
    """The provider's admin: *Add products* for the reseller's customer."""
    page.goto(customer_url(base, customer))
    expect(h1(page)).to_have_text(CUSTOMER)
    # The provider bills; the reseller administers the tenant.
    expect(page.locator("#users")).to_contain_text(
        _(
            "Only the partner with administrator access to this customer's tenant manages its users and "
            "licenses: its reseller, or its direct-bill partner."
        )
    )
    choose_offer(page, price, QUANTITY)
    shoot(page, "commerce-provider-add-products")
    review_order(page)
    expect(page.locator("main")).to_contain_text(
        _("Total for the first billing period: %(total)s")
        % {"total": money(QUANTITY * price.unit_price, price.currency)}
    )
    audit(page)
    submit_order(page, CUSTOMER)
    order = Order.objects.get()
    expect(page).to_have_url(f"{base}/orders/{order.pk}/")
    summary = page.locator("dl.summary")
    expect(described(summary, _("Status"))).to_contain_text(_("Completed"))
    expect(described(summary, _("Ordered by"))).to_have_text(PROVIDER)
    expect(described(summary, _("Reseller"))).to_have_text(RESELLER)
    shoot(page, "commerce-provider-order")


def reseller_manages_licenses(page: Page, base: str, shoot, customer) -> None:
    """The reseller's admin: the provider's order read-only, a user and a license."""
    page.goto(customer_url(base, customer))
    expect(h1(page)).to_have_text(CUSTOMER)
    expect(page.locator("#order")).to_have_count(0)  # no *Add products*: the provider orders
    expect(page.get_by_role("button", name=_("Review order"))).to_have_count(0)
    expect(page.locator("main")).to_contain_text(
        _(
            "Your provider orders products for this customer and bills it; you manage its users and "
            "licenses and handle renewals."
        )
    )
    history = page.locator("#orders table tbody tr")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text(PROVIDER)
    expect(history.first).to_contain_text(_("Completed"))
    expect(licenses_row(page, PRODUCT)).to_contain_text(assigned_of(0, QUANTITY))

    add_user(page, "Megan", "Bowen", "megan.bowen")
    audit(page)
    assign_license(page, UPN, PRODUCT)
    expect(user_row(page, UPN)).to_contain_text(PRODUCT)
    expect(licenses_row(page, PRODUCT)).to_contain_text(assigned_of(1, QUANTITY))
    expect_labelled_cells(page, "customer-users")  # on a phone each value says its column
    expect_labelled_cells(page, "licenses")
    shoot(page, "commerce-reseller-licenses")
    assert LicenseAssignment.objects.get().subscription == Subscription.objects.get()

    # The customer list: assigned of bought, and the users.
    nav(page, _("Customers"))
    row = table_row(page, "customers", CUSTOMER)
    expect(row).to_contain_text(_("Your provider orders"))
    expect(row).to_contain_text(
        ngettext(
            "%(assigned)s of %(counter)s license assigned",
            "%(assigned)s of %(counter)s licenses assigned",
            QUANTITY,
        )
        % {"assigned": 1, "counter": QUANTITY}
    )
    expect(row).to_contain_text(text_n("%(counter)s user", "%(counter)s users", 1))
    shoot(page, "commerce-reseller-customers")


def helpdesk_resets_a_password(page: Page, base: str, shoot, customer) -> None:
    """The reseller's helpdesk agent: users yes, licenses and orders no, and why."""
    page.goto(customer_url(base, customer))
    expect(h1(page)).to_have_text(CUSTOMER)
    expect(page.locator("#order")).to_have_count(0)
    expect(page.locator("nav.topnav").get_by_role("link", name=_("Orders"), exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name=_("Assign license"))).to_have_count(0)
    expect(page.get_by_role("button", name=_("Remove license"))).to_have_count(0)
    ask = _("Ask your global admin for the role.")
    expect(page.locator("#users")).to_contain_text(
        f"{_('Only your global admin or an admin agent can assign licenses.')} {ask}"
    )
    expect(page.locator("#orders")).to_contain_text(
        _(
            "Only your global admin, an admin agent or a sales agent can see customers' orders and subscriptions."
        )
        + f" {ask}"
    )
    row = user_row(page, UPN)
    expect(row).to_contain_text(PRODUCT)  # the license shows, without its button
    row.get_by_role("button", name=_("Reset password")).click()
    expect(page.locator("#temporary-password")).to_contain_text(UPN)
    shoot(page, "commerce-helpdesk-reset-password")


def reseller_reads_what_was_billed(page: Page, base: str, shoot, price) -> None:
    invoice = Invoice.objects.get()
    nav(page, _("Invoices"))
    expect(h1(page)).to_have_text(_("Invoices"))
    row = table_row(page, "invoices", invoice.number)
    expect(row).to_contain_text(CUSTOMER)
    expect(row).to_contain_text(PROVIDER)  # billed by
    # 22 of March's 31 days of 3 × 10.50.
    expect(row).to_contain_text(money("22.35", price.currency))
    shoot(page, "commerce-reseller-invoices")
    row.get_by_role("link", name=invoice.number).click()
    expect(h1(page)).to_have_text(_("Invoice %(number)s") % {"number": invoice.number})
    facts = page.locator("dl.summary")
    expect(described(facts, _("Billed by"))).to_have_text(PROVIDER)
    expect(described(facts, _("Indirect reseller"))).to_have_text(RESELLER)
    lines = page.locator("table.lines tbody tr")
    expect(lines).to_have_count(1)
    expect(lines.first).to_contain_text(PRODUCT)
    expect(lines.first.locator("td").nth(5)).to_have_text(money("22.35", price.currency))
    shoot(page, "commerce-reseller-invoice")


def test_a_provider_orders_for_its_resellers_customer_and_the_reseller_manages_licenses(
    new_page, live_server, shoot, world
):
    provider, reseller, customer, price = world
    base = live_server.url
    provider_page, reseller_page, helpdesk_page = new_page(), new_page(), new_page()

    with time_machine.travel(ORDERED, tick=False):
        sign_in(provider_page, base, PROVIDER_ADMIN)
        provider_orders(provider_page, base, shoot, customer, price)
        sign_in(reseller_page, base, RESELLER_ADMIN)
        reseller_manages_licenses(reseller_page, base, shoot, customer)
        sign_in(helpdesk_page, base, HELPDESK)
        helpdesk_resets_a_password(helpdesk_page, base, shoot, customer)

    with time_machine.travel(INVOICED, tick=False):
        invoices_run()
        invoice = Invoice.objects.get()
        assert (invoice.partner, invoice.reseller, invoice.customer) == (provider, reseller, customer)
        assert invoice.total == Decimal("22.35")
        sign_in(reseller_page, base, RESELLER_ADMIN)  # March's session has ended (two weeks)
        reseller_reads_what_was_billed(reseller_page, base, shoot, price)
