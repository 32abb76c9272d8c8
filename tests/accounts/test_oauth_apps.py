"""The OAuth 2.0 apps a partner's global admin registers (partnercenter.accounts.oauth_apps):
registered through the API, the app gets a client-credentials token from POST /oauth2/token
that acts as the admin on /api/v1/ and /v1/, until the app is removed; only a partner's
global admin manages them, and another partner's app is not found."""

import hashlib

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client
from oauth2_provider.models import AccessToken, Application
from rest_framework.test import APIClient

from partnercenter.accounts import oauth_apps
from partnercenter.accounts.models import Role
from partnercenter.audit.models import Event
from partnercenter.core.errors import InvalidInput, NotPermitted
from tests.cast import user_of

pytestmark = pytest.mark.django_db

APPS = "/api/v1/partner/apps/"


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def register(user, name="Billing automation") -> dict:
    response = api_as(user).post(APPS, {"name": name}, format="json")
    assert response.status_code == 201, response.data
    return response.json()


def token_request(client_id, client_secret, **extra):
    return Client().post(
        "/oauth2/token",
        {"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret, **extra},
    )


def access_token(app: dict, **extra) -> str:
    response = token_request(app["client_id"], app["client_secret"], **extra)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer"
    return body["access_token"]


def bearer(token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


class TestJourney:
    def test_register_get_a_token_call_the_apis_then_revoke(self, reseller_admin):
        app = register(reseller_admin)
        assert set(app) == {
            "id",
            "name",
            "client_id",
            "client_secret",
            "created_at",
            "registered_by",
            "token_endpoint",
        }
        assert app["token_endpoint"] == "http://testserver/oauth2/token"
        token = access_token(app)
        me = bearer(token).get("/api/v1/me/")
        assert me.status_code == 200
        assert me.json()["email"] == reseller_admin.email
        # /v1/ takes it: the catch-all's 404 (code 3000) is past authentication.
        unknown = bearer(token).get("/v1/no/such/resource")
        assert unknown.status_code == 404
        assert unknown.json()["code"] == 3000

        response = api_as(reseller_admin).delete(f"{APPS}{app['id']}/")
        assert response.status_code == 204
        assert bearer(token).get("/api/v1/me/").status_code == 401
        assert bearer(token).get("/v1/no/such/resource").status_code == 401
        assert not AccessToken.objects.exists()
        assert token_request(app["client_id"], app["client_secret"]).status_code == 401
        assert api_as(reseller_admin).delete(f"{APPS}{app['id']}/").status_code == 404

    def test_the_app_is_confidential_client_credentials_with_the_secret_hashed(self, reseller_admin):
        app = register(reseller_admin)
        stored = Application.objects.get(pk=app["id"])
        assert stored.user == reseller_admin
        assert stored.client_type == Application.CLIENT_CONFIDENTIAL
        assert stored.authorization_grant_type == Application.GRANT_CLIENT_CREDENTIALS
        assert stored.client_secret != app["client_secret"]
        assert check_password(app["client_secret"], stored.client_secret)
        assert app["client_secret"] not in str(api_as(reseller_admin).get(APPS).content)

    def test_an_access_token_is_kept_as_its_sha256_only(self, reseller_admin):
        token = access_token(register(reseller_admin))
        stored = AccessToken.objects.get()
        assert stored.token == ""
        assert stored.token_checksum == hashlib.sha256(token.encode()).hexdigest()
        assert bearer(token).get("/api/v1/me/").status_code == 200

    def test_a_token_in_the_query_string_is_refused(self, reseller_admin):
        token = access_token(register(reseller_admin))
        assert APIClient().get(f"/api/v1/me/?access_token={token}").status_code == 401

    def test_the_secret_is_not_kept_by_caches(self, reseller_admin):
        response = api_as(reseller_admin).post(APPS, {"name": "Billing automation"}, format="json")
        assert response["Cache-Control"] == "no-store"

    def test_a_wrong_secret_is_401_from_the_token_endpoint(self, reseller_admin):
        app = register(reseller_admin)
        response = token_request(app["client_id"], app["client_secret"] + "x")
        assert response.status_code == 401
        assert response.json()["error"] == "invalid_client"
        assert token_request("no-such-client", "secret").status_code == 401

    def test_only_client_credentials(self, reseller_admin):
        app = register(reseller_admin)
        response = token_request(
            app["client_id"], app["client_secret"], grant_type="password", username="x", password="y"
        )
        assert response.status_code in (400, 401)
        assert "access_token" not in response.json()

    def test_partner_centers_resource_is_accepted_and_ignored(self, reseller_admin):
        app = register(reseller_admin)
        for resource in ("https://api.partnercenter.microsoft.com", "https://graph.windows.net", "not a url"):
            token = access_token(app, resource=resource)
            assert bearer(token).get("/api/v1/me/").status_code == 200
            assert bearer(token).get("/v1/no/such/resource").status_code == 404
        assert all(t.resource == [] for t in AccessToken.objects.all())

    def test_the_token_acts_with_the_admins_roles_as_they_are_now(self, reseller, reseller_admin):
        app = register(reseller_admin)
        token = access_token(app)
        reseller_admin.is_active = False
        reseller_admin.save(update_fields=["is_active"])
        assert bearer(token).get("/api/v1/me/").status_code == 401

    def test_a_rotated_secret_replaces_the_old_one_and_its_tokens(self, reseller_admin):
        app = register(reseller_admin)
        token = access_token(app)
        response = api_as(reseller_admin).post(f"{APPS}{app['id']}/secret/")
        assert response.status_code == 200
        rotated = response.json()
        assert rotated["client_id"] == app["client_id"] and rotated["client_secret"] != app["client_secret"]
        assert bearer(token).get("/api/v1/me/").status_code == 401
        assert token_request(app["client_id"], app["client_secret"]).status_code == 401
        assert bearer(access_token(rotated)).get("/api/v1/me/").status_code == 200


class TestWho:
    def test_another_global_admin_of_the_partner_sees_and_removes_them(self, reseller, reseller_admin):
        app = register(reseller_admin)
        colleague = user_of(reseller, email="second.admin@" + reseller.tenant.domain)
        listed = api_as(colleague).get(APPS).json()["results"]
        assert [a["id"] for a in listed] == [app["id"]]
        assert api_as(colleague).delete(f"{APPS}{app['id']}/").status_code == 204

    def test_another_partners_app_is_not_found(self, reseller_admin, outsider):
        app = register(reseller_admin)
        assert api_as(outsider).get(APPS).json()["results"] == []
        assert api_as(outsider).delete(f"{APPS}{app['id']}/").status_code == 404
        assert api_as(outsider).post(f"{APPS}{app['id']}/secret/").status_code == 404
        assert Application.objects.filter(pk=app["id"]).exists()

    @pytest.mark.parametrize("role", [Role.ADMIN_AGENT, Role.SALES_AGENT])
    def test_an_employee_is_refused(self, reseller, reseller_admin, role):
        app = register(reseller_admin)
        employee = user_of(reseller, role)
        client = api_as(employee)
        for response in (
            client.get(APPS),
            client.post(APPS, {"name": "Mine"}, format="json"),
            client.delete(f"{APPS}{app['id']}/"),
            client.post(f"{APPS}{app['id']}/secret/"),
        ):
            assert response.status_code == 403
            assert "global admin" in response.json()["detail"]
        assert Application.objects.count() == 1

    def test_staff_are_refused_with_the_reason(self, reviewer):
        response = api_as(reviewer).post(APPS, {"name": "Mine"}, format="json")
        assert response.status_code == 403
        assert "Program staff" in response.json()["detail"]
        assert api_as(reviewer).get(APPS).status_code == 403

    def test_a_customers_global_admin_is_refused_with_the_reason(self, customer_admin):
        response = api_as(customer_admin).post(APPS, {"name": "Mine"}, format="json")
        assert response.status_code == 403
        assert "not enrolled as a partner" in response.json()["detail"]

    def test_an_applicants_global_admin_is_refused(self, admin):
        # A tenant whose partner does not exist yet (it has not enrolled).
        assert api_as(admin).post(APPS, {"name": "Mine"}, format="json").status_code == 403

    def test_anonymous_is_401(self, db):
        assert APIClient().get(APPS).status_code == 401
        assert APIClient().post(APPS, {"name": "Mine"}, format="json").status_code == 401


class TestName:
    def test_required(self, reseller_admin):
        for body in ({}, {"name": ""}, {"name": "   "}):
            response = api_as(reseller_admin).post(APPS, body, format="json")
            assert response.status_code == 400
            assert "name" in response.json()

    def test_at_most_255_characters(self, reseller_admin):
        response = api_as(reseller_admin).post(APPS, {"name": "x" * 256}, format="json")
        assert response.status_code == 400 and "name" in response.json()
        assert register(reseller_admin, "x" * 255)["name"] == "x" * 255

    def test_unique_per_partner_whatever_the_case(self, reseller, reseller_admin, outsider):
        register(reseller_admin, "Billing automation")
        colleague = user_of(reseller, email="second.admin@" + reseller.tenant.domain)
        response = api_as(colleague).post(APPS, {"name": "billing  AUTOMATION"}, format="json")
        assert response.status_code == 400
        assert "already has an app" in response.json()["name"][0]
        # Another partner may use it.
        assert register(outsider, "Billing automation")

    def test_not_a_string(self, reseller_admin):
        for name in (None, ["x"], {"a": 1}):
            response = api_as(reseller_admin).post(APPS, {"name": name}, format="json")
            assert response.status_code == 400, name


class TestServices:
    def test_register_writes_one_audit_row(self, reseller_admin):
        app, secret = oauth_apps.app_register(actor=reseller_admin, name="Billing automation")
        event = Event.objects.get(kind="app_registered")
        assert (event.object_type, event.object_id) == ("oauth2_provider.application", str(app.pk))
        assert event.tenant_id == reseller_admin.tenant_id
        assert event.data == {"name": "Billing automation", "client_id": app.client_id}
        assert secret not in str(event.data)

    def test_refusals_write_nothing(self, reseller, reseller_admin, outsider):
        app, _secret = oauth_apps.app_register(actor=reseller_admin, name="Billing automation")
        before = Event.objects.count()
        with pytest.raises(NotPermitted):
            oauth_apps.app_revoke(actor=outsider, app=app)
        with pytest.raises(NotPermitted):
            oauth_apps.app_register(actor=user_of(reseller, Role.SALES_AGENT), name="Other")
        with pytest.raises(InvalidInput):
            oauth_apps.app_register(actor=reseller_admin, name="Billing automation")
        assert Event.objects.count() == before

    def test_revoking_twice_writes_one_row(self, reseller_admin):
        app, _secret = oauth_apps.app_register(actor=reseller_admin, name="Billing automation")
        oauth_apps.app_revoke(actor=reseller_admin, app=app)
        oauth_apps.app_revoke(actor=reseller_admin, app=app)
        assert Event.objects.filter(kind="app_revoked").count() == 1


class TestList:
    def test_newest_first_in_constant_queries(self, reseller, reseller_admin):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        register(reseller_admin, "First")
        client = api_as(reseller_admin)
        with CaptureQueriesContext(connection) as one:
            client.get(APPS)
        for i in range(5):
            register(user_of(reseller, email=f"admin{i}@{reseller.tenant.domain}"), f"App {i}")
        with CaptureQueriesContext(connection) as six:
            response = client.get(APPS)
        assert len(six) == len(one)
        names = [a["name"] for a in response.json()["results"]]
        assert names == ["App 4", "App 3", "App 2", "App 1", "App 0", "First"]
        assert all("client_secret" not in a for a in response.json()["results"])
