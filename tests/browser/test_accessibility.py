"""Accessible and usable on a phone, in a real Chromium (axe-core and the phone-width checks
run on every page of every browser test: tests/browser/a11y.py). Here the rules axe
cannot see: the skip link, the language switcher's button, focus on the first error,
Enter in a wizard field, and the header at desktop and phone width.

Screenshots: ``var/screenshots/140-159``.
"""

import re

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from .a11y import DESKTOP, PHONE, audit, check_phone_width, nav_lines
from .helpers import STEP_COUNT, expect_step, field_error, h1, next_button, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

SHOT_START = {
    "test_the_skip_link_moves_focus_to_the_main_content": 140,
    "test_the_language_switcher_changes_on_its_button_not_on_select": 143,
    "test_a_failed_step_focuses_the_first_error_and_enter_means_next": 148,
    "test_the_header_of_an_active_provider": 152,
}
SHOT_END = 160


def test_the_skip_link_moves_focus_to_the_main_content(page: Page, live_server, admin, shoot):
    """The first Tab shows the skip link; following it puts the focus on the main content."""
    sign_in(page, live_server.url, admin.email)
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).not_to_be_in_viewport()  # out of sight until focused
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    shoot(page, "skip-link")
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_the_language_switcher_changes_on_its_button_not_on_select(page: Page, live_server, admin, shoot):
    """Choosing a language in the header's list changes nothing until its button is pressed;
    then the wizard shows in 繁體中文 and stays so."""
    base = live_server.url
    sign_in(page, base, admin.email)
    page.goto(f"{base}/enroll/apply/")
    expect_step(page, 1, "Program")
    shoot(page, "language-en")

    switcher = page.locator('header select[name="language"]')
    page.evaluate("window.stillHere = true")
    switcher.select_option("zh-hant")
    page.wait_for_timeout(300)  # a submit on change would have left the page by now
    assert page.evaluate("window.stillHere === true"), "choosing a language submitted the form"
    expect(page.locator("html")).to_have_attribute("lang", "en")

    with page.expect_navigation():
        page.locator("header form.lang-switch").get_by_role("button", name="Change").click()
    expect(page).to_have_url(f"{base}/enroll/apply/program/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")
    expect(switcher).to_have_value("zh-hant")
    with translation.override("zh-hant"):
        title = translation.gettext("Program")
        step_of = translation.gettext("Step %(n)s of %(m)s")
        required = translation.gettext("This field is required.")
    assert title != "Program" and required != "This field is required."
    expect(h1(page)).to_have_text(title)
    expect(page.locator(".stepcount")).to_have_text(step_of % {"n": 1, "m": STEP_COUNT})
    shoot(page, "language-zh-hant-program")

    # The next step too, with an error in Chinese (Django's own catalog has this one).
    page.locator("#wizard-form button.primary").click()
    expect(page.locator(".stepcount")).to_have_text(step_of % {"n": 2, "m": STEP_COUNT})
    page.locator("#wizard-form button.primary").click()
    expect(field_error(page, "mpn-mpn_id")).to_have_text(required)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")
    shoot(page, "language-zh-hant-mpn-error")


def test_a_failed_step_focuses_the_first_error_and_enter_means_next(
    page: Page, live_server, admin, mpn, shoot
):
    """A step sent with errors comes back with the focus on the first field in error, its
    error tied to it (its accessible description); Enter in a field goes to the next step,
    not back."""
    sign_in(page, live_server.url, admin.email)
    page.goto(f"{live_server.url}/enroll/apply/")
    expect_step(page, 1, "Program")
    audit(page)
    next_button(page).click()
    expect_step(page, 2, "MPN ID")
    audit(page)
    page.locator('[name="mpn-mpn_id"]').fill(mpn.mpn_id)
    page.locator('[name="mpn-mpn_id"]').press("Enter")  # the step has Back too: Enter is Next
    expect_step(page, 3, "Legal business profile")

    for name in ("business-line1", "business-city", "business-postal_code"):
        page.locator(f'[name="{name}"]').fill("")
    next_button(page).click()
    expect_step(page, 3, "Legal business profile")
    first = page.locator('[name="business-line1"]')
    expect(first).to_be_focused()
    expect(first).to_have_attribute("aria-invalid", "true")
    expect(first).to_have_accessible_description(re.compile("This field is required."))
    expect(field_error(page, "business-line1")).to_have_text("This field is required.")
    shoot(page, "errors-focus-first")

    page.locator('[name="business-line1"]').fill("Hauptstraße 1")
    page.locator('[name="business-city"]').fill("Berlin")
    page.locator('[name="business-postal_code"]').fill("10115")
    page.locator('[name="business-postal_code"]').press("Enter")
    expect_step(page, 4, "Primary contact")
    audit(page)


def test_the_header_of_an_active_provider(page: Page, live_server, provider_admin, shoot):
    """At 1280 px the navigation of an active provider (every entry) fits on one line; at
    390 px nothing scrolls sideways and Sign out shows whole."""
    sign_in(page, live_server.url, provider_admin.email)
    for name in ("Find a provider", "Indirect providers", "Indirect resellers", "Customers"):
        expect(page.locator("nav.topnav").get_by_role("link", name=name, exact=True)).to_be_visible()
    assert page.viewport_size == DESKTOP
    assert nav_lines(page) == 1
    shoot(page, "provider-header")
    page.set_viewport_size(PHONE)
    check_phone_width(page)
    expect(page.get_by_role("button", name="Sign out")).to_be_in_viewport()
    page.goto(f"{live_server.url}/customers/")
    check_phone_width(page)
    audit(page)
