"""The partner profile (/api/v1/partner/, /partner/: who the partner is, its programs and
signed agreements) and its business profile (DOMAIN.md, "The things")."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enrollment.models import BusinessProfile
from enrollment.services.agreements import agreement_accept
from enrollment.services.business_profile import business_profile_update
from partnercenter.accounts.models import Role
from partnercenter.core.errors import InvalidInput, NotPermitted
from tests.conftest import api_as
from tests.data import PRIMARY_CONTACT as CONTACT
from tests.factories import AgreementAcceptanceFactory, BusinessProfileFactory, EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


# --- The partner profile --------------------------------------------------------------------------------


class TestPartnerApi:
    @pytest.mark.time_machine(NOW, tick=False)
    def test_shape_with_program_info_after_acceptance(self, admin, approved, template):
        agreement_accept(actor=admin, template_id=template.pk, primary_contact=CONTACT)
        response = api_as(admin).get("/api/v1/partner/")
        assert response.status_code == 200
        data = response.data
        assert {
            "id",
            "legal_name",
            "mpn_id",
            "country",
            "primary_contact",
            "support_profile",
            "programs",
            "market",
            "currency",
            "vetting_status",
            "program_info",
        } <= set(data)
        partner = approved.partner
        assert data["id"] == str(partner.pk)
        assert data["legal_name"] == "Fabrikam Deutschland GmbH"
        assert data["mpn_id"] == partner.mpn_id
        assert data["country"] == "DE"
        assert data["market"] == "europe" and data["currency"] == "EUR"
        assert data["primary_contact"] == {
            "first_name": "Jonas",
            "last_name": "Becker",
            "email": "jonas@fabrikam.de",
            "phone": partner.contact_phone,
        }
        assert data["support_profile"]["email"] == partner.support_email
        assert data["programs"] == ["indirect_reseller"]
        assert data["vetting_status"] == "authorized"
        assert data["program_info"] == [
            {
                "program": "indirect_reseller",
                "status": "active",
                "agreement_name": "Microsoft Partner Agreement",
                "agreement_version": "2026-10",
                "agreement_language": "en",
                "accepted_at": "2026-11-23T09:00:00Z",
                "accepted_by": admin.get_full_name(),
                # Direct bill's credit line and support plan; null for indirect reseller.
                "credit_line": None,
                "support_plan": None,
            }
        ]

    def test_approved_is_not_yet_a_program_and_not_signed(self, employee, approved):
        data = api_as(employee).get("/api/v1/partner/").data  # every user of the partner reads it
        assert data["programs"] == []
        assert data["vetting_status"] == "authorized"
        assert data["program_info"][0]["status"] == "approved"
        assert data["program_info"][0]["agreement_name"] is None
        assert data["program_info"][0]["accepted_at"] is None

    @pytest.mark.parametrize(
        "statuses,expected",
        [
            ([], "none"),
            (["pending_email_verification"], "pending"),
            (["in_review"], "pending"),
            (["action_needed"], "pending"),
            (["approved"], "authorized"),
            (["active"], "authorized"),
            (["rejected"], "rejected"),
            (["withdrawn"], "none"),
            (["rejected", "in_review"], "pending"),  # oldest first: the latest decides
            (["in_review", "rejected"], "rejected"),
            (["rejected", "withdrawn"], "rejected"),  # a withdrawn application was never decided
        ],
    )
    def test_vetting_status_from_the_latest_enrollment(self, admin, partner, statuses, expected):
        for days, status in enumerate(statuses):
            EnrollmentFactory(
                partner=partner,
                status=status,
                submitted_at=datetime(2026, 1, 1 + days, tzinfo=UTC),
            )
        assert api_as(admin).get("/api/v1/partner/").data["vetting_status"] == expected

    def test_a_user_without_a_partner_gets_404(self, customer_admin, partner):
        assert api_as(customer_admin).get("/api/v1/partner/").status_code == 404

    def test_outsider_sees_only_its_own_partner(self, outsider, outsider_partner, partner):
        data = api_as(outsider).get("/api/v1/partner/").data
        assert data["id"] == str(outsider_partner.pk) and data["legal_name"] == "Northwind Traders Inc"
        assert (data["market"], data["currency"]) == ("united_states", "USD")

    def test_constant_number_of_queries(self, admin, partner, django_assert_num_queries):
        client = api_as(admin)
        EnrollmentFactory(partner=partner, status="rejected", submitted_at=datetime(2026, 1, 1, tzinfo=UTC))
        with CaptureQueriesContext(connection) as one:
            client.get("/api/v1/partner/")
        EnrollmentFactory(partner=partner, status="withdrawn", submitted_at=datetime(2026, 1, 2, tzinfo=UTC))
        active = EnrollmentFactory(partner=partner, status="active")
        AgreementAcceptanceFactory(partner=partner, template__program=active.program, accepted_by=admin)
        BusinessProfileFactory(partner=partner)
        with django_assert_num_queries(len(one)):
            response = api_as(admin).get("/api/v1/partner/")
        assert response.data["program_info"][0]["agreement_name"] == "Microsoft Partner Agreement"


# --- The business profile ---------------------------------------------------------------------------------


class TestBusinessProfile:
    BODY = {
        "description": "Cloud migration for retailers.",
        "website": "https://fabrikam.de",
        "industries": ["Retail", "retail", " Healthcare "],
        "services": ["Migration"],
    }

    @pytest.fixture
    def profile_admin(self, tenant):
        return UserFactory(tenant=tenant, roles=[Role.BUSINESS_PROFILE_ADMIN.value])

    def test_business_profile_admin_edits_it(self, profile_admin, partner):
        response = api_as(profile_admin).patch("/api/v1/partner/business-profile/", self.BODY, format="json")
        assert response.status_code == 200, response.data
        profile = BusinessProfile.objects.get(partner=partner)
        assert profile.description == "Cloud migration for retailers."
        assert profile.website == "https://fabrikam.de"
        assert profile.industries == ["Retail", "Healthcare"]  # trimmed, duplicates dropped
        assert profile.services == ["Migration"]
        assert profile.updated_by == profile_admin
        assert response.data["industries"] == ["Retail", "Healthcare"]

    def test_global_admin_edits_it_too(self, admin, partner):
        response = api_as(admin).patch("/api/v1/partner/business-profile/", self.BODY, format="json")
        assert response.status_code == 200

    def test_other_roles_get_403(self, employee, partner):
        response = api_as(employee).patch("/api/v1/partner/business-profile/", self.BODY, format="json")
        assert response.status_code == 403
        assert not BusinessProfile.objects.exists()

    def test_service_refuses_other_roles(self, employee, partner):
        with pytest.raises(NotPermitted):
            business_profile_update(actor=employee, data=self.BODY)

    def test_other_roles_get_403_even_with_bad_input(self, employee, partner):
        response = api_as(employee).patch(
            "/api/v1/partner/business-profile/", {"industries": "x"}, format="json"
        )
        assert response.status_code == 403

    def test_a_user_without_a_partner_gets_404(self, customer_admin, partner):
        response = api_as(customer_admin).patch("/api/v1/partner/business-profile/", self.BODY, format="json")
        assert response.status_code == 404
        assert api_as(customer_admin).get("/api/v1/partner/business-profile/").status_code == 404
        assert not BusinessProfile.objects.exists()

    def test_outsider_edits_only_its_own(self, outsider, outsider_partner, partner):
        response = api_as(outsider).patch("/api/v1/partner/business-profile/", self.BODY, format="json")
        assert response.status_code == 200
        assert BusinessProfile.objects.get().partner == outsider_partner

    def test_partial_update_keeps_the_other_fields(self, admin, partner):
        BusinessProfileFactory(partner=partner, description="Before", website="https://old.example.de")
        response = api_as(admin).patch(
            "/api/v1/partner/business-profile/", {"website": "https://new.example.de"}, format="json"
        )
        assert response.status_code == 200
        profile = BusinessProfile.objects.get(partner=partner)
        assert (profile.description, profile.website) == ("Before", "https://new.example.de")

    def test_the_partners_users_read_it(self, employee, partner):
        BusinessProfileFactory(partner=partner)
        response = api_as(employee).get("/api/v1/partner/business-profile/")
        assert response.status_code == 200
        assert response.data["industries"] == ["Retail"]

    @pytest.mark.parametrize(
        "field,value",
        [
            ("description", "x" * 2001),
            ("website", "fabrikam"),
            ("industries", "Retail"),
            ("industries", ["x" * 61]),
            ("services", [f"Service {n}" for n in range(21)]),
        ],
    )
    def test_bad_input_is_400_on_the_field(self, admin, partner, field, value):
        response = api_as(admin).patch("/api/v1/partner/business-profile/", {field: value}, format="json")
        assert response.status_code == 400
        assert set(response.data) == {field}
        assert not BusinessProfile.objects.exists()

    def test_service_rules(self, admin, partner):
        with pytest.raises(InvalidInput) as exc:
            business_profile_update(
                actor=admin, data={"description": "x" * 2001, "website": "ftp://x", "industries": [1]}
            )
        assert set(exc.value.errors) == {"description", "website", "industries"}


# --- Pages ----------------------------------------------------------------------------------------------------


class TestPages:
    def test_partner_profile_shows_the_signed_agreement(self, client, admin, employee, approved, template):
        agreement_accept(actor=admin, template_id=template.pk, primary_contact=CONTACT)
        client.force_login(employee)
        response = client.get("/partner/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Program info" in html
        assert "Signed" in html and "Microsoft Partner Agreement" in html and "2026-10" in html
        assert f"by {admin.get_full_name()}" in html

    def test_partner_profile_of_an_outsider_shows_nothing_of_ours(self, client, outsider, partner):
        client.force_login(outsider)
        response = client.get("/partner/")
        assert response.status_code == 200
        assert partner.legal_name.encode() not in response.content
        assert b"Northwind Traders Inc" in response.content

    def test_partner_profile_of_a_user_without_a_partner(self, client, customer_admin, partner):
        client.force_login(customer_admin)
        response = client.get("/partner/")
        assert response.status_code == 200
        assert partner.legal_name.encode() not in response.content
        assert b"has not enrolled yet" in response.content

    def test_business_profile_page(self, client, tenant, employee, partner):
        profile_admin = UserFactory(tenant=tenant, roles=[Role.BUSINESS_PROFILE_ADMIN.value])
        client.force_login(profile_admin)
        assert client.get("/partner/business-profile/").status_code == 200
        response = client.post(
            "/partner/business-profile/",
            {
                "description": "We migrate shops.",
                "website": "https://fabrikam.de",
                "industries": "Retail, Food",
            },
        )
        assert response.status_code == 302
        assert BusinessProfile.objects.get(partner=partner).industries == ["Retail", "Food"]
        client.force_login(employee)
        assert client.get("/partner/business-profile/").status_code == 403

    def test_business_profile_page_shows_errors(self, client, admin, partner):
        client.force_login(admin)
        response = client.post("/partner/business-profile/", {"website": "fabrikam"})
        assert response.status_code == 200
        assert b"https://" in response.content
        assert not BusinessProfile.objects.exists()

    def test_nav_links(self, client, admin, employee, partner):
        client.force_login(admin)
        html = client.get("/").content.decode()
        assert 'href="/partner/"' in html and 'href="/partner/users/"' in html
        assert 'href="/partner/business-profile/"' in html
        client.force_login(employee)
        html = client.get("/").content.decode()
        assert 'href="/partner/"' in html and 'href="/partner/users/"' not in html
