"""The customer tenant's users and their licenses at the service level (billing.services.licenses):
the partner with administrator access manages them (the reseller, the direct-bill partner;
never the provider), with the roles of the one table; the user name is a verified domain's;
the temporary password is shown once and stored hashed; never more licenses assigned than
bought, also for two assignments at once."""

import threading

import pytest
from django.contrib.auth.hashers import check_password
from django.db import IntegrityError, connection, transaction

from billing.models import CustomerUser, LicenseAssignment
from billing.services.licenses import (
    PASSWORD_SYMBOLS,
    customer_user_create,
    customer_user_delete,
    customer_user_reset_password,
    license_assign,
    license_unassign,
)
from partnercenter.accounts.models import Role
from partnercenter.audit.models import Event
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from tests.billing.factories import CustomerUserFactory, subscription_of
from tests.cast import direct_customer, make_provider, make_reseller, share_customer, user_of
from tests.factories import TenantDomainFactory, TenantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(provider, reseller, relationship):
    """Contoso GmbH, a customer the reseller brought to the provider."""
    tenant = TenantFactory(name="Contoso GmbH", domain="contosode.onmicrosoft.com", country="DE")
    return share_customer(provider, reseller, tenant=tenant, company_name="Contoso GmbH")


def create(actor, customer, **kwargs):
    data = {"first_name": "Kim", "last_name": "Akers", "username": "kim.akers", **kwargs}
    return customer_user_create(actor=actor, customer=customer, **data)


def seats(provider, customer, reseller=None, quantity=10, **kwargs):
    return subscription_of(
        provider,
        customer,
        reseller=reseller,
        quantity=quantity,
        offer__product__name="Microsoft 365 Business Standard",
        **kwargs,
    )


# --- Users -------------------------------------------------------------------------------------------


def test_the_reseller_creates_a_user_with_a_temporary_password(customer, reseller, reseller_admin):
    created = create(reseller_admin, customer)
    user = CustomerUser.objects.get()
    assert created.user == user
    assert (user.user_principal_name, user.display_name, user.usage_location) == (
        "kim.akers@contosode.onmicrosoft.com",
        "Kim Akers",
        "DE",
    )
    assert user.must_change_password and user.created_by == reseller_admin
    password = created.temporary_password
    # Microsoft 365's complexity: long enough, every kind of character.
    assert len(password) >= 8
    assert any(c.isupper() for c in password) and any(c.islower() for c in password)
    assert any(c.isdigit() for c in password) and any(c in PASSWORD_SYMBOLS for c in password)
    # Stored hashed only, nowhere in clear (the audit row neither).
    assert password not in user.password_hash and check_password(password, user.password_hash)
    assert password not in repr(created)
    event = Event.objects.get(kind="customer_user_created")
    assert event.tenant_id == reseller.tenant_id and password not in str(event.data)


def test_the_direct_bill_partner_creates_users_of_its_direct_customer(direct, direct_admin):
    customer = direct_customer(direct)
    created = create(direct_admin, customer, usage_location="at")
    assert created.user.usage_location == "AT"


def test_the_provider_does_not_manage_the_tenant(customer, provider_admin):
    with pytest.raises(NotPermitted, match="administrator access"):
        create(provider_admin, customer)
    assert not CustomerUser.objects.exists()


def test_a_customer_without_a_relationship_is_not_found(customer, outsider):
    with pytest.raises(NotFound):
        create(outsider, customer)


def test_the_helpdesk_agent_creates_and_resets_but_the_sales_agent_does_not(customer, reseller):
    helpdesk = user_of(reseller, Role.HELPDESK_AGENT)
    created = create(helpdesk, customer)
    reset = customer_user_reset_password(actor=helpdesk, user=created.user)
    assert reset.temporary_password != created.temporary_password
    with pytest.raises(NotPermitted, match="helpdesk agent can manage"):
        create(user_of(reseller, Role.SALES_AGENT), customer, username="other")


def test_a_user_of_a_name_in_chinese_is_named_family_name_first(customer, reseller_admin):
    created = create(reseller_admin, customer, first_name="美玲", last_name="林", username="meiling.lin")
    assert created.user.display_name == "林美玲"


def test_the_user_name_may_be_on_a_verified_domain_only(customer, reseller_admin):
    TenantDomainFactory(tenant=customer.tenant, name="contoso.de", verified_at="2026-01-01T00:00Z")
    TenantDomainFactory(tenant=customer.tenant, name="contoso.example", verified_at=None)
    assert (
        create(reseller_admin, customer, domain="contoso.de").user.user_principal_name
        == "kim.akers@contoso.de"
    )
    with pytest.raises(InvalidInput) as refused:
        create(reseller_admin, customer, username="lea", domain="contoso.example")
    assert "verified domains" in str(refused.value.errors["domain"][0])


