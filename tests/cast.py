"""The standard cast (HOUSE_STYLE 14), made once: the helpers that make its people and the
objects between them. ``tests/conftest.py`` turns them into the shared fixtures; a test
that needs one more of a kind (a second provider, another customer admin) calls the helper.

The people of the fixtures:

- ``admin``, ``employee``: the global admin and a sales agent of Fabrikam Deutschland GmbH,
  an applicant (a tenant, no partner yet);
- ``outsider``: the global admin of Northwind Traders Inc, another partner (active, direct
  bill, in the United States) with no relationship to anyone else;
- ``provider`` / ``provider_admin``: Contoso Distribution GmbH, an authorized indirect
  provider (MPN ID 4820100);
- ``reseller`` / ``reseller_admin``: Fabrikam Cloud GmbH, an active indirect reseller (MPN ID
  4820777); it is the provider's reseller only with the ``relationship`` fixture;
- ``direct`` / ``direct_admin``: Adatum Direct GmbH, an active direct-bill partner;
- ``customer_admin``: the global admin of Contoso GmbH, a tenant that is no partner's;
- ``staff``: program staff without the review permission; ``reviewer`` (Riley) and
  ``other_reviewer`` (Sam): staff with it.
"""

import re

from django.contrib.auth.models import Permission

from partnercenter.accounts.models import Role, User
from partnercenter.notifications.models import Notification
from relationships.services.customer_invitations import (
    CustomerInvitationCreated,
    customer_invitation_accept,
    customer_invitation_create,
)
from relationships.services.reseller_invitations import reseller_invitation_send

from .factories import (
    CustomerFactory,
    CustomerRelationshipFactory,
    EnrollmentFactory,
    IndirectProviderFactory,
    PartnerFactory,
    ProviderResellerRelationshipFactory,
    TenantFactory,
    UserFactory,
    VerificationCheckFactory,
    active_partner,
)

# --- People -------------------------------------------------------------------------------------


def user_of(partner, role=Role.GLOBAL_ADMIN, email=None, **kwargs) -> User:
    """A user of the partner's tenant with one role (the global admin unless said);
    ``global.admin@<the tenant's domain>`` unless an email is given."""
    role = str(role)
    if email is None:
        email = f"{role.replace('_', '.')}@{partner.tenant.domain}"
    return UserFactory(tenant=partner.tenant, roles=[role], email=email, **kwargs)


def make_reviewer(email="riley@partners.test", first_name="Riley", last_name="Reviewer", **kwargs) -> User:
    """Program staff with the permission to review enrollments (and authorize providers)."""
    user = UserFactory(
        tenant=None,
        roles=[],
        is_staff=True,
        email=email,
        first_name=first_name,
        last_name=last_name,
        **kwargs,
    )
    user.user_permissions.add(Permission.objects.get(codename="review_enrollment"))
    return User.objects.get(pk=user.pk)  # a fresh permission cache


def make_customer_admin(
    domain="contosode.onmicrosoft.com", name="Contoso GmbH", roles=(Role.GLOBAL_ADMIN,), **kwargs
) -> User:
    """The global admin of a tenant that is no CSP partner's (any tenant may be a customer's)."""
    tenant = TenantFactory(name=name, domain=domain, country="DE")
    return UserFactory(tenant=tenant, email=f"admin@{domain}", roles=[str(r) for r in roles], **kwargs)


# --- Partners -----------------------------------------------------------------------------------


def make_provider(name=None, *, listing=None, **kwargs):
    """An active partner that staff authorized as indirect provider, with its listing in
    *Find a provider* (the factory's unless ``listing`` says otherwise)."""
    partner = active_partner(**({"legal_name": name} if name else {}), **kwargs)
    IndirectProviderFactory(partner=partner, **(listing or {}))
    return partner


def make_reseller(provider=None, **kwargs):
    """An active indirect reseller; with ``provider``, that provider's (an active relationship)."""
    reseller = active_partner(**kwargs)
    if provider is not None:
        ProviderResellerRelationshipFactory(provider=provider, reseller=reseller)
    return reseller


def make_direct_bill(**kwargs):
    """A partner whose direct-bill enrollment is active."""
    partner = PartnerFactory(**kwargs)
    EnrollmentFactory(partner=partner, program="direct_bill", status="active")
    return partner


def questioned_enrollment(admin, status="in_review"):
    """An enrollment of ``admin``'s partner with a failed check (email_domain, with its
    reason), a questioned one (business_verification, pending) and a passed one."""
    enrollment = EnrollmentFactory(partner=PartnerFactory(tenant=admin.tenant), status=status)
    VerificationCheckFactory(
        enrollment=enrollment,
        kind="email_domain",
        result="failed",
        detail="The domain fabrikam.de is not a verified domain of your work account.",
    )
    VerificationCheckFactory(enrollment=enrollment, kind="business_verification", result="pending")
    VerificationCheckFactory(enrollment=enrollment, kind="mpn_status", result="passed")
    return enrollment


# --- Customers ----------------------------------------------------------------------------------


def share_customer(provider, reseller, **kwargs):
    """A customer the reseller brought to the provider (both are its resellers of record)."""
    customer = CustomerFactory(**kwargs)
    CustomerRelationshipFactory(customer=customer, partner=reseller, role="indirect_reseller")
    CustomerRelationshipFactory(
        customer=customer, partner=provider, role="indirect_provider", via_reseller=reseller
    )
    return customer


def direct_customer(partner, role="direct_bill_partner", **kwargs):
    """A customer of the partner alone (a direct-bill partner's, or a provider's own)."""
    customer = CustomerFactory(**kwargs)
    CustomerRelationshipFactory(customer=customer, partner=partner, role=role)
    return customer


# --- Invitations and their links ------------------------------------------------------------------

CUSTOMER_TOKEN = re.compile(r"/customer-invitations/([A-Za-z0-9_-]+)/")


def reseller_token(invitation) -> str:
    """The token of a reseller invitation's current link, as the emailed link carries it
    (its last path segment)."""
    invitation.refresh_from_db()
    notification = Notification.objects.get(
        idempotency_key=f"reseller-invitation:{invitation.pk}:{invitation.token_hash}"
    )
    return notification.context["accept_url"].rstrip("/").rsplit("/", 1)[-1]


def invite_reseller(actor, **kwargs):
    """The provider's admin invites a reseller (by ``email`` or ``mpn_id``); returns the
    invitation with the token of its link."""
    invitation = reseller_invitation_send(actor=actor, **kwargs)
    return invitation, reseller_token(invitation)


def invite_customer(actor, provider) -> CustomerInvitationCreated:
    """The reseller's admin takes a link for a customer to authorize it and ``provider``."""
    return customer_invitation_create(actor=actor, provider_id=provider.pk)


def customer_token(created: CustomerInvitationCreated) -> str:
    return CUSTOMER_TOKEN.search(created.link).group(1)


def authorize_customer(customer_admin, reseller_admin, provider):
    """The customer's global admin follows the reseller's link: the reseller and ``provider``
    become its resellers of record. Returns the customer."""
    token = customer_token(invite_customer(reseller_admin, provider))
    return customer_invitation_accept(actor=customer_admin, token=token).customer


# --- The audit trail ------------------------------------------------------------------------------


def events_of(obj, kind=None):
    """The audit rows of one object, oldest first (of one kind, if given)."""
    from partnercenter.audit.models import Event

    rows = Event.objects.of(obj)
    return rows.filter(kind=kind) if kind else rows
