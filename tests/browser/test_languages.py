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

    # Who opens which page: (person, path, the heading's msgid or None, screenshot name).
    tour = [
        (None, "/", None, "home"),
        (None, "/signup/", "Create a work account", "signup"),
        (admin, "/enroll/", None, "welcome"),
        (admin, "/enroll/apply/program/", "Program", "wizard-program"),
        (admin, f"/enrollments/{enrollment.pk}/", None, "status-in-review"),
        (reviewer_user, "/review/", "Review queue", "review-queue"),
        (reviewer_user, f"/review/{enrollment.pk}/", None, "review-enrollment"),
        (provider_admin, "/indirect-resellers/", "Indirect resellers", "provider-indirect-resellers"),
        (provider_admin, "/customers/", "Customers", "provider-customers"),
        (reseller_admin, "/providers/", "Find a provider", "find-a-provider"),
        (reseller_admin, "/indirect-providers/", "Indirect providers", "reseller-indirect-providers"),
        (
            customer_admin,
            invitation.link.removeprefix(base),
            "Authorize your resellers",
            "customer-authorize",
        ),
    ]
    browsers = {}  # one browser per person, signed in on first use
    for person, path, heading, name in tour:
        if person not in browsers:
            browsers[person] = new_page()
            if person is not None:
                sign_in(browsers[person], base, person.email)
        visit(browsers[person], f"{base}{path}", language, _(heading) if heading else None)
        shoot(browsers[person], name)