@pytest.mark.parametrize(
    "username",
    ["", "kim akers", "kim@akers", ".kim", "kim.", "kim..akers", "kim$", "ü", "k" * 65],
)
def test_a_user_name_microsoft_365_refuses_is_refused_on_its_field(customer, reseller_admin, username):
    with pytest.raises(InvalidInput) as refused:
        create(reseller_admin, customer, username=username)
    assert list(refused.value.errors) == ["username"]
    assert not CustomerUser.objects.exists()


def test_a_user_name_with_the_allowed_characters_is_taken(customer, reseller_admin):
    upn = create(reseller_admin, customer, username="Kim_O'Neil-2!#^~").user.user_principal_name
    assert upn == "Kim_O'Neil-2!#^~@contosode.onmicrosoft.com"


def test_a_taken_user_name_is_refused(customer, reseller_admin):
    create(reseller_admin, customer)
    with pytest.raises(InvalidInput) as refused:
        create(reseller_admin, customer, username="KIM.AKERS")
    assert "is taken" in str(refused.value.errors["username"][0])
    assert CustomerUser.objects.count() == 1


def test_a_deleted_users_name_is_free_again_and_the_database_holds_one_active_name(customer, reseller_admin):
    first = create(reseller_admin, customer).user
    customer_user_delete(actor=reseller_admin, user=first)
    again = create(reseller_admin, customer, username="Kim.Akers").user
    assert again.pk != first.pk and again.status == "active"
    # Two active users of one name are refused by the database too (whatever the case).
    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerUserFactory(customer=customer, user_principal_name=again.user_principal_name.upper())


def test_names_and_usage_location_are_checked(customer, reseller_admin):
    with pytest.raises(InvalidInput) as refused:
        create(reseller_admin, customer, first_name=" ", last_name="x" * 101, usage_location="XX")
    assert set(refused.value.errors) == {"first_name", "last_name", "usage_location"}


def test_a_reset_gives_a_new_password_once(customer, reseller_admin):
    created = create(reseller_admin, customer)
    user = created.user
    CustomerUser.objects.filter(pk=user.pk).update(must_change_password=False)
    reset = customer_user_reset_password(actor=reseller_admin, user=user)
    user.refresh_from_db()
    assert user.must_change_password
    assert check_password(reset.temporary_password, user.password_hash)
    assert not check_password(created.temporary_password, user.password_hash)
    assert Event.objects.filter(kind="customer_user_password_reset").count() == 1


def test_deleting_a_user_releases_its_licenses(provider, customer, reseller, reseller_admin):
    subscription = seats(provider, customer, reseller, quantity=1)
    user = create(reseller_admin, customer).user
    license_assign(actor=reseller_admin, subscription=subscription, user=user)
    deleted = customer_user_delete(actor=reseller_admin, user=user)
    assert deleted.status == "deleted" and not LicenseAssignment.objects.exists()
    # The seat is free for another user.
    other = create(reseller_admin, customer, username="lea").user
    license_assign(actor=reseller_admin, subscription=subscription, user=other)
    # A deleted user is deleted once, and has no password to reset nor licenses.
    before = Event.objects.count()
    customer_user_delete(actor=reseller_admin, user=user)
    assert Event.objects.count() == before
    with pytest.raises(NotFound):
        customer_user_reset_password(actor=reseller_admin, user=user)


# --- Licenses ----------------------------------------------------------------------------------------


def test_the_reseller_assigns_licenses_of_the_providers_subscription(
    provider, customer, reseller, reseller_admin
):
    subscription = seats(provider, customer, reseller)
    user = create(reseller_admin, customer).user
    assignment = license_assign(actor=reseller_admin, subscription=subscription, user=user)
    assert (assignment.subscription, assignment.user, assignment.assigned_by) == (
        subscription,
        user,
        reseller_admin,
    )
    # Assigning twice changes nothing.
    before = Event.objects.count()
    assert license_assign(actor=reseller_admin, subscription=subscription, user=user) == assignment
    assert LicenseAssignment.objects.count() == 1 and Event.objects.count() == before
    license_unassign(actor=reseller_admin, subscription=subscription, user=user)
    assert not LicenseAssignment.objects.exists()
    license_unassign(actor=reseller_admin, subscription=subscription, user=user)  # nothing to remove
    assert Event.objects.filter(kind="license_unassigned").count() == 1


