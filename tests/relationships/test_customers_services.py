"""Customers: creating customer tenants, customer invitations and their acceptance, the
CSP-to-CSP restriction and orders, at the service level."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.utils import timezone

from billing.models import Order
from billing.money import money
from billing.services import order_submit
from partnercenter.accounts.models import Role, Tenant, User
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotPermitted
from partnercenter.notifications.models import Notification
from relationships import selectors
from relationships.models import (
    Customer,
    CustomerInvitation,
    CustomerRelationship,
    IndirectProvider,
    InvitationStatus,
    ProviderResellerRelationship,
    RelationshipEvent,
)
from relationships.services.customer_invitations import customer_invitation_accept, customer_invitation_create
from relationships.services.customers import REGISTRATION_NUMBER_COUNTRIES, customer_create
from tests.factories import EnrollmentFactory, PartnerFactory, TenantFactory, UserFactory, active_partner

from .customers_cast import *  # noqa: F403  (the cast's fixtures)
from .customers_cast import (
    admin_of,
    direct_customer,
    invite,
    make_customer_admin,
    make_direct_bill,
    make_provider,
    make_reseller,
    share_customer,
    token_of,
)

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


# --- 1. Creating a customer creates its tenant --------------------------------------------------------


def test_provider_creates_a_customer_for_its_reseller(provider, provider_admin, reseller):
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
    events = RelationshipEvent.objects.filter(kind__startswith="customer_")
    assert {(e.kind, e.partner_id) for e in events} == {
        ("customer_created", provider.pk),
        ("customer_relationship_created", provider.pk),
        ("customer_relationship_created", reseller.pk),
    }
    assert all(e.actor == provider_admin for e in events)


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
    assert not RelationshipEvent.objects.filter(detail__contains=created.temporary_password).exists()


def test_provider_without_reseller_creates_its_own_direct_customer(provider, provider_admin):
    customer = new_customer(provider_admin).customer
    assert [(r.partner, r.role, r.via_reseller) for r in customer.relationships.all()] == [
        (provider, "indirect_provider", None)
    ]


def test_direct_bill_partner_creates_its_direct_customer(direct, direct_admin):
    customer = new_customer(direct_admin).customer
    assert [(r.partner, r.role) for r in customer.relationships.all()] == [(direct, "direct_bill_partner")]


def test_direct_bill_partner_names_no_reseller(direct_admin, reseller):
    with pytest.raises(InvalidInput) as exc:
        new_customer(direct_admin, indirect_reseller_id=reseller.pk)
    assert list(exc.value.errors) == ["indirect_reseller_id"]
    assert not Customer.objects.exists()


def test_indirect_reseller_cannot_create_customer_tenants(reseller_admin):
    before = counts()
    with pytest.raises(NotPermitted) as exc:
        new_customer(reseller_admin)
    assert "Indirect resellers cannot create customer tenants" in str(exc.value.message)
    assert "your indirect provider creates the tenant and names you" in str(exc.value.message)
    assert counts() == before


@pytest.mark.parametrize(
    ("roles", "allowed"),
    [
        ((Role.GLOBAL_ADMIN,), True),
        ((Role.ADMIN_AGENT,), True),
        ((Role.SALES_AGENT,), False),
        ((Role.BILLING_ADMIN,), False),
    ],
)
def test_only_the_global_admin_or_an_admin_agent_creates_customers(provider, roles, allowed):
    actor = admin_of(provider, roles=roles)
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
        new_customer(admin_of(partner))


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
    actor = admin_of(partner)
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


def test_the_relationship_with_the_reseller_must_be_active(provider_admin, provider, reseller):
    ProviderResellerRelationship.objects.filter(provider=provider, reseller=reseller).update(
        state="terminated"
    )
    with pytest.raises(InvalidInput) as exc:
        new_customer(provider_admin, indirect_reseller_id=reseller.pk)
    assert list(exc.value.errors) == ["indirect_reseller_id"]


def test_creation_is_all_or_nothing(provider_admin, reseller, monkeypatch):
    before = counts()

    def broken(**kwargs):
        raise RuntimeError("the event table is gone")

    monkeypatch.setattr(services, "record_event", broken)
    with pytest.raises(RuntimeError):
        new_customer(provider_admin, indirect_reseller_id=reseller.pk)
    assert counts() == before
    assert not User.objects.filter(email="admin@litwarede.onmicrosoft.com").exists()


def test_a_domain_taken_at_the_last_moment_leaves_nothing_behind(provider_admin, monkeypatch):
    before = counts()
    monkeypatch.setattr(services, "domain_prefix_errors", lambda prefix: [])
    TenantFactory(domain="litwarede.onmicrosoft.com")
    with pytest.raises(InvalidInput) as exc:
        new_customer(provider_admin)
    assert "just taken" in exc.value.errors["domain_prefix"][0]
    assert counts() == (before[0] + 1, *before[1:])


# --- 2. Customer invitations ---------------------------------------------------------------------------


def test_the_reseller_gets_a_personal_link_and_a_draft_email(reseller, reseller_admin, provider):
    created = invite(reseller_admin, provider)
    invitation = created.invitation
    assert created.link.startswith("http://testserver/customer-invitations/")
    token = token_of(created)
    assert len(token) >= 40
    assert invitation.token_hash != token and token not in invitation.token_hash
    assert selectors.customer_invitation_for_token(token) == invitation
    assert (invitation.reseller, invitation.provider, invitation.status) == (reseller, provider, "sent")
    assert invitation.created_by == reseller_admin
    assert abs(invitation.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    assert "Fabrikam Cloud GmbH" in created.subject and "Contoso Distribution GmbH" in created.subject
    body = created.body
    assert created.link in body
    assert "Fabrikam Cloud GmbH" in body and "Contoso Distribution GmbH" in body
    assert "administrator permissions" in body and "submits orders" in body and "bills you" in body
    assert "&amp;" not in body and "&#x27;" not in body  # plain text, not HTML-escaped
    event = RelationshipEvent.objects.get(kind="customer_invitation_created")
    assert (event.partner, event.actor, event.to_state) == (reseller, reseller_admin, "sent")


def test_the_draft_names_companies_as_written(provider, reseller_admin, reseller):
    type(reseller).objects.filter(pk=reseller.pk).update(legal_name="Smith & O'Brien Ltd")
    created = invite(reseller_admin, provider)
    assert "Smith & O'Brien Ltd" in created.body and "Smith & O'Brien Ltd" in created.subject


def test_the_draft_is_in_the_resellers_language(provider, reseller, reseller_admin):
    type(reseller).objects.filter(pk=reseller.pk).update(language="ru")
    created = invite(reseller_admin, provider)
    # The program's role names are translated already ("Indirect reseller", "Indirect provider").
    assert "Непрямой реселлер" in created.body and "Непрямой поставщик" in created.body
    assert "Indirect reseller" not in created.body


def test_each_invitation_has_its_own_link(provider, reseller_admin):
    first, second = invite(reseller_admin, provider), invite(reseller_admin, provider)
    assert first.link != second.link
    assert CustomerInvitation.objects.count() == 2


def test_the_provider_must_have_an_active_relationship_with_the_reseller(provider, reseller, reseller_admin):
    stranger = make_provider()
    for provider_id in (stranger.pk, reseller.pk, "nope"):
        with pytest.raises(InvalidInput) as exc:
            customer_invitation_create(actor=reseller_admin, provider_id=provider_id)
        assert list(exc.value.errors) == ["provider_id"]
    ProviderResellerRelationship.objects.update(state="terminated")
    with pytest.raises(InvalidInput):
        invite(reseller_admin, provider)
    assert not CustomerInvitation.objects.exists()


def test_a_provider_no_longer_authorized_takes_no_invitations(provider, reseller_admin):
    IndirectProvider.objects.filter(partner=provider).update(authorized=False)
    with pytest.raises(InvalidInput):
        invite(reseller_admin, provider)


def test_only_admins_of_an_active_partner_invite(provider, reseller):
    with pytest.raises(NotPermitted):
        invite(admin_of(reseller, roles=(Role.SALES_AGENT,)), provider)
    reseller.enrollments.update(status="withdrawn")
    with pytest.raises(NotPermitted):
        invite(admin_of(reseller), provider)


# --- 3. The customer authorizes both -------------------------------------------------------------------


def test_the_customer_authorizes_the_reseller_and_the_provider_at_once(
    provider, reseller, reseller_admin, customer_admin, committed
):
    token = token_of(invite(reseller_admin, provider))
    with committed():
        invitation = customer_invitation_accept(actor=customer_admin, token=token)
    customer = Customer.objects.get(tenant=customer_admin.tenant)
    assert customer.company_name == "Contoso GmbH" and customer.created_by_partner is None
    roles = {(r.partner_id, r.role, r.via_reseller_id) for r in customer.relationships.all()}
    assert roles == {
        (reseller.pk, "indirect_reseller", None),
        (provider.pk, "indirect_provider", reseller.pk),
    }
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.customer == customer and invitation.accepted_at
    # Both partners now see the customer; the provider may order for it.
    assert list(selectors.customers_for(reseller)) == [customer]
    assert list(selectors.customers_for(provider, reseller_id=reseller.pk)) == [customer]
    kinds = sorted(RelationshipEvent.objects.filter(actor=customer_admin).values_list("kind", flat=True))
    assert kinds == ["customer_authorized", "customer_authorized", "customer_invitation_accepted"]
    # The reseller is emailed once, after commit.
    assert [m.to for m in mail.outbox] == [["jonas@fabrikam.test"]]
    assert "Contoso GmbH" in mail.outbox[0].subject
    assert "Contoso Distribution GmbH" in mail.outbox[0].body
    assert "http://testserver/customers/" in mail.outbox[0].body


def test_the_email_waits_for_the_commit(
    provider, reseller_admin, customer_admin, django_capture_on_commit_callbacks
):
    token = token_of(invite(reseller_admin, provider))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        customer_invitation_accept(actor=customer_admin, token=token)
    assert mail.outbox == [] and len(callbacks) == 1


def test_a_link_works_once(provider, reseller_admin, customer_admin, committed):
    token = token_of(invite(reseller_admin, provider))
    with committed():
        customer_invitation_accept(actor=customer_admin, token=token)
    other = make_customer_admin("tailspinde.onmicrosoft.com")
    before = (counts(), RelationshipEvent.objects.count())
    for actor in (customer_admin, other):
        with committed(), pytest.raises(InvalidTransition) as exc:
            customer_invitation_accept(actor=actor, token=token)
        assert exc.value.status == "accepted"
        assert "already used" in str(exc.value.message)
    assert (counts(), RelationshipEvent.objects.count()) == before
    assert len(mail.outbox) == 1


def test_an_expired_link_is_refused(provider, reseller_admin, customer_admin):
    created = invite(reseller_admin, provider)
    CustomerInvitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(InvalidTransition) as exc:
        customer_invitation_accept(actor=customer_admin, token=token_of(created))
    assert exc.value.status == "expired"
    assert not Customer.objects.exists()
    assert CustomerInvitation.objects.get().status == "sent"


def test_a_revoked_link_is_refused(provider, reseller_admin, customer_admin):
    created = invite(reseller_admin, provider)
    CustomerInvitation.objects.update(status=InvitationStatus.REVOKED)
    with pytest.raises(InvalidTransition) as exc:
        customer_invitation_accept(actor=customer_admin, token=token_of(created))
    assert exc.value.status == "revoked"


@pytest.mark.parametrize("token", ["", "unknown-token", None, 42])
def test_an_unknown_token_is_bad_input(provider, reseller_admin, customer_admin, token):
    invite(reseller_admin, provider)
    with pytest.raises(InvalidInput) as exc:
        customer_invitation_accept(actor=customer_admin, token=token)
    assert list(exc.value.errors) == ["token"]


@pytest.mark.parametrize("roles", [(Role.ADMIN_AGENT,), (Role.SALES_AGENT,), ()])
def test_only_the_customers_global_admin_authorizes(provider, reseller_admin, roles):
    token = token_of(invite(reseller_admin, provider))
    actor = make_customer_admin(roles=roles)
    with pytest.raises(NotPermitted):
        customer_invitation_accept(actor=actor, token=token)
    assert not Customer.objects.exists()
    assert CustomerInvitation.objects.get().status == "sent"


def test_staff_without_a_tenant_cannot_authorize(provider, reseller_admin, staff):
    with pytest.raises(NotPermitted):
        customer_invitation_accept(actor=staff, token=token_of(invite(reseller_admin, provider)))


def test_the_link_fails_once_the_reseller_left_the_provider(
    provider, reseller, reseller_admin, customer_admin
):
    token = token_of(invite(reseller_admin, provider))
    ProviderResellerRelationship.objects.update(state="terminated")
    with pytest.raises(InvalidTransition) as exc:
        customer_invitation_accept(actor=customer_admin, token=token)
    assert "no longer works with" in str(exc.value.message)
    assert not Customer.objects.exists()


def test_an_existing_customer_keeps_its_other_partners(
    provider, reseller, reseller_admin, customer_admin, direct
):
    customer = direct_customer(direct, tenant=customer_admin.tenant)
    customer_invitation_accept(
        actor=customer_admin, token=token_of(invite(reseller_admin, provider))
    )
    assert Customer.objects.get() == customer
    assert {r.partner_id: r.role for r in customer.relationships.all()} == {
        direct.pk: "direct_bill_partner",
        reseller.pk: "indirect_reseller",
        provider.pk: "indirect_provider",
    }


def test_the_latest_authorization_sets_the_providers_reseller(
    provider, reseller, reseller_admin, customer_admin
):
    # The customer was the provider's own direct customer; now it comes through the reseller.
    customer = direct_customer(provider, role="indirect_provider", tenant=customer_admin.tenant)
    customer_invitation_accept(
        actor=customer_admin, token=token_of(invite(reseller_admin, provider))
    )
    relationship = customer.relationships.get(partner=provider)
    assert (relationship.role, relationship.via_reseller) == ("indirect_provider", reseller)
    event = RelationshipEvent.objects.get(kind="customer_authorized", partner=provider)
    assert (event.from_state, event.to_state) == ("indirect_provider", "indirect_provider")


@pytest.mark.django_db(transaction=True)
def test_two_acceptances_at_once_make_one_set_of_relationships():
    """Two threads, two PostgreSQL connections, the same link at the same moment."""
    assert connection.vendor == "postgresql"
    provider = make_provider()
    reseller = make_reseller(provider)
    reseller_admin = admin_of(reseller)
    admins = [make_customer_admin("racea.onmicrosoft.com"), make_customer_admin("raceb.onmicrosoft.com")]
    for _round in range(5):
        token = token_of(invite(reseller_admin, provider))
        barrier = threading.Barrier(2)
        outcomes = []

        def accept(actor, token=token, barrier=barrier, outcomes=outcomes):
            from django.db import connection as thread_connection

            try:
                barrier.wait()
                customer_invitation_accept(actor=actor, token=token)
                outcomes.append("landed")
            except InvalidTransition as exc:
                outcomes.append(f"409:{exc.status}")
            finally:
                thread_connection.close()

        threads = [threading.Thread(target=accept, args=(actor,)) for actor in admins]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert sorted(outcomes) == ["409:accepted", "landed"], outcomes
        invitation = selectors.customer_invitation_for_token(token)
        assert invitation.status == "accepted"
        assert CustomerRelationship.objects.filter(customer=invitation.customer).count() == 2
        assert (
            RelationshipEvent.objects.filter(
                kind="customer_invitation_accepted", object_id=str(invitation.pk)
            ).count()
            == 1
        )
        assert (
            Notification.objects.filter(
                idempotency_key=f"customer-invitation:{invitation.pk}:accepted"
            ).count()
            == 1
        )
        # The next round starts with neither tenant a customer.
        Customer.objects.all().delete()


# --- 4. The CSP-to-CSP restriction ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "status", ["pending_email_verification", "in_review", "action_needed", "approved", "active"]
)
def test_a_csp_transaction_tenant_cannot_authorize_another_csp_partner(provider, reseller_admin, status):
    csp = PartnerFactory(legal_name="Tailspin Toys GmbH")
    EnrollmentFactory(partner=csp, status=status)
    actor = admin_of(csp)
    token = token_of(invite(reseller_admin, provider))
    with pytest.raises(NotPermitted) as exc:
        customer_invitation_accept(actor=actor, token=token)
    message = str(exc.value.message)
    assert "CSP transaction tenant of Tailspin Toys GmbH" in message
    assert "different, non-CSP tenant" in message
    assert "Fabrikam Cloud GmbH" in message and "Contoso Distribution GmbH" in message
    # Nothing changes.
    assert not Customer.objects.exists()
    assert CustomerInvitation.objects.get().status == "sent"
    assert not RelationshipEvent.objects.filter(
        kind__in=["customer_authorized", "customer_invitation_accepted"]
    )


def test_the_partners_themselves_cannot_become_their_own_customer(provider, provider_admin, reseller_admin):
    with pytest.raises(NotPermitted):
        customer_invitation_accept(
            actor=reseller_admin, token=token_of(invite(reseller_admin, provider))
        )
    with pytest.raises(NotPermitted):
        customer_invitation_accept(
            actor=provider_admin, token=token_of(invite(reseller_admin, provider))
        )


def test_the_companys_other_non_csp_tenant_can(provider, reseller, reseller_admin):
    csp = PartnerFactory(legal_name="Tailspin Toys GmbH", tenant__domain="tailspin.onmicrosoft.com")
    EnrollmentFactory(partner=csp, status="active")
    # The same company's second tenant, for its own use: no partner on it.
    own_use = TenantFactory(name="Tailspin Toys GmbH", domain="tailspinoffice.onmicrosoft.com")
    actor = UserFactory(tenant=own_use, roles=["global_admin"])
    customer_invitation_accept(actor=actor, token=token_of(invite(reseller_admin, provider)))
    assert Customer.objects.get().tenant == own_use
    assert CustomerRelationship.objects.filter(customer__tenant=own_use).count() == 2


@pytest.mark.parametrize("status", ["rejected", "withdrawn", "expired"])
def test_a_tenant_whose_enrollments_all_ended_is_no_csp_tenant(provider, reseller_admin, status):
    former = PartnerFactory()
    EnrollmentFactory(partner=former, status=status)
    customer_invitation_accept(
        actor=admin_of(former), token=token_of(invite(reseller_admin, provider))
    )
    assert Customer.objects.get().tenant == former.tenant


# --- 6. Orders -----------------------------------------------------------------------------------------


def order(actor, customer, **overrides):
    data = {
        "offer": "Microsoft 365 Business Standard",
        "quantity": 25,
        "unit_price": Decimal("10.50"),
        **overrides,
    }
    return order_submit(actor=actor, customer=customer, **data)


def test_after_the_customer_authorizes_the_provider_orders_for_it(
    provider, provider_admin, reseller_admin, customer_admin
):
    customer_invitation_accept(
        actor=customer_admin, token=token_of(invite(reseller_admin, provider))
    )
    customer = Customer.objects.get()
    placed = order(provider_admin, customer)
    assert (placed.customer, placed.partner, placed.created_by) == (customer, provider, provider_admin)
    assert (placed.offer, placed.quantity, placed.unit_price, placed.currency) == (
        "Microsoft 365 Business Standard",
        25,
        Decimal("10.50"),
        "EUR",
    )
    assert placed.total == Decimal("262.50")
    assert RelationshipEvent.objects.filter(kind="order_submitted", object_id=str(placed.pk)).exists()


def test_a_direct_bill_partner_orders_for_its_customer_in_its_currency(db):
    partner = make_direct_bill(country="GB")
    customer = direct_customer(partner)
    assert order(admin_of(partner), customer).currency == "GBP"


def test_an_indirect_reseller_does_not_order(provider, reseller, reseller_admin):
    customer = share_customer(provider, reseller)
    with pytest.raises(NotPermitted) as exc:
        order(reseller_admin, customer)
    assert "your indirect provider orders" in str(exc.value.message)
    assert not Order.objects.exists()


def test_a_provider_without_a_relationship_with_the_customer_cannot_order(provider_admin, direct):
    customer = direct_customer(direct)
    with pytest.raises(Http404):
        order(provider_admin, customer)
    assert not Order.objects.exists()


def test_a_provider_orders_for_its_own_direct_customer(provider, provider_admin):
    assert order(provider_admin, direct_customer(provider, role="indirect_provider")).partner == provider


@pytest.mark.parametrize(
    ("roles", "allowed"),
    [((Role.SALES_AGENT,), True), ((Role.ADMIN_AGENT,), True), ((Role.HELPDESK_AGENT,), False)],
)
def test_who_orders(direct, roles, allowed):
    customer = direct_customer(direct)
    actor = admin_of(direct, roles=roles)
    if allowed:
        assert order(actor, customer)
    else:
        with pytest.raises(NotPermitted):
            order(actor, customer)


@pytest.mark.parametrize("quantity", [1, 10000])
def test_the_quantity_bounds_are_allowed(direct, direct_admin, quantity):
    assert order(direct_admin, direct_customer(direct), quantity=quantity).quantity == quantity


@pytest.mark.parametrize("quantity", [0, -1, 10001, "5", 2.5, True, None])
def test_the_quantity_is_from_1_to_10000(direct, direct_admin, quantity):
    with pytest.raises(InvalidInput) as exc:
        order(direct_admin, direct_customer(direct), quantity=quantity)
    assert list(exc.value.errors) == ["quantity"]


@pytest.mark.parametrize("price", ["-0.01", "abc", "12.345", "NaN", "Infinity", 1.5, "99999999999"])
def test_the_unit_price_is_a_decimal_amount(direct, direct_admin, price):
    with pytest.raises(InvalidInput) as exc:
        order(direct_admin, direct_customer(direct), unit_price=price)
    assert list(exc.value.errors) == ["unit_price"]


def test_a_zero_price_and_strings_are_fine(direct, direct_admin):
    assert order(direct_admin, direct_customer(direct), unit_price="0").unit_price == Decimal("0.00")
    assert order(direct_admin, direct_customer(direct), unit_price="12.5").unit_price == Decimal("12.50")


def test_yen_has_no_decimals(db):
    partner = make_direct_bill(country="JP")
    customer, actor = direct_customer(partner), admin_of(partner)
    with pytest.raises(InvalidInput):
        order(actor, customer, unit_price="1200.50")
    placed = order(actor, customer, unit_price="1200")
    assert money(placed.unit_price, placed.currency) == {"amount": "1200", "currency": "JPY"}


def test_the_currency_is_the_partners_markets(direct, direct_admin):
    with pytest.raises(InvalidInput) as exc:
        order(direct_admin, direct_customer(direct), currency="USD")
    assert "EUR" in exc.value.errors["unit_price"]["currency"][0]
    assert order(direct_admin, direct_customer(direct), currency="EUR").currency == "EUR"


def test_the_offer_is_named(direct, direct_admin):
    for offer in ("", "   ", "x" * 201, None):
        with pytest.raises(InvalidInput) as exc:
            order(direct_admin, direct_customer(direct), offer=offer)
        assert list(exc.value.errors) == ["offer"]


def test_the_database_holds_the_quantity_range(direct):
    customer = direct_customer(direct)
    for quantity in (0, 10001):
        with pytest.raises(IntegrityError), transaction.atomic():
            Order.objects.create(
                customer=customer, partner=direct, offer="x", quantity=quantity, unit_price=1, currency="EUR"
            )
