"""What the commerce browser journeys share (test_commerce_direct_journey.py,
test_commerce_provider_journey.py): the price list of the journey, the customer page's
*Add products*, *Users* and *Licenses* sections, and the fixed calendar (an order on
10 March 2027, the invoice run on 2 April 2027: the suite never depends on today's date)."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from playwright.sync_api import Page, expect

from partnercenter.core.l10n import format_money
from tests.billing.factories import PriceFactory

from .helpers import flash, h1

ORDERED = "2027-03-10T09:00:00+00:00"
INVOICED = "2027-04-02T06:00:00+00:00"
PERIOD = "2027-03"

PRODUCT = "Microsoft 365 Business Standard"
UNIT_PRICE = Decimal("10.50")


def price_list(partner):
    """Microsoft 365 Business Standard, one year billed monthly, in the partner's market and
    currency, on the price list since 1 January 2027."""
    return PriceFactory(
        offer__product__name=PRODUCT,
        offer__name=PRODUCT,
        market=partner.market.code,
        currency=partner.market.currency,
        term="P1Y",
        billing="monthly",
        unit_price=UNIT_PRICE,
        effective_from=date(2027, 1, 1),
    )


def money(amount, currency: str) -> str:
    return format_money(Decimal(amount), currency)


def customer_url(base: str, customer) -> str:
    return f"{base}/customers/{customer.pk}/"


def choose_offer(page: Page, price, quantity: int) -> None:
    """Line 1 of *Add products*: the offer (its term and billing frequency) and the quantity."""
    order = page.locator("#order")
    first = order.locator("fieldset.order-line").first
    first.get_by_label(_("Offer, term and billing")).select_option(
        f"{price.offer.offer_id}|{price.term}|{price.billing}"
    )
    first.get_by_label(_("Quantity")).fill(str(quantity))


def review_order(page: Page) -> None:
    page.locator("#order").get_by_role("button", name=_("Review order")).click()
    expect(h1(page)).to_have_text(_("Review order"))


def submit_order(page: Page, customer_name: str) -> None:
    page.get_by_role("button", name=_("Submit order")).click()
    expect(flash(page)).to_have_text(
        _("Your order for %(customer)s was placed.") % {"customer": customer_name}
    )


def add_user(page: Page, first_name: str, last_name: str, username: str) -> str:
    """*Add user* on the customer page; returns the temporary password shown once."""
    form = page.locator("#add-user")
    form.get_by_label(_("First name")).fill(first_name)
    form.get_by_label(_("Last name")).fill(last_name)
    form.get_by_label(_("User name")).fill(username)
    form.get_by_role("button", name=_("Add user")).click()
    shown = page.locator("#temporary-password")
    expect(shown).to_be_visible()
    password = shown.locator("dd code").nth(1).inner_text()
    assert len(password) >= 8
    return password


def user_row(page: Page, upn: str):
    return page.locator("#users table tbody tr", has_text=upn)


def assign_license(page: Page, upn: str, product: str) -> None:
    row = user_row(page, upn)
    row.get_by_label(_("Subscription")).select_option(label=product)
    row.get_by_role("button", name=_("Assign license")).click()
    expect(flash(page)).to_have_text(
        _("A license of %(product)s is assigned to %(upn)s.") % {"product": product, "upn": upn}
    )


def licenses_row(page: Page, product: str):
    return page.locator("#licenses table tbody tr", has_text=product)


def assigned_of(assigned: int, bought: int) -> str:
    return _("%(assigned)s of %(bought)s") % {"assigned": assigned, "bought": bought}
