"""The customer's side in a real Chromium: after authorizing a reseller and its provider, the
customer's global admin opens *Partner relationships*, sees who does what (roles, who bills,
who has administrator access), removes the reseller's administrator access and ends the
provider's relationship, each after a confirmation page; each partner is emailed.

Screenshots: ``var/screenshots/<NN>-<name>.png`` from 140 (after test_provider_journey.py's
90–130).
"""

import pytest
from django.core import mail
from playwright.sync_api import expect

from relationships.models import CustomerRelationship
from tests import cast
from tests.browser.test_provider_journey import (
    CUSTOMER,
    CUSTOMER_DOMAIN,
    PROVIDER,
    PROVIDER_CONTACT,
    RESELLER,
    RESELLER_CONTACT,
    RESELLER_MPN_ID,
    cell,
    flash,
    h1,
    make_customer_admin,
    make_provider,
    make_reseller,
    nav,
    sign_in,
    table_row,
)
from tests.factories import ProviderResellerRelationshipFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

SHOT_START = {"test_the_customer_removes_access_and_ends_a_relationship": 140}
SHOT_END = 150


def test_the_customer_removes_access_and_ends_a_relationship(new_page, live_server, shoot):
    provider, reseller = make_provider(), make_reseller()
    ProviderResellerRelationshipFactory(provider=provider, reseller=reseller)
    customer_admin = make_customer_admin()
    reseller_admin = reseller.tenant.users.get()
    customer = cast.authorize_customer(customer_admin, reseller_admin, provider)
    mail.outbox.clear()
    base = live_server.url
    page = new_page()
    sign_in(page, base, customer_admin.email)

    nav(page, "Partner relationships")
    expect(page).to_have_url(f"{base}/customer/partners/")
    expect(h1(page)).to_have_text("Partner relationships")
    expect(
        page.get_by_role("heading", name=f"The partners of {CUSTOMER} ({CUSTOMER_DOMAIN})")
    ).to_be_visible()
    mine = table_row(page, "partners", f"MPN ID {RESELLER_MPN_ID}")
    expect(cell(mine, 0)).to_contain_text(RESELLER)
    expect(cell(mine, 1)).to_have_text("Indirect reseller")
    expect(cell(mine, 2)).to_have_text("No")
    expect(cell(mine, 3)).to_have_text("Yes")
    expect(cell(mine, 4)).to_have_text("Active")
    theirs = table_row(page, "partners", f"through {RESELLER}")
    expect(cell(theirs, 0)).to_contain_text(PROVIDER)
    expect(cell(theirs, 2)).to_have_text("Yes")  # the provider bills
    expect(cell(theirs, 3)).to_have_text("No")
    expect(theirs.get_by_role("link", name="Remove administrator access")).to_have_count(0)
    shoot(page, "customer-partners")

    # 1. Remove the reseller's administrator access, after the confirmation page.
    mine.get_by_role("link", name="Remove administrator access").click()
    expect(h1(page)).to_have_text(f"Remove the administrator access of {RESELLER}?")
    expect(page.locator("main")).to_contain_text("It stays your partner, as Indirect reseller.")
    shoot(page, "customer-remove-admin-access")
    page.locator("main").get_by_role("button", name="Remove administrator access").click()
    expect(page).to_have_url(f"{base}/customer/partners/")
    expect(flash(page)).to_have_text(
        f"{RESELLER} no longer has administrator access to your organization. It stays your partner."
    )
    mine = table_row(page, "partners", f"MPN ID {RESELLER_MPN_ID}")
    expect(cell(mine, 3)).to_contain_text("Removed")
    expect(cell(mine, 4)).to_have_text("Active")
    expect(mine.get_by_role("link", name="Remove administrator access")).to_have_count(0)

    # 2. End the provider's relationship: Cancel changes nothing; the button does.
    theirs = table_row(page, "partners", f"through {RESELLER}")
    theirs.get_by_role("link", name="End relationship").click()
    expect(h1(page)).to_have_text(f"End the relationship with {PROVIDER}?")
    page.locator("main").get_by_role("link", name="Cancel").click()
    expect(cell(table_row(page, "partners", f"through {RESELLER}"), 4)).to_have_text("Active")
    table_row(page, "partners", f"through {RESELLER}").get_by_role("link", name="End relationship").click()
    shoot(page, "customer-end-relationship")
    page.locator("main").get_by_role("button", name="End relationship").click()
    expect(flash(page)).to_have_text(f"Your organization's relationship with {PROVIDER} has ended.")
    theirs = table_row(page, "partners", f"through {RESELLER}")
    expect(cell(theirs, 2)).to_have_text("No")
    expect(cell(theirs, 4)).to_contain_text("Ended")
    expect(theirs.get_by_role("link")).to_have_count(0)
    shoot(page, "customer-partners-after")

    assert {
        (r.partner, r.state, r.admin_access) for r in CustomerRelationship.objects.filter(customer=customer)
    } == {
        (reseller, "active", False),
        (provider, "terminated", False),
    }
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([RESELLER_CONTACT], f"{CUSTOMER} removed your administrator access"),
        ([PROVIDER_CONTACT], f"{CUSTOMER} ended its relationship with you"),
    ]
