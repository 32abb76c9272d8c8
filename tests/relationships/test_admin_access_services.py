"""Administrator access of a provider to its reseller's tenant: the reseller removes the
delegated admin access; granular delegated admin (GDAP) is proposed, approved, terminated
and swept (DOMAIN.md "Customers, tenants and admin access"): rights, state, audit rows."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from partnercenter.core.errors import InvalidInput, InvalidTransition, NotPermitted
from relationships.models import GDAP_TRANSITIONS, GdapStatus, GranularAdminRelationship
from relationships.services.admin_access import (
    gdap_approve,
    gdap_propose,
    gdap_terminate,
    relationship_remove_admin_access,
)
from relationships.tasks import relationships_sweep
from tests.cast import events_of, user_of
from tests.factories import active_partner

pytestmark = pytest.mark.django_db


# --- Rule 6: administrator access and GDAP ------------------------------------------------------------------------


class TestRemoveAdminAccess:
    def test_the_reseller_removes_it_and_the_relationship_stays(
        self, relationship, provider, reseller, reseller_admin, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            relationship_remove_admin_access(actor=reseller_admin, relationship=relationship)
        relationship.refresh_from_db()
        assert (relationship.state, relationship.admin_access) == ("active", False)
        assert relationship.admin_access_removed_at is not None
        [removed] = events_of(relationship)
        assert (removed.kind, removed.actor, removed.tenant) == (
            "admin_access_removed",
            reseller_admin,
            reseller.tenant,
        )
        assert (removed.from_state, removed.to_state) == ("admin_access", "no_admin_access")
        assert removed.data == {"provider": provider.legal_name, "reseller": reseller.legal_name}
        assert [m.to for m in mail.outbox] == [[provider.contact_email]]
        with pytest.raises(InvalidTransition) as caught:
            relationship_remove_admin_access(actor=reseller_admin, relationship=relationship)
        assert caught.value.status == "active"
        assert events_of(relationship).count() == 1

    def test_the_provider_cannot(self, relationship, provider_admin, reseller):
        with pytest.raises(NotPermitted):
            relationship_remove_admin_access(actor=provider_admin, relationship=relationship)
        with pytest.raises(NotPermitted):
            relationship_remove_admin_access(
                actor=user_of(reseller, role="sales_agent"), relationship=relationship
            )
        relationship.refresh_from_db()
        assert relationship.admin_access is True
        assert not events_of(relationship).exists()


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
        proposed = events_of(gdap, "gdap_proposed").get()
        assert (proposed.from_state, proposed.to_state) == ("created", "approval_pending")
        assert (proposed.object_type, proposed.actor, proposed.tenant) == (
            "relationships.granularadminrelationship",
            provider_admin,
            relationship.provider.tenant,
        )
        assert proposed.data == {
            "name": "Helpdesk for Fabrikam",
            "roles": ["Global Reader", "Helpdesk Administrator"],
            "duration_days": 90,
            "auto_extend": False,
        }
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
        # One row per move: who moved it (the sweep is no one), from which state to which.
        assert [(e.kind, e.actor, e.from_state, e.to_state) for e in events_of(gdap)] == [
            ("gdap_proposed", provider_admin, "created", "approval_pending"),
            ("gdap_approved", reseller_admin, "approval_pending", "active"),
            ("gdap_termination_requested", provider_admin, "active", "termination_requested"),
            ("gdap_terminated", None, "termination_requested", "terminated"),
        ]
        assert events_of(gdap, "gdap_terminated").get().tenant == relationship.provider.tenant

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
        assert [e.kind for e in events_of(gdap)] == ["gdap_proposed"]

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
            assert events_of(gdap, "gdap_expiring").count() == 1
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
        extended = events_of(gdap, "gdap_extended").get()
        assert (extended.from_state, extended.to_state) == ("active", "active")
        assert extended.data == {"ends_at": gdap.ends_at.isoformat()}

    def test_the_sweep_does_not_touch_an_approval_pending_one(self, relationship, provider_admin):
        gdap = self.propose(provider_admin, relationship)
        with time_machine.travel(timezone.now() + timedelta(days=800), tick=False):
            relationships_sweep()
        gdap.refresh_from_db()
        assert gdap.status == "approval_pending"
        assert [e.kind for e in events_of(gdap)] == ["gdap_proposed"]
