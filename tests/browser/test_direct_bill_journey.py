"""A direct-bill application in a real Chromium (issue 9), the applicant and the reviewer
each in their own browser: the minimum requirements before anything is typed, the
qualification questionnaire, the email link, the reviewer passing the checks, the credit
check (a Celery task, eager here) giving a credit line, the support plan, the approval,
the direct-bill agreement and the active banner; and an application whose answer does not
qualify, which ends at once with its reason and the indirect-reseller path.

Every page is audited with axe-core; screenshots ``var/screenshots/<NN>-<name>.png`` from
the test's block in SHOT_START (200–229).
"""

import re

import pytest
from django.utils.translation import gettext as _
from playwright.sync_api import Page, expect

from enrollment.models import Enrollment
from partnercenter.accounts.models import Role
from partnercenter.core.l10n import format_money
from tests.cast import make_reviewer
from tests.factories import (
    PASSWORD,
    AgreementTemplateFactory,
    MpnProfileFactory,
    PmcAccountFactory,
    TenantDomainFactory,
    TenantFactory,
    UserFactory,
)

from .a11y import audit
from .helpers import dot, flash, h1, next_button, sign_in, verification_links
from .review_helpers import queue_row, review_check

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

SHOT_START = {"test_direct_bill_journey": 200, "test_direct_bill_declined": 222}
SHOT_END = 230

COMPANY = "Proseware Ireland Ltd."
MPN_ID = "4890001"
ADMIN_EMAIL = "ciara.murphy@proseware.ie"
CONTACT_EMAIL = "sean.walsh@proseware.ie"
STEPS = 8  # the indirect reseller's seven and the questionnaire
SERVICE = "Managed Microsoft 365 and Azure for hospitality chains"


@pytest.fixture(autouse=True)
def _open(settings):
    settings.DIRECT_BILL_APPLICATIONS_OPEN = True


@pytest.fixture
def applicant_tenant(db):
    MpnProfileFactory(
        mpn_id=MPN_ID, company_name=COMPANY, country="IE", pmc_account=PmcAccountFactory(username="proseware")
    )
    tenant = TenantFactory(name=COMPANY, domain="proseware.onmicrosoft.com", country="IE")
    TenantDomainFactory(tenant=tenant, name="proseware.ie")  # the email_domain check passes by itself
    UserFactory(
        tenant=tenant,
        email=ADMIN_EMAIL,
        first_name="Ciara",
        last_name="Murphy",
        roles=[Role.GLOBAL_ADMIN.value],
    )
    return tenant


def expect_step(page: Page, n: int, title: str) -> None:
    expect(page.locator(".stepcount")).to_have_text(_("Step %(n)s of %(m)s") % {"n": n, "m": STEPS})
    expect(h1(page)).to_have_text(title)
    audit(page)


def wizard_to_questionnaire(page: Page, base: str, shoot) -> None:
    """The signed-in global admin chooses direct bill and fills in the shared steps."""
    page.goto(f"{base}/enroll/apply/")
    expect(page.locator(".stepcount")).to_have_text(_("Step %(n)s of %(m)s") % {"n": 1, "m": 7})
    requirements = page.locator("#direct-bill-requirements")
    expect(requirements).to_contain_text(_("Minimum requirements for direct bill"))
    expect(requirements.locator("li")).to_have_count(5)
    expect(requirements).to_contain_text(_("An active MPN ID for the office location"))
    shoot(page, "program-requirements")
    page.locator('input[name="program-program"][value="direct_bill"]').check()
    next_button(page).click()

    expect_step(page, 2, _("MPN ID"))
    page.get_by_label(_("Partner Membership Center username")).fill("proseware")
    page.locator(".pmc").get_by_label(_("Password")).fill(PASSWORD)
    page.locator(".pmc").get_by_role("button", name=_("Sign in")).click()
    audit(page)
    page.locator(".profiles li", has_text=MPN_ID).get_by_role("button", name=_("Use this profile")).click()
    expect(page.locator('[name="mpn-mpn_id"]')).to_have_value(MPN_ID)
    audit(page)
    next_button(page).click()

    expect_step(page, 3, _("Legal business profile"))
    page.locator('[name="business-line1"]').fill("1 Grand Canal Square")
    page.locator('[name="business-city"]').fill("Dublin")
    page.locator('[name="business-postal_code"]').fill("D02 P820")
    next_button(page).click()

    expect_step(page, 4, _("Primary contact"))
    for name, value in {
        "contact-first_name": "Seán",
        "contact-last_name": "Walsh",
        "contact-email": CONTACT_EMAIL,
        "contact-phone": "+353 1 234 5678",
    }.items():
        page.locator(f'[name="{name}"]').fill(value)
    next_button(page).click()

    expect_step(page, 5, _("Support profile"))
    page.locator('[name="support-email"]').fill("support@proseware.ie")
    page.locator('[name="support-phone"]').fill("+353 1 234 5679")
    next_button(page).click()

    expect_step(page, 6, _("Bank information"))
    page.locator('[name="bank-holder_name"]').fill(COMPANY)
    page.locator('[name="bank-iban"]').fill("IE29 AIBK 9311 5212 3456 78")
    next_button(page).click()
    expect_step(page, 7, _("Qualification questionnaire"))


