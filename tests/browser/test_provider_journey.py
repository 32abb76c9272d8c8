"""Providers, resellers and their shared customer in a real Chromium, with three people at
once, each in their own browser context (their own cookies, so their own session): the
provider's global admin, the reseller's global admin and the customer's global admin.

The reseller finds the provider in *Find a provider*; the provider invites the reseller by
email; the reseller follows the emailed link and authorizes the provider; the reseller
invites a customer with its personalized link; the customer's global admin authorizes both
at once; the reseller and the provider both see the shared customer, and who bills it; the
reseller removes the provider's administrator access and the relationship stays (a link
working once and only for its partner: test_invitation_links.py).

Every page a test passes is saved as a full-page screenshot to
``var/screenshots/<NN>-<name>.png``; NN runs within each test, from the test's block in
SHOT_START (90–119, after test_review_rejection.py's 85–89).
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from partnercenter.audit.models import Event
from relationships.models import (
    Customer,
    CustomerInvitation,
    CustomerRelationship,
    ProviderResellerRelationship,
    ResellerInvitation,
)
from tests.factories import IndirectProviderFactory, active_partner

from .helpers import fill_sign_in, flash, h1, sign_in
from .provider_helpers import (
    CUSTOMER,
    CUSTOMER_ADMIN,
    CUSTOMER_DOMAIN,
    MESSAGE,
    OTHER_PROVIDER,
    PROVIDER,
    PROVIDER_ADMIN,
    PROVIDER_CONTACT,
    PROVIDER_DESCRIPTION,
    PROVIDER_MPN_ID,
    PROVIDER_WEBSITE,
    RESELLER,
    RESELLER_ADMIN,
    RESELLER_CONTACT,
    RESELLER_MPN_ID,
    cell,
    described,
    make_customer_admin,
    make_provider,
    make_reseller,
    nav,
    reseller_invitation_link,
    table_row,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


# Each test numbers its screenshots from its own start, so the numbers do not depend on
# which tests run, in which order, or on which xdist worker.
SHOT_START = {"test_provider_reseller_customer_journey": 90}
SHOT_END = 120


# --- The journey ----------------------------------------------------------------------------


def test_provider_reseller_customer_journey(new_page, live_server, settings, shoot):
    """Provider invites, reseller authorizes, reseller invites a customer, the customer
    authorizes both, and both sides see the shared customer; then the reseller removes the
    provider's administrator access and the relationship stays."""
    settings.SITE_URL = live_server.url  # the emailed links and the customer link point here
    base = live_server.url
    provider_partner = make_provider()
    IndirectProviderFactory(
        partner=active_partner(legal_name=OTHER_PROVIDER, country="AT"),
        countries=["AT", "CH"],
        offers=["financing"],
        description="Financing for resellers in the Alps.",
    )
    reseller_partner = make_reseller()
    make_customer_admin()

    provider = new_page()
    reseller = new_page()
    customer = new_page()

    # 1. The reseller finds the provider in Find a provider, by country and offer.
    sign_in(reseller, base, RESELLER_ADMIN)
    nav(reseller, "Find a provider")
    expect(reseller).to_have_url(f"{base}/providers/")
    expect(h1(reseller)).to_have_text("Find a provider")
    expect(reseller.locator("main")).to_contain_text("2 providers")
    expect(table_row(reseller, "providers", OTHER_PROVIDER)).to_have_count(1)

    search = reseller.get_by_role("search", name="Search the providers")
    search.get_by_label("Country or region served").select_option(label="Germany")
    search.get_by_label("Offer").select_option(label="Technical training")
    search.get_by_role("button", name="Search").click()
    expect(reseller).to_have_url(re.compile(r"/providers/\?.*country=DE.*offer=technical_training"))
    expect(reseller.get_by_label("Country or region served")).to_have_value("DE")
    expect(reseller.get_by_label("Offer")).to_have_value("technical_training")
    expect(reseller.locator("main")).to_contain_text("1 provider")
    expect(reseller.locator("table.providers tbody tr")).to_have_count(1)
    listed = table_row(reseller, "providers", PROVIDER)
    expect(listed.get_by_role("link", name=PROVIDER_WEBSITE)).to_be_visible()
    expect(cell(listed, 1)).to_have_text("Germany, France")
    expect(cell(listed, 2)).to_contain_text("Technical training")
    expect(cell(listed, 2)).to_contain_text("Financing and credit terms")
    expect(cell(listed, 3)).to_have_text(PROVIDER_DESCRIPTION)
    shoot(reseller, "find-a-provider")

    # Before any invitation, the reseller has no provider.
    nav(reseller, "Indirect providers")
    expect(h1(reseller)).to_have_text("Indirect providers")
    expect(reseller.locator("main")).to_contain_text("You have not authorized an indirect provider yet.")

    # 2. The provider invites the reseller by email, with a message.
    sign_in(provider, base, PROVIDER_ADMIN)
    nav(provider, "Indirect resellers")
    expect(provider).to_have_url(f"{base}/indirect-resellers/")
    expect(h1(provider)).to_have_text("Indirect resellers")
    expect(provider.locator("main")).to_contain_text("No reseller has authorized you yet.")
    expect(provider.locator("main")).to_contain_text("You have not invited any reseller yet.")
    invite = provider.locator("section#invite")
    invite.get_by_label("Reseller's email address").fill(RESELLER_ADMIN)
    invite.get_by_label("Message (optional)").fill(MESSAGE)
    shoot(provider, "provider-invites-reseller")
    invite.get_by_role("button", name="Send the invitation").click()

    expect(provider).to_have_url(f"{base}/indirect-resellers/")
    expect(flash(provider)).to_contain_text(
        f"The invitation was sent to {RESELLER_ADMIN}. The link works until"
    )
    sent = table_row(provider, "invitations", RESELLER_ADMIN)
    expect(sent).to_have_count(1)
    expect(cell(sent, 3)).to_have_text("Sent")
    expect(sent.get_by_role("button", name="Resend")).to_be_visible()
    expect(sent.get_by_role("button", name="Revoke")).to_be_visible()
    shoot(provider, "provider-invitation-sent")

    # The reseller's page says an invitation waits; the link is in the email.
    reseller.reload()
    waiting = reseller.locator("section.callout", has_text="Invitations waiting for you")
    expect(waiting).to_contain_text(f"{PROVIDER} invited you on")
    shoot(reseller, "reseller-invitation-waiting")
    link = reseller_invitation_link(base, RESELLER_ADMIN)
    [email] = [m for m in mail.outbox if RESELLER_ADMIN in m.to]
    assert email.subject == f"{PROVIDER} invites you to authorize it as your indirect provider"
    assert MESSAGE in email.body

    # 3. The reseller follows the emailed link: who the provider is, what authorizing means.
    response = reseller.goto(link)
    assert response.status == 200
    expect(h1(reseller)).to_have_text("Authorize an indirect provider")
    expect(reseller.locator("p.lead")).to_have_text(
        f"{PROVIDER} invites your company to authorize it as your indirect provider."
    )
    about = reseller.locator("section", has=reseller.get_by_role("heading", name="The provider"))
    summary = about.locator("dl.summary")
    for term, value in (
        ("Company", PROVIDER),
        ("Country or region", "Germany"),
        ("MPN ID", PROVIDER_MPN_ID),
        ("Website", PROVIDER_WEBSITE),
        ("Countries and regions served", "Germany, France"),
        ("Offers", "Technical training, Financing and credit terms"),
    ):
        expect(described(summary, term)).to_have_text(value)
    expect(about).to_contain_text(PROVIDER_DESCRIPTION)
    expect(about.locator("blockquote")).to_have_text(MESSAGE)
    means = reseller.locator("section", has=reseller.get_by_role("heading", name="What authorizing means"))
    expect(means).to_contain_text(f"{PROVIDER} gets administrator access to your company's tenant")
    expect(means).to_contain_text(f"{PROVIDER} may place orders for your customers and bills them.")
    expect(means).to_contain_text("You can remove its administrator access later")
    box = means.get_by_label("I authorize this indirect provider")
    expect(box).not_to_be_checked()
    shoot(reseller, "reseller-authorize-provider")

    # Without the tick nothing happens.
    means.get_by_role("button", name="Authorize indirect provider").click()
    means = reseller.locator("section", has=reseller.get_by_role("heading", name="What authorizing means"))
    expect(means.locator(".field.has-error .error")).to_have_text(
        "Tick the box to authorize the indirect provider."
    )
    assert not ProviderResellerRelationship.objects.exists()
    shoot(reseller, "reseller-authorize-without-tick")

    means.get_by_label("I authorize this indirect provider").check()
    means.get_by_role("button", name="Authorize indirect provider").click()

    expect(reseller).to_have_url(f"{base}/indirect-providers/")
    expect(flash(reseller)).to_have_text(
        f"{PROVIDER} is now your indirect provider, with administrator access to your tenant."
    )
    expect(reseller.locator("section.callout", has_text="Invitations waiting for you")).to_have_count(0)
    mine = table_row(reseller, "relationships", PROVIDER)
    expect(mine).to_have_count(1)
    expect(cell(mine, 0)).to_contain_text(f"MPN ID {PROVIDER_MPN_ID}")
    expect(cell(mine, 1)).to_have_text("Germany")
    expect(cell(mine, 2)).to_have_text("Active")
    expect(cell(mine, 3)).to_contain_text("Yes")
    expect(mine.get_by_role("link", name="Invite new customers")).to_be_visible()
    shoot(reseller, "reseller-indirect-providers")

    # ... and the reseller is on the provider's Indirect resellers page.
    provider.reload()
    theirs = table_row(provider, "relationships", RESELLER)
    expect(theirs).to_have_count(1)
    expect(cell(theirs, 0)).to_contain_text(f"MPN ID {RESELLER_MPN_ID}")
    expect(cell(theirs, 1)).to_have_text("Germany")
    expect(cell(theirs, 2)).to_have_text("Active")
    expect(cell(theirs, 3)).to_have_text("Yes")
    sent = table_row(provider, "invitations", RESELLER_ADMIN)
    expect(cell(sent, 0)).to_contain_text(RESELLER)
    expect(cell(sent, 3)).to_have_text("Accepted")
    expect(sent.get_by_role("button")).to_have_count(0)
    shoot(provider, "provider-indirect-resellers")

    # 4. The reseller invites a customer: the personalized link and an editable draft email.
    mine.get_by_role("link", name="Invite new customers").click()
    expect(reseller).to_have_url(f"{base}/customers/invite/{provider_partner.pk}/")
    expect(h1(reseller)).to_have_text("Invite new customers")
    expect(reseller.locator("p.lead")).to_contain_text(
        f"Its global admin authorizes you and your indirect provider {PROVIDER} at once"
    )
    # The visit made no link; the button makes one.
    expect(reseller.get_by_label("Invitation link")).to_have_count(0)
    reseller.get_by_role("button", name="Create an invitation link").click()
    link_box = reseller.get_by_label("Invitation link")
    customer_link = link_box.input_value()
    assert re.fullmatch(re.escape(base) + r"/customer-invitations/[A-Za-z0-9_-]+/", customer_link), (
        customer_link
    )
    expect(link_box).to_have_attribute("readonly", "")
    expect(reseller.get_by_label("Subject", exact=True)).to_have_value(
        f"{RESELLER} invites you to authorize it and {PROVIDER} as your Cloud Solution Provider partners"
    )
    draft = reseller.get_by_label("Message", exact=True)
    body = draft.input_value()
    assert customer_link in body
    assert (
        f"{RESELLER} invites your organization to authorize {RESELLER} and its indirect provider {PROVIDER}"
        in body
    )
    assert body.rstrip().endswith(f"Jonas Becker\n{RESELLER}"), body
    # The draft is the reseller's to edit.
    edited = body.replace("Hello,", "Hello Max,", 1)
    draft.fill(edited)
    expect(draft).to_have_value(edited)
    reseller.locator("button[data-copy='draft-body']").click()
    expect(reseller.locator(".copy-status")).to_have_text(
        re.compile(r"^(Copied\.|Selected: press Ctrl\+C \(or ⌘\+C\) to copy\.)$")
    )
    draft.evaluate("textarea => { textarea.scrollTop = 0; }")  # the screenshot shows the greeting
    shoot(reseller, "reseller-invite-customers")

    # 5. The customer's global admin opens the link, signs in and authorizes both at once.
    response = customer.goto(customer_link)
    assert response.status == 200
    expect(h1(customer)).to_have_text("Authorize your resellers")
    expect(customer.locator("p.lead")).to_have_text(
        f"{RESELLER} invites your organization to authorize {RESELLER} and its indirect provider "
        f"{PROVIDER} as your resellers of record."
    )
    who = customer.locator("dl.summary")
    expect(described(who, "Indirect reseller")).to_contain_text(RESELLER)
    expect(described(who, "Indirect provider")).to_contain_text(PROVIDER)
    expect(who).to_contain_text("Gets administrator permissions for your work account")
    expect(who).to_contain_text("Submits orders for your organization and bills you.")
    shoot(customer, "customer-invitation-signed-out")
    customer.locator("main").get_by_role("link", name="Sign in").click()
    expect(customer).to_have_url(re.compile(r"/sign-in/\?next=%2Fcustomer-invitations%2F"))
    fill_sign_in(customer, CUSTOMER_ADMIN)
    expect(customer).to_have_url(customer_link)
    expect(customer.locator("main form")).to_contain_text(
        f"You authorize them for your work account {CUSTOMER_DOMAIN}."
    )
    customer.get_by_label("I authorize both partners as resellers of record of my organization.").check()
    shoot(customer, "customer-authorizes-both")
    customer.locator("main").get_by_role("button", name="Authorize", exact=True).click()

    expect(customer).to_have_url(customer_link)
    expect(customer.locator("main .msg-success")).to_have_text(
        f"Your organization authorized {RESELLER} and {PROVIDER}."
    )
    expect(customer.locator("main form")).to_have_count(0)
    shoot(customer, "customer-authorized")

    # 6. Both see the shared customer, and who bills it: the provider.
    nav(reseller, "Customers")
    expect(h1(reseller)).to_have_text("Customers")
    expect(reseller.get_by_role("link", name=f"Invite new customers for {PROVIDER}")).to_be_visible()
    shared = table_row(reseller, "customers", CUSTOMER)
    expect(shared).to_have_count(1)
    expect(cell(shared, 1)).to_have_text(CUSTOMER_DOMAIN)
    expect(cell(shared, 2)).to_have_text("Germany")
    expect(cell(shared, 3)).to_have_text("Indirect reseller")
    expect(cell(shared, 4)).to_have_text(PROVIDER)
    expect(cell(shared, 5)).to_have_text("Your provider orders")
    reseller.get_by_label("Shared with provider").select_option(label=PROVIDER)
    reseller.get_by_role("button", name="Show").click()
    expect(reseller.get_by_role("heading", name=f"Customers you share with {PROVIDER}")).to_be_visible()
    expect(table_row(reseller, "customers", CUSTOMER)).to_have_count(1)
    shoot(reseller, "reseller-customers")

    nav(provider, "Customers")
    expect(h1(provider)).to_have_text("Customers")
    per_reseller = provider.locator("section#shared")
    expect(per_reseller.locator("li", has_text=RESELLER).locator(".badge")).to_have_text("1")
    expect(per_reseller.locator("li", has_text="Your direct customers").locator(".badge")).to_have_text("0")
    shared = table_row(provider, "customers", CUSTOMER)
    expect(shared).to_have_count(1)
    expect(cell(shared, 1)).to_have_text(CUSTOMER_DOMAIN)
    expect(cell(shared, 3)).to_have_text("Indirect provider")
    expect(cell(shared, 4)).to_have_text("You")
    expect(cell(shared, 5)).to_have_text(RESELLER)
    expect(cell(shared, 6)).to_have_text("Add or view products")
    per_reseller.get_by_role("link", name=RESELLER).click()
    expect(provider.get_by_role("heading", name=f"Customers you share with {RESELLER}")).to_be_visible()
    expect(table_row(provider, "customers", CUSTOMER)).to_have_count(1)
    shoot(provider, "provider-customers")

    # 7. The reseller removes the provider's administrator access; the relationship stays.
    nav(reseller, "Indirect providers")
    mine = table_row(reseller, "relationships", PROVIDER)
    withdraw = mine.locator("details.withdraw")
    withdraw.locator("summary").click()
    expect(withdraw).to_contain_text("It stays your indirect provider and keeps ordering for your customers.")
    shoot(reseller, "reseller-remove-admin-access")
    withdraw.get_by_role("button", name="Remove administrator access").click()

    expect(reseller).to_have_url(f"{base}/indirect-providers/")
    expect(flash(reseller)).to_have_text(
        f"{PROVIDER} no longer has administrator access to your tenant. It stays your indirect provider."
    )
    mine = table_row(reseller, "relationships", PROVIDER)
    expect(cell(mine, 2)).to_have_text("Active")
    expect(cell(mine, 3)).to_contain_text("Removed")
    expect(mine.locator("details.withdraw")).to_have_count(0)
    expect(mine.get_by_role("link", name="Invite new customers")).to_be_visible()
    shoot(reseller, "reseller-admin-access-removed")

    nav(provider, "Indirect resellers")
    theirs = table_row(provider, "relationships", RESELLER)
    expect(cell(theirs, 2)).to_have_text("Active")
    expect(cell(theirs, 3)).to_contain_text("Removed by the reseller")
    shoot(provider, "provider-admin-access-removed")

    # The provider still bills the shared customer.
    nav(provider, "Customers")
    expect(cell(table_row(provider, "customers", CUSTOMER), 4)).to_have_text("You")

    # What happened, as the database has it.
    relationship = ProviderResellerRelationship.objects.get()
    assert (relationship.provider, relationship.reseller) == (provider_partner, reseller_partner)
    assert (relationship.state, relationship.admin_access) == ("active", False)
    assert relationship.admin_access_removed_at is not None
    invitation = ResellerInvitation.objects.get()
    assert (invitation.status, invitation.email, invitation.message) == ("accepted", RESELLER_ADMIN, MESSAGE)
    assert invitation.reseller == reseller_partner and relationship.invitation == invitation
    shared_customer = Customer.objects.get()
    assert (shared_customer.company_name, shared_customer.tenant.domain) == (CUSTOMER, CUSTOMER_DOMAIN)
    assert {
        (r.partner, r.role, r.via_reseller)
        for r in CustomerRelationship.objects.filter(customer=shared_customer)
    } == {
        (reseller_partner, "indirect_reseller", None),
        (provider_partner, "indirect_provider", reseller_partner),
    }
    customer_invitation = CustomerInvitation.objects.get()
    assert (customer_invitation.status, customer_invitation.customer) == ("accepted", shared_customer)
    # One audit row per change, in the order they happened.
    assert [(e.kind, e.object_type) for e in Event.objects.order_by("at", "id")] == [
        ("reseller_invitation_sent", "relationships.resellerinvitation"),
        ("reseller_authorized_provider", "relationships.providerresellerrelationship"),
        ("customer_invitation_created", "relationships.customerinvitation"),
        ("customer_invitation_accepted", "relationships.customerinvitation"),
        ("admin_access_removed", "relationships.providerresellerrelationship"),
    ]

    # Who was emailed, once each, in order.
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([RESELLER_ADMIN], f"{PROVIDER} invites you to authorize it as your indirect provider"),
        ([PROVIDER_CONTACT], f"{RESELLER} authorized you as its indirect provider"),
        ([RESELLER_CONTACT], f"{CUSTOMER} authorized you and {PROVIDER} as resellers of record"),
        ([PROVIDER_CONTACT], f"{RESELLER} removed your administrator access"),
    ]
