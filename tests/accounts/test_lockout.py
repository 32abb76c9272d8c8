"""The sign-in lockout (partnercenter.accounts.lockout): after AXES_FAILURE_LIMIT failures
an account, or a client, cannot sign in on any sign-in (the portal, the admin, the API
token, the Partner Membership Center) until the cool-off ends or staff unlock it; the
client's address follows NUM_PROXIES, never a header a client sends itself."""

from datetime import timedelta

import pytest
import time_machine
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone
from django.utils.module_loading import import_string
from rest_framework.test import APIClient
from rest_framework.throttling import BaseThrottle

from partnercenter.accounts import lockout
from partnercenter.core.client_ip import client_ip
from tests.conftest import api_as
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-ins"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def sign_in(client, email, password, **extra):
    return client.post("/sign-in/", {"username": email, "password": password}, **extra)


def token(email, password, **extra):
    return APIClient().post(
        "/api/v1/auth/token/", {"email": email, "password": password}, format="json", **extra
    )


# --- The portal's sign-in page ---------------------------------------------------------------------


class TestSignInPage:
    def test_the_limit_th_failure_locks_even_the_right_password_out(self, client, admin):
        assert [sign_in(client, admin.email, f"wrong{i}").status_code for i in range(2)] == [200, 200]
        locked = sign_in(client, admin.email, "wrong2")
        assert locked.status_code == 429
        page = locked.content.decode()
        assert LOCKED in page
        assert "Try again in 15 minutes." in page
        assert 'href="/sign-in/"' in page  # the way back
        assert 800 < int(locked["Retry-After"]) <= 900
        right = sign_in(client, admin.email, PASSWORD)
        assert right.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_the_cool_off_ends_it(self, client, admin):
        for i in range(3):
            sign_in(client, admin.email, f"wrong{i}")
        with time_machine.travel(timezone.now() + timedelta(minutes=10), tick=False):
            response = sign_in(client, admin.email, PASSWORD)
            assert response.status_code == 429
            assert "Try again in 5 minutes." in response.content.decode()
        with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
            assert sign_in(client, admin.email, PASSWORD).status_code == 302

    def test_the_limit_follows_the_setting(self, client, admin, settings):
        settings.AXES_FAILURE_LIMIT = 5
        codes = [sign_in(client, admin.email, f"wrong{i}").status_code for i in range(5)]
        assert codes == [200, 200, 200, 200, 429]

    def test_per_account_from_any_client(self, client, admin):
        for i in range(3):
            sign_in(client, admin.email, f"wrong{i}", REMOTE_ADDR=f"198.51.100.{i}")
        assert sign_in(client, admin.email.upper(), PASSWORD, REMOTE_ADDR="198.51.100.99").status_code == 429

    def test_per_client_across_accounts(self, client, admin, employee):
        for i in range(3):
            sign_in(client, f"nobody{i}@fabrikamde.onmicrosoft.com", "guess")
        # Another account, the right password, the same client: paused.
        assert sign_in(client, employee.email, PASSWORD).status_code == 429
        # The same account from elsewhere is not.
        assert sign_in(client, employee.email, PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302

    def test_the_key_is_the_account_in_any_case(self):
        assert lockout.attempted_username(None, {"username": " Ada@Example.COM "}) == "ada@example.com"
        assert lockout.account_key("Fabrikam", lockout.PMC_REALM) == "pmc:fabrikam"
        assert lockout.attempted_username(None, {"username": "   "}) is None

    def test_it_holds_with_redis_down(self, client, admin, settings):
        # The failures are counted in the database: a cache nobody answers changes nothing.
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:1/0",
            },
            "fragments": settings.CACHES["fragments"],
        }
        codes = [sign_in(client, admin.email, f"wrong{i}").status_code for i in range(3)]
        assert codes == [200, 200, 429]
        assert sign_in(client, admin.email, PASSWORD).status_code == 429


# --- The admin's sign-in ----------------------------------------------------------------------------


