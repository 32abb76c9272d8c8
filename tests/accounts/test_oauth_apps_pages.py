"""App management (/account/apps/): the partner's global admin registers an app and reads its
secret once, with the token endpoint and a curl example; replaces the secret and removes the
app after a confirmation; the navigation offers it to a partner's global admin only."""

import re

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client
from oauth2_provider.models import Application

from partnercenter.accounts import oauth_apps
from partnercenter.accounts.models import Role
from tests.cast import user_of

pytestmark = pytest.mark.django_db

SECRET = re.compile(r'id="app-client-secret"[^>]*value="([^"]+)"')


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestRegister:
    def test_the_secret_is_shown_once_with_the_token_endpoint_and_a_curl_example(self, reseller_admin):
        client = signed_in(reseller_admin)
        response = client.post("/account/apps/", {"name": "Billing automation"})
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        html = response.content.decode()
        secret = SECRET.search(html).group(1)
        app = Application.objects.get(name="Billing automation")
        assert check_password(secret, app.client_secret)
        assert "http://testserver/oauth2/token" in html
        assert "grant_type=client_credentials" in html and f"client_id={app.client_id}" in html
        assert 'data-copy="app-client-secret"' in html
        # Not shown again.
        again = client.get("/account/apps/").content.decode()
        assert app.client_id in again and secret not in again

    def test_a_bad_name_is_shown_on_the_form(self, reseller_admin):
        client = signed_in(reseller_admin)
        client.post("/account/apps/", {"name": "Billing automation"})
        response = client.post("/account/apps/", {"name": "Billing Automation"})
        assert response.status_code == 400
        assert "already has an app" in response.content.decode()
        assert Application.objects.count() == 1

    def test_no_inline_script_or_style(self, reseller_admin):
        html = (
            signed_in(reseller_admin).post("/account/apps/", {"name": "Billing automation"}).content.decode()
        )
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)
        assert "style=" not in html and "<style" not in html


class TestConfirmations:
    def test_remove_asks_first_then_removes(self, reseller_admin):
        app, _secret = oauth_apps.app_register(actor=reseller_admin, name="Billing automation")
        client = signed_in(reseller_admin)
        asked = client.get(f"/account/apps/{app.pk}/revoke/")
        assert asked.status_code == 200
        assert "Remove the app Billing automation?" in asked.content.decode()
        assert Application.objects.filter(pk=app.pk).exists()
        done = client.post(f"/account/apps/{app.pk}/revoke/", follow=True)
        assert done.redirect_chain[-1][0] == "/account/apps/"
        assert "was removed" in done.content.decode()
        assert not Application.objects.filter(pk=app.pk).exists()

    def test_replace_the_secret_asks_first_then_shows_the_new_one(self, reseller_admin):
        app, old = oauth_apps.app_register(actor=reseller_admin, name="Billing automation")
        client = signed_in(reseller_admin)
        assert client.get(f"/account/apps/{app.pk}/secret/").status_code == 200
        app.refresh_from_db()
        assert check_password(old, app.client_secret)
        response = client.post(f"/account/apps/{app.pk}/secret/")
        new = SECRET.search(response.content.decode()).group(1)
        app.refresh_from_db()
        assert new != old and check_password(new, app.client_secret)

    def test_another_partners_app_is_not_found(self, reseller_admin, outsider):
        app, _secret = oauth_apps.app_register(actor=reseller_admin, name="Billing automation")
        client = signed_in(outsider)
        assert client.get(f"/account/apps/{app.pk}/revoke/").status_code == 404
        assert client.post(f"/account/apps/{app.pk}/revoke/").status_code == 404
        assert client.post(f"/account/apps/{app.pk}/secret/").status_code == 404
        assert app.client_id not in client.get("/account/apps/").content.decode()


class TestWho:
    def test_an_employee_and_a_customer_are_refused_with_the_reason(self, reseller, customer_admin):
        response = signed_in(user_of(reseller, Role.ADMIN_AGENT)).get("/account/apps/")
        assert response.status_code == 403
        assert "global admin can register and remove apps" in response.content.decode()
        response = signed_in(customer_admin).get("/account/apps/")
        assert response.status_code == 403
        assert "not enrolled as a partner" in response.content.decode()

    def test_anonymous_is_sent_to_sign_in(self, db):
        response = Client().get("/account/apps/")
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/")

    def test_the_users_page_offers_it_to_a_partners_global_admin(self, reseller, reseller_admin, admin):
        link = 'href="/account/apps/"'
        assert link in signed_in(reseller_admin).get("/partner/users/").content.decode()
        assert signed_in(user_of(reseller, Role.SALES_AGENT)).get("/partner/users/").status_code == 403
        assert link not in signed_in(admin).get("/partner/users/").content.decode()  # no partner yet

    def test_the_list_reads_in_constant_queries(self, reseller, reseller_admin):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = signed_in(reseller_admin)
        oauth_apps.app_register(actor=reseller_admin, name="First")
        client.get("/account/apps/")  # the session and the language settle
        with CaptureQueriesContext(connection) as one:
            client.get("/account/apps/")
        for i in range(4):
            oauth_apps.app_register(
                actor=user_of(reseller, email=f"a{i}@{reseller.tenant.domain}"), name=f"A{i}"
            )
        with CaptureQueriesContext(connection) as five:
            html = client.get("/account/apps/").content.decode()
        assert len(five) == len(one)
        assert all(f"A{i}" in html for i in range(4))
