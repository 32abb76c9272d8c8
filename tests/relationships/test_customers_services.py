"""Customer tenants at the service level: who creates one, for which reseller, with which
tenant and global admin, all or nothing (DOMAIN.md "Customers, tenants and admin access")."""

import json

import pytest

from partnercenter.accounts.models import Role, Tenant, User
from partnercenter.audit.models import Event
from partnercenter.core.errors import InvalidInput, NotPermitted
from partnercenter.notifications.models import Notification
from relationships import selectors
from relationships.models import (
    Customer,
    CustomerRelationship,
    IndirectProvider,
    ProviderResellerRelationship,
)
from relationships.services import customers
from relationships.services.customers import REGISTRATION_NUMBER_COUNTRIES, customer_create
from tests.cast import events_of, make_direct_bill, make_provider, make_reseller, user_of
from tests.factories import EnrollmentFactory, PartnerFactory, TenantFactory, UserFactory, active_partner

pytestmark = pytest.mark.django_db


def new_customer(actor, **overrides):
    data = {"company_name": "Litware GmbH", "domain_prefix": "litwarede", "country": "DE", **overrides}
    return customer_create(actor=actor, **data)


def counts() -> tuple:
    return (
        Tenant.objects.count(),
        User.objects.count(),
        Customer.objects.count(),
        CustomerRelationship.objects.count(),
    )


# --- Creating a customer creates its tenant --------------------------------------------------------


def test_provider_creates_a_customer_for_its_reseller(provider, provider_admin, reseller, relationship):
    created = new_customer(
        provider_admin, indirect_reseller_id=reseller.pk, organization_registration_number=""
    )
    customer = created.customer
    assert customer.tenant.domain == "litwarede.onmicrosoft.com"
    assert customer.tenant.country.code == "DE"
    assert customer.tenant.name == customer.company_name == "Litware GmbH"
    assert customer.created_by_partner == provider
    roles = {(r.partner_id, r.role, r.via_reseller_id) for r in customer.relationships.all()}
    assert roles == {
        (provider.pk, "indirect_provider", reseller.pk),
        (reseller.pk, "indirect_reseller", None),
    }
    # ... so that the customer appears in the reseller's list.
    assert list(selectors.customers_for(reseller)) == [customer]
    # One audit row, on the customer, in the creator's history, naming both relationships.
    [event] = Event.objects.all()
    assert (event.kind, event.object_type, event.object_id) == (
        "customer_created",
        "relationships.customer",
        str(customer.pk),
    )
    assert (event.actor, event.tenant, event.from_state, event.to_state) == (
        provider_admin,
        provider.tenant,
        "",
        "indirect_provider",
    )
    assert event.data == {
        "domain": "litwarede.onmicrosoft.com",
        "relationships": [
            {"partner_id": str(provider.pk), "partner": provider.legal_name, "role": "indirect_provider"},
            {"partner_id": str(reseller.pk), "partner": reseller.legal_name, "role": "indirect_reseller"},
        ],
    }


def test_the_customer_gets_a_global_admin_with_a_temporary_password(provider_admin):
    created = new_customer(provider_admin)
    admin = created.admin
    assert admin.email == "admin@litwarede.onmicrosoft.com"
    assert admin.tenant == created.customer.tenant
    assert admin.roles == ["global_admin"] and admin.must_change_password
    assert len(created.temporary_password) >= 16
    stored = User.objects.get(pk=admin.pk).password
    assert created.temporary_password not in stored  # hashed, never in clear
    assert User.objects.get(pk=admin.pk).check_password(created.temporary_password)
    assert created.temporary_password not in repr(created)
    assert not Notification.objects.exists()  # not emailed either: shown once, to the creator
    [event] = Event.objects.all()  # nor written in the audit trail
    assert created.temporary_password not in f"{event.note} {json.dumps(event.data)}"


def test_provider_without_reseller_creates_its_own_direct_customer(provider, provider_admin):
    customer = new_customer(provider_admin).customer
    assert [(r.partner, r.role, r.via_reseller) for r in customer.relationships.all()] == [
        (provider, "indirect_provider", None)
    ]


def test_direct_bill_partner_creates_its_direct_customer(direct, direct_admin):
    customer = new_customer(direct_admin).customer
    assert [(r.partner, r.role) for r in customer.relationships.all()] == [(direct, "direct_bill_partner")]
    [event] = events_of(customer)
    assert (event.kind, event.tenant, event.to_state) == (
        "customer_created",
        direct.tenant,
        "direct_bill_partner",
    )
    assert event.data["relationships"] == [
        {"partner_id": str(direct.pk), "partner": direct.legal_name, "role": "direct_bill_partner"}
    ]


def test_direct_bill_partner_names_no_reseller(direct_admin, reseller, relationship):
    with pytest.raises(InvalidInput) as exc:
        new_customer(direct_admin, indirect_reseller_id=reseller.pk)
    assert list(exc.value.errors) == ["indirect_reseller_id"]
    assert not Customer.objects.exists()


def test_indirect_reseller_cannot_create_customer_tenants(reseller_admin, relationship):
    before = counts()
    with pytest.raises(NotPermitted) as exc:
        new_customer(reseller_admin)
    assert "Indirect resellers cannot create customer tenants" in str(exc.value.message)
    assert "your indirect provider creates the tenant and names you" in str(exc.value.message)
    assert counts() == before
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.GLOBAL_ADMIN, True),
        (Role.ADMIN_AGENT, True),
        (Role.SALES_AGENT, False),
        (Role.BILLING_ADMIN, False),
    ],
)
def test_only_the_global_admin_or_an_admin_agent_creates_customers(provider, role, allowed):
    actor = user_of(provider, role=role)
    if allowed:
        assert new_customer(actor).customer
    else:
        with pytest.raises(NotPermitted):
            new_customer(actor)
        assert not Customer.objects.exists()


