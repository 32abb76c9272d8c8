"""API tokens (partnercenter.accounts.models.ApiToken): each sign-in to the API issues one
that expires after API_TOKEN_TTL_DAYS; a password change, however it is made, stops the
user's tokens; a user lists and revokes their own, on a page and through the API."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from partnercenter.accounts import services
from partnercenter.accounts.models import ApiToken, token_digest
from partnercenter.audit.models import Event
from tests.accounts.conftest import NEW_PASSWORD
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def issue(user, password=PASSWORD) -> str:
    response = APIClient().post(
        "/api/v1/auth/token/", {"email": user.email, "password": password}, format="json"
    )
    assert response.status_code == 200, response.data
    return response.data["token"]


def with_token(key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def works(key) -> bool:
    return with_token(key).get("/api/v1/me/").status_code == 200


class TestIssue:
    def test_each_sign_in_issues_a_token_that_expires(self, admin, settings):
        settings.API_TOKEN_TTL_DAYS = 7
        response = APIClient().post(
            "/api/v1/auth/token/", {"email": admin.email, "password": PASSWORD}, format="json"
        )
        key = response.data["token"]
        token = ApiToken.objects.get(user=admin)
        assert response.data["expires_at"] == token.expires_at
        assert token.expires_at - token.created_at == timedelta(days=7)
        other = issue(admin)
        assert other != key and works(key) and works(other)
        assert Event.objects.filter(kind="api_token_issued", object_id=str(admin.pk)).count() == 2

    def test_only_a_digest_of_the_key_is_kept(self, admin):
        key = issue(admin)
        token = ApiToken.objects.get(user=admin)
        assert token.digest == token_digest(key) != key
        assert token.prefix == key[:8]
        assert not ApiToken.objects.filter(digest=key).exists()

    def test_it_expires(self, admin):
        key = issue(admin)
        with time_machine.travel(timezone.now() + timedelta(days=31), tick=False):
            response = with_token(key).get("/api/v1/me/")
            assert response.status_code == 401
            assert "expired" in response.data["detail"]
            assert with_token(key).get("/api/v1/me/tokens/").status_code == 401
        with time_machine.travel(timezone.now() + timedelta(days=29), tick=False):
            assert works(key)

    def test_expired_tokens_are_purged_at_the_next_sign_in(self, admin):
        issue(admin)
        with time_machine.travel(timezone.now() + timedelta(days=31), tick=False):
            issue(admin)
            assert ApiToken.objects.filter(user=admin).count() == 1

    def test_an_unknown_token(self, db):
        response = with_token("0" * 40).get("/api/v1/me/")
        assert response.status_code == 401
        assert response.data["detail"] == "Invalid token."


class TestPasswordChangeRevokes:
    def test_through_the_page_every_token_stops(self, client, admin):
        keys = [issue(admin), issue(admin)]
        client.force_login(admin)
        response = client.post(
            "/account/password/",
            {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        assert response.status_code == 302
        assert not any(works(key) for key in keys)
        assert not ApiToken.objects.filter(user=admin).exists()
        assert works(issue(admin, NEW_PASSWORD))

    def test_through_the_api_the_token_used_goes_on_and_the_others_stop(self, admin):
        used, other = issue(admin), issue(admin)
        response = with_token(used).post(
            "/api/v1/me/password/", {"old_password": PASSWORD, "new_password": NEW_PASSWORD}, format="json"
        )
        assert response.status_code == 200, response.data
        assert works(used)
        assert not works(other)

    def test_a_reset_by_staff_in_the_admin_stops_them(self, admin):
        key = issue(admin)
        form = AdminPasswordChangeForm(admin, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
        assert form.is_valid(), form.errors
        form.save()
        response = with_token(key).get("/api/v1/me/")
        assert response.status_code == 401
        assert "password changed" in response.data["detail"]

    def test_set_password_anywhere_stops_them(self, admin):
        key = issue(admin)
        admin.set_password(NEW_PASSWORD)
        admin.save()
        assert not works(key)

    def test_the_service_keeps_only_the_token_it_is_given(self, admin):
        issue(admin), issue(admin)
        kept = ApiToken.objects.filter(user=admin).first()
        services.password_change(
            user=admin, old_password=PASSWORD, new_password=NEW_PASSWORD, keep_token=kept
        )
        assert list(ApiToken.objects.filter(user=admin)) == [kept]
        kept.refresh_from_db()
        kept.user.refresh_from_db()
        assert kept.is_valid()


class TestOwnTokensApi:
    def test_list_marks_the_current_one(self, admin):
        key, other = issue(admin), issue(admin)
        response = with_token(key).get("/api/v1/me/tokens/")
        assert response.status_code == 200
        rows = response.data["results"]
        assert [r["prefix"] for r in rows] == [other[:8], key[:8]]
        assert [r["current"] for r in rows] == [False, True]
        assert set(rows[0]) == {"id", "prefix", "created_at", "expires_at", "current"}

    def test_revoke(self, admin):
        key, other = issue(admin), issue(admin)
        token_id = ApiToken.objects.get(digest=token_digest(other)).pk
        client = with_token(key)
        assert client.delete(f"/api/v1/me/tokens/{token_id}/").status_code == 204
        assert not works(other) and works(key)
        assert client.delete(f"/api/v1/me/tokens/{token_id}/").status_code == 404
        assert Event.objects.filter(kind="api_token_revoked", object_id=str(admin.pk)).count() == 1

    def test_revoking_the_token_in_use(self, admin):
        key = issue(admin)
        token_id = ApiToken.objects.get(user=admin).pk
        assert with_token(key).delete(f"/api/v1/me/tokens/{token_id}/").status_code == 204
        assert not works(key)

    def test_another_users_token_is_not_found(self, admin, outsider):
        theirs = issue(outsider)
        token_id = ApiToken.objects.get(user=outsider).pk
        mine = with_token(issue(admin))
        assert mine.delete(f"/api/v1/me/tokens/{token_id}/").status_code == 404
        assert token_id not in [r["id"] for r in mine.get("/api/v1/me/tokens/").data["results"]]
        assert works(theirs)

    def test_anonymous_gets_401(self, db):
        assert APIClient().get("/api/v1/me/tokens/").status_code == 401

    def test_the_list_keeps_its_number_of_queries(self, admin, django_assert_num_queries):
        key = issue(admin)
        client = with_token(key)
        client.get("/api/v1/me/tokens/")  # warm up (content types, ...)
        with django_assert_num_queries(3):  # the token with its user, the count, the page
            client.get("/api/v1/me/tokens/")
        for _ in range(5):
            issue(admin)
        with django_assert_num_queries(3):
            assert len(client.get("/api/v1/me/tokens/").data["results"]) == 6

    def test_documented_in_the_openapi_schema(self):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        paths = schema["paths"]
        assert "get" in paths["/api/v1/me/tokens/"]
        delete = paths["/api/v1/me/tokens/{token_id}/"]["delete"]
        assert {"204", "404"} <= set(delete["responses"])
        token = paths["/api/v1/auth/token/"]["post"]["responses"]
        assert {"200", "400", "429"} <= set(token)
        assert "expires_at" in schema["components"]["schemas"]["AuthToken"]["properties"]


class TestOwnTokensPage:
    def test_list_and_revoke(self, client, admin):
        key, other = issue(admin), issue(admin)
        client.force_login(admin)
        page = client.get("/account/tokens/").content.decode()
        assert key[:8] in page and other[:8] in page
        assert key not in page
        token_id = ApiToken.objects.get(digest=token_digest(other)).pk
        response = client.post(f"/account/tokens/{token_id}/revoke/")
        assert response.status_code == 302 and response["Location"] == "/account/tokens/"
        assert not works(other) and works(key)
        assert f"<code>{other[:8]}…</code>" not in client.get("/account/tokens/").content.decode()

    def test_the_page_is_paged_and_keeps_its_number_of_queries(
        self, client, admin, monkeypatch, django_assert_num_queries
    ):
        from partnercenter.accounts import views

        monkeypatch.setattr(views, "TOKENS_PAGE_SIZE", 2)
        issue(admin)
        client.force_login(admin)
        client.get("/account/tokens/")  # warm up (session, content types)
        with django_assert_num_queries(6):  # the session, the user with its tenant, the count, the page, ...
            client.get("/account/tokens/")
        for _ in range(4):
            issue(admin)
        with django_assert_num_queries(6):
            page = client.get("/account/tokens/").content.decode()
        assert page.count("<code>") == 2 and "page=2" in page

    def test_another_users_token_is_not_found(self, client, admin, outsider):
        theirs = issue(outsider)
        token_id = ApiToken.objects.get(user=outsider).pk
        client.force_login(admin)
        assert client.post(f"/account/tokens/{token_id}/revoke/").status_code == 404
        assert works(theirs)

    def test_anonymous_goes_to_sign_in(self, client):
        response = client.get("/account/tokens/")
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/")

    def test_revoke_needs_a_post(self, client, admin):
        issue(admin)
        client.force_login(admin)
        token_id = ApiToken.objects.get(user=admin).pk
        assert client.get(f"/account/tokens/{token_id}/revoke/").status_code == 405


def test_staff_revoke_a_token_in_the_admin(client, admin):
    from tests.factories import UserFactory

    key = issue(admin)
    token = ApiToken.objects.get(user=admin)
    superuser = UserFactory(
        tenant=None, roles=[], email="ada@partners.test", is_staff=True, is_superuser=True
    )
    client.force_login(superuser)
    page = client.get("/admin/accounts/apitoken/")
    assert page.status_code == 200 and key[:8] in page.content.decode() and key not in page.content.decode()
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
    response = client.post(f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not works(key)
