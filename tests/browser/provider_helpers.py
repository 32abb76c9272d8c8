"""The people and helpers of the providers' browser tests (test_provider_journey.py,
test_invitation_links.py): a provider, a reseller, a customer and an outsider in Germany."""

import re

from django.core import mail
from playwright.sync_api import Page

from partnercenter.audit.models import Event
from relationships.models import (
    Customer,
    CustomerInvitation,
    CustomerRelationship,
    ProviderResellerRelationship,
    ResellerInvitation,
)
from tests import cast
from tests.factories import TenantFactory, active_partner

# The provider: an authorized indirect provider in Germany, listed in Find a provider.
PROVIDER = "Contoso Distribution GmbH"
PROVIDER_MPN_ID = "4820201"
PROVIDER_ADMIN = "anna.schmidt@contoso-distribution.de"
PROVIDER_CONTACT = "partners@contoso-distribution.de"
PROVIDER_WEBSITE = "https://contoso-distribution.example"
PROVIDER_DESCRIPTION = "Distribution, training and credit terms for resellers in Germany and France."

# Another listed provider that the search filters out (Austria and Switzerland, financing).
OTHER_PROVIDER = "Alpine Distribution AG"

# The reseller: an active indirect reseller in Germany. The provider invites its global admin.
RESELLER = "Fabrikam Cloud GmbH"
RESELLER_MPN_ID = "4820202"
RESELLER_ADMIN = "lena.vogel@fabrikam.de"
RESELLER_CONTACT = "jonas.becker@fabrikam.de"

# The customer: a company with its own tenant, no CSP partner.
CUSTOMER = "Tailspin Toys GmbH"
CUSTOMER_DOMAIN = "tailspinde.onmicrosoft.com"
CUSTOMER_ADMIN = f"admin@{CUSTOMER_DOMAIN}"

# Another active partner, whose admin gets hold of a link that is not theirs.
OUTSIDER = "Northwind Traders GmbH"
OUTSIDER_MPN_ID = "4820203"
OUTSIDER_ADMIN = "admin@northwind.de"

# The label of the reseller's tick box (a msgid: the test reads it through ``_``).
AUTHORIZE_PROVIDER = (
    "I authorize this indirect provider: it gets administrator access to our tenant and may place "
    "orders for our customers."
)

MESSAGE = "We would like to be your indirect provider: training and credit terms included."

# The journey's people, made with the standard cast's helpers (tests/cast.py) under the names
# and addresses the screenshots show.


def in_germany(name, domain, mpn_id, **kwargs) -> dict:
    """The partner fields of an active partner in Germany with a tenant of its own."""
    tenant = TenantFactory(name=name, domain=domain, country="DE")
    return {"tenant": tenant, "legal_name": name, "mpn_id": mpn_id, "country": "DE", **kwargs}


def make_provider(language="en"):
    """The provider; its emails in ``language``."""
    partner = cast.make_provider(
        listing={
            "countries": ["DE", "FR"],
            "offers": ["technical_training", "financing"],
            "description": PROVIDER_DESCRIPTION,
            "website": PROVIDER_WEBSITE,
        },
        **in_germany(
            PROVIDER,
            "contosodist.onmicrosoft.com",
            PROVIDER_MPN_ID,
            contact_first_name="Anna",
            contact_last_name="Schmidt",
            contact_email=PROVIDER_CONTACT,
            language=language,
        ),
    )
    cast.user_of(partner, email=PROVIDER_ADMIN, first_name="Anna", last_name="Schmidt")
    return partner


def make_reseller(language="en"):
    """The reseller; its emails and its draft to customers in ``language``."""
    partner = cast.make_reseller(
        **in_germany(
            RESELLER,
            "fabrikamcloud.onmicrosoft.com",
            RESELLER_MPN_ID,
            contact_first_name="Jonas",
            contact_last_name="Becker",
            contact_email=RESELLER_CONTACT,
            language=language,
        )
    )
    cast.user_of(partner, email=RESELLER_ADMIN, first_name="Lena", last_name="Vogel")
    return partner


def make_outsider():
    """Another active partner, whose admin gets hold of links that are not theirs."""
    partner = active_partner(**in_germany(OUTSIDER, "northwindde.onmicrosoft.com", OUTSIDER_MPN_ID))
    cast.user_of(partner, email=OUTSIDER_ADMIN, first_name="Nora", last_name="Wind")
    return partner


def make_customer_admin(name=CUSTOMER, domain=CUSTOMER_DOMAIN):
    """The global admin of a company's own tenant: no CSP partner, no enrollment."""
    return cast.make_customer_admin(domain, name=name, first_name="Max", last_name="Weber")


def nav(page: Page, name: str) -> None:
    """Follow a link of the top navigation."""
    page.locator("nav.topnav").get_by_role("link", name=name, exact=True).click()


def table_row(page: Page, table: str, text: str):
    """The row of ``table.<table>`` that mentions ``text``."""
    return page.locator(f"table.{table} tbody tr", has_text=text)


def cell(row, n: int):
    return row.locator("td").nth(n)


def described(summary, term: str):
    """The <dd> of the <dt> ``term`` in a <dl>."""
    dt = summary.locator("dt", has_text=re.compile(f"^{re.escape(term)}$"))
    return dt.locator("xpath=following-sibling::dd[1]")


def reseller_invitation_link(base_url: str, recipient: str) -> str:
    """The acceptance link of the one reseller invitation emailed to ``recipient``."""
    pattern = re.compile(re.escape(base_url) + r"/reseller-invitations/[A-Za-z0-9_-]+/")
    [link] = [link for m in mail.outbox if recipient in m.to for link in pattern.findall(m.body)]
    return link


def expect_journey_recorded(provider_partner, reseller_partner) -> None:
    """What test_provider_journey.py did, as the database has it: the relationship (its
    administrator access removed), the accepted invitations, the shared customer, and one
    audit row per change in the order they happened."""
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
