"""POST /oauth2/token, hardened (partnercenter.accounts.token_endpoint): throttled per client
IP address at the credentials rate, 429 with Retry-After; with Redis away it still answers
(the cache fails open); and the Partner Center SDK runs on the token it gives, over HTTP."""

import socket

import pytest
import requests
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from microsoft.store.partnercenterservices import MicrosoftPartnerStoreApis
from msrest.authentication import BasicTokenAuthentication
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from partnercenter.accounts import oauth_apps

pytestmark = pytest.mark.django_db

RATE = int(api_settings.DEFAULT_THROTTLE_RATES["credentials"].split("/")[0])


def token_request(app, secret, client=None, **extra):
    return (client or Client()).post(
        "/oauth2/token",
        {"grant_type": "client_credentials", "client_id": app.client_id, "client_secret": secret},
        **extra,
    )


@pytest.fixture
def registered(reseller_admin):
    return oauth_apps.app_register(actor=reseller_admin, name="Billing automation")


class TestThrottle:
    def test_a_client_over_the_credentials_rate_gets_429_with_retry_after(self, registered):
        app, secret = registered
        codes = [token_request(app, secret + "-guess").status_code for _ in range(RATE)]
        assert codes == [401] * RATE
        # The right secret too: the client is paused, whatever it sends.
        throttled = token_request(app, secret)
        assert throttled.status_code == 429
        assert 0 < int(throttled["Retry-After"]) <= 60
        body = throttled.json()
        assert body["error"] == "temporarily_unavailable"
        assert throttled["Retry-After"] in body["error_description"]

    def test_another_client_is_not_paused(self, registered, settings):
        app, secret = registered
        for _ in range(RATE + 1):
            token_request(app, secret, REMOTE_ADDR="203.0.113.7")
        assert token_request(app, secret, REMOTE_ADDR="203.0.113.7").status_code == 429
        assert token_request(app, secret, REMOTE_ADDR="203.0.113.8").status_code == 200

    def test_a_forwarded_for_header_a_client_sends_itself_changes_nothing(self, registered):
        app, secret = registered
        for i in range(RATE):
            token_request(app, secret, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
        assert token_request(app, secret, HTTP_X_FORWARDED_FOR="198.51.100.200").status_code == 429

    def test_the_sign_ins_are_counted_apart(self, registered, reseller_admin):
        app, secret = registered
        for _ in range(RATE):
            token_request(app, secret)
        signin = APIClient().post(
            "/api/v1/auth/token/", {"email": reseller_admin.email, "password": "wrong"}, format="json"
        )
        assert signin.status_code == 400

    def test_with_redis_away_the_token_endpoint_answers(self, registered):
        app, secret = registered
        with socket.socket() as sock:  # a port where nothing listens
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        away = {
            "default": {
                "BACKEND": "partnercenter.core.cache.FailOpenRedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
                "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
            },
            "fragments": settings.CACHES["fragments"],
        }
        with override_settings(CACHES=away):
            codes = [token_request(app, secret).status_code for _ in range(RATE + 2)]
            assert cache.get("anything") is None
        # Uncounted while Redis is away: no 500, no 429.
        assert codes == [200] * (RATE + 2)

    def test_get_is_not_allowed(self, db):
        assert Client().get("/oauth2/token").status_code == 405


def _sdk(base_url, token) -> MicrosoftPartnerStoreApis:
    return MicrosoftPartnerStoreApis(BasicTokenAuthentication({"access_token": token}), base_url=base_url)


def test_the_sdk_runs_on_a_token_from_the_endpoint(live_server, reseller_admin):
    """Over real HTTP: the app's client credentials → a token → the SDK's call reaches /v1/
    past authentication (the catch-all's 404 here: no customer resource on this branch) →
    the app is removed → 401."""
    app, secret = oauth_apps.app_register(actor=reseller_admin, name="SDK")
    answer = requests.post(
        f"{live_server.url}/oauth2/token",
        data={
            "grant_type": "client_credentials",
            "client_id": app.client_id,
            "client_secret": secret,
            "resource": "https://api.partnercenter.microsoft.com",
        },
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    token = answer.json()["access_token"]
    client = _sdk(live_server.url, token)
    # The SDK answers 401 and 404 without raising: the raw response tells them apart.
    found = client.getvversioncustomerscustomer.idaddons(
        "no-such-customer", "no-such-subscription", "1", raw=True
    )
    assert found.response.status_code == 404
    assert found.response.json()["code"] == 3000
    oauth_apps.app_revoke(actor=reseller_admin, app=app)
    refused = client.getvversioncustomerscustomer.idaddons(
        "no-such-customer", "no-such-subscription", "1", raw=True
    )
    assert refused.response.status_code == 401
