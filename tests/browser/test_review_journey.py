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
from django.utils.translation import gettext as _
from django_countries import countries
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
from .helpers import (
    colon,
    dot,
    emailed_status_link,
    event,
    flash,
    open_enrollments,
    sign_in,
    verification_links,
)
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


@pytest.mark.parametrize("language", ["en", "ru"])
def test_review_journey(new_page, live_server, settings, shoot):
    """From the application to ``active``: the applicant and the reviewer take turns,
    each in their own browser; in English and in Русский (the portal's texts through ``_``)."""
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
    applicant.get_by_role("button", name=_("Confirm my email address")).click()
    expect(applicant.get_by_role("heading", level=1)).to_have_text(
        _("Thank you: your email address is confirmed")
    )
    applicant.get_by_role("link", name=_("Follow the application")).click()
    expect(applicant).to_have_url(status_url)
    expect(applicant.get_by_role("heading", level=1)).to_have_text(
        dot(_("Indirect reseller"), _("In review"))
    )

    # The automated checks ran (eagerly, after the confirmation); business verification
    # is left to a person.
    expect(event(applicant, _("Automated checks completed"))).to_have_count(1)
    for label, result in (
        (_("Email ownership"), _("Passed")),
        (_("Email domain and employment"), _("Passed")),
        (_("MPN ID is active"), _("Passed")),
        (_("Business verification"), _("Pending")),
    ):
        expect(status_check(applicant, label)).to_contain_text(result)

    # 2. The reviewer signs in in another browser and opens the queue.
    sign_in(reviewer, base, "riley@partners.test")
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(_("Program staff"))
    reviewer.get_by_role("link", name=_("Open the review queue")).click()
    expect(reviewer).to_have_url(f"{base}/review/")
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(_("Review queue"))
    expect(reviewer.locator("main")).to_contain_text(open_enrollments(1))
    row = queue_row(reviewer)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"{_('MPN ID')} {MPN_ID}")
    expect(row).to_contain_text(countries.name("DE"))
    expect(row).to_contain_text(_("Indirect reseller"))
    expect(row).to_contain_text(_("In review"))
    expect(row.locator("td").last).to_have_text(_("Unassigned"))
    shoot(reviewer, "review-queue")

    # 3. The enrollment's review page: checks with evidence, partner, timeline.
    row.get_by_role("link", name=COMPANY).click()
    expect(reviewer).to_have_url(f"{base}/review/{enrollment_id}/")
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(dot(COMPANY, _("In review")))
    expect(reviewer.locator("section.assignee")).to_contain_text(_("Nobody holds this enrollment."))
    expect(review_check(reviewer, "business_verification")).to_contain_text(_("Pending"))
    expect(review_check(reviewer, "email_domain")).to_contain_text(_("Passed"))
    expect(review_check(reviewer, "email_domain")).to_contain_text(
        _("%(domain)s is a verified domain of the tenant.") % {"domain": "fabrikam.de"}
    )
    expect(reviewer.locator("main")).to_contain_text(f"Jonas Becker · {CONTACT_EMAIL}")
    expect(reviewer.locator("main")).to_contain_text(f"Lena Vogel · {ADMIN_EMAIL}")  # submitted by
    expect(event(reviewer, _("Email address confirmed"))).to_have_count(1)
    shoot(reviewer, "review-enrollment")

    # 4. Claim it.
    reviewer.locator("section.assignee").get_by_role("button", name=_("Claim")).click()
    expect(reviewer).to_have_url(f"{base}/review/{enrollment_id}/")
    expect(flash(reviewer)).to_contain_text(
        _("You hold this enrollment now. Other reviewers cannot decide it until you release it.")
    )
    expect(reviewer.locator("section.assignee")).to_contain_text(_("You hold this enrollment."))
    expect(reviewer.locator("section.assignee").get_by_role("button", name=_("Release"))).to_be_visible()
    expect(event(reviewer, _("Reviewer assigned"))).to_have_count(1)
    shoot(reviewer, "review-claimed")

    # Approving with a check still open is refused, and says which.
    decision = reviewer.locator("section.decision")
    decision.get_by_role("button", name=_("Approve")).click()
    expect(decision.get_by_role("alert")).to_have_text(
        _("Pass or waive every check before approving. Still open: %(checks)s.")
        % {"checks": _("Business verification")}
    )
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(dot(COMPANY, _("In review")))
    shoot(reviewer, "review-approve-refused")

    # 5. Pass every check left to a person, business verification with a note.
    pending = reviewer.locator("ul.review-checks > li.check-pending")
    kinds = [item.get_attribute("id").removeprefix("check-") for item in pending.all()]
    assert "business_verification" in kinds, kinds
    for kind in kinds:
        check = review_check(reviewer, kind)
        note = BUSINESS_NOTE if kind == "business_verification" else f"Checked by hand: {kind}."
        check.get_by_label(_("Note")).fill(note)
        check.get_by_role("button", name=_("Pass"), exact=True).click()
        expect(flash(reviewer)).to_have_text(_("The check is passed."))
        expect(check.locator(".badge")).to_have_text(_("Passed"))
        expect(check).to_contain_text(note)
        expect(check).to_contain_text(_("Decided by %(name)s") % {"name": "Riley Reviewer"})
    expect(pending).to_have_count(0)
    expect(event(reviewer, _("Check passed")).filter(has_text=BUSINESS_NOTE)).to_have_count(1)
    shoot(reviewer, "review-checks-passed")

    # 6. Ask the applicant for information.
    request_form = reviewer.locator("form.decision-form", has_text=_("Request information"))
    request_form.get_by_label(_("What the partner must provide")).fill(REQUEST)
    request_form.get_by_role("button", name=_("Send the request")).click()
    expect(flash(reviewer)).to_have_text(
        _("The request is sent. The enrollment waits for the partner's answer.")
    )
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(dot(COMPANY, _("Action needed")))
    expect(reviewer.locator("section.decision")).to_have_count(0)  # nothing to decide while it waits
    expect(event(reviewer, _("Information requested"))).to_contain_text(REQUEST)
    shoot(reviewer, "review-info-requested")

    # 7. The applicant follows the emailed link, sees the request on the status page and
    # answers it.
    link = emailed_status_link(base, CONTACT_EMAIL, _("Action needed on your CSP application"))
    assert link == status_url
    applicant.goto(link)
    expect(applicant.get_by_role("heading", level=1)).to_have_text(
        dot(_("Indirect reseller"), _("Action needed"))
    )
    expect(todo(applicant).get_by_role("heading")).to_have_text(
        colon(_("What you need to do now"), _("We need information from you"))
    )
    action = applicant.locator("#action-needed")
    expect(action.get_by_role("heading")).to_have_text(_("Action needed: the reviewer's request"))
    expect(action.locator("blockquote.request")).to_have_text(REQUEST)
    expect(event(applicant, _("Information requested"))).to_contain_text(REQUEST)
    expect(status_check(applicant, _("Business verification"))).to_contain_text(_("Passed"))
    shoot(applicant, "status-action-needed")

    action.get_by_label(_("Your answer")).fill(ANSWER)
    action.get_by_role("button", name=_("Send my answer")).click()
    expect(applicant).to_have_url(status_url)
    expect(flash(applicant)).to_have_text(_("Your answer was sent. The review continues."))
    expect(applicant.get_by_role("heading", level=1)).to_have_text(
        dot(_("Indirect reseller"), _("In review"))
    )
    expect(applicant.locator("#action-needed")).to_have_count(0)
    expect(event(applicant, _("Partner answered"))).to_contain_text(ANSWER)
    expect(todo(applicant).get_by_role("heading")).to_have_text(
        colon(_("What comes next"), _("Verification in progress"))
    )
    shoot(applicant, "status-answered")

    # 8. The reviewer finds it back in review, with the answer, and approves it.
    reviewer.goto(f"{base}/review/")
    row = queue_row(reviewer)
    expect(row).to_contain_text(_("In review"))
    expect(row.locator("td").last).to_have_text(_("You"))
    shoot(reviewer, "review-queue-answered")
    row.get_by_role("link", name=COMPANY).click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(dot(COMPANY, _("In review")))
    expect(event(reviewer, _("Partner answered"))).to_contain_text(ANSWER)
    expect(event(reviewer, _("Partner answered"))).to_contain_text(f"{_('Action needed')} → {_('In review')}")
    shoot(reviewer, "review-answered")

    decision = reviewer.locator("section.decision")
    approve_form = decision.locator("form.decision-form", has_text=_("Approve"))
    approve_form.get_by_label(_("Note (optional)")).fill(APPROVE_NOTE)
    approve_form.get_by_role("button", name=_("Approve")).click()
    expect(reviewer).to_have_url(f"{base}/review/{enrollment_id}/")
    expect(flash(reviewer)).to_have_text(_("The enrollment is approved. The primary contact is emailed."))
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(dot(COMPANY, _("Approved")))
    expect(reviewer.locator("section.decision")).to_have_count(0)
    expect(event(reviewer, _("Application approved"))).to_contain_text(APPROVE_NOTE)
    shoot(reviewer, "review-approved")

    # An approved enrollment leaves the queue.
    reviewer.goto(f"{base}/review/")
    expect(reviewer.locator("main")).to_contain_text(open_enrollments(0))
    expect(queue_row(reviewer)).to_have_count(0)
    shoot(reviewer, "review-queue-empty")

    # 9. The applicant: approved, the agreement is next.
    applicant.goto(f"{base}/")
    callout = applicant.locator(
        "section.callout",
        has_text=_("Your company is verified as %(program)s") % {"program": _("Indirect reseller")},
    )
    expect(callout).to_be_visible()
    expect(callout.get_by_role("link", name=_("Accept the agreement"))).to_be_visible()
    expect(applicant.locator("table.table tbody tr", has_text=_("Indirect reseller"))).to_contain_text(
        _("Approved")
    )
    shoot(applicant, "overview-approved")

    link = emailed_status_link(base, CONTACT_EMAIL, _("Your company is verified: accept the agreement"))
    assert link == status_url
    applicant.goto(link)
    expect(applicant.get_by_role("heading", level=1)).to_have_text(dot(_("Indirect reseller"), _("Approved")))
    expect(todo(applicant).get_by_role("heading")).to_have_text(
        colon(_("What you need to do now"), _("Accept the agreement"))
    )
    expect(event(applicant, _("Application approved"))).to_have_count(1)
    shoot(applicant, "status-approved")

    # 10. The applicant accepts the agreement.
    applicant.goto(f"{base}/")
    applicant.locator("section.callout").get_by_role("link", name=_("Accept the agreement")).click()
    expect(applicant).to_have_url(f"{base}/partner/agreement/?program=indirect_reseller")
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Microsoft Partner Agreement")
    expect(applicant.locator("main")).to_contain_text(
        dot(_("Indirect reseller"), f"{_('Version')} {AGREEMENT_VERSION}", "English")
    )
    expect(applicant.locator(".agreement-text")).to_contain_text("1. Parties and scope.")
    # The contact on record is filled in.
    expect(applicant.get_by_label(_("First name"))).to_have_value("Jonas")
    expect(applicant.get_by_label(_("Last name"))).to_have_value("Becker")
    expect(applicant.get_by_label(_("Work email"))).to_have_value(CONTACT_EMAIL)
    expect(applicant.get_by_label(_("Phone"))).to_have_value("+49301234567")
    shoot(applicant, "agreement")
    applicant.get_by_label(_("I have read the agreement and accept it on behalf of my organization.")).check()
    applicant.get_by_role("button", name=_("Accept and continue")).click()

    expect(applicant).to_have_url(f"{base}/")
    expect(flash(applicant)).to_have_text(
        _("Thank you. The agreement is signed and your enrollment is active.")
    )
    banner = applicant.locator("section.banner-success")
    expect(banner.get_by_role("heading")).to_have_text(
        _("You are enrolled as %(program)s: the agreement is signed") % {"program": _("Indirect reseller")}
    )
    expect(applicant.locator("section.callout", has_text=_("Accept the agreement"))).to_have_count(0)
    expect(applicant.locator("table.table tbody tr", has_text=_("Indirect reseller"))).to_contain_text(
        _("Active")
    )
    shoot(applicant, "overview-active")

    # 11. The partner profile's Program info shows the agreement as signed.
    banner.get_by_role("link", name=_("See Program info")).click()
    expect(applicant).to_have_url(f"{base}/partner/#program-info")
    expect(applicant.get_by_role("heading", level=1)).to_have_text(_("Partner profile"))
    expect(applicant.locator("dl.summary")).to_contain_text(_("Authorized"))
    program_row = applicant.locator("#program-info tbody tr")
    expect(program_row).to_have_count(1)
    expect(program_row).to_contain_text(_("Indirect reseller"))
    expect(program_row).to_contain_text(_("Active"))
    signed = dot("Microsoft Partner Agreement", f"{_('Version')} {AGREEMENT_VERSION}")
    expect(program_row).to_contain_text(colon(_("Signed"), signed))
    expect(program_row).to_contain_text("Lena Vogel")
    shoot(applicant, "partner-profile")

    # 12. The status page: Active, with the whole journey in the timeline.
    applicant.goto(status_url)
    expect(applicant.get_by_role("heading", level=1)).to_have_text(dot(_("Indirect reseller"), _("Active")))
    expect(todo(applicant).get_by_role("heading")).to_have_text(
        colon(_("What comes next"), _("You are enrolled"))
    )
    kinds = applicant.locator("ol.timeline > li strong").all_inner_texts()
    # The submission's one row says where the confirmation link went (no second row for
    # the email since the one audit trail).
    journey = [
        _("Application submitted"),
        _("Email address confirmed"),
        _("Automated checks completed"),
        _("Reviewer assigned"),
        _("Check passed"),
        _("Information requested"),
        _("Partner answered"),
        _("Application approved"),
        _("Agreement accepted"),
    ]
    assert set(journey) <= set(kinds), kinds
    first = [kinds.index(kind) for kind in journey]
    assert first == sorted(first), kinds
    expect(event(applicant, _("Application submitted"))).to_contain_text(
        _("We emailed a confirmation link to %(email)s.") % {"email": CONTACT_EMAIL}
    )
    expect(event(applicant, _("Agreement accepted"))).to_contain_text(
        _("%(agreement)s %(version)s (%(language)s), region %(region)s")
        % {
            "agreement": "Microsoft Partner Agreement",
            "version": AGREEMENT_VERSION,
            "language": "en",
            "region": "europe",
        }
    )
    shoot(applicant, "status-active")

    # What happened, as the database has it.
    enrollment = Enrollment.objects.get(pk=enrollment_id)
    assert enrollment.status == "active"
    assert enrollment.partner.agreement_acceptances.get().template == template
    assert enrollment.checks.exclude(result="passed").count() == 0

    # The primary contact was emailed at every change, each once, in order, in the language
    # the wizard proposed (the applicant's); nobody else.
    assert {tuple(m.to) for m in mail.outbox} == {(CONTACT_EMAIL,)}
    assert [m.subject for m in mail.outbox] == [
        _("Confirm your email address for the CSP program"),
        _("Your email is confirmed: your CSP application is in review"),
        _("Action needed on your CSP application"),
        _("Your company is verified: accept the agreement"),
        _("You are enrolled: the agreement is signed"),
    ]
    action_needed, approved = mail.outbox[2], mail.outbox[3]
    assert REQUEST in action_needed.body
    assert status_url in action_needed.body
    assert status_url in approved.body
