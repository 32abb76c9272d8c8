"""The review in a real Chromium, with two people at once: the applicant and the reviewer
each in their own browser context (their own cookies, so their own session).

The applicant enrolls through the wizard and confirms the primary contact's email; the
automated checks run; the reviewer claims the enrollment, passes the checks left to a
person, asks for information; the applicant answers; the reviewer approves; the applicant
accepts the agreement and the enrollment is active (a rejection: test_review_rejection.py).

Every page a test passes is saved as a full-page screenshot to
``var/screenshots/<NN>-<name>.png``; NN runs within each test, from the test's block in
SHOT_START (60–84, after test_enrollment_journey.py's 01–59).
"""

import pytest
from django.core import mail
from playwright.sync_api import expect

from enrollment.models import Enrollment
from partnercenter.accounts.models import Role
from tests.cast import make_reviewer
from tests.factories import (
    AgreementTemplateFactory,
    MpnProfileFactory,
    PmcAccountFactory,
    TenantDomainFactory,
    TenantFactory,
    UserFactory,
)

from .a11y import audit
from .helpers import emailed_status_link, event, flash, sign_in, verification_links
from .review_helpers import (
    ADMIN_EMAIL,
    AGREEMENT_VERSION,
    ANSWER,
    APPROVE_NOTE,
    BUSINESS_NOTE,
    COMPANY,
    CONTACT_EMAIL,
    MPN_ID,
    REQUEST,
    enroll_through_the_wizard,
    queue_row,
    review_check,
    status_check,
    todo,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

# Each test numbers its screenshots from its own start, so the numbers do not depend on
# which tests run, in which order, or on which xdist worker.
SHOT_START = {"test_review_journey": 60}
SHOT_END = 85


# --- The journey ----------------------------------------------------------------------------


def test_review_journey(new_page, live_server, settings, shoot):
    """From the application to ``active``: the applicant and the reviewer take turns,
    each in their own browser."""
    settings.SITE_URL = live_server.url  # the emailed links point at this server
    base = live_server.url
    MpnProfileFactory(
        mpn_id=MPN_ID, company_name=COMPANY, country="DE", pmc_account=PmcAccountFactory(username="fabrikam")
    )
    tenant = TenantFactory(name=COMPANY, domain="fabrikamde.onmicrosoft.com", country="DE")
    # fabrikam.de is a verified domain of the tenant: the email_domain check passes by itself.
    TenantDomainFactory(tenant=tenant, name="fabrikam.de")
    UserFactory(
        tenant=tenant,
        email=ADMIN_EMAIL,
        first_name="Lena",
        last_name="Vogel",
        roles=[Role.GLOBAL_ADMIN.value],
    )
    make_reviewer()
    template = AgreementTemplateFactory(
        program="indirect_reseller",
        language="en",
        version=AGREEMENT_VERSION,
        name="Microsoft Partner Agreement",
    )

    applicant = new_page()
    reviewer = new_page()

    # 1. The applicant enrolls and confirms the primary contact's email in their browser.
    sign_in(applicant, base, ADMIN_EMAIL)
    status_url = enroll_through_the_wizard(applicant, base)
    enrollment_id = status_url.rstrip("/").rsplit("/", 1)[-1]
    links = verification_links(base, CONTACT_EMAIL)
    assert len(links) == 1
    applicant.goto(links[0])
    audit(applicant)
    applicant.get_by_role("button", name="Confirm my email address").click()
    expect(applicant.get_by_role("heading", level=1)).to_have_text(
        "Thank you: your email address is confirmed"
    )
    applicant.get_by_role("link", name="Follow the application").click()
    expect(applicant).to_have_url(status_url)
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Indirect reseller · In review")

    # The automated checks ran (eagerly, after the confirmation); business verification
    # is left to a person.
    expect(event(applicant, "Automated checks completed")).to_have_count(1)
    for label, result in (
        ("Email ownership", "Passed"),
        ("Email domain and employment", "Passed"),
        ("MPN ID is active", "Passed"),
        ("Business verification", "Pending"),
    ):
        expect(status_check(applicant, label)).to_contain_text(result)

    # 2. The reviewer signs in in another browser and opens the queue.
    sign_in(reviewer, base, "riley@partners.test")
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Program staff")
    reviewer.get_by_role("link", name="Open the review queue").click()
    expect(reviewer).to_have_url(f"{base}/review/")
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Review queue")
    expect(reviewer.locator("main")).to_contain_text("1 open enrollment: oldest due first.")
    row = queue_row(reviewer)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"MPN ID {MPN_ID}")
    expect(row).to_contain_text("Germany")
    expect(row).to_contain_text("Indirect reseller")
    expect(row).to_contain_text("In review")
    expect(row.locator("td").last).to_have_text("Unassigned")
    shoot(reviewer, "review-queue")

    # 3. The enrollment's review page: checks with evidence, partner, timeline.
    row.get_by_role("link", name=COMPANY).click()
    expect(reviewer).to_have_url(f"{base}/review/{enrollment_id}/")
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(f"{COMPANY} · In review")
    expect(reviewer.locator("section.assignee")).to_contain_text("Nobody holds this enrollment.")
    expect(review_check(reviewer, "business_verification")).to_contain_text("Pending")
    expect(review_check(reviewer, "email_domain")).to_contain_text("Passed")
    expect(review_check(reviewer, "email_domain")).to_contain_text("fabrikam.de is a verified domain")
    expect(reviewer.locator("main")).to_contain_text(f"Jonas Becker · {CONTACT_EMAIL}")
    expect(reviewer.locator("main")).to_contain_text(f"Lena Vogel · {ADMIN_EMAIL}")  # submitted by
    expect(event(reviewer, "Email address confirmed")).to_have_count(1)
    shoot(reviewer, "review-enrollment")

    # 4. Claim it.
    reviewer.locator("section.assignee").get_by_role("button", name="Claim").click()
    expect(reviewer).to_have_url(f"{base}/review/{enrollment_id}/")
    expect(flash(reviewer)).to_contain_text("You hold this enrollment now.")
    expect(reviewer.locator("section.assignee")).to_contain_text("You hold this enrollment.")
    expect(reviewer.locator("section.assignee").get_by_role("button", name="Release")).to_be_visible()
    expect(event(reviewer, "Reviewer assigned")).to_have_count(1)
    shoot(reviewer, "review-claimed")

    # Approving with a check still open is refused, and says which.
    decision = reviewer.locator("section.decision")
    decision.get_by_role("button", name="Approve").click()
    expect(decision.get_by_role("alert")).to_have_text(
        "Pass or waive every check before approving. Still open: Business verification."
    )
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(f"{COMPANY} · In review")
    shoot(reviewer, "review-approve-refused")

    # 5. Pass every check left to a person, business verification with a note.
    pending = reviewer.locator("ul.review-checks > li.check-pending")
    kinds = [item.get_attribute("id").removeprefix("check-") for item in pending.all()]
    assert "business_verification" in kinds, kinds
    for kind in kinds:
        check = review_check(reviewer, kind)
        note = BUSINESS_NOTE if kind == "business_verification" else f"Checked by hand: {kind}."
        check.get_by_label("Note").fill(note)
        check.get_by_role("button", name="Pass", exact=True).click()
        expect(flash(reviewer)).to_have_text("The check is passed.")
        expect(check.locator(".badge")).to_have_text("Passed")
        expect(check).to_contain_text(note)
        expect(check).to_contain_text("Decided by Riley Reviewer")
    expect(pending).to_have_count(0)
    expect(event(reviewer, "Check passed").filter(has_text=BUSINESS_NOTE)).to_have_count(1)
    shoot(reviewer, "review-checks-passed")

    # 6. Ask the applicant for information.
    request_form = reviewer.locator("form.decision-form", has_text="Request information")
    request_form.get_by_label("What the partner must provide").fill(REQUEST)
    request_form.get_by_role("button", name="Send the request").click()
    expect(flash(reviewer)).to_have_text(
        "The request is sent. The enrollment waits for the partner's answer."
    )
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(f"{COMPANY} · Action needed")
    expect(reviewer.locator("section.decision")).to_have_count(0)  # nothing to decide while it waits
    expect(event(reviewer, "Information requested")).to_contain_text(REQUEST)
    shoot(reviewer, "review-info-requested")

    # 7. The applicant follows the emailed link, sees the request on the status page and
    # answers it.
    link = emailed_status_link(base, CONTACT_EMAIL, "Action needed on your CSP application")
    assert link == status_url
    applicant.goto(link)
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Indirect reseller · Action needed")
    expect(todo(applicant).get_by_role("heading")).to_have_text(
        "What you need to do now: We need information from you"
    )
    action = applicant.locator("#action-needed")
    expect(action.get_by_role("heading")).to_have_text("Action needed: the reviewer's request")
    expect(action.locator("blockquote.request")).to_have_text(REQUEST)
    expect(event(applicant, "Information requested")).to_contain_text(REQUEST)
    expect(status_check(applicant, "Business verification")).to_contain_text("Passed")
    shoot(applicant, "status-action-needed")

    action.get_by_label("Your answer").fill(ANSWER)
    action.get_by_role("button", name="Send my answer").click()
    expect(applicant).to_have_url(status_url)
    expect(flash(applicant)).to_have_text("Your answer was sent. The review continues.")
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Indirect reseller · In review")
    expect(applicant.locator("#action-needed")).to_have_count(0)
    expect(event(applicant, "Partner answered")).to_contain_text(ANSWER)
    expect(todo(applicant).get_by_role("heading")).to_have_text("What comes next: Verification in progress")
    shoot(applicant, "status-answered")

    # 8. The reviewer finds it back in review, with the answer, and approves it.
    reviewer.goto(f"{base}/review/")
    row = queue_row(reviewer)
    expect(row).to_contain_text("In review")
    expect(row.locator("td").last).to_have_text("You")
    shoot(reviewer, "review-queue-answered")
    row.get_by_role("link", name=COMPANY).click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(f"{COMPANY} · In review")
    expect(event(reviewer, "Partner answered")).to_contain_text(ANSWER)
    expect(event(reviewer, "Partner answered")).to_contain_text("Action needed → In review")
    shoot(reviewer, "review-answered")

    decision = reviewer.locator("section.decision")
    approve_form = decision.locator("form.decision-form", has_text="Approve")
    approve_form.get_by_label("Note (optional)").fill(APPROVE_NOTE)
    approve_form.get_by_role("button", name="Approve").click()
    expect(reviewer).to_have_url(f"{base}/review/{enrollment_id}/")
    expect(flash(reviewer)).to_have_text("The enrollment is approved. The primary contact is emailed.")
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(f"{COMPANY} · Approved")
    expect(reviewer.locator("section.decision")).to_have_count(0)
    expect(event(reviewer, "Application approved")).to_contain_text(APPROVE_NOTE)
    shoot(reviewer, "review-approved")

    # An approved enrollment leaves the queue.
    reviewer.goto(f"{base}/review/")
    expect(reviewer.locator("main")).to_contain_text("0 open enrollments: oldest due first.")
    expect(queue_row(reviewer)).to_have_count(0)
    shoot(reviewer, "review-queue-empty")

    # 9. The applicant: approved, the agreement is next.
    applicant.goto(f"{base}/")
    callout = applicant.locator("section.callout", has_text="Your company is verified as Indirect reseller")
    expect(callout).to_be_visible()
    expect(callout.get_by_role("link", name="Accept the agreement")).to_be_visible()
    expect(applicant.locator("table.table tbody tr", has_text="Indirect reseller")).to_contain_text(
        "Approved"
    )
    shoot(applicant, "overview-approved")

    link = emailed_status_link(base, CONTACT_EMAIL, "Your company is verified: accept the agreement")
    assert link == status_url
    applicant.goto(link)
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Indirect reseller · Approved")
    expect(todo(applicant).get_by_role("heading")).to_have_text(
        "What you need to do now: Accept the agreement"
    )
    expect(event(applicant, "Application approved")).to_have_count(1)
    shoot(applicant, "status-approved")

    # 10. The applicant accepts the agreement.
    applicant.goto(f"{base}/")
    applicant.locator("section.callout").get_by_role("link", name="Accept the agreement").click()
    expect(applicant).to_have_url(f"{base}/partner/agreement/?program=indirect_reseller")
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Microsoft Partner Agreement")
    expect(applicant.locator("main")).to_contain_text(
        f"Indirect reseller · Version {AGREEMENT_VERSION} · English"
    )
    expect(applicant.locator(".agreement-text")).to_contain_text("1. Parties and scope.")
    # The contact on record is filled in.
    expect(applicant.get_by_label("First name")).to_have_value("Jonas")
    expect(applicant.get_by_label("Last name")).to_have_value("Becker")
    expect(applicant.get_by_label("Work email")).to_have_value(CONTACT_EMAIL)
    expect(applicant.get_by_label("Phone")).to_have_value("+49301234567")
    shoot(applicant, "agreement")
    applicant.get_by_label("I have read the agreement and accept it on behalf of my organization.").check()
    applicant.get_by_role("button", name="Accept and continue").click()

    expect(applicant).to_have_url(f"{base}/")
    expect(flash(applicant)).to_have_text("Thank you. The agreement is signed and your enrollment is active.")
    banner = applicant.locator("section.banner-success")
    expect(banner.get_by_role("heading")).to_have_text(
        "You are enrolled as Indirect reseller: the agreement is signed"
    )
    expect(applicant.locator("section.callout", has_text="Accept the agreement")).to_have_count(0)
    expect(applicant.locator("table.table tbody tr", has_text="Indirect reseller")).to_contain_text("Active")
    shoot(applicant, "overview-active")

    # 11. The partner profile's Program info shows the agreement as signed.
    banner.get_by_role("link", name="See Program info").click()
    expect(applicant).to_have_url(f"{base}/partner/#program-info")
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Partner profile")
    expect(applicant.locator("dl.summary")).to_contain_text("Authorized")
    program_row = applicant.locator("#program-info tbody tr")
    expect(program_row).to_have_count(1)
    expect(program_row).to_contain_text("Indirect reseller")
    expect(program_row).to_contain_text("Active")
    expect(program_row).to_contain_text(f"Signed: Microsoft Partner Agreement · Version {AGREEMENT_VERSION}")
    expect(program_row).to_contain_text("by Lena Vogel")
    shoot(applicant, "partner-profile")

    # 12. The status page: Active, with the whole journey in the timeline.
    applicant.goto(status_url)
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Indirect reseller · Active")
    expect(todo(applicant).get_by_role("heading")).to_have_text("What comes next: You are enrolled")
    kinds = applicant.locator("ol.timeline > li strong").all_inner_texts()
    # The submission's one row says where the confirmation link went (no second row for
    # the email since the one audit trail).
    journey = [
        "Application submitted",
        "Email address confirmed",
        "Automated checks completed",
        "Reviewer assigned",
        "Check passed",
        "Information requested",
        "Partner answered",
        "Application approved",
        "Agreement accepted",
    ]
    assert set(journey) <= set(kinds), kinds
    first = [kinds.index(kind) for kind in journey]
    assert first == sorted(first), kinds
    expect(event(applicant, "Application submitted")).to_contain_text(
        f"We emailed a confirmation link to {CONTACT_EMAIL}."
    )
    expect(event(applicant, "Agreement accepted")).to_contain_text(
        f"Microsoft Partner Agreement {AGREEMENT_VERSION} (en), region europe"
    )
    shoot(applicant, "status-active")

    # What happened, as the database has it.
    enrollment = Enrollment.objects.get(pk=enrollment_id)
    assert enrollment.status == "active"
    assert enrollment.partner.agreement_acceptances.get().template == template
    assert enrollment.checks.exclude(result="passed").count() == 0

    # The primary contact was emailed at every change, each once, in order; nobody else.
    assert {tuple(m.to) for m in mail.outbox} == {(CONTACT_EMAIL,)}
    assert [m.subject for m in mail.outbox] == [
        "Confirm your email address for the CSP program",
        "Your email is confirmed: your CSP application is in review",
        "Action needed on your CSP application",
        "Your company is verified: accept the agreement",
        "You are enrolled: the agreement is signed",
    ]
    action_needed, approved = mail.outbox[2], mail.outbox[3]
    assert REQUEST in action_needed.body
    assert status_url in action_needed.body
    assert status_url in approved.body
