"""From direct bill to indirect reseller in a real Chromium (issue 11, "Done when"): the
demo's direct-bill partner (Fourth Coffee: active direct bill with a credit line, a direct
customer with a subscription) is identified for offboarding by a reviewer; its global admin
sees *Become an indirect reseller* under Current tasks, reads the details on record and
that there is no rollback, confirms and selects *Enroll now*; the automated checks pass (the
direct-bill enrollment's verification taken over) and the task approves it at once;
*Accept and continue* (the indirect reseller agreement); the partner profile shows both
programs; the old direct customer is still invoiced; a new direct customer is refused with
the reason; the incentives invitation is emailed once.

On a fixed calendar (time_machine, frozen around each phase). Every page is audited with
axe-core; screenshots ``var/screenshots/<NN>-transition-<name>.png`` from 290 (290–299); the
second test, a rejected transition offered again, from 300 (300–309).
"""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.utils.translation import gettext as _
from playwright.sync_api import Page, expect

from billing.models import Invoice
from billing.tasks import invoices_run
from enrollment import tasks
from enrollment.models import Enrollment, EnrollmentStatus, VerificationCheck
from enrollment.services.review import enrollment_reject
from enrollment.services.transition import transition_flag
from enrollment.transition import NO_NEW_DIRECT_CUSTOMERS, IndirectTransition, takes_new_direct_customers
from partnercenter.accounts.models import User
from tests.billing.factories import subscription_of, with_credit_line
from tests.cast import direct_customer, make_direct_bill, make_reviewer, user_of
from tests.enrollment.transition.cast import VERIFIED
from tests.factories import (
    AgreementTemplateFactory,
    MpnProfileFactory,
    TenantFactory,
    VerificationCheckFactory,
)

from .a11y import audit
from .commerce_helpers import PRODUCT, money, price_list
from .helpers import flash, h1, sign_in
from .provider_helpers import nav

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

SHOT_START = {
    "test_a_direct_bill_partner_becomes_an_indirect_reseller": 290,
    "test_a_rejected_transition_is_offered_again": 300,
}
SHOT_END = 310

PARTNER = "Fourth Coffee B.V."
ADMIN = "eva.dejong@fourthcoffee.nl"
REVIEWER = "riley@partners.test"
CUSTOMER = "Alpine Ski House B.V."
# A Wednesday in March 2027; the invoice run on 2 April; the incentives sweep after it.
SET_UP = "2027-03-01T08:00:00+00:00"
FLAGGED = "2027-03-10T09:00:00+00:00"
INVOICED = "2027-04-02T06:00:00+00:00"
SWEPT = "2027-04-12T06:00:00+00:00"


@pytest.fixture
def world(db):
    """The demo's partner as it stands on 1 March 2027, before anyone flags it."""
    with time_machine.travel(SET_UP, tick=False):
        return _world()


def _world():
    partner = make_direct_bill(
        legal_name=PARTNER,
        country="NL",
        contact_email=ADMIN,
        contact_first_name="Eva",
        contact_last_name="de Jong",
        contact_phone="+31201234567",
        address_line1="Keizersgracht 100",
        city="Amsterdam",
        postal_code="1015 AA",
        support_email="support@fourthcoffee.nl",
        support_phone="+31201234568",
        tenant=TenantFactory(name=PARTNER, domain="fourthcoffee.onmicrosoft.com", country="NL"),
    )
    with_credit_line(partner, Decimal("5000.00"))
    # Verified when it enrolled in direct bill (as the demo's partner was): the checks the
    # transition's enrollment takes over, the MPN ID active under its legal name.
    direct = Enrollment.objects.get(partner=partner, program="direct_bill")
    for kind in VERIFIED:
        VerificationCheckFactory(enrollment=direct, kind=kind, result="passed")
    MpnProfileFactory(mpn_id=partner.mpn_id, company_name=PARTNER, country="NL")
    user_of(partner, email=ADMIN, first_name="Eva", last_name="de Jong")
    customer = direct_customer(
        partner,
        company_name=CUSTOMER,
        tenant=TenantFactory(name=CUSTOMER, domain="alpineskihouse.onmicrosoft.com", country="NL"),
    )
    price = price_list(partner)
    subscription_of(partner, customer, price=price, quantity=5, start=date(2027, 3, 1))
    make_reviewer(email=REVIEWER)
    AgreementTemplateFactory(
        program="indirect_reseller", language="en", is_current=True, name="Indirect reseller agreement"
    )
    return partner, customer, price


