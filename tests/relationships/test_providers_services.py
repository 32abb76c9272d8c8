"""The provider and reseller services: rights, state, event rows, emails, races and the
sweep (DOMAIN.md "Providers and resellers", "Customers, tenants and admin access")."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from partnercenter.core.errors import InvalidInput, InvalidTransition, NotPermitted
from partnercenter.notifications.delivery import render
from partnercenter.notifications.models import Notification
from relationships.models import (
    GranularAdminRelationship,
    IndirectProvider,
    ProviderResellerRelationship,
    RelationshipEvent,
    ResellerInvitation,
)
from relationships.services.admin_access import (
    GDAP_TRANSITIONS,
    gdap_approve,
    gdap_propose,
    gdap_terminate,
    relationship_remove_admin_access,
)
from relationships.services.common import hash_token
from relationships.services.providers import provider_authorize, provider_listing_update
from relationships.services.reseller_invitations import (
    reseller_invitation_accept,
    reseller_invitation_check,
    reseller_invitation_resend,
    reseller_invitation_revoke,
    reseller_invitation_send,
)
from relationships.tasks import relationships_sweep
from tests.factories import (
    EnrollmentFactory,
    PartnerFactory,
    ProviderResellerRelationshipFactory,
    active_partner,
)

from .providers_cast import invite, make_provider, make_reviewer, token_of, user_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    return make_provider()


@pytest.fixture
def provider_admin(provider):
    return user_of(provider)


@pytest.fixture
def reseller():
    return active_partner(
        legal_name="Fabrikam Reseller GmbH", mpn_id="4820777", contact_email="jonas@fabrikam.de"
    )


@pytest.fixture
def reseller_admin(reseller):
    return user_of(reseller, email="admin@fabrikam.de")


@pytest.fixture
def reviewer():
    return make_reviewer()


def events(obj, kind=None):
    rows = RelationshipEvent.objects.filter(object_type=obj.__class__.__name__, object_id=str(obj.pk))
    return rows.filter(kind=kind) if kind else rows


# --- Rule 1: staff authorize indirect providers ---------------------------------------------------------


class TestProviderAuthorize:
    def test_staff_authorize_an_active_partner(self, reviewer, django_capture_on_commit_callbacks):
        partner = active_partner(legal_name="Northwind Distribution")
        with django_capture_on_commit_callbacks(execute=True):
            provider = provider_authorize(actor=reviewer, partner=partner, authorized=True)
        assert provider.authorized and provider.authorized_by == reviewer
        assert IndirectProvider.objects.get(partner=partner) == provider
        event = events(provider, "provider_authorized").get()
        assert (event.actor, event.to_state) == (reviewer, "authorized")
        assert [m.to for m in mail.outbox] == [[partner.contact_email]]

    def test_only_staff_with_the_review_permission(self, provider_admin, staff):
        partner = active_partner()
        for actor in (provider_admin, staff):
            with pytest.raises(NotPermitted):
                provider_authorize(actor=actor, partner=partner, authorized=True)
        assert not IndirectProvider.objects.filter(partner=partner).exists()

    def test_a_partner_without_an_active_enrollment_is_409(self, reviewer):
        partner = PartnerFactory()
        EnrollmentFactory(partner=partner, status="approved")
        with pytest.raises(InvalidTransition) as caught:
            provider_authorize(actor=reviewer, partner=partner, authorized=True)
        assert caught.value.status == "approved"
        assert not IndirectProvider.objects.filter(partner=partner).exists()
        with pytest.raises(InvalidTransition) as caught:
            provider_authorize(actor=reviewer, partner=PartnerFactory(), authorized=True)
        assert caught.value.status == "none"

    def test_false_withdraws_and_true_authorizes_the_same_row_again(self, reviewer, provider):
        listing = provider.indirect_provider
        provider_authorize(actor=reviewer, partner=provider, authorized=False)
        listing.refresh_from_db()
        assert not listing.authorized
        assert events(listing, "provider_withdrawn").count() == 1
        # Withdrawing again changes nothing.
        provider_authorize(actor=reviewer, partner=provider, authorized=False)
        assert events(listing, "provider_withdrawn").count() == 1
        provider_authorize(actor=reviewer, partner=provider, authorized=True)
        listing.refresh_from_db()
        assert listing.authorized and listing.authorized_by == reviewer
        assert IndirectProvider.objects.filter(partner=provider).count() == 1
        assert events(listing, "provider_authorized").get().from_state == "withdrawn"

    def test_authorized_must_be_a_boolean(self, reviewer, provider):
        with pytest.raises(InvalidInput) as caught:
            provider_authorize(actor=reviewer, partner=provider, authorized="yes")
        assert "authorized" in caught.value.errors


# --- Rule 2: the listing ----------------------------------------------------------------------------------


class TestListing:
    def test_global_admin_and_admin_agent_edit_the_listing(self, provider, provider_admin):
        agent = user_of(provider, role="admin_agent")
        provider_listing_update(
            actor=provider_admin,
            data={"countries": ["de", "AT", "DE"], "offers": ["financing", "technical_training"]},
        )
        provider_listing_update(
            actor=agent,
            data={"description": "  Training and credit for resellers.  ", "website": "https://c.example"},
        )
        listing = IndirectProvider.objects.get(partner=provider)
        assert listing.countries == ["DE", "AT"]
        assert listing.offers == ["technical_training", "financing"]
        assert listing.description == "Training and credit for resellers."
        assert listing.website == "https://c.example"
        assert events(listing, "provider_listing_updated").count() == 2

    def test_who_may_not(self, provider, provider_admin, reseller_admin, reviewer):
        for actor in (user_of(provider, role="sales_agent"), reseller_admin):
            with pytest.raises(NotPermitted):
                provider_listing_update(actor=actor, data={"description": "x"})
        provider_authorize(actor=reviewer, partner=provider, authorized=False)
        with pytest.raises(NotPermitted):
            provider_listing_update(actor=provider_admin, data={"description": "x"})

    def test_a_partner_whose_enrollment_is_not_active_may_not_act(self, provider, provider_admin):
        provider.enrollments.update(status="withdrawn")
        with pytest.raises(NotPermitted):
            provider_listing_update(actor=provider_admin, data={"description": "x"})

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"countries": ["XX"]}, "countries"),
            ({"countries": "DE"}, "countries"),
            ({"offers": ["free_lunch"]}, "offers"),
            ({"description": "x" * 2001}, "description"),
            ({"website": "not a url"}, "website"),
        ],
    )
    def test_bad_input_field_by_field(self, provider_admin, data, field):
        with pytest.raises(InvalidInput) as caught:
            provider_listing_update(actor=provider_admin, data=data)
        assert list(caught.value.errors) == [field]

    def test_description_of_2000_characters_is_fine(self, provider, provider_admin):
        provider_listing_update(actor=provider_admin, data={"description": "x" * 2000})
        assert len(IndirectProvider.objects.get(partner=provider).description) == 2000


# --- Rule 3: reseller invitations ---------------------------------------------------------------------------


class TestInvitationSend:
    def test_by_email(self, provider, provider_admin, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = reseller_invitation_send(
                actor=provider_admin, email="Owner@Reseller.example", message="Welcome aboard."
            )
        assert invitation.status == "sent" and invitation.email == "owner@reseller.example"
        assert invitation.expires_at == invitation.sent_at + timedelta(days=settings.INVITATION_TTL_DAYS)
        [message] = mail.outbox
        assert message.to == ["owner@reseller.example"]
        assert provider.legal_name in message.subject
        assert "Welcome aboard." in message.body
        token = token_of(invitation)
        assert f"{settings.SITE_URL}/reseller-invitations/{token}/" in message.body
        # Only the token's hash is stored; the token is long and random.
        assert len(token) >= 40 and token not in invitation.token_hash
        assert hash_token(token) == invitation.token_hash
        assert events(invitation, "reseller_invitation_sent").get().actor == provider_admin

    def test_by_mpn_id_goes_to_the_primary_contact(
        self, provider_admin, reseller, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = reseller_invitation_send(actor=provider_admin, mpn_id=reseller.mpn_id)
        assert invitation.mpn_id == reseller.mpn_id and invitation.email == ""
        assert [m.to for m in mail.outbox] == [[reseller.contact_email]]

    def test_an_unknown_mpn_id_is_400(self, provider_admin):
        with pytest.raises(InvalidInput) as caught:
            reseller_invitation_send(actor=provider_admin, mpn_id="9999999")
        assert list(caught.value.errors) == ["mpn_id"]

    @pytest.mark.parametrize("data", [{}, {"email": "a@b.example", "mpn_id": "4820777"}, {"email": " "}])
    def test_exactly_one_of_email_and_mpn_id(self, provider_admin, reseller, data):
        with pytest.raises(InvalidInput) as caught:
            reseller_invitation_send(actor=provider_admin, **data)
        assert list(caught.value.errors) == ["non_field_errors"]
        assert not ResellerInvitation.objects.exists()

    def test_not_yourself(self, provider, provider_admin):
        colleague = user_of(provider, role="sales_agent", email="sam@contoso-distribution.example")
        for data, field in (
            ({"email": colleague.email.upper()}, "email"),
            ({"email": provider.contact_email}, "email"),
            ({"mpn_id": provider.mpn_id}, "mpn_id"),
        ):
            with pytest.raises(InvalidInput) as caught:
                reseller_invitation_send(actor=provider_admin, **data)
            assert list(caught.value.errors) == [field]

    def test_not_a_reseller_already_in_an_active_relationship(
        self, provider, provider_admin, reseller, reseller_admin
    ):
        relationship = ProviderResellerRelationshipFactory(provider=provider, reseller=reseller)
        for data, field in (
            ({"mpn_id": reseller.mpn_id}, "mpn_id"),
            ({"email": reseller.contact_email}, "email"),
            ({"email": reseller_admin.email}, "email"),
        ):
            with pytest.raises(InvalidInput) as caught:
                reseller_invitation_send(actor=provider_admin, **data)
            assert list(caught.value.errors) == [field]
        relationship.state = "terminated"
        relationship.save()
        assert (
            reseller_invitation_send(actor=provider_admin, mpn_id=reseller.mpn_id).status == "sent"
        )

    def test_message_of_at_most_1000_characters(self, provider_admin):
        with pytest.raises(InvalidInput) as caught:
            reseller_invitation_send(actor=provider_admin, email="a@b.example", message="x" * 1001)
        assert list(caught.value.errors) == ["message"]
        reseller_invitation_send(actor=provider_admin, email="a@b.example", message="x" * 1000)

    def test_only_an_authorized_active_providers_admins(
        self, provider, provider_admin, reseller_admin, reviewer
    ):
        agent = user_of(provider, role="admin_agent")
        assert reseller_invitation_send(actor=agent, email="a@b.example").status == "sent"
        for actor in (user_of(provider, role="sales_agent"), reseller_admin):  # not a provider
            with pytest.raises(NotPermitted):
                reseller_invitation_send(actor=actor, email="c@d.example")
        provider_authorize(actor=reviewer, partner=provider, authorized=False)
        with pytest.raises(NotPermitted):
            reseller_invitation_send(actor=provider_admin, email="c@d.example")


class TestResendRevokeExpire:
    def test_resend_replaces_the_link_and_the_expiry(self, provider_admin, reseller_admin):
        with time_machine.travel(timezone.now() - timedelta(days=10), tick=False):
            invitation, old_token = invite(provider_admin, email=reseller_admin.email)
        old_expiry = invitation.expires_at
        reseller_invitation_resend(actor=provider_admin, invitation=invitation)
        invitation.refresh_from_db()
        new_token = token_of(invitation)
        assert new_token != old_token and invitation.status == "sent"
        assert invitation.expires_at > old_expiry + timedelta(days=9)
        assert events(invitation, "reseller_invitation_resent").count() == 1
        with pytest.raises(InvalidInput) as caught:  # the old link stops working
            reseller_invitation_accept(actor=reseller_admin, token=old_token, authorize=True)
        assert list(caught.value.errors) == ["token"]
        reseller_invitation_accept(actor=reseller_admin, token=new_token, authorize=True)

    def test_revoke_then_the_link_is_409(self, provider_admin, reseller_admin):
        invitation, token = invite(provider_admin, email=reseller_admin.email)
        reseller_invitation_revoke(actor=provider_admin, invitation=invitation)
        with pytest.raises(InvalidTransition) as caught:
            reseller_invitation_accept(actor=reseller_admin, token=token, authorize=True)
        assert caught.value.status == "revoked"
        for call in (reseller_invitation_resend, reseller_invitation_revoke):
            with pytest.raises(InvalidTransition):
                call(actor=provider_admin, invitation=invitation)
        assert not ProviderResellerRelationship.objects.exists()

    def test_only_the_sending_provider_resends_or_revokes(self, provider_admin, reseller_admin):
        invitation, _token = invite(provider_admin, email=reseller_admin.email)
        other_admin = user_of(make_provider("Other Distribution"))
        for actor in (reseller_admin, other_admin, user_of(invitation.provider, role="sales_agent")):
            with pytest.raises(NotPermitted):
                reseller_invitation_revoke(actor=actor, invitation=invitation)
        invitation.refresh_from_db()
        assert invitation.status == "sent"

    def test_the_sweep_expires_invitations_once(self, provider_admin, reseller_admin):
        invitation, token = invite(provider_admin, email=reseller_admin.email)
        fresh, _ = invite(provider_admin, email="later@reseller.example")
        later = timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS, minutes=1)
        fresh.expires_at = later + timedelta(days=1)
        fresh.save()
        with time_machine.travel(later, tick=False):
            # Past expiry the link is 409 before the sweep runs, too.
            with pytest.raises(InvalidTransition) as caught:
                reseller_invitation_accept(actor=reseller_admin, token=token, authorize=True)
            assert caught.value.status == "expired"
            assert relationships_sweep()["invitations_expired"] == 1
            assert relationships_sweep()["invitations_expired"] == 0
        invitation.refresh_from_db()
        fresh.refresh_from_db()
        assert (invitation.status, fresh.status) == ("expired", "sent")
        assert events(invitation, "reseller_invitation_expired").count() == 1
        with pytest.raises(InvalidTransition):
            reseller_invitation_resend(actor=provider_admin, invitation=invitation)


# --- Rule 4: accepting ------------------------------------------------------------------------------------------


class TestAccept:
    def test_accept_creates_the_relationship_and_emails_the_provider_once(
        self, provider, provider_admin, reseller, reseller_admin, django_capture_on_commit_callbacks
    ):
        invitation, token = invite(provider_admin, email=reseller_admin.email)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            relationship = reseller_invitation_accept(
                actor=reseller_admin, token=token, authorize=True
            )
        assert callbacks  # the email waited for the commit
        assert (relationship.provider, relationship.reseller) == (provider, reseller)
        assert relationship.state == "active" and relationship.admin_access is True
        invitation.refresh_from_db()
        assert (invitation.status, invitation.reseller, invitation.accepted_by) == (
            "accepted",
            reseller,
            reseller_admin,
        )
        assert relationship.invitation == invitation
        assert events(invitation, "reseller_invitation_accepted").get().to_state == "accepted"
        authorized = events(relationship, "reseller_authorized_provider").get()
        assert (authorized.actor, authorized.partner, authorized.to_state) == (
            reseller_admin,
            reseller,
            "active",
        )
        assert [m.to for m in mail.outbox] == [[provider.contact_email]]
        assert reseller.legal_name in mail.outbox[0].subject

    def test_an_admin_agent_may_accept_through_the_primary_contact_email(self, provider_admin, reseller):
        agent = user_of(reseller, role="admin_agent", email="agent@fabrikam.de")
        _invitation, token = invite(provider_admin, email=reseller.contact_email)
        assert (
            reseller_invitation_accept(actor=agent, token=token, authorize=True).reseller == reseller
        )

    def test_an_mpn_id_invitation_binds_to_that_partner(self, provider_admin, reseller, reseller_admin):
        _invitation, token = invite(provider_admin, mpn_id=reseller.mpn_id)
        stranger = user_of(active_partner(mpn_id="4820999"))
        with pytest.raises(NotPermitted) as caught:
            reseller_invitation_accept(actor=stranger, token=token, authorize=True)
        assert "4820777" in str(caught.value.message)
        assert not ProviderResellerRelationship.objects.exists()
        assert reseller_invitation_accept(actor=reseller_admin, token=token, authorize=True)

    def test_an_email_invitation_binds_to_that_address(self, provider_admin, reseller_admin):
        invitation, token = invite(provider_admin, email="someone.else@elsewhere.example")
        with pytest.raises(NotPermitted) as caught:
            reseller_invitation_accept(actor=reseller_admin, token=token, authorize=True)
        assert "someone.else@elsewhere.example" in str(caught.value.message)
        invitation.refresh_from_db()
        assert invitation.status == "sent" and not ProviderResellerRelationship.objects.exists()

    def test_the_provider_cannot_accept_its_own_invitation(self, provider, provider_admin):
        _invitation, token = invite(provider_admin, email="x@y.example")
        provider.contact_email = "x@y.example"
        provider.save()
        with pytest.raises(NotPermitted):
            reseller_invitation_accept(actor=provider_admin, token=token, authorize=True)

    def test_a_reused_link_is_409(self, provider_admin, reseller_admin):
        _invitation, token = invite(provider_admin, email=reseller_admin.email)
        reseller_invitation_accept(actor=reseller_admin, token=token, authorize=True)
        with pytest.raises(InvalidTransition) as caught:
            reseller_invitation_accept(actor=reseller_admin, token=token, authorize=True)
        assert caught.value.status == "accepted"
        assert ProviderResellerRelationship.objects.count() == 1

    @pytest.mark.parametrize("token", ["", "not-a-token", None, 12])
    def test_an_unknown_token_is_400_on_token(self, reseller_admin, token):
        with pytest.raises(InvalidInput) as caught:
            reseller_invitation_accept(actor=reseller_admin, token=token, authorize=True)
        assert list(caught.value.errors) == ["token"]

    @pytest.mark.parametrize("authorize", [False, None, "true", 1])
    def test_authorize_must_be_true(self, provider_admin, reseller_admin, authorize):
        invitation, token = invite(provider_admin, email=reseller_admin.email)
        with pytest.raises(InvalidInput) as caught:
            reseller_invitation_accept(actor=reseller_admin, token=token, authorize=authorize)
        assert list(caught.value.errors) == ["authorize"]
        invitation.refresh_from_db()
        assert invitation.status == "sent"

    def test_only_an_active_resellers_admins(self, provider_admin, reseller, reseller_admin):
        _invitation, token = invite(provider_admin, mpn_id=reseller.mpn_id)
        with pytest.raises(NotPermitted):
            reseller_invitation_accept(
                actor=user_of(reseller, role="sales_agent"), token=token, authorize=True
            )
        reseller.enrollments.update(status="withdrawn")
        with pytest.raises(NotPermitted):
            reseller_invitation_accept(actor=reseller_admin, token=token, authorize=True)
        assert not ProviderResellerRelationship.objects.exists()

    def test_reactivates_a_terminated_relationship(self, provider, provider_admin, reseller, reseller_admin):
        old = ProviderResellerRelationshipFactory(
            provider=provider, reseller=reseller, state="terminated", admin_access=False
        )
        _invitation, token = invite(provider_admin, mpn_id=reseller.mpn_id)
        relationship = reseller_invitation_accept(actor=reseller_admin, token=token, authorize=True)
        assert relationship.pk == old.pk
        assert (relationship.state, relationship.admin_access) == ("active", True)
        assert events(relationship, "reseller_authorized_provider").get().from_state == "terminated"

    def test_a_withdrawn_provider_cannot_be_authorized(
        self, provider, provider_admin, reseller_admin, reviewer
    ):
        _invitation, token = invite(provider_admin, email=reseller_admin.email)
        provider_authorize(actor=reviewer, partner=provider, authorized=False)
        with pytest.raises(InvalidTransition):
            reseller_invitation_accept(actor=reseller_admin, token=token, authorize=True)


@pytest.mark.django_db(transaction=True)
def test_two_acceptances_at_once_exactly_one_relationship():
    """Two threads, two PostgreSQL connections, one invitation accepted twice at the same moment."""
    assert connection.vendor == "postgresql"
    provider = make_provider()
    provider_admin = user_of(provider)
    reseller = active_partner(mpn_id="4820777")
    first = user_of(reseller, email="first@fabrikam.de")
    second = user_of(reseller, role="admin_agent", email="second@fabrikam.de")
    for _round in range(5):
        _invitation, token = invite(provider_admin, mpn_id=reseller.mpn_id)
        barrier = threading.Barrier(2)
        outcomes = []

        def act(actor, token=token, barrier=barrier, outcomes=outcomes):
            from django.db import connection as thread_connection

            try:
                barrier.wait()
                reseller_invitation_accept(actor=actor, token=token, authorize=True)
                outcomes.append("landed")
            except InvalidTransition as exc:
                outcomes.append(f"409:{exc.status}")
            finally:
                thread_connection.close()

        threads = [threading.Thread(target=act, args=(actor,)) for actor in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert sorted(outcomes) == ["409:accepted", "landed"], outcomes
        relationship = ProviderResellerRelationship.objects.get(provider=provider, reseller=reseller)
        assert (
            RelationshipEvent.objects.filter(
                kind="reseller_authorized_provider", object_id=str(relationship.pk)
            ).count()
            == 1
        )
        relationship.state = "terminated"  # ready for the next round
        relationship.save()
        RelationshipEvent.objects.filter(object_id=str(relationship.pk)).delete()


# --- Rule 6: administrator access and GDAP ------------------------------------------------------------------------


@pytest.fixture
def relationship(provider, reseller):
    return ProviderResellerRelationshipFactory(provider=provider, reseller=reseller)


class TestRemoveAdminAccess:
    def test_the_reseller_removes_it_and_the_relationship_stays(
        self, relationship, provider, reseller_admin, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            relationship_remove_admin_access(actor=reseller_admin, relationship=relationship)
        relationship.refresh_from_db()
        assert (relationship.state, relationship.admin_access) == ("active", False)
        assert relationship.admin_access_removed_at is not None
        assert events(relationship, "admin_access_removed").get().actor == reseller_admin
        assert [m.to for m in mail.outbox] == [[provider.contact_email]]
        with pytest.raises(InvalidTransition) as caught:
            relationship_remove_admin_access(actor=reseller_admin, relationship=relationship)
        assert caught.value.status == "active"

    def test_the_provider_cannot(self, relationship, provider_admin, reseller):
        with pytest.raises(NotPermitted):
            relationship_remove_admin_access(actor=provider_admin, relationship=relationship)
        with pytest.raises(NotPermitted):
            relationship_remove_admin_access(
                actor=user_of(reseller, role="sales_agent"), relationship=relationship
            )
        relationship.refresh_from_db()
        assert relationship.admin_access is True
        assert not events(relationship).exists()


GDAP = {
    "name": "Helpdesk for Fabrikam",
    "roles": ["Helpdesk Administrator", "Global Reader"],
    "duration_days": 90,
}


class TestGranularAdmin:
    def propose(self, actor, relationship, **overrides):
        return gdap_propose(actor=actor, relationship=relationship, **{**GDAP, **overrides})

    def test_propose_approve_terminate(self, relationship, provider_admin, reseller_admin):
        gdap = self.propose(provider_admin, relationship)
        assert gdap.status == "approval_pending"
        assert gdap.roles == ["Global Reader", "Helpdesk Administrator"]
        proposed = events(gdap, "gdap_proposed").get()
        assert (proposed.from_state, proposed.to_state) == ("created", "approval_pending")
        now = timezone.now()
        with time_machine.travel(now, tick=False):
            gdap_approve(actor=reseller_admin, gdap=gdap)
        gdap.refresh_from_db()
        assert gdap.status == "active"
        assert gdap.activated_at == now and gdap.ends_at == now + timedelta(days=90)
        gdap_terminate(actor=provider_admin, gdap=gdap)
        gdap.refresh_from_db()
        assert gdap.status == "termination_requested"
        relationships_sweep()
        gdap.refresh_from_db()
        assert gdap.status == "terminated" and gdap.terminated_at is not None
        assert [e.kind for e in events(gdap)] == [
            "gdap_proposed",
            "gdap_approved",
            "gdap_termination_requested",
            "gdap_terminated",
        ]

    def test_the_reseller_may_terminate_too(self, relationship, provider_admin, reseller_admin):
        gdap = self.propose(provider_admin, relationship)
        gdap_terminate(actor=reseller_admin, gdap=gdap)
        gdap.refresh_from_db()
        assert gdap.status == "termination_requested"

    def test_sides(self, relationship, provider_admin, reseller_admin, reseller):
        with pytest.raises(NotPermitted):
            self.propose(reseller_admin, relationship)
        gdap = self.propose(provider_admin, relationship)
        with pytest.raises(NotPermitted):
            gdap_approve(actor=provider_admin, gdap=gdap)
        with pytest.raises(NotPermitted):
            gdap_approve(actor=user_of(reseller, role="sales_agent"), gdap=gdap)
        outsider = user_of(active_partner())
        with pytest.raises(NotPermitted):
            gdap_terminate(actor=outsider, gdap=gdap)
        gdap.refresh_from_db()
        assert gdap.status == "approval_pending"

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"name": ""}, "name"),
            ({"name": "x" * 51}, "name"),
            ({"roles": []}, "roles"),
            ({"roles": ["Global Administrator"]}, "roles"),
            ({"duration_days": 0}, "duration_days"),
            ({"duration_days": 731}, "duration_days"),
            ({"duration_days": None}, "duration_days"),
            ({"auto_extend": "yes"}, "auto_extend"),
        ],
    )
    def test_bad_input(self, relationship, provider_admin, overrides, field):
        with pytest.raises(InvalidInput) as caught:
            self.propose(provider_admin, relationship, **overrides)
        assert list(caught.value.errors) == [field]
        assert not GranularAdminRelationship.objects.exists()

    def test_bounds_are_allowed(self, relationship, provider_admin):
        assert self.propose(provider_admin, relationship, duration_days=1, name="x" * 50)
        assert self.propose(provider_admin, relationship, duration_days=730)

    def test_illegal_moves_are_409(self, relationship, provider_admin, reseller_admin):
        gdap = self.propose(provider_admin, relationship)
        gdap_approve(actor=reseller_admin, gdap=gdap)
        with pytest.raises(InvalidTransition) as caught:
            gdap_approve(actor=reseller_admin, gdap=gdap)
        assert caught.value.status == "active"
        gdap_terminate(actor=reseller_admin, gdap=gdap)
        with pytest.raises(InvalidTransition) as caught:
            gdap_terminate(actor=reseller_admin, gdap=gdap)
        assert caught.value.status == "termination_requested"

    def test_the_table_declares_every_status(self):
        from relationships.models import GdapStatus

        assert set(GDAP_TRANSITIONS) == set(GdapStatus.values)
        assert GDAP_TRANSITIONS["expired"] == frozenset()
        assert GDAP_TRANSITIONS["terminated"] == frozenset()

    def test_an_ended_relationship_takes_no_proposal(self, relationship, provider_admin):
        relationship.state = "terminated"
        relationship.save()
        with pytest.raises(InvalidTransition):
            self.propose(provider_admin, relationship)

    def test_the_sweep_marks_expiring_then_expired(self, relationship, provider_admin, reseller_admin):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            gdap = self.propose(provider_admin, relationship)
            gdap_approve(actor=reseller_admin, gdap=gdap)
        with time_machine.travel(start + timedelta(days=59), tick=False):
            relationships_sweep()
            gdap.refresh_from_db()
            assert gdap.status == "active"  # 31 days before its end
        with time_machine.travel(start + timedelta(days=61), tick=False):
            relationships_sweep()
            gdap.refresh_from_db()
            assert gdap.status == "expiring"
            relationships_sweep()  # nothing more to do
            assert events(gdap, "gdap_expiring").count() == 1
        with time_machine.travel(start + timedelta(days=90, seconds=1), tick=False):
            relationships_sweep()
            gdap.refresh_from_db()
            assert gdap.status == "expired"
            with pytest.raises(InvalidTransition):
                gdap_terminate(actor=reseller_admin, gdap=gdap)

    def test_auto_extend_adds_180_days(self, relationship, provider_admin, reseller_admin):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            gdap = self.propose(provider_admin, relationship, auto_extend=True, duration_days=10)
            gdap_approve(actor=reseller_admin, gdap=gdap)
        with time_machine.travel(start + timedelta(days=5), tick=False):
            relationships_sweep()
            gdap.refresh_from_db()
            assert gdap.status == "active"  # never "expiring" when it extends itself
        with time_machine.travel(start + timedelta(days=10, seconds=1), tick=False):
            relationships_sweep()
            relationships_sweep()
        gdap.refresh_from_db()
        assert gdap.status == "active"
        assert gdap.ends_at == start + timedelta(days=190)
        assert events(gdap, "gdap_extended").count() == 1

    def test_the_sweep_does_not_touch_an_approval_pending_one(self, relationship, provider_admin):
        gdap = self.propose(provider_admin, relationship)
        with time_machine.travel(timezone.now() + timedelta(days=800), tick=False):
            relationships_sweep()
        gdap.refresh_from_db()
        assert gdap.status == "approval_pending"


# --- The emails -----------------------------------------------------------------------------------------------------

EMAILS = {
    "reseller_invitation": {
        "provider_name": "O'Brien & Partners",
        "provider_country": "IE",
        "message": "Hello <b>there</b>",
        "accept_url": "http://testserver/reseller-invitations/abc/",
        "expires_at": "2026-12-01T10:00:00+00:00",
    },
    "provider_reseller_authorized": {
        "first_name": "Jonas",
        "reseller_name": "O'Brien & Partners",
        "reseller_mpn_id": "4820777",
        "resellers_url": "http://testserver/indirect-resellers/",
    },
    "provider_admin_access_removed": {
        "first_name": "Jonas",
        "reseller_name": "O'Brien & Partners",
        "reseller_mpn_id": "4820777",
        "resellers_url": "http://testserver/indirect-resellers/",
    },
    "provider_authorized": {
        "first_name": "Jonas",
        "legal_name": "O'Brien & Partners",
        "listing_url": "http://testserver/partner/provider-listing/",
    },
    "provider_withdrawn": {"first_name": "Jonas", "legal_name": "O'Brien & Partners"},
}


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
@pytest.mark.parametrize("template", sorted(EMAILS))
def test_every_email_renders_in_every_language(template, language):
    subject, text, html = render(Notification(template=template, language=language, context=EMAILS[template]))
    assert subject and "\n" not in subject
    assert "O'Brien & Partners" in subject + text  # plain text is not HTML-escaped
    assert "O&#x27;Brien &amp; Partners" in html or "O'Brien" not in html
    assert "<b>there</b>" not in html  # the provider's message is escaped in HTML
    for url in (v for v in EMAILS[template].values() if v.startswith("http")):
        assert url in text and url in html


@pytest.mark.django_db
def test_a_second_invitation_from_an_authorized_provider_is_refused_at_once(client):
    from partnercenter.core.errors import InvalidTransition
    from relationships.models import ProviderResellerRelationship
    from tests.factories import active_partner
    from tests.relationships.providers_cast import invite, make_provider, user_of

    provider = make_provider()
    reseller = active_partner(mpn_id="4821111")
    provider_admin, reseller_admin = user_of(provider), user_of(reseller)
    _first, first_token = invite(provider_admin, email=reseller_admin.email)
    _second, second_token = invite(provider_admin, mpn_id="4821111")
    reseller_invitation_accept(actor=reseller_admin, token=first_token, authorize=True)
    with pytest.raises(InvalidTransition) as exc:
        reseller_invitation_check(actor=reseller_admin, token=second_token)
    assert "already your indirect provider" in str(exc.value.message)
    client.force_login(reseller_admin)
    page = client.get("/indirect-providers/").content.decode()
    assert "Invitations waiting for you" not in page
    assert ProviderResellerRelationship.objects.count() == 1
