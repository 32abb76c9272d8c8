"""Reseller invitations: the provider invites, resends, revokes; the sweep expires; the
reseller's admin accepts and authorizes the provider (DOMAIN.md "Providers and resellers"):
rights, state, the audit row, emails and races."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from partnercenter.audit.models import Event
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotPermitted
from relationships.models import ProviderResellerRelationship, ResellerInvitation
from relationships.services.common import hash_token
from relationships.services.providers import provider_authorize
from relationships.services.reseller_invitations import (
    reseller_invitation_accept,
    reseller_invitation_check,
    reseller_invitation_resend,
    reseller_invitation_revoke,
    reseller_invitation_send,
)
from relationships.tasks import relationships_sweep
from tests.cast import events_of, invite_reseller, make_provider, reseller_token, user_of
from tests.factories import ProviderResellerRelationshipFactory, active_partner

pytestmark = pytest.mark.django_db


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
        token = reseller_token(invitation)
        assert f"{settings.SITE_URL}/reseller-invitations/{token}/" in message.body
        # Only the token's hash is stored; the token is long and random.
        assert len(token) >= 40 and token not in invitation.token_hash
        assert hash_token(token) == invitation.token_hash
        [sent] = events_of(invitation)
        assert (sent.kind, sent.object_type, sent.actor, sent.tenant) == (
            "reseller_invitation_sent",
            "relationships.resellerinvitation",
            provider_admin,
            provider.tenant,
        )
        assert (sent.from_state, sent.to_state) == ("", "sent")
        assert sent.data == {"email": "owner@reseller.example", "mpn_id": ""}

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
        assert reseller_invitation_send(actor=provider_admin, mpn_id=reseller.mpn_id).status == "sent"

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
            invitation, old_token = invite_reseller(provider_admin, email=reseller_admin.email)
        old_expiry = invitation.expires_at
        reseller_invitation_resend(actor=provider_admin, invitation=invitation)
        invitation.refresh_from_db()
        new_token = reseller_token(invitation)
        assert new_token != old_token and invitation.status == "sent"
        assert invitation.expires_at > old_expiry + timedelta(days=9)
        resent = events_of(invitation, "reseller_invitation_resent").get()
        assert (resent.actor, resent.from_state, resent.to_state) == (provider_admin, "sent", "sent")
        with pytest.raises(InvalidInput) as caught:  # the old link stops working
            reseller_invitation_accept(actor=reseller_admin, token=old_token, authorize=True)
        assert list(caught.value.errors) == ["token"]
        reseller_invitation_accept(actor=reseller_admin, token=new_token, authorize=True)

    def test_revoke_then_the_link_is_409(self, provider_admin, reseller_admin):
        invitation, token = invite_reseller(provider_admin, email=reseller_admin.email)
        reseller_invitation_revoke(actor=provider_admin, invitation=invitation)
        with pytest.raises(InvalidTransition) as caught:
            reseller_invitation_accept(actor=reseller_admin, token=token, authorize=True)
        assert caught.value.status == "revoked"
        for call in (reseller_invitation_resend, reseller_invitation_revoke):
            with pytest.raises(InvalidTransition):
                call(actor=provider_admin, invitation=invitation)
        assert not ProviderResellerRelationship.objects.exists()

    def test_only_the_sending_provider_resends_or_revokes(self, provider_admin, reseller_admin):
        invitation, _token = invite_reseller(provider_admin, email=reseller_admin.email)
        other_admin = user_of(make_provider("Other Distribution"))
        for actor in (reseller_admin, other_admin, user_of(invitation.provider, role="sales_agent")):
            with pytest.raises(NotPermitted):
                reseller_invitation_revoke(actor=actor, invitation=invitation)
        invitation.refresh_from_db()
        assert invitation.status == "sent"

    def test_the_sweep_expires_invitations_once(self, provider_admin, reseller_admin):
        invitation, token = invite_reseller(provider_admin, email=reseller_admin.email)
        fresh, _ = invite_reseller(provider_admin, email="later@reseller.example")
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
        expired = events_of(invitation, "reseller_invitation_expired").get()
        assert (expired.actor, expired.tenant, expired.from_state, expired.to_state) == (
            None,
            invitation.provider.tenant,
            "sent",
            "expired",
        )
        assert not events_of(fresh, "reseller_invitation_expired").exists()
        with pytest.raises(InvalidTransition):
            reseller_invitation_resend(actor=provider_admin, invitation=invitation)


# --- Rule 4: accepting ------------------------------------------------------------------------------------------


class TestAccept:
    def test_accept_creates_the_relationship_and_emails_the_provider_once(
        self, provider, provider_admin, reseller, reseller_admin, django_capture_on_commit_callbacks
    ):
        invitation, token = invite_reseller(provider_admin, email=reseller_admin.email)
        rows_before = Event.objects.count()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            relationship = reseller_invitation_accept(actor=reseller_admin, token=token, authorize=True)
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
        # One audit row for the acceptance, on the relationship, in the reseller's history,
        # naming the invitation; none on the invitation beyond its sending.
        assert Event.objects.count() == rows_before + 1
        [authorized] = events_of(relationship)
        assert (authorized.kind, authorized.object_type, authorized.object_id) == (
            "reseller_authorized_provider",
            "relationships.providerresellerrelationship",
            str(relationship.pk),
        )
        assert (authorized.actor, authorized.tenant, authorized.from_state, authorized.to_state) == (
            reseller_admin,
            reseller.tenant,
            "",
            "active",
        )
        assert authorized.data == {
            "invitation_id": str(invitation.pk),
            "provider": provider.legal_name,
            "reseller": reseller.legal_name,
        }
        assert [e.kind for e in events_of(invitation)] == ["reseller_invitation_sent"]
        assert [m.to for m in mail.outbox] == [[provider.contact_email]]
        assert reseller.legal_name in mail.outbox[0].subject

    def test_an_admin_agent_may_accept_through_the_primary_contact_email(self, provider_admin, reseller):
        agent = user_of(reseller, role="admin_agent", email="agent@fabrikam.de")
        _invitation, token = invite_reseller(provider_admin, email=reseller.contact_email)
        assert reseller_invitation_accept(actor=agent, token=token, authorize=True).reseller == reseller

    def test_an_mpn_id_invitation_binds_to_that_partner(self, provider_admin, reseller, reseller_admin):
        _invitation, token = invite_reseller(provider_admin, mpn_id=reseller.mpn_id)
        stranger = user_of(active_partner(mpn_id="4820999"))
        with pytest.raises(NotPermitted) as caught:
            reseller_invitation_accept(actor=stranger, token=token, authorize=True)
        assert "4820777" in str(caught.value.message)
        assert not ProviderResellerRelationship.objects.exists()
        assert reseller_invitation_accept(actor=reseller_admin, token=token, authorize=True)

    def test_an_email_invitation_binds_to_that_address(self, provider_admin, reseller_admin):
        invitation, token = invite_reseller(provider_admin, email="someone.else@elsewhere.example")
        with pytest.raises(NotPermitted) as caught:
            reseller_invitation_accept(actor=reseller_admin, token=token, authorize=True)
        assert "someone.else@elsewhere.example" in str(caught.value.message)
        invitation.refresh_from_db()
        assert invitation.status == "sent" and not ProviderResellerRelationship.objects.exists()

    def test_the_provider_cannot_accept_its_own_invitation(self, provider, provider_admin):
        _invitation, token = invite_reseller(provider_admin, email="x@y.example")
        provider.contact_email = "x@y.example"
        provider.save()
        with pytest.raises(NotPermitted):
            reseller_invitation_accept(actor=provider_admin, token=token, authorize=True)

    def test_a_reused_link_is_409(self, provider_admin, reseller_admin):
        _invitation, token = invite_reseller(provider_admin, email=reseller_admin.email)
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
        invitation, token = invite_reseller(provider_admin, email=reseller_admin.email)
        with pytest.raises(InvalidInput) as caught:
            reseller_invitation_accept(actor=reseller_admin, token=token, authorize=authorize)
        assert list(caught.value.errors) == ["authorize"]
        invitation.refresh_from_db()
        assert invitation.status == "sent"

    def test_only_an_active_resellers_admins(self, provider_admin, reseller, reseller_admin):
        _invitation, token = invite_reseller(provider_admin, mpn_id=reseller.mpn_id)
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
        _invitation, token = invite_reseller(provider_admin, mpn_id=reseller.mpn_id)
        relationship = reseller_invitation_accept(actor=reseller_admin, token=token, authorize=True)
        assert relationship.pk == old.pk
        assert (relationship.state, relationship.admin_access) == ("active", True)
        [authorized] = events_of(relationship)
        assert (authorized.kind, authorized.from_state, authorized.to_state) == (
            "reseller_authorized_provider",
            "terminated",
            "active",
        )

    def test_a_withdrawn_provider_cannot_be_authorized(
        self, provider, provider_admin, reseller_admin, reviewer
    ):
        _invitation, token = invite_reseller(provider_admin, email=reseller_admin.email)
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
        _invitation, token = invite_reseller(provider_admin, mpn_id=reseller.mpn_id)
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
        assert events_of(relationship, "reseller_authorized_provider").count() == 1
        relationship.state = "terminated"  # ready for the next round
        relationship.save()
        events_of(relationship).delete()


@pytest.mark.django_db
def test_a_second_invitation_from_an_authorized_provider_is_refused_at_once(client):
    provider = make_provider()
    reseller = active_partner(mpn_id="4821111")
    provider_admin, reseller_admin = user_of(provider), user_of(reseller)
    _first, first_token = invite_reseller(provider_admin, email=reseller_admin.email)
    _second, second_token = invite_reseller(provider_admin, mpn_id="4821111")
    reseller_invitation_accept(actor=reseller_admin, token=first_token, authorize=True)
    with pytest.raises(InvalidTransition) as exc:
        reseller_invitation_check(actor=reseller_admin, token=second_token)
    assert "already your indirect provider" in str(exc.value.message)
    client.force_login(reseller_admin)
    page = client.get("/indirect-providers/").content.decode()
    assert "Invitations waiting for you" not in page
    assert ProviderResellerRelationship.objects.count() == 1
