"""The wizard's address follows the chosen country in a real browser (static/js/address.js):
the fields the country uses, their names there, its list of states or provinces, and the
phone example of that country on the next step."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.a11y import audit
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def field(page: Page, name: str):
    return page.locator(f".field:has([name='business-{name}'])")


def test_the_address_fields_follow_the_country(page: Page, live_server, admin, mpn):
    page.goto(f"{live_server.url}/sign-in/")
    audit(page)
    page.get_by_label("Work email").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    audit(page)
    page.goto(f"{live_server.url}/enroll/apply/program/")
    audit(page)
    wizard = page.locator("#wizard-form")
    wizard.get_by_role("button", name="Next", exact=True).click()
    audit(page)
    page.locator('[name="mpn-mpn_id"]').fill(mpn.mpn_id)
    wizard.get_by_role("button", name="Next", exact=True).click()
    audit(page)

    # Germany, as the server rendered it: no state, a postal code example.
    expect(field(page, "state")).to_be_hidden()
    expect(field(page, "postal_code")).to_contain_text("For example 26133.")

    # Japan: a prefecture from a list, no city.
    page.locator('[name="business-country"]').select_option("JP")
    expect(field(page, "state").locator("label")).to_have_text("Prefecture")
    expect(field(page, "state")).to_be_visible()
    expect(field(page, "city")).to_be_hidden()
    expect(page.locator("select[name='business-state'] option", has_text="Tokyo")).to_have_count(1)
    expect(field(page, "postal_code")).to_contain_text("For example 154-0023.")
    audit(page)

    # The United States: a state from its list, a ZIP code.
    page.locator('[name="business-country"]').select_option("US")
    expect(field(page, "postal_code").locator("label")).to_have_text("ZIP code")
    expect(field(page, "city")).to_be_visible()
    page.locator('[name="business-line1"]').fill("1 Market St")
    page.locator('[name="business-city"]').fill("San Francisco")
    page.locator('[name="business-state"]').select_option("CA")
    page.locator('[name="business-postal_code"]').fill("94105")
    wizard.get_by_role("button", name="Next", exact=True).click()

    # The next step gives a phone example of the United States.
    expect(page.locator('[name="contact-phone"]')).to_have_attribute("placeholder", "+1 201-555-0123")
    audit(page)