def answer(page: Page, *, authority: bool = True) -> None:
    page.locator(f'[name="questionnaire-authority_to_sign"][value="{"yes" if authority else "no"}"]').check()
    page.locator('[name="questionnaire-first_level_support"][value="yes"]').check()
    page.locator('[name="questionnaire-service_1_kind"]').select_option("managed_service")
    page.locator('[name="questionnaire-service_1_description"]').fill(SERVICE)
    page.locator('[name="questionnaire-billing_infrastructure"][value="yes"]').check()
    page.locator('[name="questionnaire-years_trading"]').fill("12")
    page.locator('[name="questionnaire-annual_revenue"]').fill("8500000")
    page.locator('[name="questionnaire-cloud_revenue_12m"]').fill("1900000")


def submit(page: Page) -> None:
    expect_step(page, 8, _("Review"))
    page.get_by_label(
        _("I confirm that these details are correct and that I am authorized to enroll my company.")
    ).check()
    page.get_by_role("button", name=_("Enroll now")).click()
    expect(page).to_have_url(re.compile(r".*/enrollments/[0-9a-f-]{36}/$"))


def test_direct_bill_journey(new_page, live_server, settings, shoot, applicant_tenant):
    settings.SITE_URL = live_server.url
    base = live_server.url
    make_reviewer()
    AgreementTemplateFactory(
        program="direct_bill", language="en", version="2026-10", name="Direct bill agreement"
    )
    applicant, reviewer = new_page(), new_page()

    # 1. The wizard: requirements first, then the questionnaire, in EUR (Ireland).
    sign_in(applicant, base, ADMIN_EMAIL)
    wizard_to_questionnaire(applicant, base, shoot)
    expect(applicant.get_by_label(f"{_('Annual revenue')} (EUR)")).to_be_visible()
    # Half a service row is an error on that row, the rest kept.
    answer(applicant)
    applicant.locator('[name="questionnaire-service_2_kind"]').select_option("ip_service")
    next_button(applicant).click()
    expect(applicant.locator(".field.has-error .error")).to_have_text(
        _("Describe this service, or clear its type.")
    )
    expect(applicant.locator('[name="questionnaire-service_1_description"]')).to_have_value(SERVICE)
    shoot(applicant, "questionnaire-error")
    applicant.locator('[name="questionnaire-service_2_kind"]').select_option("")
    next_button(applicant).click()
    summary = applicant.locator("dl.summary")
    expect(summary).to_contain_text(_("Qualification questionnaire"))
    expect(summary).to_contain_text(SERVICE)
    expect(summary).to_contain_text("€8,500,000.00")
    shoot(applicant, "review-direct-bill")
    submit(applicant)
    status_url = applicant.url
    enrollment_id = status_url.rstrip("/").rsplit("/", 1)[-1]
    expect(h1(applicant)).to_have_text(dot(_("Direct bill"), _("Waiting for email confirmation")))
    expect(applicant.locator("#credit-check-result")).to_have_text(
        _("Not decided yet: the credit check runs once your email, domain and business are verified.")
    )
    shoot(applicant, "status-submitted")

    # 2. The primary contact confirms the email.
    [link] = verification_links(base, CONTACT_EMAIL)
    applicant.goto(link)
    audit(applicant)
    applicant.get_by_role("button", name=_("Confirm my email address")).click()
    expect(h1(applicant)).to_have_text(_("Thank you: your email address is confirmed"))
    audit(applicant)

    # 3. The reviewer: the queue filtered by program, the questionnaire, the checks.
    sign_in(reviewer, base, "riley@partners.test")
    reviewer.goto(f"{base}/review/?program=direct_bill")
    row = queue_row(reviewer, COMPANY)
    expect(row).to_contain_text(_("Direct bill"))
    expect(row).to_contain_text(_("Not decided"))
    shoot(reviewer, "queue-direct-bill")
    row.get_by_role("link", name=COMPANY).click()
    answers = reviewer.locator("#direct-bill-review")
    expect(answers).to_contain_text(SERVICE)
    expect(answers).to_contain_text("€1,900,000.00")
    reviewer.locator("section.assignee").get_by_role("button", name=_("Claim")).click()
    expect(flash(reviewer)).to_be_visible()
    shoot(reviewer, "review-direct-bill")
    shared = ("email_ownership", "email_domain", "business_verification", "mpn_ownership", "address")
    for kind in shared:
        check = review_check(reviewer, kind)
        if check.count() and "check-pending" in (check.get_attribute("class") or ""):
            check.get_by_label(_("Note")).fill(f"Checked by hand: {kind}.")
            check.get_by_role("button", name=_("Pass"), exact=True).click()
            expect(flash(reviewer)).to_have_text(_("The check is passed."))
            audit(reviewer)

    # 4. The credit check ran (the task, eager) once the shared steps were settled.
    line = Enrollment.objects.get(pk=enrollment_id).credit_line
    assert line is not None and line[1] == "EUR"  # the rules-based scorer's line, in Ireland's currency
    shown = format_money(*line)
    expect(reviewer.locator("#credit-line")).to_contain_text(shown)
    expect(review_check(reviewer, "credit_check")).to_contain_text(_("Passed"))
    shoot(reviewer, "review-credit-line")

    # 5. The applicant sees the line and confirms the support plan.
    applicant.goto(status_url)
    expect(applicant.locator("#credit-check-result")).to_contain_text(shown)
    shoot(applicant, "status-credit-line")
    applicant.get_by_label(_("Advanced Support for Partners")).check()
    applicant.get_by_role("button", name=_("Confirm the support plan")).click()
    expect(flash(applicant)).to_have_text(
        _("The support plan is confirmed. The reviewer can now approve the application.")
    )
    expect(applicant.locator("#support-plan")).to_contain_text(_("Advanced Support for Partners"))
    shoot(applicant, "status-support-plan")

    # 6. The reviewer approves; the applicant accepts the direct-bill agreement.
    reviewer.goto(f"{base}/review/{enrollment_id}/")
    approve = reviewer.locator("section.decision form.decision-form", has_text=_("Approve"))
    approve.get_by_role("button", name=_("Approve")).click()
    expect(h1(reviewer)).to_have_text(dot(COMPANY, _("Approved")))
    shoot(reviewer, "review-approved")

    applicant.goto(f"{base}/")
    applicant.locator("section.callout").get_by_role("link", name=_("Accept the agreement")).click()
    expect(applicant).to_have_url(f"{base}/partner/agreement/?program=direct_bill")
    shoot(applicant, "agreement-direct-bill")
    applicant.get_by_label(_("I have read the agreement and accept it on behalf of my organization.")).check()
    applicant.get_by_role("button", name=_("Accept and continue")).click()
    banner = applicant.locator("section.banner-success")
    expect(banner.get_by_role("heading")).to_have_text(
        _("You are enrolled as %(program)s: the agreement is signed") % {"program": _("Direct bill")}
    )
    expect(banner).to_contain_text(shown)
    expect(banner).to_contain_text(_("Advanced Support for Partners"))
    shoot(applicant, "overview-active")
    applicant.goto(f"{base}/partner/")
    info = applicant.locator("#program-info")
    expect(info).to_contain_text(shown)
    expect(info).to_contain_text(_("Active"))
    shoot(applicant, "program-info")


