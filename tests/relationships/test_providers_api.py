"""Providers and resellers through the API, as API.md "Providers, resellers, customers"
writes it: shapes, 400/403/404/409, pagination, constant query counts."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from relationships.models import (
    GranularAdminRelationship,
    IndirectProvider,
    ProviderResellerRelationship,
    ResellerInvitation,
)
from relationships.services.admin_access import gdap_propose
from tests.cast import invite_reseller, make_provider, make_reviewer, reseller_token, user_of
from tests.conftest import api_as
from tests.factories import (
    EnrollmentFactory,
    IndirectProviderFactory,
    PartnerFactory,
    ProviderResellerRelationshipFactory,
    active_partner,
)

pytestmark = pytest.mark.django_db

PROVIDER_OF = "IsIndirectCloudSolutionProviderOf"
RESELLER_OF = "IsIndirectResellerOf"


def assert_conflict(response, status):
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "invalid_transition" and body["status"] == status and body["detail"]


# --- Rule 1 -----------------------------------------------------------------------------------------------------


class TestAuthorizeProvider:
    def url(self, partner_id):
        return f"/api/v1/review/partners/{partner_id}/indirect-provider/"

    def test_staff_authorize_and_withdraw(self):
        partner = active_partner(legal_name="Northwind Distribution")
        client = api_as(make_reviewer())
        response = client.post(self.url(partner.pk), {"authorized": True})
        assert response.status_code == 200
        assert response.json()["authorized"] is True and response.json()["name"] == "Northwind Distribution"
        assert IndirectProvider.objects.get(partner=partner).authorized
        response = client.post(self.url(partner.pk), {"authorized": False})
        assert response.json()["authorized"] is False
        assert not IndirectProvider.objects.get(partner=partner).authorized

    def test_409_without_an_active_enrollment(self):
        partner = PartnerFactory()
        EnrollmentFactory(partner=partner, status="in_review")
        response = api_as(make_reviewer()).post(self.url(partner.pk), {"authorized": True})
        assert_conflict(response, "in_review")

    def test_who(self, api, provider_admin, staff):
        partner = active_partner()
        assert api.post(self.url(partner.pk), {"authorized": True}).status_code == 401
        assert api_as(provider_admin).post(self.url(partner.pk), {"authorized": True}).status_code == 403
        assert api_as(staff).post(self.url(partner.pk), {"authorized": True}).status_code == 403
        reviewer = api_as(make_reviewer())
        assert (
            reviewer.post(self.url("00000000-0000-0000-0000-000000000000"), {"authorized": True}).status_code
            == 404
        )
        assert reviewer.post(self.url(partner.pk), {}).status_code == 400


# --- Rule 2 -----------------------------------------------------------------------------------------------------


class TestFindAProvider:
    def test_only_authorized_providers_of_active_partners_with_filters(self, provider, outsider):
        IndirectProviderFactory(
            partner=active_partner(legal_name="Alpine Distribution"),
            countries=["AT", "CH"],
            offers=["financing"],
        )
        IndirectProviderFactory(partner=active_partner(legal_name="Withdrawn Ltd"), authorized=False)
        inactive = PartnerFactory(legal_name="Not Yet Active")
        IndirectProviderFactory(partner=inactive)
        client = api_as(outsider)

        def names(query=""):
            response = client.get(f"/api/v1/providers/{query}")
            assert response.status_code == 200
            return [row["name"] for row in response.json()["results"]]

        assert names() == ["Alpine Distribution", "Contoso Distribution GmbH"]
        assert names("?country=de") == ["Contoso Distribution GmbH"]
        assert names("?country=CH") == ["Alpine Distribution"]
        assert names("?offers=financing") == ["Alpine Distribution"]
        assert names("?offers=financing,technical_training") == []
        assert names("?country=DE&offers=technical_training") == ["Contoso Distribution GmbH"]
        assert names("?name=alpine") == ["Alpine Distribution"]

    def test_shape_and_pagination(self, provider, outsider):
        body = api_as(outsider).get("/api/v1/providers/").json()
        assert set(body) == {"count", "next", "previous", "results"}
        assert body["results"] == [
            {
                "partner_id": str(provider.pk),
                "name": provider.legal_name,
                "countries": ["DE", "FR"],
                "offers": ["technical_training"],
                "description": "Distribution for Europe",
                "website": "https://provider.example",
            }
        ]

    def test_bad_filters_are_400(self, outsider, api):
        client = api_as(outsider)
        assert list(client.get("/api/v1/providers/?country=XX").json()) == ["country"]
        assert list(client.get("/api/v1/providers/?offers=free_lunch").json()) == ["offers"]
        assert api.get("/api/v1/providers/").status_code == 401

    def test_constant_number_of_queries(self, outsider):
        client = api_as(outsider)
        make_provider("First Distribution")
        with CaptureQueriesContext(connection) as one:
            assert client.get("/api/v1/providers/").json()["count"] == 1
        for n in range(8):
            make_provider(f"Distribution {n}")
        with CaptureQueriesContext(connection) as many:
            assert client.get("/api/v1/providers/").json()["count"] == 9
        assert len(many.captured_queries) == len(one.captured_queries)


class TestListing:
    URL = "/api/v1/partner/provider-listing/"

    def test_read_and_edit(self, provider, provider_admin):
        client = api_as(provider_admin)
        assert client.get(self.URL).json()["countries"] == ["DE", "FR"]
        response = client.patch(
            self.URL,
            {
                "countries": ["AT"],
                "offers": ["marketing_help"],
                "description": "Hi",
                "website": "https://x.example",
            },
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["countries"], body["offers"], body["description"], body["website"]) == (
            ["AT"],
            ["marketing_help"],
            "Hi",
            "https://x.example",
        )

    def test_roles_and_input(self, provider, provider_admin, reseller_admin):
        assert (
            api_as(user_of(provider, role="sales_agent")).patch(self.URL, {"description": "x"}).status_code
            == 403
        )
        assert api_as(reseller_admin).get(self.URL).status_code == 403  # not a provider
        response = api_as(provider_admin).patch(self.URL, {"countries": ["ZZ"], "description": "x" * 2001})
        assert response.status_code == 400
        assert set(response.json()) == {"countries", "description"}


# --- Rule 3 -----------------------------------------------------------------------------------------------------


class TestInvitations:
    URL = "/api/v1/reseller-invitations/"

    def test_invite_by_email(self, provider_admin, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = api_as(provider_admin).post(
                self.URL, {"email": "owner@reseller.example", "message": "Hi"}
            )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["status"] == "sent" and body["id"] and body["expires_at"]
        assert [m.to for m in mail.outbox] == [["owner@reseller.example"]]
        assert f"{settings.SITE_URL}/reseller-invitations/" in mail.outbox[0].body

    def test_invite_by_mpn_id(self, provider_admin, reseller, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = api_as(provider_admin).post(self.URL, {"mpn_id": reseller.mpn_id})
        assert response.status_code == 201
        assert [m.to for m in mail.outbox] == [[reseller.contact_email]]

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({}, "non_field_errors"),
            ({"email": "a@b.example", "mpn_id": "4820777"}, "non_field_errors"),
            ({"mpn_id": "1234567"}, "mpn_id"),
            ({"mpn_id": "4820100"}, "mpn_id"),  # yourself
            ({"email": "not-an-email"}, "email"),
            ({"email": "a@b.example", "message": "x" * 1001}, "message"),
        ],
    )
    def test_bad_input_is_400(self, provider_admin, reseller, data, field):
        response = api_as(provider_admin).post(self.URL, data)
        assert response.status_code == 400
        assert list(response.json()) == [field]

    def test_an_active_reseller_cannot_be_invited_again(self, provider_admin, relationship, reseller):
        response = api_as(provider_admin).post(self.URL, {"mpn_id": reseller.mpn_id})
        assert response.status_code == 400 and list(response.json()) == ["mpn_id"]

    def test_who_may_invite(self, provider, reseller_admin, api):
        assert api.post(self.URL, {"email": "a@b.example"}).status_code == 401
        assert api_as(reseller_admin).post(self.URL, {"email": "a@b.example"}).status_code == 403
        sales = user_of(provider, role="sales_agent")
        assert api_as(sales).post(self.URL, {"email": "a@b.example"}).status_code == 403
        agent = user_of(provider, role="admin_agent")
        assert api_as(agent).post(self.URL, {"email": "a@b.example"}).status_code == 201

    def test_sent_and_received(self, provider_admin, reseller_admin, reseller, outsider):
        by_mpn, _ = invite_reseller(provider_admin, mpn_id=reseller.mpn_id)
        by_email, _ = invite_reseller(provider_admin, email=reseller_admin.email)
        invite_reseller(provider_admin, email="someone@else.example")
        sent = api_as(provider_admin).get(self.URL).json()
        assert sent["count"] == 3 and {row["direction"] for row in sent["results"]} == {"sent"}
        received = api_as(reseller_admin).get(self.URL).json()
        assert {row["id"] for row in received["results"]} == {str(by_mpn.pk), str(by_email.pk)}
        assert {row["direction"] for row in received["results"]} == {"received"}
        assert received["results"][0]["provider"]["name"] == "Contoso Distribution GmbH"
        assert api_as(outsider).get(self.URL).json()["count"] == 0
        assert api_as(provider_admin).get(f"{self.URL}?direction=received").json()["count"] == 0
        assert api_as(provider_admin).get(f"{self.URL}?direction=sideways").status_code == 400

    def test_list_has_a_constant_number_of_queries(self, provider_admin):
        client = api_as(provider_admin)
        invite_reseller(provider_admin, email="first@reseller.example")
        with CaptureQueriesContext(connection) as one:
            client.get(self.URL)
        for n in range(6):
            invite_reseller(provider_admin, email=f"r{n}@reseller.example")
        with CaptureQueriesContext(connection) as many:
            assert client.get(self.URL).json()["count"] == 7
        assert len(many.captured_queries) == len(one.captured_queries)

    def test_resend_and_revoke(
        self, provider_admin, reseller_admin, outsider, django_capture_on_commit_callbacks
    ):
        invitation, old_token = invite_reseller(provider_admin, email=reseller_admin.email)
        client = api_as(provider_admin)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"{self.URL}{invitation.pk}/resend/")
        assert response.status_code == 200 and response.json()["status"] == "sent"
        assert len(mail.outbox) == 1 and old_token not in mail.outbox[0].body
        # The invited reseller sees it but may not revoke it; another partner does not see it.
        assert api_as(reseller_admin).post(f"{self.URL}{invitation.pk}/revoke/").status_code == 403
        assert api_as(outsider).post(f"{self.URL}{invitation.pk}/revoke/").status_code == 404
        assert api_as(outsider).get(f"{self.URL}{invitation.pk}/").status_code == 404
        response = client.post(f"{self.URL}{invitation.pk}/revoke/")
        assert response.status_code == 200 and response.json()["status"] == "revoked"
        assert_conflict(client.post(f"{self.URL}{invitation.pk}/resend/"), "revoked")


# --- Rule 4 -----------------------------------------------------------------------------------------------------


class TestAccept:
    URL = "/api/v1/reseller-invitations/accept/"

    def test_accept(
        self, provider, provider_admin, reseller_admin, reseller, django_capture_on_commit_callbacks
    ):
        _invitation, token = invite_reseller(provider_admin, email=reseller_admin.email)
        with django_capture_on_commit_callbacks(execute=True):
            response = api_as(reseller_admin).post(self.URL, {"token": token, "authorize": True})
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["partner_id"] == str(provider.pk) and body["relationship_type"] == RESELLER_OF
        assert body["admin_access"] is True and body["state"] == "active"
        assert [m.to for m in mail.outbox] == [[provider.contact_email]]
        assert_conflict(
            api_as(reseller_admin).post(self.URL, {"token": token, "authorize": True}), "accepted"
        )
        assert len(mail.outbox) == 1

    def test_errors(self, provider_admin, reseller_admin, outsider):
        invitation, token = invite_reseller(provider_admin, email=reseller_admin.email)
        client = api_as(reseller_admin)
        response = client.post(self.URL, {"token": "nope", "authorize": True})
        assert response.status_code == 400 and list(response.json()) == ["token"]
        response = client.post(self.URL, {"token": token, "authorize": False})
        assert response.status_code == 400 and list(response.json()) == ["authorize"]
        response = client.post(self.URL, {"token": token})
        assert response.status_code == 400 and list(response.json()) == ["authorize"]
        response = api_as(outsider).post(self.URL, {"token": token, "authorize": True})
        assert response.status_code == 403 and reseller_admin.email in response.json()["detail"]
        assert not ProviderResellerRelationship.objects.exists()
        with time_machine.travel(invitation.expires_at + timedelta(seconds=1), tick=False):
            assert_conflict(client.post(self.URL, {"token": token, "authorize": True}), "expired")


# --- Rules 5 and 6 ----------------------------------------------------------------------------------------------


class TestRelationships:
    URL = "/api/v1/relationships/"

    def test_both_sides_see_the_other_partner(
        self, provider, provider_admin, reseller, reseller_admin, relationship
    ):
        rows = api_as(provider_admin).get(f"{self.URL}?relationship_type={PROVIDER_OF}").json()["results"]
        assert rows == [
            {
                "id": str(relationship.pk),
                "partner_id": str(reseller.pk),
                "name": reseller.legal_name,
                "mpn_id": reseller.mpn_id,
                "country": "DE",
                "relationship_type": PROVIDER_OF,
                "state": "active",
                "admin_access": True,
                "admin_access_removed_at": None,
                "established_at": rows[0]["established_at"],
            }
        ]
        rows = api_as(reseller_admin).get(f"{self.URL}?relationship_type={RESELLER_OF}").json()["results"]
        assert [(r["partner_id"], r["relationship_type"]) for r in rows] == [(str(provider.pk), RESELLER_OF)]
        assert api_as(reseller_admin).get(f"{self.URL}?relationship_type={PROVIDER_OF}").json()["count"] == 0
        assert api_as(provider_admin).get(f"{self.URL}?relationship_type={RESELLER_OF}").json()["count"] == 0
        response = api_as(provider_admin).get(f"{self.URL}?relationship_type=Friends")
        assert response.status_code == 400 and list(response.json()) == ["relationship_type"]

    def test_an_outsider_gets_404(self, relationship, outsider):
        client = api_as(outsider)
        assert client.get(self.URL).json()["count"] == 0
        assert client.get(f"{self.URL}{relationship.pk}/").status_code == 404
        assert client.post(f"{self.URL}{relationship.pk}/remove-admin-access/").status_code == 404
        assert client.get(f"{self.URL}{relationship.pk}/granular-admin/").status_code == 404
        assert client.post(f"{self.URL}{relationship.pk}/granular-admin/", {}).status_code == 404

    def test_constant_number_of_queries(self, provider, provider_admin):
        client = api_as(provider_admin)
        ProviderResellerRelationshipFactory(provider=provider)
        with CaptureQueriesContext(connection) as one:
            client.get(f"{self.URL}?relationship_type={PROVIDER_OF}")
        for _ in range(6):
            ProviderResellerRelationshipFactory(provider=provider)
        with CaptureQueriesContext(connection) as many:
            assert client.get(f"{self.URL}?relationship_type={PROVIDER_OF}").json()["count"] == 7
        assert len(many.captured_queries) == len(one.captured_queries)

    def test_remove_admin_access(
        self, relationship, provider, provider_admin, reseller_admin, django_capture_on_commit_callbacks
    ):
        url = f"{self.URL}{relationship.pk}/remove-admin-access/"
        assert api_as(provider_admin).post(url).status_code == 403
        with django_capture_on_commit_callbacks(execute=True):
            response = api_as(reseller_admin).post(url)
        assert response.status_code == 200
        assert response.json()["admin_access"] is False and response.json()["state"] == "active"
        assert [m.to for m in mail.outbox] == [[provider.contact_email]]
        assert_conflict(api_as(reseller_admin).post(url), "active")


class TestGranularAdmin:
    def test_propose_approve_terminate(self, relationship, provider_admin, reseller_admin, outsider):
        url = f"/api/v1/relationships/{relationship.pk}/granular-admin/"
        data = {
            "name": "Helpdesk",
            "roles": ["Helpdesk Administrator"],
            "duration_days": 30,
            "auto_extend": True,
        }
        assert api_as(reseller_admin).post(url, data).status_code == 403
        response = api_as(provider_admin).post(url, data)
        assert response.status_code == 201, response.content
        gdap = response.json()
        assert gdap["status"] == "approval_pending" and gdap["relationship_id"] == str(relationship.pk)
        assert api_as(reseller_admin).get(url).json()["count"] == 1
        approve = f"/api/v1/granular-admin/{gdap['id']}/approve/"
        assert api_as(provider_admin).post(approve).status_code == 403
        assert api_as(outsider).post(approve).status_code == 404
        response = api_as(reseller_admin).post(approve)
        assert response.status_code == 200 and response.json()["status"] == "active"
        assert response.json()["ends_at"] and response.json()["activated_at"]
        assert_conflict(api_as(reseller_admin).post(approve), "active")
        terminate = f"/api/v1/granular-admin/{gdap['id']}/terminate/"
        assert api_as(outsider).post(terminate).status_code == 404
        response = api_as(provider_admin).post(terminate)
        assert response.json()["status"] == "termination_requested"
        assert_conflict(api_as(reseller_admin).post(terminate), "termination_requested")

    def test_bad_input_is_400(self, relationship, provider_admin):
        url = f"/api/v1/relationships/{relationship.pk}/granular-admin/"
        response = api_as(provider_admin).post(
            url, {"name": "x" * 51, "roles": ["Owner"], "duration_days": 731}
        )
        assert response.status_code == 400
        assert set(response.json()) == {"name", "roles", "duration_days"}
        assert not GranularAdminRelationship.objects.exists()

    def test_list_has_a_constant_number_of_queries(self, relationship, provider_admin, reseller_admin):
        url = f"/api/v1/relationships/{relationship.pk}/granular-admin/"
        data = {"name": "Helpdesk", "roles": ["Global Reader"], "duration_days": 30}
        gdap_propose(actor=provider_admin, relationship=relationship, **data)
        client = api_as(reseller_admin)
        with CaptureQueriesContext(connection) as one:
            client.get(url)
        for _ in range(5):
            gdap_propose(actor=provider_admin, relationship=relationship, **data)
        with CaptureQueriesContext(connection) as many:
            assert client.get(url).json()["count"] == 6
        assert len(many.captured_queries) == len(one.captured_queries)


def test_the_whole_journey_through_the_api(provider_admin, reseller, reseller_admin):
    """Invite, accept, see each other, remove admin access, GDAP: the provider automates
    reseller onboarding through the API."""
    provider_api, reseller_api = api_as(provider_admin), api_as(reseller_admin)
    assert provider_api.post("/api/v1/reseller-invitations/", {"mpn_id": reseller.mpn_id}).status_code == 201
    invitation = reseller_api.get("/api/v1/reseller-invitations/").json()["results"][0]
    token = reseller_token(ResellerInvitation.objects.get(pk=invitation["id"]))
    assert (
        reseller_api.post(
            "/api/v1/reseller-invitations/accept/", {"token": token, "authorize": True}
        ).status_code
        == 201
    )
    [mine] = provider_api.get(f"/api/v1/relationships/?relationship_type={PROVIDER_OF}").json()["results"]
    assert mine["name"] == reseller.legal_name
    assert provider_api.get("/api/v1/reseller-invitations/").json()["results"][0]["status"] == "accepted"
    assert timezone.now() - timedelta(minutes=1) < datetime.fromisoformat(mine["established_at"])
