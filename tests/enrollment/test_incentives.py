"""Incentives after the transition (issue 11): the invitation is swept once from
``incentives_due_at`` to the MPN account's email, in the partner's language; the incentive
programs page and API for the global admin and the incentives admin; *Enroll* once."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from enrollment import tasks
from enrollment.incentives import IncentiveEnrollment, incentives_due_at_for, mpn_account_email
from enrollment.models import IndirectTransition
from enrollment.services import incentives
from partnercenter.accounts.models import Role
from partnercenter.audit.models import Event
from partnercenter.notifications.delivery import render
from partnercenter.notifications.models import Notification
from tests.cast import make_direct_bill, make_reseller, user_of
from tests.factories import EnrollmentFactory, MpnProfileFactory, PmcAccountFactory

pytestmark = pytest.mark.django_db

DONE = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # the transition's completion (a Monday)


def transitioned(due=DONE, **kwargs):
    """A direct-bill partner that completed the transition at ``DONE`` (both programs)."""
    partner = make_direct_bill(**kwargs)
    EnrollmentFactory(partner=partner, program="indirect_reseller", status="active")
    IndirectTransition.objects.create(
        partner=partner, flagged_at=DONE - timedelta(days=10), completed_at=DONE, incentives_due_at=due
    )
    return partner


def invitations():
    return Notification.objects.filter(template="incentives_invitation")


class TestTheInvitation:
    def test_the_sweep_twice_sends_one_email_and_writes_one_row(self):
        partner = transitioned(language="ru")
        with time_machine.travel(DONE + timedelta(minutes=1), tick=False):
            assert tasks.enrollments_sweep()["incentives_invited"] == 1
            assert tasks.enrollments_sweep()["incentives_invited"] == 0
        assert invitations().count() == 1
        assert Event.objects.filter(kind="incentives_invited", tenant=partner.tenant).count() == 1
        transition = IndirectTransition.objects.get(partner=partner)
        assert transition.incentives_invited_at == DONE + timedelta(minutes=1)
        email = invitations().get()
        assert email.language == "ru"
        subject, text, html = render(email)
        assert "/incentives/" in text and partner.legal_name in text

    def test_not_before_it_is_due(self):
        transitioned(due=DONE + timedelta(days=30))
        with time_machine.travel(DONE + timedelta(days=29), tick=False):
            assert tasks.enrollments_sweep()["incentives_invited"] == 0
        with time_machine.travel(DONE + timedelta(days=30), tick=False):
            assert tasks.enrollments_sweep()["incentives_invited"] == 1
        assert invitations().count() == 1

    def test_two_claims_of_the_same_row_send_once(self):
        partner = transitioned()
        with time_machine.travel(DONE + timedelta(hours=1), tick=False):
            transition = IndirectTransition.objects.get(partner=partner)
            assert incentives._invite(transition.pk, DONE + timedelta(hours=1)) is True
            assert incentives._invite(transition.pk, DONE + timedelta(hours=1)) is False
        assert invitations().count() == 1

    def test_a_partner_that_never_transitioned_gets_nothing(self):
        make_direct_bill()
        flagged = make_direct_bill()  # flagged for offboarding only: not completed, not due
        IndirectTransition.objects.create(partner=flagged, flagged_at=DONE)
        with time_machine.travel(DONE + timedelta(days=40), tick=False):
            assert tasks.enrollments_sweep()["incentives_invited"] == 0
        assert not invitations().exists()
        assert not Event.objects.filter(kind="incentives_invited").exists()

    def test_the_delay_setting_is_capped_at_30_days(self, settings):
        settings.INCENTIVES_INVITATION_DELAY_DAYS = 0
        assert incentives_due_at_for(DONE) == DONE
        settings.INCENTIVES_INVITATION_DELAY_DAYS = 7
        assert incentives_due_at_for(DONE) == DONE + timedelta(days=7)
        settings.INCENTIVES_INVITATION_DELAY_DAYS = 90
        assert incentives_due_at_for(DONE) == DONE + timedelta(days=30)


class TestTheMpnAccountsEmail:
    def test_the_pmc_account_username_when_it_is_an_email(self):
        partner = transitioned(contact_email="jonas@fabrikam.de")
        account = PmcAccountFactory(username="mpn-admin@fabrikam.de")
        MpnProfileFactory(mpn_id=partner.mpn_id, pmc_account=account)
        assert mpn_account_email(partner) == "mpn-admin@fabrikam.de"
        with time_machine.travel(DONE + timedelta(minutes=1), tick=False):
            tasks.enrollments_sweep()
        assert invitations().get().recipient == "mpn-admin@fabrikam.de"
        assert Event.objects.get(kind="incentives_invited").data["email"] == "mpn-admin@fabrikam.de"

    def test_the_primary_contact_when_the_username_is_not_an_email(self):
        partner = transitioned(contact_email="jonas@fabrikam.de")
        MpnProfileFactory(mpn_id=partner.mpn_id, pmc_account=PmcAccountFactory(username="fabrikam"))
        assert mpn_account_email(partner) == "jonas@fabrikam.de"

    def test_the_primary_contact_without_a_profile(self):
        partner = transitioned(contact_email="jonas@fabrikam.de")
        assert mpn_account_email(partner) == "jonas@fabrikam.de"


def invited(**kwargs):
    partner = transitioned(**kwargs)
    IndirectTransition.objects.filter(partner=partner).update(incentives_invited_at=DONE)
    return partner


class TestThePage:
    def test_the_global_admin_sees_both_programs_and_enrolls_once(self, client):
        partner = invited()
        client.force_login(user_of(partner))
        page = client.get(reverse("enrollment:incentives"))
        assert page.status_code == 200
        assert "Direct-bill incentives" in page.text and "Indirect-reseller incentives" in page.text
        url = reverse("enrollment:incentives-enroll", args=["indirect_reseller"])
        assert client.post(url).status_code == 302
        assert client.post(url).status_code == 302
        assert IncentiveEnrollment.objects.filter(partner=partner).count() == 1
        assert Event.objects.filter(kind="incentives_enrolled").count() == 1
        assert "Not enrolled" in client.get(reverse("enrollment:incentives")).text  # direct bill

    def test_the_incentives_admin_sees_both(self, client):
        partner = invited()
        client.force_login(user_of(partner, role=Role.INCENTIVES_ADMIN, email="ina@partner.test"))
        page = client.get(reverse("enrollment:incentives"))
        assert "Direct-bill incentives" in page.text and "Indirect-reseller incentives" in page.text

    def test_before_the_invitation_only_direct_bill_incentives(self, client):
        partner = transitioned()
        client.force_login(user_of(partner))
        page = client.get(reverse("enrollment:incentives"))
        assert "Direct-bill incentives" in page.text and "Indirect-reseller incentives" not in page.text
        refused = client.post(reverse("enrollment:incentives-enroll", args=["indirect_reseller"]))
        assert refused.status_code == 403
        assert "after the transition" in refused.text

    def test_another_role_is_refused_with_the_reason(self, client):
        partner = invited()
        client.force_login(user_of(partner, role=Role.BILLING_ADMIN, email="bill@partner.test"))
        page = client.get(reverse("enrollment:incentives"))
        assert page.status_code == 403
        assert "incentives admin" in page.text


class TestTheApi:
    def test_list_and_enroll(self):
        from tests.conftest import api_as

        partner = invited()
        api = api_as(user_of(partner, role=Role.INCENTIVES_ADMIN, email="ina@partner.test"))
        listed = api.get("/api/v1/partner/incentives/").json()
        assert [(r["program"], r["enrolled"]) for r in listed] == [
            ("direct_bill", False),
            ("indirect_reseller", False),
        ]
        first = api.post("/api/v1/partner/incentives/direct_bill/enroll/")
        again = api.post("/api/v1/partner/incentives/direct_bill/enroll/")
        assert first.status_code == again.status_code == 200
        assert first.json() == again.json()
        assert Event.objects.filter(kind="incentives_enrolled").count() == 1
        assert api.post("/api/v1/partner/incentives/gold/enroll/").status_code == 404

    def test_refusals(self):
        from tests.conftest import api_as

        reseller = make_reseller()
        api = api_as(user_of(reseller))
        assert api.get("/api/v1/partner/incentives/").json() == []
        refused = api.post("/api/v1/partner/incentives/direct_bill/enroll/")
        assert refused.status_code == 403
        assert "active direct-bill partners" in str(refused.json())
        helpdesk = api_as(user_of(reseller, role=Role.HELPDESK_AGENT, email="help@reseller.test"))
        assert helpdesk.get("/api/v1/partner/incentives/").status_code == 403


class TestNavigationAndReads:
    def test_the_navigation_links_the_page_for_the_incentives_admin_only(self, client):
        partner = invited()
        client.force_login(user_of(partner, role=Role.INCENTIVES_ADMIN, email="ina@partner.test"))
        assert reverse("enrollment:incentives") in client.get(reverse("home")).text
        client.force_login(user_of(partner, role=Role.SALES_AGENT, email="sales@partner.test"))
        assert f'href="{reverse("enrollment:incentives")}"' not in client.get(reverse("home")).text

    def test_the_list_reads_a_constant_number_of_queries(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tests.conftest import api_as

        counts = []
        for enrolled in (False, True):
            partner = invited()
            admin = user_of(partner, email=f"admin{int(enrolled)}@partner.test")
            if enrolled:
                incentives.incentive_enroll(actor=admin, program="direct_bill")
                incentives.incentive_enroll(actor=admin, program="indirect_reseller")
            api = api_as(admin)
            api.get("/api/v1/partner/incentives/")
            with CaptureQueriesContext(connection) as queries:
                assert len(api.get("/api/v1/partner/incentives/").json()) == 2
            counts.append(len(queries))
        assert counts[0] == counts[1]
