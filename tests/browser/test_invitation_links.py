"""Invitation links in a real Chromium: a link works once, and only for the partner it was
sent to (each person in their own browser context).

Screenshots: ``var/screenshots/120-130``, after test_provider_journey.py's 90–119.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from partnercenter.accounts.models import User
from partnercenter.audit.models import Event
from relationships.models import Customer, CustomerRelationship, ProviderResellerRelationship
from relationships.services.customer_invitations import customer_invitation_accept
from relationships.services.reseller_invitations import reseller_invitation_send
from tests import cast

from .a11y import audit
from .helpers import h1, sign_in
from .provider_helpers import (
    OUTSIDER_ADMIN,
    OUTSIDER_MPN_ID,
    PROVIDER,
    PROVIDER_ADMIN,
    RESELLER,
    RESELLER_ADMIN,
    RESELLER_CONTACT,
    RESELLER_MPN_ID,
    make_customer_admin,
    make_outsider,
    make_provider,
    make_reseller,
    reseller_invitation_link,
    table_row,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

SHOT_START = {"test_an_invitation_link_works_once_and_only_for_its_partner": 120}
SHOT_END = 131


def test_an_invitation_link_works_once_and_only_for_its_partner(new_page, live_server, settings, shoot):
    """Another partner's admin holding the link is told the invitation is for another
    partner, and nothing changes; the invited reseller accepts it; opened again, the link
    says it was already accepted. A used customer link says so too."""
    settings.SITE_URL = live_server.url
    base = live_server.url
    provider_partner = make_provider()
    reseller_partner = make_reseller()
    make_outsider()
    provider_admin = User.objects.get(email=PROVIDER_ADMIN)
    by_email = reseller_invitation_send(actor=provider_admin, email=RESELLER_ADMIN)
    by_mpn_id = reseller_invitation_send(actor=provider_admin, mpn_id=RESELLER_MPN_ID)
    email_link = reseller_invitation_link(base, RESELLER_ADMIN)
    [mpn_email] = [m for m in mail.outbox if RESELLER_CONTACT in m.to]
    mpn_link = re.search(re.escape(base) + r"/reseller-invitations/[A-Za-z0-9_-]+/", mpn_email.body).group(0)
    events, emails = Event.objects.count(), len(mail.outbox)

    # Another partner's global admin opens both links: a clear refusal, no form.
    outsider = new_page()
    sign_in(outsider, base, OUTSIDER_ADMIN)
    response = outsider.goto(email_link)
    assert response.status == 403
    expect(h1(outsider)).to_have_text("We can't show this page")
    expect(outsider.locator("main")).to_contain_text(
        f"This invitation was sent to {RESELLER_ADMIN}. Sign in as that user, or as a global admin or "
        "admin agent of the partner whose primary contact it is."
    )
    expect(outsider.get_by_role("button", name="Authorize indirect provider")).to_have_count(0)
    shoot(outsider, "wrong-partner-email-invitation")

    response = outsider.goto(mpn_link)
    assert response.status == 403
    expect(outsider.locator("main")).to_contain_text(
        f"This invitation is for the partner with MPN ID {RESELLER_MPN_ID}, not for your organization "
        f"(MPN ID {OUTSIDER_MPN_ID}). Sign in with a work account of the invited partner."
    )
    expect(outsider.get_by_role("button", name="Authorize indirect provider")).to_have_count(0)
    shoot(outsider, "wrong-partner-mpn-invitation")

    # Nothing changed.
    for invitation in (by_email, by_mpn_id):
        invitation.refresh_from_db()
        assert (invitation.status, invitation.reseller, invitation.accepted_by) == ("sent", None, None)
    assert not ProviderResellerRelationship.objects.exists()
    assert Event.objects.count() == events
    assert len(mail.outbox) == emails

    # The invited reseller accepts the same link...
    reseller = new_page()
    sign_in(reseller, base, RESELLER_ADMIN)
    reseller.goto(email_link)
    expect(h1(reseller)).to_have_text("Authorize an indirect provider")
    reseller.get_by_label("I authorize this indirect provider").check()
    reseller.get_by_role("button", name="Authorize indirect provider").click()
    expect(reseller).to_have_url(f"{base}/indirect-providers/")
    expect(table_row(reseller, "relationships", PROVIDER)).to_have_count(1)
    audit(reseller)

    # ... and opened a second time, the link says it was used.
    response = reseller.goto(email_link)
    assert response.status == 409
    expect(h1(reseller)).to_have_text("This invitation cannot be used")
    expect(reseller.get_by_role("alert")).to_have_text(
        "This invitation was already accepted. Each invitation link works once. Current status: Accepted."
    )
    expect(reseller.get_by_role("button", name="Authorize indirect provider")).to_have_count(0)
    shoot(reseller, "reseller-invitation-used-again")
    reseller.get_by_role("link", name="Go to Indirect providers").click()
    expect(reseller).to_have_url(f"{base}/indirect-providers/")
    assert ProviderResellerRelationship.objects.filter(provider=provider_partner).count() == 1

    # The provider's other invitation (by MPN ID, sent before the acceptance) cannot make a
    # second relationship. Today its page still offers the form and refuses on submit;
    # refusing at once would be as good, so the test accepts either.
    reseller.goto(mpn_link)
    authorize = reseller.get_by_role("button", name="Authorize indirect provider")
    if authorize.count():
        reseller.get_by_label("I authorize this indirect provider").check()
        authorize.click()
    expect(h1(reseller)).to_have_text("This invitation cannot be used")
    expect(reseller.get_by_role("alert")).to_contain_text(f"{PROVIDER} is already your indirect provider.")
    shoot(reseller, "reseller-second-invitation-refused")
    assert ProviderResellerRelationship.objects.count() == 1

    # A customer link works once too: another company's admin is told it was used.
    reseller_admin = User.objects.get(email=RESELLER_ADMIN)
    created = cast.invite_customer(reseller_admin, provider_partner)
    customer_invitation_accept(actor=make_customer_admin(), token=cast.customer_token(created))
    make_customer_admin("Wingtip Toys GmbH", "wingtipde.onmicrosoft.com")
    latecomer = new_page()
    sign_in(latecomer, base, "admin@wingtipde.onmicrosoft.com")
    latecomer.goto(created.link)
    expect(h1(latecomer)).to_have_text("Authorize your resellers")
    expect(latecomer.get_by_role("alert")).to_have_text(
        f"This invitation was already used: a link works once. Ask {RESELLER} for a new link."
    )
    expect(latecomer.locator("main form")).to_have_count(0)
    shoot(latecomer, "customer-invitation-used-again")
    assert Customer.objects.count() == 1
    assert not CustomerRelationship.objects.filter(
        customer__tenant__domain="wingtipde.onmicrosoft.com"
    ).exists()
    assert reseller_partner.customer_relationships.count() == 1
