"""The customer's side at the service level: after authorizing, the customer's global admin
sees its partners (roles, who bills, who has administrator access), removes a partner's
administrator access and keeps the relationship, or ends the relationship; only that
customer's global admin; one audit row and one email to the partner, after commit."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection

from billing.services.orders import order_place
from partnercenter.accounts.models import Role
from partnercenter.audit.models import Event
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from partnercenter.notifications.models import Notification
from relationships import selectors
from relationships.models import CustomerRelationship
from relationships.services.customer_invitations import customer_invitation_accept
from relationships.services.customer_partners import (
    customer_relationship_end,
    customer_relationship_remove_admin_access,
)
from relationships.services.customers import customer_create
from tests.billing.factories import line, sold
from tests.cast import (
    authorize_customer,
    customer_token,
    invite_customer,
    make_customer_admin,
    make_provider,
    make_reseller,
    user_of,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 3, 9, 30, tzinfo=UTC)


@pytest.fixture
def customer(customer_admin, reseller_admin, provider, relationship):
    """Contoso GmbH authorized Fabrikam Cloud GmbH and its provider Contoso Distribution GmbH."""
    return authorize_customer(customer_admin, reseller_admin, provider)


def of(customer, partner) -> CustomerRelationship:
    return CustomerRelationship.objects.get(customer=customer, partner=partner)


def partner_rows(customer) -> list[tuple]:
    return [
        (r.partner.legal_name, r.role, r.bills_customer, r.admin_access, r.state, r.via_reseller)
        for r in selectors.customer_partners(customer)
    ]


# --- What the customer's global admin sees ------------------------------------------------------------


def test_after_authorizing_the_customer_sees_its_partners_their_roles_and_access(
    customer, customer_admin, reseller
):
    assert selectors.customer_of_user(customer_admin) == customer
    assert partner_rows(customer) == [
        # The reseller administers the tenant; the provider orders and bills.
        ("Fabrikam Cloud GmbH", "indirect_reseller", False, True, "active", None),
        ("Contoso Distribution GmbH", "indirect_provider", True, False, "active", reseller),
    ]


def test_the_partner_that_creates_the_tenant_and_the_reseller_it_names_administer_it(
    provider, provider_admin, reseller, relationship
):
    created = customer_create(
        actor=provider_admin,
        company_name="Litware GmbH",
        domain_prefix="litwarede",
        country="DE",
        indirect_reseller_id=reseller.pk,
    )
    assert created.admin.is_global_admin
    assert selectors.customer_of_user(created.admin) == created.customer
    assert {
        (r.role, r.admin_access, r.bills_customer) for r in selectors.customer_partners(created.customer)
    } == {
        ("indirect_provider", True, True),
        ("indirect_reseller", True, False),
    }


def test_a_tenant_that_is_no_customer_has_no_partners(admin):
    assert selectors.customer_of_user(admin) is None
    assert not selectors.customer_partners(None).exists()
    with pytest.raises(NotFound):
        selectors.customer_partner_of(admin, admin.tenant_id)


def test_another_customers_or_a_partners_relationship_is_not_found(customer, reseller, reseller_admin):
    other = make_customer_admin("tailspinde.onmicrosoft.com", name="Tailspin GmbH")
    with pytest.raises(NotFound):
        selectors.customer_partner_of(other, reseller.pk)
    with pytest.raises(NotFound):
        selectors.customer_partner_of(reseller_admin, reseller.pk)


# --- Removing a partner's administrator access ------------------------------------------------------


@pytest.mark.time_machine(NOW, tick=False)
def test_the_customer_removes_a_partners_admin_access_and_keeps_it(
    customer, customer_admin, reseller, committed
):
    relationship = of(customer, reseller)
    before = Event.objects.count()
    with committed():
        changed = customer_relationship_remove_admin_access(
            actor=customer_admin, relationship=relationship, confirm=True
        )
        assert not mail.outbox  # the email waits for the commit
    assert (changed.state, changed.admin_access, changed.admin_access_removed_at) == ("active", False, NOW)
    relationship.refresh_from_db()
    assert (relationship.state, relationship.admin_access, relationship.role) == (
        "active",
        False,
        "indirect_reseller",
    )
    # Exactly one audit row, in the customer's history.
    assert Event.objects.count() == before + 1
    event = Event.objects.latest("id")
    assert (event.kind, event.tenant_id, event.actor_id) == (
        "customer_admin_access_removed",
        customer.tenant_id,
        customer_admin.pk,
    )
    assert event.sentence == (
        "Contoso GmbH removed the administrator access of Fabrikam Cloud GmbH (Indirect reseller) to "
        "contosode.onmicrosoft.com."
    )
    # One email to the partner's primary contact.
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["jonas@fabrikam.test"], "Contoso GmbH removed your administrator access")
    ]
    assert "You remain a reseller of record of Contoso GmbH" in mail.outbox[0].body
    # The reseller still has the customer.
    assert list(selectors.customers_for(reseller)) == [customer]


def test_removing_twice_is_a_conflict_and_changes_nothing(customer, customer_admin, reseller, provider):
    customer_relationship_remove_admin_access(
        actor=customer_admin, relationship=of(customer, reseller), confirm=True
    )
    rows, emails = Event.objects.count(), Notification.objects.count()
    with pytest.raises(InvalidTransition, match="no administrator access"):
        customer_relationship_remove_admin_access(
            actor=customer_admin, relationship=of(customer, reseller), confirm=True
        )
    # The provider never had it.
    with pytest.raises(InvalidTransition, match="no administrator access"):
        customer_relationship_remove_admin_access(
            actor=customer_admin, relationship=of(customer, provider), confirm=True
        )
    assert (Event.objects.count(), Notification.objects.count()) == (rows, emails)


@pytest.mark.parametrize(
    "service", [customer_relationship_remove_admin_access, customer_relationship_end], ids=["remove", "end"]
)
def test_nothing_changes_without_the_confirmation(service, customer, customer_admin, reseller):
    rows, emails = Event.objects.count(), Notification.objects.count()
    for confirm in (False, None, "yes", 1):
        with pytest.raises(InvalidInput) as caught:
            service(actor=customer_admin, relationship=of(customer, reseller), confirm=confirm)
        assert list(caught.value.errors) == ["confirm"]
    relationship = of(customer, reseller)
    assert (relationship.state, relationship.admin_access) == ("active", True)
    assert (Event.objects.count(), Notification.objects.count()) == (rows, emails)


@pytest.mark.parametrize(
    "service", [customer_relationship_remove_admin_access, customer_relationship_end], ids=["remove", "end"]
)
def test_only_that_customers_global_admin_may(service, customer, customer_admin, reseller, reseller_admin):
    sales = UserFactory(
        tenant=customer.tenant, email="sales@contosode.onmicrosoft.com", roles=[Role.SALES_AGENT.value]
    )
    agent = UserFactory(
        tenant=customer.tenant, email="agent@contosode.onmicrosoft.com", roles=[Role.ADMIN_AGENT.value]
    )
    other_customer = make_customer_admin("tailspinde.onmicrosoft.com", name="Tailspin GmbH")
    rows, emails = Event.objects.count(), Notification.objects.count()
    for actor in (sales, agent, other_customer, reseller_admin, user_of(reseller, role=Role.ADMIN_AGENT)):
        with pytest.raises(NotPermitted):
            service(actor=actor, relationship=of(customer, reseller), confirm=True)
    relationship = of(customer, reseller)
    assert (relationship.state, relationship.admin_access) == ("active", True)
    assert (Event.objects.count(), Notification.objects.count()) == (rows, emails)


# --- Ending the relationship ------------------------------------------------------------------------


@pytest.mark.time_machine(NOW, tick=False)
def test_the_customer_ends_a_relationship(customer, customer_admin, reseller, provider, committed):
    before = Event.objects.count()
    with committed():
        ended = customer_relationship_end(
            actor=customer_admin, relationship=of(customer, reseller), confirm=True
        )
    assert (ended.state, ended.ended_at, ended.admin_access, ended.admin_access_removed_at) == (
        "terminated",
        NOW,
        False,
        NOW,
    )
    assert Event.objects.count() == before + 1
    event = Event.objects.latest("id")
    assert (event.kind, event.from_state, event.to_state, event.tenant_id) == (
        "customer_relationship_ended",
        "active",
        "terminated",
        customer.tenant_id,
    )
    assert event.data["admin_access_removed"] is True
    assert (
        event.sentence == "Contoso GmbH ended its relationship with Fabrikam Cloud GmbH (Indirect reseller)."
    )
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["jonas@fabrikam.test"], "Contoso GmbH ended its relationship with you")
    ]
    assert "You are no longer a reseller of record of Contoso GmbH" in mail.outbox[0].body
    # The reseller no longer has the customer; the provider keeps its own relationship.
    assert not selectors.customers_for(reseller).exists()
    with pytest.raises(NotFound):
        selectors.customer_for(reseller, customer.pk)
    assert of(customer, provider).state == "active"
    assert list(selectors.customers_for(provider)) == [customer]
    # The customer still sees it, ended, after its active partners.
    assert [(r.partner, r.state) for r in selectors.customer_partners(customer)] == [
        (provider, "active"),
        (reseller, "terminated"),
    ]


def test_an_ended_relationship_cannot_be_ended_or_changed_again(customer, customer_admin, reseller):
    customer_relationship_end(actor=customer_admin, relationship=of(customer, reseller), confirm=True)
    rows, emails = Event.objects.count(), Notification.objects.count()
    for service in (customer_relationship_end, customer_relationship_remove_admin_access):
        with pytest.raises(InvalidTransition, match="already ended"):
            service(actor=customer_admin, relationship=of(customer, reseller), confirm=True)
    assert (Event.objects.count(), Notification.objects.count()) == (rows, emails)


def test_a_provider_whose_relationship_ended_no_longer_orders_or_bills(
    customer, customer_admin, provider, provider_admin, reseller
):
    customer_relationship_end(actor=customer_admin, relationship=of(customer, provider), confirm=True)
    assert not of(customer, provider).bills_customer
    with pytest.raises(NotFound):
        order_place(actor=provider_admin, customer=customer, lines=[line(sold(provider))])
    # The reseller's customer has no provider billing it any more.
    assert selectors.customer_for(reseller, customer.pk).billed_by is None


def test_an_ended_relationship_does_not_count_for_the_csp_to_csp_rule(
    customer, customer_admin, reseller, provider
):
    assert selectors.csp_partners_of_tenant(customer.tenant) == [provider, reseller]
    customer_relationship_end(actor=customer_admin, relationship=of(customer, reseller), confirm=True)
    assert selectors.csp_partners_of_tenant(customer.tenant) == [provider]


@pytest.mark.time_machine(NOW, tick=False)
def test_a_new_authorization_renews_an_ended_relationship(
    customer, customer_admin, reseller, reseller_admin, provider, time_machine
):
    customer_relationship_end(actor=customer_admin, relationship=of(customer, reseller), confirm=True)
    time_machine.shift(timedelta(days=2))
    token = customer_token(invite_customer(reseller_admin, provider))
    invitation = customer_invitation_accept(actor=customer_admin, token=token)
    renewed = of(customer, reseller)
    assert (renewed.state, renewed.ended_at, renewed.admin_access, renewed.admin_access_removed_at) == (
        "active",
        None,
        True,
        None,
    )
    assert renewed.established_at == NOW + timedelta(days=2)
    assert list(selectors.customers_for(reseller)) == [customer]
    event = Event.objects.of(invitation).latest("id")
    assert [r["role_before"] for r in event.data["relationships"]] == ["", "indirect_provider"]


# --- Two at once --------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("service", "kind"),
    [
        (customer_relationship_end, "customer_relationship_ended"),
        (customer_relationship_remove_admin_access, "customer_admin_access_removed"),
    ],
    ids=["end", "remove"],
)
def test_the_same_change_twice_at_once_lands_once(service, kind):
    """Two threads, two PostgreSQL connections: the customer's admin presses the button in
    two tabs at the same moment. The lock serializes them: one lands, the other finds the
    new state (409); one audit row, one email."""
    assert connection.vendor == "postgresql"
    provider = make_provider()
    reseller = make_reseller(provider)
    reseller_admin = user_of(reseller)
    for n in range(3):
        customer_admin = make_customer_admin(f"race{n}.onmicrosoft.com", name=f"Race {n} GmbH")
        relationship = of(authorize_customer(customer_admin, reseller_admin, provider), reseller)
        barrier = threading.Barrier(2)
        outcomes = []

        def act(barrier=barrier, outcomes=outcomes, actor=customer_admin, relationship=relationship):
            from django.db import connection as thread_connection

            try:
                barrier.wait()
                service(actor=actor, relationship=relationship, confirm=True)
                outcomes.append("landed")
            except InvalidTransition:
                outcomes.append("409")
            finally:
                thread_connection.close()

        threads = [threading.Thread(target=act) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert sorted(outcomes) == ["409", "landed"], outcomes
        assert Event.objects.of(relationship).filter(kind=kind).count() == 1
        emails = Notification.objects.filter(
            idempotency_key__startswith=f"customer-relationship:{relationship.pk}:"
        )
        assert emails.count() == 1
