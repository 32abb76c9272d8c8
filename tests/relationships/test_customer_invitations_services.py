"""Customer invitations at the service level: the reseller's link and draft email, the
customer's global admin authorizing the reseller and its provider at once, the link working
once, and the CSP-to-CSP restriction (DOMAIN.md "Providers and resellers", "The CSP-to-CSP
restriction")."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from partnercenter.accounts.models import Role, Tenant, User
from partnercenter.audit.models import Event
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
)
from relationships.services.customer_invitations import customer_invitation_accept, customer_invitation_create
from tests.cast import (
    customer_token,
    direct_customer,
    events_of,
    invite_customer,
    make_customer_admin,
    make_provider,
    make_reseller,
    user_of,
)
from tests.factories import EnrollmentFactory, PartnerFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db


def counts() -> tuple:
    return (
        Tenant.objects.count(),
        User.objects.count(),
        Customer.objects.count(),
        CustomerRelationship.objects.count(),
    )


# --- Customer invitations ---------------------------------------------------------------------------


def test_the_reseller_gets_a_personal_link_and_a_draft_email(
    reseller, reseller_admin, provider, relationship
):
    created = invite_customer(reseller_admin, provider)
    invitation = created.invitation
    assert created.link.startswith("http://testserver/customer-invitations/")
    token = customer_token(created)
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
    [event] = events_of(invitation)
    assert (event.kind, event.object_type, event.actor, event.tenant) == (
        "customer_invitation_created",
        "relationships.customerinvitation",
        reseller_admin,
        reseller.tenant,
    )
    assert (event.from_state, event.to_state) == ("", "sent")
    assert event.data == {"provider": "Contoso Distribution GmbH", "reseller": "Fabrikam Cloud GmbH"}


def test_the_draft_names_companies_as_written(provider, reseller_admin, reseller, relationship):
    type(reseller).objects.filter(pk=reseller.pk).update(legal_name="Smith & O'Brien Ltd")
    created = invite_customer(reseller_admin, provider)
    assert "Smith & O'Brien Ltd" in created.body and "Smith & O'Brien Ltd" in created.subject


def test_the_draft_is_in_the_resellers_language(provider, reseller, reseller_admin, relationship):
    type(reseller).objects.filter(pk=reseller.pk).update(language="ru")
    created = invite_customer(reseller_admin, provider)
    # The program's role names are translated already ("Indirect reseller", "Indirect provider").
    assert "Непрямой торговый посредник" in created.body and "Непрямой поставщик" in created.body
    assert "Indirect reseller" not in created.body


def test_each_invitation_has_its_own_link(provider, reseller_admin, relationship):
    first, second = invite_customer(reseller_admin, provider), invite_customer(reseller_admin, provider)
    assert first.link != second.link
    assert CustomerInvitation.objects.count() == 2


def test_the_provider_must_have_an_active_relationship_with_the_reseller(
    provider, reseller, reseller_admin, relationship
):
    stranger = make_provider()
    for provider_id in (stranger.pk, reseller.pk, "nope"):
        with pytest.raises(InvalidInput) as exc:
            customer_invitation_create(actor=reseller_admin, provider_id=provider_id)
        assert list(exc.value.errors) == ["provider_id"]
    ProviderResellerRelationship.objects.update(state="terminated")
    with pytest.raises(InvalidInput):
        invite_customer(reseller_admin, provider)
    assert not CustomerInvitation.objects.exists()


def test_a_provider_no_longer_authorized_takes_no_invitations(provider, reseller_admin, relationship):
    IndirectProvider.objects.filter(partner=provider).update(authorized=False)
    with pytest.raises(InvalidInput):
        invite_customer(reseller_admin, provider)


def test_only_admins_of_an_active_partner_invite(provider, reseller, relationship):
    with pytest.raises(NotPermitted):
        invite_customer(user_of(reseller, role=Role.SALES_AGENT), provider)
    reseller.enrollments.update(status="withdrawn")
    with pytest.raises(NotPermitted):
        invite_customer(user_of(reseller), provider)


# --- The customer authorizes both -------------------------------------------------------------------


def test_the_customer_authorizes_the_reseller_and_the_provider_at_once(
    provider, reseller, reseller_admin, customer_admin, committed, relationship
):
    token = customer_token(invite_customer(reseller_admin, provider))
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
    # One audit row: on the invitation, in the reseller's history, naming both authorizations.
    [event] = Event.objects.filter(actor=customer_admin)
    assert event == events_of(invitation).last()
    assert (event.kind, event.tenant, event.from_state, event.to_state) == (
        "customer_invitation_accepted",
        reseller.tenant,
        "sent",
        "accepted",
    )
    assert event.data == {
        "customer_id": str(customer.pk),
        "customer": "Contoso GmbH",
        "domain": "contosode.onmicrosoft.com",
        "relationships": [
            {
                "partner_id": str(reseller.pk),
                "partner": reseller.legal_name,
                "role": "indirect_reseller",
                "role_before": "",
            },
            {
                "partner_id": str(provider.pk),
                "partner": provider.legal_name,
                "role": "indirect_provider",
                "role_before": "",
            },
        ],
    }
    assert not events_of(customer).exists()  # the customer's own history starts when it is created
    # The reseller is emailed once, after commit.
    assert [m.to for m in mail.outbox] == [["jonas@fabrikam.test"]]
    assert "Contoso GmbH" in mail.outbox[0].subject
    assert "Contoso Distribution GmbH" in mail.outbox[0].body
    assert "http://testserver/customers/" in mail.outbox[0].body


def test_the_email_waits_for_the_commit(
    provider, reseller_admin, customer_admin, django_capture_on_commit_callbacks, relationship
):
    token = customer_token(invite_customer(reseller_admin, provider))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        customer_invitation_accept(actor=customer_admin, token=token)
    assert mail.outbox == [] and len(callbacks) == 1


def test_a_link_works_once(provider, reseller_admin, customer_admin, committed, relationship):
    token = customer_token(invite_customer(reseller_admin, provider))
    with committed():
        customer_invitation_accept(actor=customer_admin, token=token)
    other = make_customer_admin("tailspinde.onmicrosoft.com")
    before = (counts(), Event.objects.count())
    for actor in (customer_admin, other):
        with committed(), pytest.raises(InvalidTransition) as exc:
            customer_invitation_accept(actor=actor, token=token)
        assert exc.value.status == "accepted"
        assert "already used" in str(exc.value.message)
    assert (counts(), Event.objects.count()) == before
    assert len(mail.outbox) == 1


def test_an_expired_link_is_refused(provider, reseller_admin, customer_admin, relationship):
    created = invite_customer(reseller_admin, provider)
    CustomerInvitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(InvalidTransition) as exc:
        customer_invitation_accept(actor=customer_admin, token=customer_token(created))
    assert exc.value.status == "expired"
    assert not Customer.objects.exists()
    assert CustomerInvitation.objects.get().status == "sent"


def test_a_revoked_link_is_refused(provider, reseller_admin, customer_admin, relationship):
    created = invite_customer(reseller_admin, provider)
    CustomerInvitation.objects.update(status=InvitationStatus.REVOKED)
    with pytest.raises(InvalidTransition) as exc:
        customer_invitation_accept(actor=customer_admin, token=customer_token(created))
    assert exc.value.status == "revoked"


@pytest.mark.parametrize("token", ["", "unknown-token", None, 42])
def test_an_unknown_token_is_bad_input(provider, reseller_admin, customer_admin, token, relationship):
    invite_customer(reseller_admin, provider)
    with pytest.raises(InvalidInput) as exc:
        customer_invitation_accept(actor=customer_admin, token=token)
    assert list(exc.value.errors) == ["token"]


@pytest.mark.parametrize("roles", [(Role.ADMIN_AGENT,), (Role.SALES_AGENT,), ()])
def test_only_the_customers_global_admin_authorizes(provider, reseller_admin, roles, relationship):
    token = customer_token(invite_customer(reseller_admin, provider))
    actor = make_customer_admin(roles=roles)
    with pytest.raises(NotPermitted):
        customer_invitation_accept(actor=actor, token=token)
    assert not Customer.objects.exists()
    assert CustomerInvitation.objects.get().status == "sent"


def test_staff_without_a_tenant_cannot_authorize(provider, reseller_admin, staff, relationship):
    with pytest.raises(NotPermitted):
        customer_invitation_accept(
            actor=staff, token=customer_token(invite_customer(reseller_admin, provider))
        )


def test_the_link_fails_once_the_reseller_left_the_provider(
    provider, reseller, reseller_admin, customer_admin, relationship
):
    token = customer_token(invite_customer(reseller_admin, provider))
    ProviderResellerRelationship.objects.update(state="terminated")
    with pytest.raises(InvalidTransition) as exc:
        customer_invitation_accept(actor=customer_admin, token=token)
    assert "no longer works with" in str(exc.value.message)
    assert not Customer.objects.exists()


def test_an_existing_customer_keeps_its_other_partners(
    provider, reseller, reseller_admin, customer_admin, direct, relationship
):
    customer = direct_customer(direct, tenant=customer_admin.tenant)
    customer_invitation_accept(
        actor=customer_admin, token=customer_token(invite_customer(reseller_admin, provider))
    )
    assert Customer.objects.get() == customer
    assert {r.partner_id: r.role for r in customer.relationships.all()} == {
        direct.pk: "direct_bill_partner",
        reseller.pk: "indirect_reseller",
        provider.pk: "indirect_provider",
    }


def test_the_latest_authorization_sets_the_providers_reseller(
    provider, reseller, reseller_admin, customer_admin, relationship
):
    # The customer was the provider's own direct customer; now it comes through the reseller.
    customer = direct_customer(provider, role="indirect_provider", tenant=customer_admin.tenant)
    customer_invitation_accept(
        actor=customer_admin, token=customer_token(invite_customer(reseller_admin, provider))
    )
    own = customer.relationships.get(partner=provider)
    assert (own.role, own.via_reseller) == ("indirect_provider", reseller)
    # The one row says the provider had the role already, and the reseller is new.
    event = Event.objects.get(kind="customer_invitation_accepted")
    assert [(r["partner_id"], r["role_before"], r["role"]) for r in event.data["relationships"]] == [
        (str(reseller.pk), "", "indirect_reseller"),
        (str(provider.pk), "indirect_provider", "indirect_provider"),
    ]


@pytest.mark.django_db(transaction=True)
def test_two_acceptances_at_once_make_one_set_of_relationships():
    """Two threads, two PostgreSQL connections, the same link at the same moment."""
    assert connection.vendor == "postgresql"
    provider = make_provider()
    reseller = make_reseller(provider)
    reseller_admin = user_of(reseller)
    admins = [make_customer_admin("racea.onmicrosoft.com"), make_customer_admin("raceb.onmicrosoft.com")]
    for _round in range(5):
        token = customer_token(invite_customer(reseller_admin, provider))
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
        assert events_of(invitation, "customer_invitation_accepted").count() == 1
        assert (
            Notification.objects.filter(
                idempotency_key=f"customer-invitation:{invitation.pk}:accepted"
            ).count()
            == 1
        )
        # The next round starts with neither tenant a customer.
        Customer.objects.all().delete()


# --- The CSP-to-CSP restriction ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "status", ["pending_email_verification", "in_review", "action_needed", "approved", "active"]
)
def test_a_csp_transaction_tenant_cannot_authorize_another_csp_partner(
    provider, reseller_admin, status, relationship
):
    csp = PartnerFactory(legal_name="Tailspin Toys GmbH")
    EnrollmentFactory(partner=csp, status=status)
    actor = user_of(csp)
    token = customer_token(invite_customer(reseller_admin, provider))
    rows = Event.objects.count()
    with pytest.raises(NotPermitted) as exc:
        customer_invitation_accept(actor=actor, token=token)
    message = str(exc.value.message)
    assert "CSP transaction tenant of Tailspin Toys GmbH" in message
    assert "different, non-CSP tenant" in message
    assert "Fabrikam Cloud GmbH" in message and "Contoso Distribution GmbH" in message
    # Nothing changes.
    assert not Customer.objects.exists()
    assert CustomerInvitation.objects.get().status == "sent"
    assert Event.objects.count() == rows


def test_the_partners_themselves_cannot_become_their_own_customer(
    provider, provider_admin, reseller_admin, relationship
):
    with pytest.raises(NotPermitted):
        customer_invitation_accept(
            actor=reseller_admin, token=customer_token(invite_customer(reseller_admin, provider))
        )
    with pytest.raises(NotPermitted):
        customer_invitation_accept(
            actor=provider_admin, token=customer_token(invite_customer(reseller_admin, provider))
        )


def test_the_companys_other_non_csp_tenant_can(provider, reseller, reseller_admin, relationship):
    csp = PartnerFactory(legal_name="Tailspin Toys GmbH", tenant__domain="tailspin.onmicrosoft.com")
    EnrollmentFactory(partner=csp, status="active")
    # The same company's second tenant, for its own use: no partner on it.
    own_use = TenantFactory(name="Tailspin Toys GmbH", domain="tailspinoffice.onmicrosoft.com")
    actor = UserFactory(tenant=own_use, roles=["global_admin"])
    customer_invitation_accept(actor=actor, token=customer_token(invite_customer(reseller_admin, provider)))
    assert Customer.objects.get().tenant == own_use
    assert CustomerRelationship.objects.filter(customer__tenant=own_use).count() == 2


@pytest.mark.parametrize("status", ["rejected", "withdrawn", "expired"])
def test_a_tenant_whose_enrollments_all_ended_is_no_csp_tenant(
    provider, reseller_admin, status, relationship
):
    former = PartnerFactory()
    EnrollmentFactory(partner=former, status=status)
    customer_invitation_accept(
        actor=user_of(former), token=customer_token(invite_customer(reseller_admin, provider))
    )
    assert Customer.objects.get().tenant == former.tenant
