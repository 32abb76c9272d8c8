"""The people and helpers of the review's browser tests (test_review_journey.py,
test_review_rejection.py): the German applicant, the wizard walk, the cards of the status
and review pages."""

import re

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

from .a11y import audit
from .helpers import dot, expect_step, next_button

# The German applicant: the global admin enrolls, Jonas is the primary contact.
COMPANY = "Fabrikam Deutschland GmbH"
MPN_ID = "4820101"
ADMIN_EMAIL = "lena.vogel@fabrikam.de"
CONTACT_EMAIL = "jonas.becker@fabrikam.de"
AGREEMENT_VERSION = "2026-05"

# What the people write.
BUSINESS_NOTE = "Handelsregister Berlin HRB 123456 B: the company exists at Hauptstraße 1."
REQUEST = "Send us the VAT identification number of Fabrikam Deutschland GmbH."
ANSWER = "Our VAT identification number is DE123456789."
APPROVE_NOTE = "VAT number confirmed in VIES."
REJECT_REASON = "The company is not registered at the stated address (Handelsregister Berlin)."


def todo(page: Page):
    """The status page's "What you need to do now" / _("What comes next") card (the
    reviewer's request is a card of its own, also marked "next")."""
    return page.locator("section.next:not(#action-needed)")


def review_check(page: Page, kind: str):
    """One check on the reviewer's page, with its decision form."""
    return page.locator(f"ul.review-checks > li#check-{kind}")


def status_check(page: Page, label: str):
    """One check in the applicant's "Verification checks" (not the appeal form's list)."""
    card = page.locator(
        "section.card", has=page.get_by_role("heading", name=_("Verification checks"), exact=True)
    )
    return card.locator("ul.checks > li").filter(has=page.get_by_text(label, exact=True))


def queue_row(page: Page, company: str = COMPANY):
    return page.locator("table.queue tbody tr", has_text=company)


def enroll_through_the_wizard(page: Page, base: str) -> str:
    """The signed-in global admin enrolls as an indirect reseller (the steps of
    test_enrollment_journey, for Germany); returns the status page's URL."""
    page.goto(f"{base}/")
    page.get_by_role("link", name=_("Start enrollment")).click()
    expect(page).to_have_url(f"{base}/enroll/")
    audit(page)
    page.get_by_role("link", name=_("Start"), exact=True).click()

    expect_step(page, 1, _("Program"))
    audit(page)
    expect(page.locator('input[name="program-program"][value="indirect_reseller"]')).to_be_checked()
    next_button(page).click()

    expect_step(page, 2, _("MPN ID"))
    audit(page)
    page.get_by_label(_("Partner Membership Center username")).fill("fabrikam")
    page.locator(".pmc").get_by_label(_("Password")).fill(PASSWORD)
    page.locator(".pmc").get_by_role("button", name=_("Sign in")).click()
    page.locator(".profiles li", has_text=MPN_ID).get_by_role("button", name=_("Use this profile")).click()
    expect(page.locator('[name="mpn-mpn_id"]')).to_have_value(MPN_ID)
    next_button(page).click()

    expect_step(page, 3, _("Legal business profile"))
    audit(page)
    expect(page.locator('[name="business-company_name"]')).to_have_value(COMPANY)
    expect(page.locator('[name="business-country"]')).to_have_value("DE")
    page.locator('[name="business-line1"]').fill("Hauptstraße 1")
    page.locator('[name="business-city"]').fill("Berlin")
    page.locator('[name="business-postal_code"]').fill("10115")
    next_button(page).click()

    expect_step(page, 4, _("Primary contact"))
    audit(page)
    for name, value in {
        "contact-first_name": "Jonas",
        "contact-last_name": "Becker",
        "contact-email": CONTACT_EMAIL,
        "contact-phone": "+49 30 1234567",
    }.items():
        page.locator(f'[name="{name}"]').fill(value)
    # The emails' language is the applicant's unless they choose another.
    expect(page.locator('[name="contact-language"]')).to_have_value(get_language())
    next_button(page).click()

    expect_step(page, 5, _("Support profile"))
    audit(page)
    page.locator('[name="support-email"]').fill("support@fabrikam.de")
    page.locator('[name="support-phone"]').fill("+49 30 1234568")
    page.locator('[name="support-website"]').fill("https://fabrikam.de")
    next_button(page).click()

    expect_step(page, 6, _("Bank information"))
    audit(page)
    page.locator('[name="bank-holder_name"]').fill(COMPANY)
    page.locator('[name="bank-iban"]').fill("DE89 3704 0044 0532 0130 00")
    page.locator('[name="bank-bic"]').fill("COBADEFFXXX")
    next_button(page).click()

    expect_step(page, 7, _("Review"))
    audit(page)
    expect(page.locator("dl.summary")).to_contain_text(CONTACT_EMAIL)
    page.get_by_label(
        _("I confirm that these details are correct and that I am authorized to enroll my company.")
    ).check()
    page.get_by_role("button", name=_("Enroll now")).click()

    expect(page).to_have_url(re.compile(re.escape(base) + r"/enrollments/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        dot(_("Indirect reseller"), _("Waiting for email confirmation"))
    )
    return page.url