def test_never_more_assigned_than_bought(provider, customer, reseller, reseller_admin):
    subscription = seats(provider, customer, reseller, quantity=2)
    users = [CustomerUserFactory(customer=customer) for _ in range(3)]
    for user in users[:2]:
        license_assign(actor=reseller_admin, subscription=subscription, user=user)
    with pytest.raises(InvalidTransition) as refused:
        license_assign(actor=reseller_admin, subscription=subscription, user=users[2])
    assert str(refused.value.message) == (
        "All 2 licenses of Microsoft 365 Business Standard are assigned. Remove one, or buy more."
    )
    assert LicenseAssignment.objects.count() == 2


def test_the_helpdesk_and_sales_agents_do_not_assign(provider, customer, reseller):
    subscription = seats(provider, customer, reseller)
    user = CustomerUserFactory(customer=customer)
    for role in (Role.HELPDESK_AGENT, Role.SALES_AGENT):
        with pytest.raises(NotPermitted, match="admin agent can assign licenses"):
            license_assign(actor=user_of(reseller, role), subscription=subscription, user=user)
    license_assign(actor=user_of(reseller, Role.ADMIN_AGENT), subscription=subscription, user=user)


def test_the_provider_does_not_assign(provider, provider_admin, customer, reseller):
    subscription = seats(provider, customer, reseller)
    with pytest.raises(NotPermitted):
        license_assign(
            actor=provider_admin, subscription=subscription, user=CustomerUserFactory(customer=customer)
        )


def test_another_customers_subscription_or_user_is_refused(provider, customer, reseller, reseller_admin):
    other = share_customer(provider, reseller)
    user = CustomerUserFactory(customer=customer)
    with pytest.raises(InvalidInput) as refused:
        license_assign(actor=reseller_admin, subscription=seats(provider, other, reseller), user=user)
    assert list(refused.value.errors) == ["subscription_id"]
    # A subscription of a partner the reseller does not work with (another's customer).
    stranger = make_provider()
    with pytest.raises(InvalidInput):
        license_assign(actor=reseller_admin, subscription=seats(stranger, customer), user=user)


def test_only_live_license_based_subscriptions_assign(provider, customer, reseller, reseller_admin):
    user = CustomerUserFactory(customer=customer)
    cancelled = seats(provider, customer, reseller, status="cancelled")
    with pytest.raises(InvalidTransition):
        license_assign(actor=reseller_admin, subscription=cancelled, user=user)
    azure = subscription_of(
        provider, customer, reseller=reseller, offer__product__kind="azure_plan", term="P1M"
    )
    with pytest.raises(InvalidInput, match="not license-based"):
        license_assign(actor=reseller_admin, subscription=azure, user=user)
    deleted = CustomerUserFactory(customer=customer, status="deleted")
    with pytest.raises(NotFound):
        license_assign(actor=reseller_admin, subscription=seats(provider, customer, reseller), user=deleted)
    assert not LicenseAssignment.objects.exists()


def test_a_reseller_without_administrator_access_is_refused(provider, customer, reseller, reseller_admin):
    customer.relationships.filter(partner=reseller).update(admin_access=False)
    with pytest.raises(NotPermitted):
        create(reseller_admin, customer)


def test_a_reseller_sees_only_its_own_customers():
    provider = make_provider()
    reseller, other = make_reseller(provider), make_reseller(provider)
    customer = share_customer(provider, reseller)
    with pytest.raises(NotFound):
        create(user_of(other), customer)


# --- Two at once ---------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_assignments_for_the_last_seat_give_one():
    """Two threads, two PostgreSQL connections, the last seat: the lock on the subscription
    serializes them; one is assigned, the other is told all licenses are assigned."""
    assert connection.vendor == "postgresql"
    provider = make_provider()
    reseller = make_reseller(provider)
    admin = user_of(reseller)
    customer = share_customer(provider, reseller)
    subscription = seats(provider, customer, reseller, quantity=3)
    for _ in range(2):
        license_assign(actor=admin, subscription=subscription, user=CustomerUserFactory(customer=customer))
    racers = [CustomerUserFactory(customer=customer) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def act(user):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            license_assign(actor=admin, subscription=subscription, user=user)
            outcomes.append("assigned")
        except InvalidTransition:
            outcomes.append("full")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=act, args=(user,)) for user in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(outcomes) == ["assigned", "full"], outcomes
    assert LicenseAssignment.objects.filter(subscription=subscription).count() == 3
    assert Event.objects.filter(kind="license_assigned").count() == 3