def test_the_admin_sign_in_is_locked_alike(client):
    staff = UserFactory(tenant=None, roles=[], email="ada@partners.test", is_staff=True, is_superuser=True)
    url = "/admin/login/?next=/admin/"
    codes = [
        client.post(url, {"username": staff.email, "password": f"wrong{i}"}).status_code for i in range(3)
    ]
    assert codes == [200, 200, 429]
    response = client.post(url, {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 429
    assert 'href="/admin/login/"' in response.content.decode()


# --- The API's token endpoint -------------------------------------------------------------------------


class TestTokenEndpoint:
    def test_locks_with_a_translatable_message_and_retry_after(self, admin):
        assert [token(admin.email, f"wrong{i}").status_code for i in range(2)] == [400, 400]
        locked = token(admin.email, "wrong2")
        assert locked.status_code == 429
        assert locked.json()["detail"].startswith(LOCKED)
        assert int(locked["Retry-After"]) > 800
        assert token(admin.email, PASSWORD).status_code == 429

    def test_the_portal_page_and_the_api_count_together(self, client, admin):
        sign_in(client, admin.email, "wrong0")
        token(admin.email, "wrong1")
        assert sign_in(client, admin.email, "wrong2").status_code == 429
        assert token(admin.email, PASSWORD).status_code == 429


# --- The Partner Membership Center sign-in ---------------------------------------------------------


class TestPmcSignIn:
    def test_the_api_locks_the_pmc_account(self, admin, mpn):
        client = api_as(admin)

        def attempt(password, username="fabrikam", **extra):
            body = {"username": username, "password": password}
            return client.post("/api/v1/mpn/sign-in/", body, format="json", **extra)

        assert [attempt(f"wrong{i}").status_code for i in range(2)] == [400, 400]
        locked = attempt("wrong2")
        assert locked.status_code == 429
        assert locked.json()["detail"].startswith(LOCKED)
        assert attempt(PASSWORD).status_code == 429
        assert attempt(PASSWORD, REMOTE_ADDR="198.51.100.8").status_code == 429  # per account
        assert AccessAttempt.objects.filter(username="pmc:fabrikam").exists()

    def test_the_page_locks_and_leads_back_to_the_wizard(self, client, admin, mpn):
        client.force_login(admin)
        for i in range(2):
            response = client.post("/enroll/pmc/sign-in/", {"username": "fabrikam", "password": f"wrong{i}"})
            assert response.status_code == 302
        locked = client.post("/enroll/pmc/sign-in/", {"username": "Fabrikam", "password": "wrong2"})
        assert locked.status_code == 429
        page = locked.content.decode()
        assert LOCKED in page and 'href="/enroll/apply/mpn/"' in page
        again = client.post("/enroll/pmc/sign-in/", {"username": "fabrikam", "password": PASSWORD})
        assert again.status_code == 429
        assert "pmc_profiles" not in client.session


# --- Staff unlock ------------------------------------------------------------------------------------


class TestUnlock:
    def test_by_the_management_command(self, client, admin):
        for i in range(3):
            sign_in(client, admin.email, f"wrong{i}")
        call_command("axes_reset_username", admin.email)
        assert sign_in(client, admin.email, PASSWORD).status_code == 302

    def test_in_the_admin(self, client, admin):
        for i in range(3):
            sign_in(client, admin.email, f"wrong{i}")
        superuser = UserFactory(
            tenant=None, roles=[], email="ada@partners.test", is_staff=True, is_superuser=True
        )
        staff = client_for(superuser)
        attempt = AccessAttempt.objects.get(username=admin.email)
        assert staff.get("/admin/axes/accessattempt/").status_code == 200
        response = staff.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
        assert response.status_code == 302
        assert sign_in(client, admin.email, PASSWORD).status_code == 302


def client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


# --- NUM_PROXIES: the client's address --------------------------------------------------------------


class TestForwardedFor:
    def test_thirty_guesses_with_a_changing_header_are_locked_and_throttled(self, admin):
        codes = [
            token(admin.email, f"wrong{i}", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
            for i in range(30)
        ]
        assert codes[:2] == [400, 400]
        assert set(codes[2:]) == {429}

    def test_the_throttle_alone_ignores_the_header(self, admin, settings):
        settings.AXES_ENABLED = False
        codes = [
            token(admin.email, f"wrong{i}", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
            for i in range(30)
        ]
        assert 429 in codes and codes.index(429) <= 10
        assert set(codes[codes.index(429) :]) == {429}

    def test_behind_one_proxy_the_address_it_appended_counts(self, client, admin, settings):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
        for i in range(3):
            # The client's own header, then what the proxy appended: the real client.
            sign_in(
                client, f"nobody{i}@example.com", "guess", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}, 203.0.113.5"
            )
        assert sign_in(client, admin.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
        assert sign_in(client, admin.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 302

    @pytest.mark.parametrize(
        "num_proxies,forwarded,expected",
        [
            (0, "203.0.113.1", "192.0.2.1"),
            (0, None, "192.0.2.1"),
            (1, "203.0.113.1", "203.0.113.1"),
            (1, "10.0.0.1, 203.0.113.1", "203.0.113.1"),
            (2, "10.0.0.1, 203.0.113.1, 198.51.100.2", "203.0.113.1"),
            (2, "203.0.113.1", "203.0.113.1"),
            (1, "2001:db8::1", "2001:db8::1"),
        ],
    )
    def test_one_rule_for_the_throttle_and_the_lockout(self, settings, num_proxies, forwarded, expected):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": num_proxies}
        extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
        request = RequestFactory().post("/sign-in/", REMOTE_ADDR="192.0.2.1", **extra)
        assert client_ip(request) == expected == BaseThrottle().get_ident(request)

    def test_thirty_guesses_on_the_page_with_a_changing_header(self, client, admin):
        codes = [
            sign_in(client, admin.email, f"wrong{i}", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
            for i in range(30)
        ]
        assert codes[:2] == [200, 200]
        assert set(codes[2:]) == {429}

    def test_a_nul_in_a_header_is_a_failure_not_a_server_error(self, client, admin):
        headers = {"HTTP_USER_AGENT": "evil\x00agent", "HTTP_ACCEPT": "text/html\x00"}
        codes = [sign_in(client, admin.email, f"wrong{i}", **headers).status_code for i in range(3)]
        assert codes == [200, 200, 429]

    def test_a_nul_in_a_header_of_the_api(self, admin):
        assert token(admin.email, "wrong", HTTP_USER_AGENT="evil\x00agent").status_code == 400
        assert AccessAttempt.objects.get().user_agent == "evilagent"

    def test_a_proxy_writing_nonsense_falls_back_to_the_connection(self, client, admin, settings):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
        request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="not-an-address")
        assert client_ip(request) == "192.0.2.1"
        assert client_ip(RequestFactory().post("/", REMOTE_ADDR="unix:/run/gunicorn.sock")) is None
        response = sign_in(client, admin.email, "wrong", HTTP_X_FORWARDED_FOR="x\x00, <script>")
        assert response.status_code == 200

    def test_docker_compose_trusts_its_one_proxy(self):
        import yaml
        from django.conf import settings as django_settings

        compose = yaml.safe_load((django_settings.BASE_DIR / "docker-compose.yml").read_text())
        for name in ("web", "worker", "beat", "migrate"):
            assert compose["services"][name]["environment"]["NUM_PROXIES"] == "${NUM_PROXIES:-1}"

    def test_the_settings_come_from_the_environment(self):
        import os
        import subprocess
        import sys

        from django.conf import settings as django_settings

        code = (
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(), "
            "s.REST_FRAMEWORK['NUM_PROXIES'], s.API_TOKEN_TTL_DAYS)"
        )
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "partnercenter.settings.test",
            "AXES_FAILURE_LIMIT": "7",
            "AXES_COOLOFF_MINUTES": "45",
            "NUM_PROXIES": "2",
            "API_TOKEN_TTL_DAYS": "3",
        }
        result = subprocess.run(  # noqa: S603 - our own interpreter
            [sys.executable, "-c", code],
            cwd=django_settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.stdout.split()[-4:] == ["7", "2700.0", "2", "3"], result.stderr

    def test_the_default_trusts_no_proxy(self):
        from partnercenter.settings import base

        assert base.REST_FRAMEWORK["NUM_PROXIES"] == 0
        assert base.AXES_CLIENT_IP_CALLABLE == "partnercenter.core.client_ip.client_ip"
        assert issubclass(import_string(base.AXES_HANDLER), AxesDatabaseHandler)