def test_direct_bill_declined(page, live_server, settings, shoot, applicant_tenant):
    """An answer that does not meet a requirement ends the application at once: its status
    page says why and offers the indirect-reseller path."""
    settings.SITE_URL = live_server.url
    base = live_server.url
    sign_in(page, base, ADMIN_EMAIL)
    wizard_to_questionnaire(page, base, shoot)
    answer(page, authority=False)
    shoot(page, "questionnaire-no")
    next_button(page).click()
    submit(page)
    expect(h1(page)).to_have_text(dot(_("Direct bill"), _("Rejected")))
    outcome = page.locator("#direct-bill-outcome")
    expect(outcome.get_by_role("heading")).to_have_text(_("Your company does not qualify for direct bill"))
    enrollment = Enrollment.objects.get()
    expect(page.locator("#questionnaire-refusal")).to_contain_text(str(enrollment.questionnaire_refusal))
    shoot(page, "status-declined")
    outcome.get_by_role("button", name=_("Apply as an indirect reseller")).click()
    expect(page.locator('input[name="program-program"][value="indirect_reseller"]')).to_be_checked()
    expect(page.locator(".stepcount")).to_have_text(_("Step %(n)s of %(m)s") % {"n": 1, "m": 7})
    shoot(page, "apply-again-indirect")