def flag(reviewer: Page, base: str, partner) -> None:
    reviewer.goto(f"{base}/review/partners/{partner.pk}/offboarding/")
    expect(h1(reviewer)).to_contain_text(PARTNER)
    reviewer.get_by_label(_("Note")).fill("Below the direct-bill thresholds")
    reviewer.get_by_role("button", name=_("Identify for offboarding")).click()
    expect(flash(reviewer)).to_contain_text(
        _("The partner is identified for offboarding: its global admin is offered the transition.")
    )
    audit(reviewer)


def enroll_now(admin: Page, base: str, shoot) -> Enrollment:
    admin.goto(f"{base}/")
    tasks_card = admin.locator("section", has=admin.get_by_role("heading", name=_("Current tasks")))
    expect(tasks_card).to_be_visible()
    shoot(admin, "transition-task")
    tasks_card.get_by_role("link", name=_("Become an indirect reseller")).click()
    expect(h1(admin)).to_have_text(_("Become an indirect reseller"))
    main = admin.locator("main")
    expect(main).to_contain_text("fourthcoffee.onmicrosoft.com")  # the same tenant
    expect(main.locator("dl.summary")).to_contain_text(
        Enrollment.objects.get().partner.mpn_id
    )  # the same MPN ID
    expect(main.get_by_role("heading", name=_("There is no rollback"))).to_be_visible()
    admin.get_by_label(
        _(
            "I confirm that these details are correct, that I am authorized to enroll my company, and that there is no rollback."
        )
    ).check()
    shoot(admin, "transition-confirm")
    admin.get_by_role("button", name=_("Enroll now")).click()
    enrollment = Enrollment.objects.get(program="indirect_reseller")
    expect(admin).to_have_url(f"{base}/enrollments/{enrollment.pk}/")
    audit(admin)
    return enrollment


def approved_at_once(admin: Page, base: str, enrollment: Enrollment) -> None:
    """The automated checks passed (those the direct-bill enrollment passed are taken over),
    so the task approved the enrollment at once: its status page says so, and the primary
    contact is emailed to accept the agreement."""
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.APPROVED
    admin.goto(f"{base}/enrollments/{enrollment.pk}/")
    expect(admin.locator("main")).to_contain_text(_("Approved"))
    audit(admin)
    subject = _("Your company is verified: accept the agreement")
    assert [m.to for m in mail.outbox if m.subject == subject] == [[ADMIN]]


def accept_and_continue(admin: Page, base: str, shoot) -> None:
    admin.goto(f"{base}/")
    admin.locator("section.callout").get_by_role("link", name=_("Accept the agreement")).click()
    expect(admin).to_have_url(f"{base}/partner/agreement/?program=indirect_reseller")
    audit(admin)
    admin.get_by_label(_("I have read the agreement and accept it on behalf of my organization.")).check()
    admin.get_by_role("button", name=_("Accept and continue")).click()
    audit(admin)
    admin.goto(f"{base}/")
    expect(admin.get_by_role("heading", name=_("Current tasks"))).to_have_count(0)  # done
    audit(admin)
    admin.goto(f"{base}/partner/")
    info = admin.locator("#program-info")
    expect(info).to_contain_text(_("Direct bill"))
    expect(info).to_contain_text(_("Indirect reseller"))
    shoot(admin, "transition-both-programs")


def new_direct_customer_refused(admin: Page, base: str, shoot) -> None:
    """*Create customer* is refused, the reason on the page (403)."""
    response = admin.goto(f"{base}/customers/new/")
    assert response.status == 403
    expect(admin.locator("main")).to_contain_text(str(NO_NEW_DIRECT_CUSTOMERS))
    shoot(admin, "transition-new-customer-refused")


