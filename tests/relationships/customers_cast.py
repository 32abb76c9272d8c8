"""The cast of the customer tests (HOUSE_STYLE 14): an indirect provider and one of its
resellers, a direct-bill partner, an outsider partner (no relationship with anyone here),
and a customer's global admin (a tenant that is no partner's), with their admins.

The test modules take the fixtures with ``from .customers_cast import *`` (``__all__``
lists them) and the helpers by name."""

import re

import pytest

from partnercenter.accounts.models import Role, User
from relationships.services.customer_invitations import CustomerInvitationCreated, customer_invitation_create
from tests.factories import (
    CustomerFactory,
    CustomerRelationshipFactory,
    EnrollmentFactory,
    IndirectProviderFactory,
    PartnerFactory,
    ProviderResellerRelationshipFactory,
    TenantFactory,
    UserFactory,
    active_partner,
)

__all__ = [
    "committed",
    "customer_admin",
    "direct",
    "direct_admin",
    "other_admin",
    "other_partner",
    "provider",
    "provider_admin",
    "reseller",
    "reseller_admin",
]

TOKEN = re.compile(r"/customer-invitations/([A-Za-z0-9_-]+)/")


def admin_of(partner, *, roles=(Role.GLOBAL_ADMIN,), email=None) -> User:
    return UserFactory(
        tenant=partner.tenant, roles=[str(r) for r in roles], **({"email": email} if email else {})
    )


def make_provider(**kwargs):
    return IndirectProviderFactory(partner=active_partner(**kwargs)).partner


def make_reseller(provider, **kwargs):
    reseller = active_partner(**kwargs)
    ProviderResellerRelationshipFactory(provider=provider, reseller=reseller)
    return reseller


def make_direct_bill(**kwargs):
    partner = PartnerFactory(**kwargs)
    EnrollmentFactory(partner=partner, program="direct_bill", status="active")
    return partner


def make_customer_admin(domain="contosode.onmicrosoft.com", roles=(Role.GLOBAL_ADMIN,)) -> User:
    """The global admin of a tenant that is no CSP partner's (any tenant may be a customer's)."""
    tenant = TenantFactory(name="Contoso GmbH", domain=domain, country="DE")
    return UserFactory(tenant=tenant, email=f"admin@{domain}", roles=[str(r) for r in roles])


def share_customer(provider, reseller, **kwargs):
    """A customer the reseller brought to the provider (both are its resellers of record)."""
    customer = CustomerFactory(**kwargs)
    CustomerRelationshipFactory(customer=customer, partner=reseller, role="indirect_reseller")
    CustomerRelationshipFactory(
        customer=customer, partner=provider, role="indirect_provider", via_reseller=reseller
    )
    return customer


def direct_customer(partner, role="direct_bill_partner", **kwargs):
    customer = CustomerFactory(**kwargs)
    CustomerRelationshipFactory(customer=customer, partner=partner, role=role)
    return customer


@pytest.fixture
def provider(db):
    return make_provider(legal_name="Contoso Distribution GmbH")


@pytest.fixture
def provider_admin(provider):
    return admin_of(provider, email="admin@distribution.test")


@pytest.fixture
def reseller(provider):
    return make_reseller(provider, legal_name="Fabrikam Cloud GmbH", contact_email="jonas@fabrikam.test")


@pytest.fixture
def reseller_admin(reseller):
    return admin_of(reseller, email="admin@fabrikam.test")


@pytest.fixture
def direct(db):
    return make_direct_bill(legal_name="Adatum Direct GmbH")


@pytest.fixture
def direct_admin(direct):
    return admin_of(direct, email="admin@adatum.test")


@pytest.fixture
def other_partner(db):
    """A partner with no relationship to anyone here (the outsider of HOUSE_STYLE 14)."""
    return make_direct_bill(legal_name="Northwind Traders Inc", country="US")


@pytest.fixture
def other_admin(other_partner):
    return admin_of(other_partner, email="admin@northwind.test")


@pytest.fixture
def customer_admin(db):
    return make_customer_admin()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def invite(actor, provider) -> CustomerInvitationCreated:
    return customer_invitation_create(actor=actor, provider_id=provider.pk)


def token_of(created) -> str:
    return TOKEN.search(created.link).group(1)
