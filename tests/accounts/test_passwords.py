"""The temporary password of an added employee: it signs in, the pages and the API ask for
a new one until it is changed; the password change rules, on the page and the API; the
portal's own password rules (partnercenter.accounts.password_validation) on every form and
API that sets a password."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory
from rest_framework.test import APIClient

from partnercenter.accounts import services
from partnercenter.accounts.middleware import PasswordChangeRequiredMiddleware
from partnercenter.accounts.models import User
from partnercenter.accounts.password_validation import PUBLISHED_DEMO_PASSWORDS
from tests.accounts.conftest import NEW_PASSWORD
from tests.conftest import api_as
from tests.data import SIGNUP
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


# --- The temporary password ------------------------------------------------------------------------------


class TestTemporaryPassword:
    def test_it_works_for_sign_in_and_the_pages_ask_for_a_new_one(self, client, added):
        user, password = added
        response = client.post("/sign-in/", {"username": user.email, "password": password})
        assert response.status_code == 302
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"] == "/account/password/?next=%2F"
        assert client.get("/partner/").status_code == 302
        page = client.get("/account/password/")
        assert page.status_code == 200
        assert b"You signed in with a temporary password" in page.content
        response = client.post(
            "/account/password/?next=/partner/",
            {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        assert response.status_code == 302 and response["Location"] == "/partner/"
        assert client.get("/").status_code == 200  # still signed in, no longer redirected
        user.refresh_from_db()
        assert not user.must_change_password
        assert authenticate(email=user.email, password=password) is None
        assert authenticate(email=user.email, password=NEW_PASSWORD) is not None

    def test_the_api_answers_403_until_it_is_changed(self, added):
        user, password = added
        token = APIClient().post(
            "/api/v1/auth/token/", {"email": user.email, "password": password}, format="json"
        )
        assert token.status_code == 200
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.data['token']}")
        response = client.get("/api/v1/me/")
        assert response.status_code == 403
        assert response.data["detail"].startswith("Change your temporary password first")
        assert client.get("/api/v1/partner/").status_code == 403
        response = client.post(
            "/api/v1/me/password/", {"old_password": password, "new_password": NEW_PASSWORD}, format="json"
        )
        assert response.status_code == 200, response.data
        assert client.get("/api/v1/me/").status_code == 200

    def test_a_browser_session_stays_signed_in_after_changing_through_the_api(self, client, added):
        user, password = added
        client.force_login(user)
        response = client.post(
            "/api/v1/me/password/",
            {"old_password": password, "new_password": NEW_PASSWORD},
            content_type="application/json",
        )
        assert response.status_code == 200
        assert client.get("/api/v1/me/").status_code == 200

    @pytest.mark.parametrize(
        "path,exempt",
        [
            ("/account/password/", True),
            ("/sign-out/", True),
            ("/static/css/portal.css", True),
            ("/i18n/setlang/", True),
            ("/jsi18n/", True),
            ("/api/v1/me/", True),  # the API answers 403 itself
            ("/", False),
            ("/partner/users/", False),
            ("/enrollments/", False),
            ("/admin/", False),
        ],
    )
    def test_which_paths_the_middleware_leaves_alone(self, path, exempt):
        request = RequestFactory().get(path)
        request.user = UserFactory.build(must_change_password=True)
        response = PasswordChangeRequiredMiddleware(lambda r: HttpResponse("page"))(request)
        if exempt:
            assert response.content == b"page"
        else:
            assert response.status_code == 302
            assert response["Location"].startswith("/account/password/")

    def test_a_user_without_a_temporary_password_is_left_alone(self, client, admin):
        client.force_login(admin)
        assert client.get("/").status_code == 200

    @pytest.mark.parametrize(
        "old,new,field",
        [
            ("wrong-password", NEW_PASSWORD, "old_password"),
            (PASSWORD, "12345678901", "new_password"),  # only digits
            (PASSWORD, "short", "new_password"),
            (PASSWORD, PASSWORD, "new_password"),  # the same again
        ],
    )
    def test_password_change_rules(self, admin, old, new, field):
        response = api_as(admin).post(
            "/api/v1/me/password/", {"old_password": old, "new_password": new}, format="json"
        )
        assert response.status_code == 400
        assert set(response.data) == {field}
        admin.refresh_from_db()
        assert admin.check_password(PASSWORD)

    def test_the_page_shows_a_mismatch(self, client, admin):
        client.force_login(admin)
        response = client.post(
            "/account/password/",
            {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": "Other-Password-1"},
        )
        assert response.status_code == 200
        assert b"The two new passwords differ" in response.content

    def test_service_clears_the_flag(self, added):
        user, password = added
        services.password_change(user=user, old_password=password, new_password=NEW_PASSWORD)
        user.refresh_from_db()
        assert not user.must_change_password


# --- The portal's own password rules ------------------------------------------------------------------

WORD_WITH_YEAR = "A common word with a year"
DEMO = "This password is published with the"
REFUSED = [
    ("            ", "Your password cannot be only spaces."),
    ("\t\t\t\t\t\t\t\t\t\t", "Your password cannot be only spaces."),
    ("Password2026", WORD_WITH_YEAR),
    ("Welcome2025!", WORD_WITH_YEAR),
    ("2026-Summer", WORD_WITH_YEAR),
    ("dragon1999??", WORD_WITH_YEAR),
    ("Demo-Partner-2026", DEMO),
    ("demo-admin-2026", DEMO),
    ("Fabrikam-PMC-2026", DEMO),
]


class TestPasswordRules:
    def test_every_rule_is_configured(self):
        names = [v["NAME"].rpartition(".")[2] for v in django_settings.AUTH_PASSWORD_VALIDATORS]
        assert {"NotBlankValidator", "WordWithYearValidator", "DemoPasswordValidator"} <= set(names)

    @pytest.mark.parametrize("password,message", REFUSED)
    def test_refused_with_a_clear_message(self, password, message):
        with pytest.raises(ValidationError) as raised:
            validate_password(password)
        assert any(message in m for m in raised.value.messages), raised.value.messages

    @pytest.mark.parametrize(
        "password",
        ["Correct-Horse-42", NEW_PASSWORD, "Tr0ub4dor2026", "Xkqzv-2026-mlp", "lantern orbit 1999 canal"],
    )
    def test_good_passwords_pass(self, password):
        validate_password(password)

    def test_the_demo_passwords_are_fine_in_debug(self, settings):
        settings.DEBUG = True
        validate_password("Demo-Partner-2026")

    def test_the_list_is_the_one_seed_demo_prints(self):
        from enrollment.management.commands import seed_demo

        printed = {
            seed_demo.PARTNER_PASSWORD,
            *(s[1] for s in seed_demo.STAFF),
            *(p[1] for p in seed_demo.PMC),
        }
        assert {p.lower() for p in printed} == PUBLISHED_DEMO_PASSWORDS

    @pytest.mark.parametrize("password,message", REFUSED[::3])
    def test_the_sign_up_api(self, api, password, message):
        response = api.post("/api/v1/signup/", {**SIGNUP, "password": password}, format="json")
        assert response.status_code == 400
        assert any(message in m for m in response.data["password"])

    @pytest.mark.parametrize("password,message", REFUSED[1::3])
    def test_the_password_change_api(self, admin, password, message):
        response = api_as(admin).post(
            "/api/v1/me/password/", {"old_password": PASSWORD, "new_password": password}, format="json"
        )
        assert response.status_code == 400
        assert any(message in m for m in response.data["new_password"])

    @pytest.mark.parametrize("password,message", REFUSED[2::3])
    def test_the_password_change_page(self, client, admin, password, message):
        client.force_login(admin)
        response = client.post(
            "/account/password/",
            {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
        )
        assert response.status_code == 200
        assert message in response.content.decode()
        admin.refresh_from_db()
        assert admin.check_password(PASSWORD)

    @pytest.mark.parametrize("password,message", REFUSED[::4])
    def test_the_admin_forms(self, client, admin, password, message):
        superuser = UserFactory(
            tenant=None, roles=[], email="ada@partners.test", is_staff=True, is_superuser=True
        )
        client.force_login(superuser)
        response = client.post(
            "/admin/accounts/user/add/",
            {
                "email": "new@partners.test",
                "usable_password": "true",
                "password1": password,
                "password2": password,
            },
        )
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not User.objects.filter(email="new@partners.test").exists()
        response = client.post(
            f"/admin/accounts/user/{admin.pk}/password/", {"password1": password, "password2": password}
        )
        assert response.status_code == 200
        assert message in response.content.decode()
