"""The enrollment journey in a real Chromium: sign up, enroll through the wizard, confirm
the primary contact's email, and follow the application to review.

Every page a test passes is saved as a full-page screenshot to
``var/screenshots/<NN>-<name>.png``; NN runs within each test, from the test's block
in SHOT_START.
"""

import re

import pytest
from django.utils.translation import gettext as _
from django_countries import countries
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, MpnProfileFactory, PmcAccountFactory

from .a11y import audit
from .helpers import (
    back_button,
    event,
    expect_step,
    field_error,
    next_button,
    sign_in,
    verification_links,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


# The Taiwanese applicant.
ADMIN_EMAIL = "wei.chen@contosotw.onmicrosoft.com"
ADMIN_PASSWORD = "Taipei-101-Skyline!"
CONTACT_EMAIL = "mei.lin@contoso.com.tw"
ACCOUNT_NUMBER = "001234567890"


# --- Helpers ------------------------------------------------------------------------------


# Each test numbers its screenshots from its own start, so the numbers do not depend on
# which tests run, in which order, or on which xdist worker.
SHOT_START = {
    "test_enrollment_journey": 1,
    "test_wizard_shows_inline_errors": 30,
    "test_sales_agent_cannot_enroll": 40,
}
SHOT_END = 50


def fill_business(page: Page) -> None:
    page.locator('[name="business-company_name"]').fill("Contoso Taiwan Ltd.")
    page.locator('[name="business-line1"]').fill("No. 7, Section 5, Xinyi Road")
    page.locator('[name="business-city"]').fill("Xinyi District")
    page.locator('[name="business-state"]').select_option("台北市")  # Taiwan's counties, a list
    page.locator('[name="business-postal_code"]').fill("110")


# --- The journey ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_enrollment_journey(page: Page, live_server, settings, shoot):
    """Sign up in Taiwan, enroll as an indirect reseller through the wizard, confirm the
    primary contact's email (after asking for a new link) and see the application in review;
    in English and in 简体中文 (the portal's texts through ``_``)."""
    settings.SITE_URL = live_server.url  # the emailed links point at this server
    base = live_server.url
    MpnProfileFactory(
        mpn_id="4810001",
        company_name="Contoso Taiwan Ltd.",
        country="TW",
        pmc_account=PmcAccountFactory(username="contoso"),
    )

    # 1. The home page, then a new work account in Taiwan.
    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name=_("Join the Cloud Solution Provider program"))).to_be_visible()
    shoot(page, "home")
    page.get_by_role("link", name=_("Create a work account")).click()
    expect(page).to_have_url(f"{base}/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Create a work account"))
    page.get_by_label(_("Organization name")).fill("Contoso Taiwan Ltd.")
    page.get_by_label(_("Domain name")).fill("contosotw")
    page.get_by_label(_("Country or region")).select_option("TW")
    page.get_by_label(_("First name")).fill("Wei")
    page.get_by_label(_("Last name")).fill("Chen")
    page.get_by_label(_("Your sign-in name")).fill(ADMIN_EMAIL)
    page.get_by_label(_("Password"), exact=True).fill(ADMIN_PASSWORD)
    shoot(page, "signup")
    page.get_by_role("button", name=_("Create the work account")).click()

    expect(page).to_have_url(f"{base}/")
    expect(page.get_by_role("status")).to_contain_text(
        _("Your work account %(domain)s is ready. You are its global admin.")
        % {"domain": "contosotw.onmicrosoft.com"}
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Contoso Taiwan Ltd.")
    expect(page.locator("main")).to_contain_text(f"contosotw.onmicrosoft.com · {countries.name('TW')}")
    shoot(page, "overview")

    # 2. The welcome page lists what to have at hand.
    page.get_by_role("link", name=_("Start enrollment")).click()
    expect(page).to_have_url(f"{base}/enroll/")
    checklist = page.locator(".checklist")
    expect(checklist).to_contain_text(_("Your MPN ID"))
    expect(checklist).to_contain_text(_("Your complete business address"))
    expect(checklist).to_contain_text(_("Bank information"))
    expect(checklist).to_contain_text(_("A work email for the primary contact"))
    expect(page.locator("main")).to_contain_text("contosotw.onmicrosoft.com")
    shoot(page, "welcome")
    page.get_by_role("link", name=_("Start"), exact=True).click()

    # 3. Program: indirect reseller; direct bill is shown but closed.
    expect_step(page, 1, _("Program"))
    indirect = page.locator('input[name="program-program"][value="indirect_reseller"]')
    direct = page.locator('input[name="program-program"][value="direct_bill"]')
    expect(indirect).to_be_checked()
    expect(direct).to_be_visible()
    expect(direct).to_be_disabled()
    expect(page.locator("label.option.disabled")).to_contain_text(
        _("Enroll as an indirect reseller and work with an indirect provider.")
    )
    expect(back_button(page)).to_have_count(0)
    shoot(page, "program")
    next_button(page).click()

    # MPN ID: sign in to the Partner Membership Center and choose the profile.
    expect_step(page, 2, _("MPN ID"))
    expect(page.locator('[name="mpn-mpn_id"]')).to_have_value("")
    shoot(page, "mpn")
    page.get_by_label(_("Partner Membership Center username")).fill("contoso")
    page.locator(".pmc").get_by_label(_("Password")).fill(PASSWORD)
    page.locator(".pmc").get_by_role("button", name=_("Sign in")).click()
    profile = page.locator(".profiles li", has_text="4810001")
    expect(profile).to_contain_text("Contoso Taiwan Ltd.")
    expect(profile).to_contain_text("TW")
    expect(profile).to_contain_text(_("active"))
    shoot(page, "mpn-profiles")
    profile.get_by_role("button", name=_("Use this profile")).click()
    expect_step(page, 2, _("MPN ID"))
    expect(page.locator('[name="mpn-mpn_id"]')).to_have_value("4810001")
    expect(page.locator(".field.has-error")).to_have_count(0)
    shoot(page, "mpn-chosen")
    next_button(page).click()

    # 4. Legal business profile: the country is the tenant's.
    expect_step(page, 3, _("Legal business profile"))
    expect(page.locator('[name="business-country"]')).to_have_value("TW")
    fill_business(page)
    shoot(page, "business")
    next_button(page).click()

    # Primary contact; Back and Next keep what was typed.
    expect_step(page, 4, _("Primary contact"))
    expect(page.locator('[name="contact-email"]')).to_have_value(ADMIN_EMAIL)  # prefilled: the admin
    contact = {
        "contact-first_name": "Mei",
        "contact-last_name": "Lin",
        "contact-email": CONTACT_EMAIL,
        "contact-phone": "+886 2 2345 6789",
    }
    for name, value in contact.items():
        page.locator(f'[name="{name}"]').fill(value)
    page.locator('[name="contact-language"]').select_option("zh-hant")
    shoot(page, "contact")
    back_button(page).click()
    expect_step(page, 3, _("Legal business profile"))
    expect(page.locator('[name="business-line1"]')).to_have_value("No. 7, Section 5, Xinyi Road")
    expect(page.locator('[name="business-postal_code"]')).to_have_value("110")
    shoot(page, "business-back")
    next_button(page).click()
    expect_step(page, 4, _("Primary contact"))
    for name, value in contact.items():
        expect(page.locator(f'[name="{name}"]')).to_have_value(value)
    expect(page.locator('[name="contact-language"]')).to_have_value("zh-hant")
    shoot(page, "contact-kept")
    next_button(page).click()

    # Support profile.
    expect_step(page, 5, _("Support profile"))
    page.locator('[name="support-email"]').fill("support@contoso.com.tw")
    page.locator('[name="support-phone"]').fill("+886 2 2345 6790")
    page.locator('[name="support-website"]').fill("https://www.contoso.com.tw/support")
    shoot(page, "support")
    next_button(page).click()

    # Bank: Taiwan does not use IBAN, so account and routing number are asked for.
    expect_step(page, 6, _("Bank information"))
    expect(page.locator('[name="bank-iban"]')).to_have_count(0)
    expect(page.locator('[name="bank-bic"]')).to_have_count(0)
    page.locator('[name="bank-holder_name"]').fill("Contoso Taiwan Ltd.")
    page.locator('[name="bank-account_number"]').fill(ACCOUNT_NUMBER)
    page.locator('[name="bank-routing_number"]').fill("8120012")
    shoot(page, "bank")
    next_button(page).click()

    # Review: the data, and the bank number masked.
    expect_step(page, 7, _("Review"))
    summary = page.locator("dl.summary")
    for text in (
        _("Indirect reseller"),
        "4810001",
        "Contoso Taiwan Ltd.",
        "No. 7, Section 5, Xinyi Road",
        "110 Xinyi District, 台北市",
        "Taiwan",  # the country's name, in the reader's language
        "Mei Lin",
        CONTACT_EMAIL,
        "+886223456789",
        "繁體中文",
        "support@contoso.com.tw",
        "+886223456790",
        "https://www.contoso.com.tw/support",
        "•••• 7890",
    ):
        expect(summary).to_contain_text(text)
    expect(page.locator("body")).not_to_contain_text(ACCOUNT_NUMBER)
    shoot(page, "review")
    page.get_by_label(
        _("I confirm that these details are correct and that I am authorized to enroll my company.")
    ).check()
    page.get_by_role("button", name=_("Enroll now")).click()

    # 5. The status page: waiting for the email confirmation.
    expect(page).to_have_url(re.compile(re.escape(base) + r"/enrollments/[0-9a-f-]{36}/$"))
    status_url = page.url
    expect(page.get_by_role("status")).to_contain_text(
        _("Your application was submitted. Check the primary contact's inbox.")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{_('Indirect reseller')} · {_('Waiting for email confirmation')}"
    )
    # One timeline entry for the submission, saying where the confirmation link went.
    expect(event(page, _("Application submitted"))).to_have_count(1)
    expect(event(page, _("Application submitted"))).to_contain_text(
        _("We emailed a confirmation link to %(email)s.") % {"email": CONTACT_EMAIL}
    )
    checks = page.locator("ul.checks")
    expect(checks.locator("li", has_text=_("Email ownership"))).to_contain_text(_("Pending"))
    expect(checks.locator("li", has_text=_("MPN ID is active"))).to_contain_text(_("Passed"))
    expect(checks.locator("li", has_text=_("MPN ID country matches the tenant"))).to_contain_text(_("Passed"))
    expect(checks.locator("li", has_text=_("Bank account"))).to_contain_text(_("Passed"))
    todo = page.locator("section.next")
    expect(todo.get_by_role("heading")).to_have_text(
        f"{_('What you need to do now')}: {_('Confirm the primary contact' + chr(39) + 's email')}"
    )
    expect(todo).to_contain_text(
        _(
            "We emailed a link to %(email)s. The primary contact follows it to confirm that they signed up and that the address belongs to your company. Review starts only after that."
        )
        % {"email": CONTACT_EMAIL}
    )
    expect(todo).to_contain_text(_("The link works until"))
    expect(page.locator("dl.summary")).to_contain_text("•••• 7890")
    expect(page.locator("body")).not_to_contain_text(ACCOUNT_NUMBER)
    shoot(page, "status-pending")

    first_links = verification_links(base, CONTACT_EMAIL)
    assert len(first_links) == 1

    # 6. Ask for a new link: the earlier one stops working.
    page.get_by_role("button", name=_("Send the email again")).click()
    expect(page.get_by_role("status")).to_have_text(
        _("We sent a new link. The earlier link no longer works.")
    )
    expect(event(page, _("Confirmation email sent again"))).to_have_count(1)
    expect(event(page, _("Confirmation email sent again"))).to_contain_text("Wei Chen")
    shoot(page, "status-resent")
    links = verification_links(base, CONTACT_EMAIL)
    assert len(links) == 2
    old_link, new_link = links
    assert old_link == first_links[0]
    assert old_link != new_link

    page.goto(old_link)
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Confirm your email address"))
    shoot(page, "verify-email-old-link")
    page.get_by_role("button", name=_("Confirm my email address")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_("This link does not work"))
    expect(page.get_by_role("alert")).to_contain_text(
        _("A newer link was sent to you. Open the most recent email from us.")
    )
    shoot(page, "verify-email-old-link-error")

    # The newest link confirms the address.
    page.goto(new_link)
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Confirm your email address"))
    shoot(page, "verify-email")
    page.get_by_role("button", name=_("Confirm my email address")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Thank you: your email address is confirmed"))
    expect(page.locator("main")).to_contain_text(
        _(
            "The application of %(name)s is now in review. We will email you at every change; verification usually takes 3 to 5 business days."
        )
        % {"name": "Contoso Taiwan Ltd."}
    )
    shoot(page, "verified")
    page.get_by_role("link", name=_("Follow the application")).click()

    expect(page).to_have_url(status_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{_('Indirect reseller')} · {_('In review')}")
    expect(event(page, _("Email address confirmed"))).to_have_count(1)
    expect(event(page, _("Email address confirmed"))).to_contain_text(f"Mei Lin <{CONTACT_EMAIL}>")
    expect(checks.locator("li", has_text=_("Email ownership"))).to_contain_text(_("Passed"))
    expect(todo.get_by_role("heading")).to_have_text(
        f"{_('What comes next')}: {_('Verification in progress')}"
    )
    expect(page.get_by_role("button", name=_("Send the email again"))).to_have_count(0)
    shoot(page, "status-in-review")


# --- Focused tests ----------------------------------------------------------------------------


def test_wizard_shows_inline_errors(page: Page, live_server, admin, mpn, shoot):
    """An MPN ID of another country or an inactive one is refused on the MPN step, a
    web-mail address on the contact step; each with its message next to the field."""
    base = live_server.url
    MpnProfileFactory(mpn_id="4810002", company_name="Contoso Taiwan Ltd.", country="TW")
    MpnProfileFactory(mpn_id="4820002", company_name="Fabrikam Alt GmbH", country="DE", status="inactive")

    sign_in(page, base, admin.email)
    page.goto(f"{base}/enroll/apply/")
    expect_step(page, 1, "Program")
    audit(page)
    next_button(page).click()
    expect_step(page, 2, "MPN ID")
    mpn_field = page.locator('[name="mpn-mpn_id"]')

    mpn_field.fill("4810002")
    next_button(page).click()
    expect_step(page, 2, "MPN ID")
    error = field_error(page, "mpn-mpn_id")
    expect(error).to_have_count(1)
    expect(error).to_contain_text("MPN ID 4810002 is located in Taiwan")
    expect(error).to_contain_text("your work account was created in Germany")
    expect(mpn_field).to_have_value("4810002")
    shoot(page, "errors-mpn-other-country")

    mpn_field.fill("4820002")
    next_button(page).click()
    expect_step(page, 2, "MPN ID")
    expect(error).to_have_count(1)
    expect(error).to_contain_text("MPN ID 4820002 (Fabrikam Alt GmbH) is inactive")
    expect(error).not_to_contain_text("located in")
    shoot(page, "errors-mpn-inactive")

    mpn_field.fill(mpn.mpn_id)
    next_button(page).click()
    expect_step(page, 3, "Legal business profile")
    expect(page.locator('[name="business-company_name"]')).to_have_value("Fabrikam Deutschland GmbH")
    expect(page.locator('[name="business-country"]')).to_have_value("DE")
    audit(page)
    page.locator('[name="business-line1"]').fill("Hauptstraße 1")
    page.locator('[name="business-city"]').fill("Berlin")
    page.locator('[name="business-postal_code"]').fill("10115")
    next_button(page).click()

    expect_step(page, 4, "Primary contact")
    page.locator('[name="contact-email"]').fill("jonas.becker@gmail.com")
    page.locator('[name="contact-phone"]').fill("+49 30 1234567")
    next_button(page).click()
    expect_step(page, 4, "Primary contact")
    error = field_error(page, "contact-email")
    expect(error).to_have_count(1)
    expect(error).to_contain_text("gmail.com is a web-based mail service")
    expect(page.locator(".field.has-error")).to_have_count(1)  # only the email
    expect(page.locator('[name="contact-email"]')).to_have_value("jonas.becker@gmail.com")
    shoot(page, "errors-contact-webmail")


def test_sales_agent_cannot_enroll(page: Page, live_server, employee, shoot):
    """An employee without the global admin role gets a 403 page that says who may enroll."""
    base = live_server.url
    sign_in(page, base, employee.email)
    expect(page.locator("main")).to_contain_text("Only your global admin can enroll.")
    expect(page.locator(".topnav").get_by_role("link", name="Enroll")).to_have_count(0)
    expect(page.get_by_role("link", name="Start enrollment")).to_have_count(0)
    shoot(page, "sales-agent-overview")

    for path in ("/enroll/", "/enroll/apply/program/"):
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 403, path
        expect(page.get_by_role("heading", level=1)).to_have_text("We can't show this page")
        expect(page.locator("main")).to_contain_text(
            "Only your organization's global admin can enroll. Ask them to sign in and do it."
        )
        expect(page.get_by_role("link", name="Back to the overview")).to_be_visible()
        audit(page)
    shoot(page, "sales-agent-403")
