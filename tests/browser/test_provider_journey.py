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
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django_countries import countries
from playwright.sync_api import expect

from partnercenter.core.l10n import format_list
from relationships.models import ProviderResellerRelationship
from tests.factories import IndirectProviderFactory, active_partner

from .helpers import expect_labelled_cells, fill_sign_in, flash, h1, like, sign_in, text, text_n
from .provider_helpers import (
    AUTHORIZE_PROVIDER,
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
    expect_journey_recorded,
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


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_provider_reseller_customer_journey(new_page, live_server, settings, shoot, language):
    """Provider invites, reseller authorizes, reseller invites a customer, the customer
    authorizes both, and both sides see the shared customer; then the reseller removes the
    provider's administrator access and the relationship stays. In English and in 繁體中文:
    the people read the portal, and the partners their emails, in that language (the
    portal's texts through ``_``)."""
    settings.SITE_URL = live_server.url  # the emailed links and the customer link point here
    base = live_server.url
    provider_partner = make_provider(language=language)
    IndirectProviderFactory(
        partner=active_partner(legal_name=OTHER_PROVIDER, country="AT"),
        countries=["AT", "CH"],
        offers=["financing"],
        description="Financing for resellers in the Alps.",
    )
    reseller_partner = make_reseller(language=language)
    make_customer_admin()
    germany, served = countries.name("DE"), format_list([countries.name("DE"), countries.name("FR")], False)
    training, financing = _("Technical training"), _("Financing and credit terms")

    provider = new_page()
    reseller = new_page()
    customer = new_page()

    # 1. The reseller finds the provider in Find a provider, by country and offer.
    sign_in(reseller, base, RESELLER_ADMIN)
    nav(reseller, _("Find a provider"))
    expect(reseller).to_have_url(f"{base}/providers/")
    expect(h1(reseller)).to_have_text(_("Find a provider"))
    expect(reseller.locator("main")).to_contain_text(
        text_n("%(counter)s provider", "%(counter)s providers", 2)
    )
    expect(table_row(reseller, "providers", OTHER_PROVIDER)).to_have_count(1)

    search = reseller.get_by_role("search", name=_("Search the providers"))
    search.get_by_label(_("Country or region served")).select_option(label=germany)
    search.get_by_label(_("Offer")).select_option(label=training)
    search.get_by_role("button", name=_("Search")).click()
    expect(reseller).to_have_url(re.compile(r"/providers/\?.*country=DE.*offer=technical_training"))
    expect(reseller.get_by_label(_("Country or region served"))).to_have_value("DE")
    expect(reseller.get_by_label(_("Offer"))).to_have_value("technical_training")
    expect(reseller.locator("main")).to_contain_text(
        text_n("%(counter)s provider", "%(counter)s providers", 1)
    )
    expect(reseller.locator("table.providers tbody tr")).to_have_count(1)
    listed = table_row(reseller, "providers", PROVIDER)
    expect(listed.get_by_role("link", name=PROVIDER_WEBSITE)).to_be_visible()
    expect(cell(listed, 1)).to_have_text(served)
    expect(cell(listed, 2)).to_contain_text(training)
    expect(cell(listed, 2)).to_contain_text(financing)
    expect(cell(listed, 3)).to_have_text(PROVIDER_DESCRIPTION)
    shoot(reseller, "find-a-provider")

    # Before any invitation, the reseller has no provider.
    nav(reseller, _("Indirect providers"))
    expect(h1(reseller)).to_have_text(_("Indirect providers"))
    expect(reseller.locator("main")).to_contain_text(
        _("You have not authorized an indirect provider yet. Find one, and authorize it when it invites you.")
    )

    # 2. The provider invites the reseller by email, with a message.
    sign_in(provider, base, PROVIDER_ADMIN)
    nav(provider, _("Indirect resellers"))
    expect(provider).to_have_url(f"{base}/indirect-resellers/")
    expect(h1(provider)).to_have_text(_("Indirect resellers"))
    expect(provider.locator("main")).to_contain_text(
        _("No reseller has authorized you yet. Invite one below.")
    )
    expect(provider.locator("main")).to_contain_text(_("You have not invited any reseller yet."))
    invite = provider.locator("section#invite")
    invite.get_by_label(_("Reseller's email address")).fill(RESELLER_ADMIN)
    invite.get_by_label(_("Message (optional)")).fill(MESSAGE)
    shoot(provider, "provider-invites-reseller")
    invite.get_by_role("button", name=_("Send the invitation")).click()

    expect(provider).to_have_url(f"{base}/indirect-resellers/")
    expect(flash(provider)).to_have_text(
        like("The invitation was sent to %(who)s. The link works until %(date)s.", who=RESELLER_ADMIN)
    )
    sent = table_row(provider, "invitations", RESELLER_ADMIN)
    expect(sent).to_have_count(1)
    expect(cell(sent, 3)).to_have_text(_("Sent"))
    expect(sent.get_by_role("button", name=_("Resend"))).to_be_visible()
    expect(sent.get_by_role("button", name=_("Revoke"))).to_be_visible()
    shoot(provider, "provider-invitation-sent")

    # The reseller's page says an invitation waits; the link is in the email, in its language.
    reseller.reload()
    waiting = reseller.locator("section.callout", has_text=_("Invitations waiting for you"))
    expect(waiting.locator("li")).to_have_text(
        like(
            "%(name)s invited you on %(date)s. Follow the link in the invitation email to authorize it "
            "(until %(expires)s).",
            name=PROVIDER,
        )
    )
    shoot(reseller, "reseller-invitation-waiting")
    link = reseller_invitation_link(base, RESELLER_ADMIN)
    [email] = [m for m in mail.outbox if RESELLER_ADMIN in m.to]
    with translation.override(reseller_partner.language):
        assert email.subject == text(
            "%(provider_name)s invites you to authorize it as your indirect provider", provider_name=PROVIDER
        )
        assert _("Their message:") in email.body
    assert MESSAGE in email.body

    # 3. The reseller follows the emailed link: who the provider is, what authorizing means.
    response = reseller.goto(link)
    assert response.status == 200
    expect(h1(reseller)).to_have_text(_("Authorize an indirect provider"))
    expect(reseller.locator("p.lead")).to_have_text(
        text("%(name)s invites your company to authorize it as your indirect provider.", name=PROVIDER)
    )
    about = reseller.locator("section", has=reseller.get_by_role("heading", name=_("The provider")))
    summary = about.locator("dl.summary")
    for term, value in (
        (_("Company"), PROVIDER),
        (_("Country or region"), germany),
        (_("MPN ID"), PROVIDER_MPN_ID),
        (_("Website"), PROVIDER_WEBSITE),
        (_("Countries and regions served"), served),
        (_("Offers"), format_list([training, financing], False)),
    ):
        expect(described(summary, term)).to_have_text(value)
    expect(about).to_contain_text(PROVIDER_DESCRIPTION)
    expect(about.locator("blockquote")).to_have_text(MESSAGE)
    means = reseller.locator("section", has=reseller.get_by_role("heading", name=_("What authorizing means")))
    for promise in (
        "%(name)s gets <strong>administrator access to your company's tenant</strong> (delegated admin): "
        "it can manage users, licenses and services there.",
        "%(name)s may <strong>place orders for your customers</strong> and bills them.",
        "You can remove its administrator access later on your Indirect providers page, without ending "
        "the relationship.",
    ):
        expect(means).to_contain_text(text(promise, name=PROVIDER))
    box = means.get_by_label(_(AUTHORIZE_PROVIDER))
    expect(box).not_to_be_checked()
    shoot(reseller, "reseller-authorize-provider")

    # Without the tick nothing happens.
    means.get_by_role("button", name=_("Authorize indirect provider")).click()
    means = reseller.locator("section", has=reseller.get_by_role("heading", name=_("What authorizing means")))
    expect(means.locator(".field.has-error .error")).to_have_text(
        _("Tick the box to authorize the indirect provider.")
    )
    assert not ProviderResellerRelationship.objects.exists()
    shoot(reseller, "reseller-authorize-without-tick")

    means.get_by_label(_(AUTHORIZE_PROVIDER)).check()
    means.get_by_role("button", name=_("Authorize indirect provider")).click()

    expect(reseller).to_have_url(f"{base}/indirect-providers/")
    expect(flash(reseller)).to_have_text(
        text(
            "%(name)s is now your indirect provider, with administrator access to your tenant.", name=PROVIDER
        )
    )
    expect(reseller.locator("section.callout", has_text=_("Invitations waiting for you"))).to_have_count(0)
    mine = table_row(reseller, "relationships", PROVIDER)
    expect(mine).to_have_count(1)
    expect(cell(mine, 0)).to_contain_text(f"{_('MPN ID')} {PROVIDER_MPN_ID}")
    expect(cell(mine, 1)).to_have_text(germany)
    expect(cell(mine, 2)).to_have_text(_("Active"))
    expect(cell(mine, 3)).to_contain_text(_("Yes"))
    expect(mine.get_by_role("link", name=_("Invite new customers"))).to_be_visible()
    shoot(reseller, "reseller-indirect-providers")

    # ... and the reseller is on the provider's Indirect resellers page.
    provider.reload()
    theirs = table_row(provider, "relationships", RESELLER)
    expect(theirs).to_have_count(1)
    expect(cell(theirs, 0)).to_contain_text(f"{_('MPN ID')} {RESELLER_MPN_ID}")
    expect(cell(theirs, 1)).to_have_text(germany)
    expect(cell(theirs, 2)).to_have_text(_("Active"))
    expect(cell(theirs, 3)).to_have_text(_("Yes"))
    sent = table_row(provider, "invitations", RESELLER_ADMIN)
    expect(cell(sent, 0)).to_contain_text(RESELLER)
    expect(cell(sent, 3)).to_have_text(_("Accepted"))
    expect(sent.get_by_role("button")).to_have_count(0)
    shoot(provider, "provider-indirect-resellers")

    # 4. The reseller invites a customer: the personalized link and an editable draft email.
    mine.get_by_role("link", name=_("Invite new customers")).click()
    expect(reseller).to_have_url(f"{base}/customers/invite/{provider_partner.pk}/")
    expect(h1(reseller)).to_have_text(_("Invite new customers"))
    expect(reseller.locator("p.lead")).to_have_text(
        text(
            "Send this link to a customer. Its global admin authorizes you and your indirect provider "
            "%(provider)s at once; then you have administrator permissions for the customer, and "
            "%(provider)s can submit orders for it and bills it.",
            provider=PROVIDER,
        )
    )
    # The visit made no link; the button makes one.
    expect(reseller.get_by_label(_("Invitation link"))).to_have_count(0)
    reseller.get_by_role("button", name=_("Create an invitation link")).click()
    link_box = reseller.get_by_label(_("Invitation link"))
    customer_link = link_box.input_value()
    assert re.fullmatch(re.escape(base) + r"/customer-invitations/[A-Za-z0-9_-]+/", customer_link), (
        customer_link
    )
    expect(link_box).to_have_attribute("readonly", "")
    # The draft is in the reseller's language.
    with translation.override(reseller_partner.language):
        subject = text(
            "%(reseller)s invites you to authorize it and %(provider)s as your Cloud Solution Provider partners",
            reseller=RESELLER,
            provider=PROVIDER,
        )
        invites = text(
            "%(reseller)s invites your organization to authorize %(reseller)s and its indirect provider "
            "%(provider)s as your resellers of record in the Cloud Solution Provider program. You "
            "authorize both at once.",
            reseller=RESELLER,
            provider=PROVIDER,
        )
        greeting = _("Hello,")
        # Each partner's role, punctuated as the language writes it ("（間接經銷商）：").
        role_of = pgettext(
            "draft email: a partner, its role, what it does", "%(partner)s (%(role)s): %(duty)s"
        )
        reseller_role = role_of % {"partner": RESELLER, "role": _("Indirect reseller"), "duty": ""}
        provider_role = role_of % {
            "partner": PROVIDER,
            "role": _("Indirect provider"),
            "duty": _("submits orders for your organization and bills you."),
        }
    expect(reseller.get_by_label(_("Subject"), exact=True)).to_have_value(subject)
    draft = reseller.get_by_label(_("Message"), exact=True)
    body = draft.input_value()
    assert body.startswith(f"{greeting}\n\n{invites}\n"), body
    assert f"\n- {reseller_role}" in body and f"\n- {provider_role}\n" in body, body
    assert customer_link in body
    assert body.rstrip().endswith(f"Jonas Becker\n{RESELLER}"), body
    # The draft is the reseller's to edit.
    edited = body.replace(greeting, f"{greeting} Max", 1)
    draft.fill(edited)
    expect(draft).to_have_value(edited)
    reseller.locator("button[data-copy='draft-body']").click()
    expect(reseller.locator(".copy-status")).to_have_text(
        re.compile(
            f"^({re.escape(_('Copied.'))}|{re.escape(_('Selected: press Ctrl+C (or ⌘+C) to copy.'))})$"
        )
    )
    draft.evaluate("textarea => { textarea.scrollTop = 0; }")  # the screenshot shows the greeting
    shoot(reseller, "reseller-invite-customers")

    # 5. The customer's global admin opens the link, signs in and authorizes both at once.
    response = customer.goto(customer_link)
    assert response.status == 200
    expect(h1(customer)).to_have_text(_("Authorize your resellers"))
    expect(customer.locator("p.lead")).to_have_text(
        text(
            "%(reseller)s invites your organization to authorize %(reseller)s and its indirect provider "
            "%(provider)s as your resellers of record.",
            reseller=RESELLER,
            provider=PROVIDER,
        )
    )
    who = customer.locator("dl.summary")
    expect(described(who, _("Indirect reseller"))).to_contain_text(RESELLER)
    expect(described(who, _("Indirect provider"))).to_contain_text(PROVIDER)
    expect(who).to_contain_text(
        _(
            "Gets administrator permissions for your work account, manages your users and licenses and "
            "handles your renewals."
        )
    )
    expect(who).to_contain_text(_("Submits orders for your organization and bills you."))
    shoot(customer, "customer-invitation-signed-out")
    customer.locator("main").get_by_role("link", name=_("Sign in")).click()
    expect(customer).to_have_url(re.compile(r"/sign-in/\?next=%2Fcustomer-invitations%2F"))
    fill_sign_in(customer, CUSTOMER_ADMIN)
    expect(customer).to_have_url(customer_link)
    expect(customer.locator("main form")).to_contain_text(
        text("You authorize them for your work account %(domain)s.", domain=CUSTOMER_DOMAIN)
    )
    customer.get_by_label(_("I authorize both partners as resellers of record of my organization.")).check()
    shoot(customer, "customer-authorizes-both")
    customer.locator("main").get_by_role("button", name=_("Authorize"), exact=True).click()

    expect(customer).to_have_url(customer_link)
    expect(customer.locator("main .msg-success")).to_have_text(
        text(
            "Your organization authorized %(reseller)s and %(provider)s.",
            reseller=RESELLER,
            provider=PROVIDER,
        )
    )
    expect(customer.locator("main form")).to_have_count(0)
    shoot(customer, "customer-authorized")

    # 6. Both see the shared customer, and who bills it: the provider.
    nav(reseller, _("Customers"))
    expect(h1(reseller)).to_have_text(_("Customers"))
    expect(
        reseller.get_by_role("link", name=text("Invite new customers for %(name)s", name=PROVIDER))
    ).to_be_visible()
    shared = table_row(reseller, "customers", CUSTOMER)
    expect(shared).to_have_count(1)
    expect(cell(shared, 1)).to_have_text(CUSTOMER_DOMAIN)
    expect(cell(shared, 2)).to_have_text(germany)
    expect(cell(shared, 3)).to_have_text(_("Indirect reseller"))
    expect(cell(shared, 4)).to_have_text(PROVIDER)
    # The provider orders; billing's summary of the licenses and users the reseller manages.
    expect(cell(shared, 5)).to_contain_text(_("Your provider orders"))
    expect(cell(shared, 5)).to_contain_text(
        ngettext(
            "%(assigned)s of %(counter)s license assigned", "%(assigned)s of %(counter)s licenses assigned", 0
        )
        % {"assigned": 0, "counter": 0}
    )
    expect_labelled_cells(reseller, "customers")
    reseller.get_by_label(_("Shared with provider")).select_option(label=PROVIDER)
    reseller.get_by_role("button", name=_("Show")).click()
    expect(
        reseller.get_by_role("heading", name=text("Customers you share with %(name)s", name=PROVIDER))
    ).to_be_visible()
    expect(table_row(reseller, "customers", CUSTOMER)).to_have_count(1)
    shoot(reseller, "reseller-customers")

    nav(provider, _("Customers"))
    expect(h1(provider)).to_have_text(_("Customers"))
    per_reseller = provider.locator("section#shared")
    expect(per_reseller.locator("li", has_text=RESELLER).locator(".badge")).to_have_text("1")
    expect(per_reseller.locator("li", has_text=_("Your direct customers")).locator(".badge")).to_have_text(
        "0"
    )
    shared = table_row(provider, "customers", CUSTOMER)
    expect(shared).to_have_count(1)
    expect(cell(shared, 1)).to_have_text(CUSTOMER_DOMAIN)
    expect(cell(shared, 3)).to_have_text(_("Indirect provider"))
    expect(cell(shared, 4)).to_have_text(_("You"))
    expect(cell(shared, 5)).to_have_text(RESELLER)
    # The provider orders and bills; billing's summary of the customer's subscriptions.
    expect(cell(shared, 6)).to_contain_text(_("Add or view products"))
    expect(cell(shared, 6)).to_contain_text(
        ngettext("%(counter)s subscription", "%(counter)s subscriptions", 0) % {"counter": 0}
    )
    expect_labelled_cells(provider, "customers")
    per_reseller.get_by_role("link", name=RESELLER).click()
    expect(
        provider.get_by_role("heading", name=text("Customers you share with %(name)s", name=RESELLER))
    ).to_be_visible()
    expect(table_row(provider, "customers", CUSTOMER)).to_have_count(1)
    shoot(provider, "provider-customers")

    # 7. The reseller removes the provider's administrator access; the relationship stays.
    nav(reseller, _("Indirect providers"))
    mine = table_row(reseller, "relationships", PROVIDER)
    withdraw = mine.locator("details.withdraw")
    withdraw.locator("summary").click()
    expect(withdraw).to_contain_text(
        _(
            "The provider can no longer manage your tenant. It stays your indirect provider and keeps "
            "ordering for your customers. To give the access back, it must invite you again."
        )
    )
    shoot(reseller, "reseller-remove-admin-access")
    withdraw.get_by_role("button", name=_("Remove administrator access")).click()

    expect(reseller).to_have_url(f"{base}/indirect-providers/")
    expect(flash(reseller)).to_have_text(
        text(
            "%(name)s no longer has administrator access to your tenant. It stays your indirect provider.",
            name=PROVIDER,
        )
    )
    mine = table_row(reseller, "relationships", PROVIDER)
    expect(cell(mine, 2)).to_have_text(_("Active"))
    expect(cell(mine, 3)).to_contain_text(_("Removed"))
    expect(mine.locator("details.withdraw")).to_have_count(0)
    expect(mine.get_by_role("link", name=_("Invite new customers"))).to_be_visible()
    shoot(reseller, "reseller-admin-access-removed")

    nav(provider, _("Indirect resellers"))
    theirs = table_row(provider, "relationships", RESELLER)
    expect(cell(theirs, 2)).to_have_text(_("Active"))
    expect(cell(theirs, 3)).to_contain_text(_("Removed by the reseller"))
    shoot(provider, "provider-admin-access-removed")

    # The provider still bills the shared customer.
    nav(provider, _("Customers"))
    expect(cell(table_row(provider, "customers", CUSTOMER), 4)).to_have_text(_("You"))

    expect_journey_recorded(provider_partner, reseller_partner)

    # Who was emailed, once each, in order, each in its partner's language.
    with translation.override(reseller_partner.language):
        to_reseller = [
            text(
                "%(provider_name)s invites you to authorize it as your indirect provider",
                provider_name=PROVIDER,
            ),
            text(
                "%(customer)s authorized you and %(provider)s as resellers of record",
                customer=CUSTOMER,
                provider=PROVIDER,
            ),
        ]
    with translation.override(provider_partner.language):
        to_provider = [
            text("%(reseller_name)s authorized you as its indirect provider", reseller_name=RESELLER),
            text("%(reseller_name)s removed your administrator access", reseller_name=RESELLER),
        ]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([RESELLER_ADMIN], to_reseller[0]),
        ([PROVIDER_CONTACT], to_provider[0]),
        ([RESELLER_CONTACT], to_reseller[1]),
        ([PROVIDER_CONTACT], to_provider[1]),
    ]
