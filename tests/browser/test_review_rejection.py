"""A rejection in a real Chromium: it needs a reason, and the reason reaches the
applicant (the reviewer and the applicant each in their own browser context).

Screenshots: ``var/screenshots/85-89``, after test_review_journey.py's 60–84.
"""

import re

import pytest
from django.core import mail
from django.utils.translation import gettext as _
from playwright.sync_api import expect

from enrollment.models import Enrollment
from enrollment.services.application import enrollment_submit
from enrollment.services.confirmation import email_verification_confirm
from tests.cast import make_reviewer

from .helpers import colon, dot, event, flash, sign_in
from .review_helpers import COMPANY, REJECT_REASON, todo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

SHOT_START = {"test_rejection_needs_a_reason_that_reaches_the_applicant": 85}
SHOT_END = 90


def test_rejection_needs_a_reason_that_reaches_the_applicant(
    new_page, live_server, settings, admin, application, shoot
):
    """Rejecting without a reason shows the error and changes nothing; with a reason, the
    enrollment is rejected and the applicant reads the reason on the status page."""
    settings.SITE_URL = live_server.url
    base = live_server.url
    make_reviewer()
    submitted = enrollment_submit(actor=admin, application=application)
    token = re.search(r"/verify-email/([A-Za-z0-9_-]+)/", mail.outbox[0].body).group(1)
    email_verification_confirm(token=token)
    enrollment = Enrollment.objects.get(pk=submitted.pk)
    assert enrollment.status == "in_review"
    events_before, emails_before = enrollment.events.count(), len(mail.outbox)

    reviewer = new_page()
    sign_in(reviewer, base, "riley@partners.test")
    reviewer.goto(f"{base}/review/{enrollment.pk}/")
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(dot(COMPANY, _("In review")))

    # An empty reason: the form says what is missing, nothing is recorded.
    reject_form = reviewer.locator("form.decision-form", has_text=_("Reject"))
    expect(reject_form.get_by_label(_("Reason"))).to_have_value("")
    reject_form.get_by_role("button", name=_("Reject")).click()
    reject_form = reviewer.locator("form.decision-form", has_text=_("Reject"))
    expect(reject_form.locator(".field.has-error .error")).to_have_text(
        _("Give the reason for the rejection: the partner receives it.")
    )
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(dot(COMPANY, _("In review")))
    expect(reviewer.locator("section.assignee")).to_contain_text(_("Nobody holds this enrollment."))
    expect(event(reviewer, _("Application rejected"))).to_have_count(0)
    shoot(reviewer, "review-reject-without-reason")
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.decision_reason, enrollment.assignee_id) == ("in_review", "", None)
    assert enrollment.events.count() == events_before
    assert len(mail.outbox) == emails_before

    # With a reason: rejected, and the reason is kept on the page.
    reject_form.get_by_label(_("Reason")).fill(REJECT_REASON)
    reject_form.get_by_role("button", name=_("Reject")).click()
    expect(reviewer).to_have_url(f"{base}/review/{enrollment.pk}/")
    expect(flash(reviewer)).to_have_text(
        _("The enrollment is rejected. The primary contact is emailed the reason.")
    )
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(dot(COMPANY, _("Rejected")))
    expect(reviewer.locator("section.card", has_text=_("Reason given"))).to_contain_text(REJECT_REASON)
    shoot(reviewer, "review-rejected")

    # The applicant, in their own browser, reads the reason.
    applicant = new_page()
    sign_in(applicant, base, admin.email)
    applicant.goto(f"{base}/enrollments/{enrollment.pk}/")
    expect(applicant.get_by_role("heading", level=1)).to_have_text(dot(_("Indirect reseller"), _("Rejected")))
    nxt = todo(applicant)
    expect(nxt.get_by_role("heading")).to_have_text(colon(_("What comes next"), _("Application rejected")))
    expect(nxt).to_contain_text(f"Reason: {REJECT_REASON}")
    expect(event(applicant, _("Application rejected"))).to_contain_text(REJECT_REASON)
    shoot(applicant, "status-rejected")

    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.decision_reason) == ("rejected", REJECT_REASON)
    assert enrollment.events.filter(kind="rejected").count() == 1
    rejected = [m for m in mail.outbox if m.subject == _("Your CSP application was rejected")]
    assert len(rejected) == 1 and rejected[0].to == ["jonas@fabrikam.de"]
    assert REJECT_REASON in rejected[0].body