def test_a_partner_whose_enrollment_is_not_active_cannot_create_customers(db):
    partner = PartnerFactory()
    EnrollmentFactory(partner=partner, program="direct_bill", status="approved")
    with pytest.raises(NotPermitted):
        new_customer(user_of(partner))


def test_staff_withdrawn_provider_authorization_means_no_provider_rights(provider, provider_admin):
    IndirectProvider.objects.filter(partner=provider).update(authorized=False)
    with pytest.raises(NotPermitted):
        new_customer(provider_admin)


def test_the_domain_must_be_free(provider_admin):
    TenantFactory(domain="litwarede.onmicrosoft.com")
    before = counts()
    with pytest.raises(InvalidInput) as exc:
        new_customer(provider_admin)
    assert "litwarede.onmicrosoft.com is already taken" in exc.value.errors["domain_prefix"][0]
    assert counts() == before


@pytest.mark.parametrize("prefix", ["", "lit-ware", "lit.ware", "x" * 28, "lit ware"])
def test_the_domain_prefix_must_be_valid(provider_admin, prefix):
    with pytest.raises(InvalidInput) as exc:
        new_customer(provider_admin, domain_prefix=prefix)
    assert list(exc.value.errors) == ["domain_prefix"]


def test_the_prefix_is_case_insensitive(provider_admin):
    assert new_customer(provider_admin, domain_prefix=" LitwareDE ").customer.tenant.domain == (
        "litwarede.onmicrosoft.com"
    )


def test_the_admin_address_must_be_free(provider_admin):
    UserFactory(email="admin@litwarede.onmicrosoft.com")
    with pytest.raises(InvalidInput) as exc:
        new_customer(provider_admin)
    assert "admin address is already taken" in exc.value.errors["domain_prefix"][0]


def test_the_registration_number_countries_are_the_programs():
    listed = "AM AZ BY HU KZ KG MD RU TJ UZ UA IN BR ZA PL AE SA TR TH VN"
    assert set(listed.split()) == REGISTRATION_NUMBER_COUNTRIES


@pytest.mark.parametrize("country", ["HU", "PL", "AE", "TR", "UA", "KZ"])
def test_the_registration_number_is_required_where_the_country_requires_it(db, country):
    partner = make_direct_bill(country="PL")  # Middle East, Central & Eastern Europe
    actor = user_of(partner)
    with pytest.raises(InvalidInput) as exc:
        new_customer(actor, country=country, organization_registration_number="  ")
    assert list(exc.value.errors) == ["organization_registration_number"]
    assert not Customer.objects.exists()
    customer = new_customer(actor, country=country, organization_registration_number="01-09-123456").customer
    assert customer.organization_registration_number == "01-09-123456"


def test_the_registration_number_is_optional_elsewhere(direct_admin):
    assert new_customer(direct_admin, country="FR").customer.organization_registration_number == ""


def test_the_customer_country_must_be_in_the_partners_market(direct_admin):
    with pytest.raises(InvalidInput) as exc:
        new_customer(direct_admin, country="US")
    [message] = exc.value.errors["country"]
    assert "United States" in message and "Europe" in message
    assert not Customer.objects.exists()


def test_an_unknown_country_is_refused(direct_admin):
    with pytest.raises(InvalidInput) as exc:
        new_customer(direct_admin, country="XX")
    assert list(exc.value.errors) == ["country"]


def test_the_reseller_must_be_one_of_the_providers_resellers(provider, provider_admin, db):
    someone_elses = make_reseller(make_provider())
    unrelated = active_partner()
    for reseller_id in (someone_elses.pk, unrelated.pk, provider.pk, "not-a-uuid"):
        with pytest.raises(InvalidInput) as exc:
            new_customer(provider_admin, indirect_reseller_id=reseller_id)
        assert list(exc.value.errors) == ["indirect_reseller_id"]
    assert not Customer.objects.exists()


def test_the_relationship_with_the_reseller_must_be_active(provider_admin, provider, reseller, relationship):
    ProviderResellerRelationship.objects.filter(provider=provider, reseller=reseller).update(
        state="terminated"
    )
    with pytest.raises(InvalidInput) as exc:
        new_customer(provider_admin, indirect_reseller_id=reseller.pk)
    assert list(exc.value.errors) == ["indirect_reseller_id"]


def test_creation_is_all_or_nothing(provider_admin, reseller, monkeypatch, relationship):
    before = counts()

    def broken(*args, **kwargs):
        raise RuntimeError("the event table is gone")

    monkeypatch.setattr(customers, "record", broken)
    with pytest.raises(RuntimeError):
        new_customer(provider_admin, indirect_reseller_id=reseller.pk)
    assert counts() == before
    assert not User.objects.filter(email="admin@litwarede.onmicrosoft.com").exists()


def test_a_domain_taken_at_the_last_moment_leaves_nothing_behind(provider_admin, monkeypatch):
    before = counts()
    monkeypatch.setattr(customers, "domain_prefix_errors", lambda prefix: [])
    TenantFactory(domain="litwarede.onmicrosoft.com")
    with pytest.raises(InvalidInput) as exc:
        new_customer(provider_admin)
    assert "just taken" in exc.value.errors["domain_prefix"][0]
    assert counts() == (before[0] + 1, *before[1:])
