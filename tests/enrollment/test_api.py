"""The REST API as API.md writes it: signup, token, me, MPN, enrollments, email verification."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from enrollment.models import Enrollment
from enrollment.services.application import enrollment_submit
from tests.conftest import api_as
from tests.data import SIGNUP
from tests.factories import PASSWORD, EnrollmentFactory, MpnProfileFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/verify-email/([A-Za-z0-9_-]+)/")


class TestSignupAndToken:
    BODY = SIGNUP

    def test_signup_creates_tenant_and_global_admin(self, api):
        response = api.post("/api/v1/signup/", self.BODY, format="json")
        assert response.status_code == 201, response.data
        assert response.data["tenant"]["domain"] == "contosotw.onmicrosoft.com"
        assert response.data["tenant"]["country"] == "TW"
        assert response.data["user"]["roles"] == ["global_admin"]
        assert "password" not in response.data["user"]
        from partnercenter.audit.models import Event

        event = Event.objects.get()
        assert (event.kind, event.object_type, event.data["email"], event.tenant.domain) == (
            "tenant_created",
            "accounts.user",
            "mei@contosotw.onmicrosoft.com",
            "contosotw.onmicrosoft.com",
        )

    def test_signup_taken_domain_and_email(self, api):
        api.post("/api/v1/signup/", self.BODY, format="json")
        response = api.post(
            "/api/v1/signup/", {**self.BODY, "email": "MEI@contosotw.onmicrosoft.com"}, format="json"
        )
        assert response.status_code == 400
        assert set(response.data) == {"domain_prefix", "email"}

    @pytest.mark.parametrize(
        "field,value",
        [("domain_prefix", "con-toso"), ("domain_prefix", "x" * 28), ("country", "ZZ"), ("password", "123")],
    )
    def test_signup_bad_input(self, api, field, value):
        response = api.post("/api/v1/signup/", {**self.BODY, field: value}, format="json")
        assert response.status_code == 400
        assert field in response.data

    def test_token_then_me(self, api, admin):
        response = api.post(
            "/api/v1/auth/token/", {"email": admin.email.upper(), "password": PASSWORD}, format="json"
        )
        assert response.status_code == 200
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")
        me = client.get("/api/v1/me/")
        assert me.status_code == 200
        assert me.data["email"] == admin.email
        assert me.data["roles"] == ["global_admin"]
        assert me.data["tenant"]["domain"] == "fabrikamde.onmicrosoft.com"
        assert me.data["partner"] is None

    def test_wrong_password(self, api, admin):
        response = api.post("/api/v1/auth/token/", {"email": admin.email, "password": "wrong"}, format="json")
        assert response.status_code == 400
        assert response.data["non_field_errors"]

    def test_password_guessing_is_throttled(self, api, admin, settings):
        # The lockout pauses it first (tests/accounts/test_lockout.py); the throttle too.
        limit = settings.AXES_FAILURE_LIMIT
        codes = [
            api.post(
                "/api/v1/auth/token/", {"email": admin.email, "password": f"guess{i}"}, format="json"
            ).status_code
            for i in range(11)
        ]
        assert codes[: limit - 1] == [400] * (limit - 1)
        assert codes[limit - 1 :] == [429] * (12 - limit)

    def test_anonymous_gets_401(self, api):
        assert api.get("/api/v1/me/").status_code == 401
        assert api.get("/api/v1/enrollments/").status_code == 401

    def test_domain_availability(self, admin):
        client = api_as(admin)
        assert client.get("/api/v1/domains/fabrikamde/").data == {
            "domain": "fabrikamde.onmicrosoft.com",
            "available": False,
        }
        assert client.get("/api/v1/domains/fresh1/").data == {
            "domain": "fresh1.onmicrosoft.com",
            "available": True,
        }
        assert client.get("/api/v1/domains/bad-prefix/").status_code == 400


class TestMpn:
    def test_pmc_sign_in_lists_the_profiles(self, admin, mpn):
        MpnProfileFactory(mpn_id="4820002", country="DE", status="inactive", pmc_account=mpn.pmc_account)
        response = api_as(admin).post(
            "/api/v1/mpn/sign-in/", {"username": "fabrikam", "password": PASSWORD}, format="json"
        )
        assert response.status_code == 200
        assert response.data["profiles"] == [
            {
                "mpn_id": "4820001",
                "company_name": "Fabrikam Deutschland GmbH",
                "country": "DE",
                "status": "active",
            },
            {
                "mpn_id": "4820002",
                "company_name": mpn.pmc_account.profiles.get(mpn_id="4820002").company_name,
                "country": "DE",
                "status": "inactive",
            },
        ]

    @pytest.mark.parametrize("username,password", [("fabrikam", "wrong"), ("nobody", PASSWORD)])
    def test_pmc_wrong_credentials(self, admin, mpn, username, password):
        response = api_as(admin).post(
            "/api/v1/mpn/sign-in/", {"username": username, "password": password}, format="json"
        )
        assert response.status_code == 400
        assert "username or password is wrong" in response.data["non_field_errors"][0]

    def test_lookup(self, admin, mpn):
        client = api_as(admin)
        assert client.get("/api/v1/mpn/4820001/").data["status"] == "active"
        assert client.get("/api/v1/mpn/9999999/").status_code == 404
        assert client.get("/api/v1/mpn/not-a-number/").status_code == 404


class TestEnrollmentCreate:
    def test_created_with_the_documented_shape(self, admin, application, committed):
        with committed():
            response = api_as(admin).post("/api/v1/enrollments/", application, format="json")
        assert response.status_code == 201, response.data
        data = response.data
        assert set(data) >= {
            "id",
            "program",
            "status",
            "submitted_at",
            "due_at",
            "decided_at",
            "decision_reason",
            "checks",
            "timeline",
            "partner",
        }
        assert data["status"] == "pending_email_verification"
        assert set(data["checks"][0]) >= {"kind", "result", "detail", "checked_at"}
        assert set(data["timeline"][0]) >= {"at", "event", "actor", "detail"}
        assert data["partner"]["mpn_id"] == "4820001"
        assert (data["partner"]["country"], data["partner"]["market"], data["partner"]["currency"]) == (
            "DE",
            "europe",
            "EUR",
        )
        assert len(mail.outbox) == 1

    @pytest.mark.parametrize(
        "change,path",
        [
            (lambda a: a.update(mpn_id="9999999"), ["mpn_id"]),
            (lambda a: a["primary_contact"].update(email="jonas@gmail.com"), ["primary_contact", "email"]),
            (lambda a: a["primary_contact"].update(first_name="x" * 51), ["primary_contact", "first_name"]),
            (
                lambda a: a["legal_business_profile"]["address"].update(line1="x" * 201),
                ["legal_business_profile", "address", "line1"],
            ),
            (
                lambda a: a["legal_business_profile"]["address"].update(postal_code=""),
                ["legal_business_profile", "address", "postal_code"],
            ),
            (
                lambda a: a["legal_business_profile"]["address"].update(country="XX"),
                ["legal_business_profile", "address", "country"],
            ),
            (lambda a: a["bank_account"].update(iban="DE00 0000"), ["bank_account", "iban"]),
            (lambda a: a.update(program="direct_bill"), ["program"]),
        ],
    )
    def test_bad_input_is_400_on_the_field(self, admin, application, change, path):
        change(application)
        response = api_as(admin).post("/api/v1/enrollments/", application, format="json")
        assert response.status_code == 400
        node = response.data
        for key in path:
            node = node[key]
        assert isinstance(node, list) and node and all(isinstance(m, str) and m for m in node)
        assert not Enrollment.objects.exists()

    def test_mpn_errors_say_which_rule_failed(self, admin, application):
        MpnProfileFactory(mpn_id="4810001", country="TW")
        MpnProfileFactory(mpn_id="4820002", country="DE", status="inactive")
        client = api_as(admin)
        for mpn_id, words in [("4810001", "Taiwan"), ("4820002", "inactive"), ("1234567", "not found")]:
            response = client.post("/api/v1/enrollments/", {**application, "mpn_id": mpn_id}, format="json")
            assert response.status_code == 400
            assert words in response.data["mpn_id"][0]

    def test_employee_gets_403(self, employee, application):
        response = api_as(employee).post("/api/v1/enrollments/", application, format="json")
        assert response.status_code == 403
        assert not Enrollment.objects.exists()

    def test_second_open_enrollment_is_400_on_program(self, admin, application):
        client = api_as(admin)
        assert client.post("/api/v1/enrollments/", application, format="json").status_code == 201
        response = client.post("/api/v1/enrollments/", application, format="json")
        assert response.status_code == 400
        assert response.data["program"]

    @pytest.mark.parametrize(
        "body",
        [
            None,
            [],
            "text",
            {"program": ["indirect_reseller"]},
            {"legal_business_profile": "x", "primary_contact": [], "bank_account": 5},
            {"mpn_id": {"x": 1}, "language": 7},
            {"legal_business_profile": {"company_name": "x" * 100000, "address": {"country": "\x00"}}},
        ],
    )
    def test_garbage_is_400_never_500(self, admin, body):
        response = api_as(admin).post("/api/v1/enrollments/", body, format="json")
        assert response.status_code == 400

    def test_malformed_json_is_400(self, admin):
        response = api_as(admin).generic(
            "POST", "/api/v1/enrollments/", "{not json", content_type="application/json"
        )
        assert response.status_code == 400


class TestEnrollmentReadAndActions:
    @pytest.fixture
    def enrollment(self, admin, application, committed):
        with committed():
            return enrollment_submit(actor=admin, application=application)

    def test_list_and_detail_for_the_partners_users(self, enrollment, employee):
        client = api_as(employee)
        listing = client.get("/api/v1/enrollments/")
        assert listing.status_code == 200
        assert listing.data["count"] == 1 and listing.data["results"][0]["id"] == str(enrollment.pk)
        assert set(listing.data) == {"count", "next", "previous", "results"}
        assert client.get(f"/api/v1/enrollments/{enrollment.pk}/").status_code == 200

    def test_outsider_gets_404_everywhere(self, enrollment, outsider, outsider_partner):
        client = api_as(outsider)
        # It lists its own partner's enrollment only.
        own = outsider_partner.enrollments.get()
        assert [row["id"] for row in client.get("/api/v1/enrollments/").data["results"]] == [str(own.pk)]
        assert client.get(f"/api/v1/enrollments/{enrollment.pk}/").status_code == 404
        assert client.post(f"/api/v1/enrollments/{enrollment.pk}/withdraw/").status_code == 404
        assert (
            client.post(f"/api/v1/enrollments/{enrollment.pk}/resend-verification-email/").status_code == 404
        )
        enrollment.refresh_from_db()
        assert enrollment.status == "pending_email_verification"

    def test_staff_without_a_tenant_sees_no_partner_enrollment(self, enrollment, staff):
        assert api_as(staff).get(f"/api/v1/enrollments/{enrollment.pk}/").status_code == 404

    def test_employee_gets_403_on_actions(self, enrollment, employee):
        client = api_as(employee)
        assert client.post(f"/api/v1/enrollments/{enrollment.pk}/withdraw/").status_code == 403
        assert (
            client.post(f"/api/v1/enrollments/{enrollment.pk}/resend-verification-email/").status_code == 403
        )

    def test_withdraw_then_409_with_the_current_status(self, enrollment, admin):
        client = api_as(admin)
        response = client.post(
            f"/api/v1/enrollments/{enrollment.pk}/withdraw/", {"reason": "Oops"}, format="json"
        )
        assert response.status_code == 200
        assert response.data["status"] == "withdrawn"
        again = client.post(f"/api/v1/enrollments/{enrollment.pk}/withdraw/")
        assert again.status_code == 409
        assert again.data["code"] == "invalid_transition"
        assert again.data["status"] == "withdrawn"
        assert again.data["detail"]

    def test_resend_then_confirm_with_the_new_token(self, enrollment, admin, api, committed):
        old = LINK.search(mail.outbox[0].body).group(1)
        with committed():
            response = api_as(admin).post(f"/api/v1/enrollments/{enrollment.pk}/resend-verification-email/")
        assert response.status_code == 200
        new = LINK.search(mail.outbox[-1].body).group(1)
        assert api.post("/api/v1/email-verifications/", {"token": old}, format="json").status_code == 400
        confirmed = api.post("/api/v1/email-verifications/", {"token": new}, format="json")
        assert confirmed.status_code == 200
        assert confirmed.data["status"] == "in_review"
        reused = api.post("/api/v1/email-verifications/", {"token": new}, format="json")
        assert reused.status_code == 400 and reused.data["token"]
        resend_after = api_as(admin).post(f"/api/v1/enrollments/{enrollment.pk}/resend-verification-email/")
        assert resend_after.status_code == 409 and resend_after.data["status"] == "in_review"

    @pytest.mark.parametrize("body", [{}, {"token": ""}, {"token": "x" * 500}, {"token": ["a"]}])
    def test_email_verification_bad_token_is_400(self, api, body):
        assert api.post("/api/v1/email-verifications/", body, format="json").status_code == 400

    def test_non_uuid_id_is_404(self, admin):
        assert api_as(admin).get("/api/v1/enrollments/not-a-uuid/").status_code == 404


class TestListQueries:
    def _count(self, client) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/enrollments/").status_code == 200
        return len(ctx.captured_queries)

    def test_constant_number_of_queries(self, admin, django_assert_num_queries):
        partner = PartnerFactory(tenant=admin.tenant)
        EnrollmentFactory(partner=partner, status="withdrawn")
        client = api_as(admin)
        baseline = self._count(client)
        for _ in range(15):
            EnrollmentFactory(partner=partner, status="withdrawn")
        with django_assert_num_queries(baseline):
            response = client.get("/api/v1/enrollments/")
        assert response.data["count"] == 16


class TestSchema:
    def test_schema_and_docs(self, admin):
        client = api_as(admin)
        schema = client.get("/api/v1/schema/")
        assert schema.status_code == 200
        text = schema.content.decode()
        for path in [
            "/api/v1/signup/",
            "/api/v1/auth/token/",
            "/api/v1/me/",
            "/api/v1/mpn/sign-in/",
            "/api/v1/mpn/{mpn_id}/",
            "/api/v1/enrollments/",
            "/api/v1/enrollments/{id}/withdraw/",
            "/api/v1/enrollments/{id}/resend-verification-email/",
            "/api/v1/email-verifications/",
        ]:
            assert path in text
        assert client.get("/api/v1/docs/").status_code == 200

    def test_unknown_api_path_is_json_404(self, admin):
        response = api_as(admin).get("/api/v1/nothing-here/")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")


def test_markets_are_public(api):
    response = api.get("/api/v1/markets/")
    assert response.status_code == 200
    rows = {row["country"]: row for row in response.data}
    assert rows["DE"] == {"country": "DE", "market": "europe", "currency": "EUR"}
    assert rows["TW"]["currency"] == "TWD"
    assert rows["GB"]["currency"] == "GBP"


def test_user_factory_password_works(db):
    user = UserFactory()
    assert user.check_password(PASSWORD)
