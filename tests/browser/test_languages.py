"""The pages of the three journeys in 简体中文 and Русский, in a real Chromium: each person
of the journeys (the applicant, the reviewer, the provider, the reseller, the customer)
opens their pages in their language; every page says its language, shows its heading in
it, passes axe-core at 0 violations and fits a phone (``shoot`` checks both).

The journeys with every step's assertions are test_enrollment_journey.py,
test_review_journey.py and test_provider_journey.py (English). Screenshots:
``var/screenshots/<language>/160-189``.
"""

import re

import pytest
from django.core import mail
from django.utils.translation import gettext as _
from playwright.sync_api import Page, expect

from enrollment.models import Enrollment
from enrollment.services.application import enrollment_submit
from enrollment.services.confirmation import email_verification_confirm
from tests import cast

from .helpers import h1, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

SHOT_START = {"test_the_journeys_pages_in_another_language": 160}
SHOT_END = 190


def visit(page: Page, url: str, language: str, heading: str | None = None) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(h1(page)).to_be_visible()
    if heading is not None:
        expect(h1(page)).to_have_text(heading)


@pytest.mark.parametrize("language", ["zh-hans", "ru"])
def test_the_journeys_pages_in_another_language(
    new_page, live_server, settings, language, shoot, admin, application, provider, reseller, relationship
):
    settings.SITE_URL = live_server.url  # the customer's link points here
    base = live_server.url
    reviewer_user = cast.make_reviewer()
    submitted = enrollment_submit(actor=admin, application=application)
    token = re.search(r"/verify-email/([A-Za-z0-9_-]+)/", mail.outbox[0].body).group(1)
    email_verification_confirm(token=token)
    enrollment = Enrollment.objects.get(pk=submitted.pk)
    provider_admin = cast.user_of(provider, email="admin@distribution.test")
    reseller_admin = cast.user_of(reseller, email="admin@reseller.test")
    invitation = cast.invite_customer(reseller_admin, provider)
    customer_admin = cast.make_customer_admin()
    assert _("Review queue") != "Review queue"  # the catalog of the language is there

    # Signed out: the home page, sign-up and sign-in.
    visitor = new_page()
    visit(visitor, f"{base}/", language)
    shoot(visitor, "home")
    visit(visitor, f"{base}/signup/", language, _("Create a work account"))
    shoot(visitor, "signup")

    # The applicant: the overview, the wizard and the status page.
    applicant = new_page()
    sign_in(applicant, base, admin.email)
    shoot(applicant, "overview")
    visit(applicant, f"{base}/enroll/", language)
    shoot(applicant, "welcome")
    visit(applicant, f"{base}/enroll/apply/program/", language, _("Program"))
    shoot(applicant, "wizard-program")
    visit(applicant, f"{base}/enrollments/{enrollment.pk}/", language)
    shoot(applicant, "status-in-review")

    # The reviewer: the queue and the enrollment.
    reviewer = new_page()
    sign_in(reviewer, base, reviewer_user.email)
    visit(reviewer, f"{base}/review/", language, _("Review queue"))
    shoot(reviewer, "review-queue")
    visit(reviewer, f"{base}/review/{enrollment.pk}/", language)
    shoot(reviewer, "review-enrollment")

    # The provider: its resellers and customers; the reseller: Find a provider, its providers.
    provider_page = new_page()
    sign_in(provider_page, base, provider_admin.email)
    visit(provider_page, f"{base}/indirect-resellers/", language, _("Indirect resellers"))
    shoot(provider_page, "provider-indirect-resellers")
    visit(provider_page, f"{base}/customers/", language, _("Customers"))
    shoot(provider_page, "provider-customers")
    reseller_page = new_page()
    sign_in(reseller_page, base, reseller_admin.email)
    visit(reseller_page, f"{base}/providers/", language, _("Find a provider"))
    shoot(reseller_page, "find-a-provider")
    visit(reseller_page, f"{base}/indirect-providers/", language, _("Indirect providers"))
    shoot(reseller_page, "reseller-indirect-providers")

    # The customer's global admin opens the reseller's link.
    customer = new_page()
    sign_in(customer, base, customer_admin.email)
    visit(customer, invitation.link, language, _("Authorize your resellers"))
    shoot(customer, "customer-authorize")