def read_the_invoice(admin: Page, base: str, shoot, price) -> None:
    invoice = Invoice.objects.get()
    admin.goto(f"{base}/")
    audit(admin)
    nav(admin, _("Invoices"))
    audit(admin)
    row = admin.locator("table.invoices tbody tr", has_text=invoice.number)
    expect(row).to_contain_text(CUSTOMER)
    row.get_by_role("link", name=invoice.number).click()
    expect(h1(admin)).to_have_text(_("Invoice %(number)s") % {"number": invoice.number})
    expect(admin.locator("table.lines tbody tr").first).to_contain_text(PRODUCT)
    expect(admin.locator("table.lines tfoot tr.total")).to_contain_text(money(invoice.total, price.currency))
    shoot(admin, "transition-invoice")


def test_a_direct_bill_partner_becomes_an_indirect_reseller(new_page, live_server, settings, shoot, world):
    settings.SITE_URL = live_server.url
    partner, customer, price = world
    base = live_server.url
    admin, reviewer = new_page(), new_page()

    with time_machine.travel(FLAGGED, tick=False):
        sign_in(reviewer, base, REVIEWER)
        flag(reviewer, base, partner)
        sign_in(admin, base, ADMIN)
        enrollment = enroll_now(admin, base, shoot)
        assert not takes_new_direct_customers(partner)
        approved_at_once(admin, base, enrollment)
        reviewer.goto(f"{base}/review/partners/{partner.pk}/offboarding/")
        expect(reviewer.locator("main")).to_contain_text(
            _(
                "The partner selected Enroll now: its indirect-reseller enrollment is under way. There is no rollback."
            )
        )
        expect(reviewer.get_by_role("button", name=_("No longer identify for offboarding"))).to_have_count(0)
        audit(reviewer)
        accept_and_continue(admin, base, shoot)
        assert IndirectTransition.objects.get(partner=partner).is_completed
        new_direct_customer_refused(admin, base, shoot)

    with time_machine.travel(INVOICED, tick=False):
        invoices_run()
        invoice = Invoice.objects.get()
        # March in arrears, the whole month of 5 × 10.50: billed as before the transition.
        assert (invoice.partner, invoice.customer, invoice.total) == (partner, customer, Decimal("52.50"))
        sign_in(admin, base, ADMIN)
        read_the_invoice(admin, base, shoot, price)

    with time_machine.travel(SWEPT, tick=False):
        tasks.enrollments_sweep()
        tasks.enrollments_sweep()  # once only
        subject = _("You are invited to indirect-reseller incentives")
        invited = [m for m in mail.outbox if m.subject == subject]
        assert len(invited) == 1 and invited[0].to == [ADMIN]


def test_a_rejected_transition_is_offered_again(new_page, live_server, settings, shoot, world):
    """The reviewer rejects the transition's enrollment: the partner did not transition, so
    the task is offered again (a new enrollment) and a new direct customer may be added."""
    settings.SITE_URL = live_server.url
    partner, _customer, _price = world
    base = live_server.url
    admin = new_page()
    with time_machine.travel(FLAGGED, tick=False):
        transition_flag(actor=make_reviewer(email="olga@partners.test"), partner=partner, note="")
        # nothing of the direct-bill verification to take over: a person decides
        VerificationCheck.objects.filter(enrollment__program="direct_bill").delete()
        sign_in(admin, base, ADMIN)
        enrollment = enroll_now(admin, base, shoot)
        enrollment.refresh_from_db()
        assert enrollment.status == EnrollmentStatus.IN_REVIEW
        enrollment_reject(
            actor=User.objects.get(email=REVIEWER),
            enrollment=enrollment,
            reason="The address could not be verified.",
        )
        admin.goto(f"{base}/")
        expect(admin.locator("main")).to_contain_text(
            _(
                "Your last indirect-reseller enrollment ended without becoming active, so your company did not transition. You can enroll again; the earlier enrollment stays in your history."
            )
        )
        expect(admin.get_by_role("link", name=_("Become an indirect reseller"))).to_be_visible()
        shoot(admin, "transition-offered-again")
        response = admin.goto(f"{base}/customers/new/")
        assert response.status == 200  # direct customers again, until the new start
        audit(admin)
        assert takes_new_direct_customers(partner)
