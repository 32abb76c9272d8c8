"""The customer's side in a real Chromium: after authorizing a reseller and its provider, the
customer's global admin opens *Partner relationships*, sees who does what (roles, who bills,
who has administrator access), removes the reseller's administrator access and ends the
provider's relationship, each after a confirmation page; each partner is emailed.

In English and in 简体中文. Screenshots: ``var/screenshots/<NN>-<name>.png`` from 140 (after
test_provider_journey.py's 90–130).
"""

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation
from playwright.sync_api import expect

from relationships.models import CustomerRelationship
from tests import cast
from tests.browser.helpers import expect_labelled_cells, flash, h1, sign_in
from tests.browser.provider_helpers import (
    CUSTOMER,
    CUSTOMER_DOMAIN,
    PROVIDER,
    PROVIDER_CONTACT,
    RESELLER,
    RESELLER_CONTACT,
    RESELLER_MPN_ID,
    cell,
    make_customer_admin,
    make_provider,
    make_reseller,
    nav,
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


def in_language(language):
    """``t(text, **params)``: ``text`` as the page shows it in ``language`` (the catalogs'
    own words, so the test follows the translators)."""

    def t(text, **params):
        with translation.override(language):
            found = translation.gettext(text)
        return found % params if params else found

    return t


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_customer_removes_access_and_ends_a_relationship(new_page, live_server, shoot, language):
    t = in_language(language)
    provider, reseller = make_provider(), make_reseller()
    ProviderResellerRelationshipFactory(provider=provider, reseller=reseller)
    customer_admin = make_customer_admin()
    reseller_admin = reseller.tenant.users.get()
    customer = cast.authorize_customer(customer_admin, reseller_admin, provider)
    mail.outbox.clear()
    base = live_server.url
    page = new_page()
    sign_in(page, base, customer_admin.email)
    # The reader's language from here on (as the header's switcher leaves it: a cookie).
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
    page.goto(f"{base}/")
    expect(page.locator("html")).to_have_attribute("lang", language)

    nav(page, t("Partner relationships"))
    expect(page).to_have_url(f"{base}/customer/partners/")
    expect(h1(page)).to_have_text(t("Partner relationships"))
    expect(
        page.get_by_role(
            "heading", name=t("The partners of %(name)s (%(domain)s)", name=CUSTOMER, domain=CUSTOMER_DOMAIN)
        )
    ).to_be_visible()
    mine = table_row(page, "partners", RESELLER_MPN_ID)
    expect(cell(mine, 0)).to_contain_text(RESELLER)
    expect(cell(mine, 1)).to_have_text(t("Indirect reseller"))
    expect(cell(mine, 2)).to_have_text(t("No"))
    expect(cell(mine, 3)).to_have_text(t("Yes"))
    expect(cell(mine, 4)).to_have_text(t("Active"))
    theirs = table_row(page, "partners", t("through %(name)s", name=RESELLER))
    expect(cell(theirs, 0)).to_contain_text(PROVIDER)
    expect(cell(theirs, 2)).to_have_text(t("Yes"))  # the provider bills
    expect(cell(theirs, 3)).to_have_text(t("No"))
    expect(theirs.get_by_role("link", name=t("Remove administrator access"))).to_have_count(0)
    expect_labelled_cells(page, "partners")  # at phone width, "Bills you: Yes"
    shoot(page, f"customer-partners-{language}")

    # 1. Remove the reseller's administrator access, after the confirmation page.
    mine.get_by_role("link", name=t("Remove administrator access")).click()
    expect(h1(page)).to_have_text(t("Remove the administrator access of %(name)s?", name=RESELLER))
    if language == "en":
        expect(page.locator("main")).to_contain_text("It stays your partner, as Indirect reseller.")
    shoot(page, f"customer-remove-admin-access-{language}")
    page.locator("main").get_by_role("button", name=t("Remove administrator access")).click()
    expect(page).to_have_url(f"{base}/customer/partners/")
    expect(flash(page)).to_have_text(
        t(
            "%(name)s no longer has administrator access to your organization. It stays your partner.",
            name=RESELLER,
        )
    )
    mine = table_row(page, "partners", RESELLER_MPN_ID)
    expect(cell(mine, 3)).to_contain_text(t("Removed"))
    expect(cell(mine, 4)).to_have_text(t("Active"))
    expect(mine.get_by_role("link", name=t("Remove administrator access"))).to_have_count(0)

    # 2. End the provider's relationship: Cancel changes nothing; the button does.
    theirs = table_row(page, "partners", t("through %(name)s", name=RESELLER))
    theirs.get_by_role("link", name=t("End relationship")).click()
    expect(h1(page)).to_have_text(t("End the relationship with %(name)s?", name=PROVIDER))
    page.locator("main").get_by_role("link", name=t("Cancel")).click()
    theirs = table_row(page, "partners", t("through %(name)s", name=RESELLER))
    expect(cell(theirs, 4)).to_have_text(t("Active"))
    theirs.get_by_role("link", name=t("End relationship")).click()
    shoot(page, f"customer-end-relationship-{language}")
    page.locator("main").get_by_role("button", name=t("End relationship")).click()
    expect(flash(page)).to_have_text(
        t("Your organization's relationship with %(name)s has ended.", name=PROVIDER)
    )
    theirs = table_row(page, "partners", t("through %(name)s", name=RESELLER))
    expect(cell(theirs, 2)).to_have_text(t("No"))
    expect(cell(theirs, 4)).to_contain_text(t("Ended"))
    expect(theirs.get_by_role("link")).to_have_count(0)
    shoot(page, f"customer-partners-after-{language}")

    assert {
        (r.partner, r.state, r.admin_access) for r in CustomerRelationship.objects.filter(customer=customer)
    } == {
        (reseller, "active", False),
        (provider, "terminated", False),
    }
    # Each partner is emailed in its own language (the partners' is English).
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([RESELLER_CONTACT], f"{CUSTOMER} removed your administrator access"),
        ([PROVIDER_CONTACT], f"{CUSTOMER} ended its relationship with you"),
    ]
