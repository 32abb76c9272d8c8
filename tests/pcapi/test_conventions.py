"""Partner Center's conventions on /v1/ (issue 14), each once: bearer tokens from
/oauth2/token, 401 and 404 in Partner Center's error shape, X-Locale, MS-CorrelationId,
MS-RequestId and seek paging. The resources' own tests are beside this one."""

import logging
import threading

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import path
from rest_framework.response import Response
from rest_framework.test import APIClient

from partnercenter.accounts.models import Tenant
from partnercenter.pcapi import idempotency, paging, shapes
from partnercenter.pcapi.models import IdempotentRequest
from partnercenter.pcapi.views import PartnerCenterView
from partnercenter.urls import urlpatterns as portal_urls
from tests.cast import make_provider, user_of
from tests.factories import TenantFactory

from . import bearer_for, pc_client

pytestmark = pytest.mark.django_db


class TenantsView(PartnerCenterView):
    """Seek paging over a real table, and an idempotent create (a test's own resource)."""

    def get(self, request):
        rows, next_link, token = paging.seek(
            request,
            Tenant.objects.all(),
            ordering=("created_at", "id"),
            path="/test-tenants",
            default=2,
            maximum=3,
        )
        items = [shapes.resource("Tenant", {"id": str(t.id)}, f"/test-tenants/{t.id}") for t in rows]
        return Response(shapes.collection(items, next_link=next_link, continuation_token=token))

    def post(self, request):
        def create():
            tenant = TenantFactory()
            return Response(shapes.resource("Tenant", {"id": str(tenant.id)}), status=201)

        return idempotency.once(request, create)


urlpatterns = [path("v1/test-tenants", TenantsView.as_view()), *portal_urls]
here = override_settings(ROOT_URLCONF=__name__)


def test_without_a_token_401_in_partner_centers_shape():
    response = APIClient().get("/v1/customers")
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"code", "description", "data", "source"}
    assert body["code"] == 401 and body["data"] == [] and body["description"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_or_unknown_token_is_401():
    admin = user_of(make_provider())
    from datetime import timedelta

    expired = bearer_for(admin, expires_in=timedelta(seconds=-1))
    for token in (expired, "not-a-token"):
        response = APIClient().get("/v1/anything", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 401
        assert response.json()["source"] == "PartnerFD"


def test_an_unknown_address_is_404_code_3000_after_the_token():
    admin = user_of(make_provider())
    response = pc_client(admin).get("/v1/no/such/resource")
    assert response.status_code == 404
    assert response.json()["code"] == 3000


def test_client_credentials_token_acts_for_the_app_owner_on_both_apis():
    from oauth2_provider.models import Application

    admin = user_of(make_provider())
    app = Application(
        name="Onboarding automation",
        user=admin,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret="s3cret-of-the-app-" * 2,
    )
    app.save()
    got = APIClient().post(
        "/oauth2/token",
        {
            "grant_type": "client_credentials",
            "client_id": app.client_id,
            "client_secret": "s3cret-of-the-app-" * 2,
        },
        format="multipart",
    )
    assert got.status_code == 200, got.content
    token = got.json()["access_token"]
    me = APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200 and me.json()["email"] == admin.email
    assert APIClient().get("/v1/nothing", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404
    admin.is_active = False
    admin.save()
    assert APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_x_locale_picks_the_language_and_correlation_id_is_echoed_and_logged(caplog):
    admin = user_of(make_provider())
    client = pc_client(admin, **{"X-Locale": "ru-RU", "MS-CorrelationId": "c0ffee-42"})
    with caplog.at_level(logging.INFO, logger="partnercenter.pcapi"):
        response = client.get("/v1/no/such/resource")
    assert response["MS-CorrelationId"] == "c0ffee-42"
    assert response["Content-Language"] == "ru"
    russian = pc_client(None, **{"X-Locale": "ru-RU"}).get("/v1/customers").json()["description"]
    assert russian != pc_client().get("/v1/customers").json()["description"]
    assert "Учетные данные" in russian  # DRF's catalog: "Authentication credentials were not provided."
    assert any("MS-CorrelationId=c0ffee-42" in record.getMessage() for record in caplog.records)


@here
def test_seek_paging_reads_one_page_and_follows_the_next_link():
    TenantFactory.create_batch(5)
    admin = user_of(make_provider())  # its tenant too: 6 or more tenants
    total = Tenant.objects.count()
    client = pc_client(admin)
    seen, response = [], client.get("/v1/test-tenants")
    while True:
        body = response.json()
        assert body["attributes"] == {"objectType": "Collection"}
        assert body["totalCount"] == len(body["items"]) <= 2
        seen += [item["id"] for item in body["items"]]
        following = body["links"].get("next")
        if not following:
            break
        assert following["uri"].startswith("/test-tenants?") and "seekOperation=Next" in following["uri"]
        header = following["headers"][0]
        assert header["key"] == "MS-ContinuationToken" and header["value"] == body["continuationToken"]
        response = client.get("/v1" + following["uri"], HTTP_MS_CONTINUATIONTOKEN=header["value"])
    assert len(seen) == len(set(seen)) == total


@here
def test_a_token_of_another_query_or_a_bad_size_is_400():
    TenantFactory.create_batch(3)
    client = pc_client(user_of(make_provider()))
    token = client.get("/v1/test-tenants").json()["continuationToken"]
    other = client.get("/v1/test-tenants?size=3&seekOperation=Next", HTTP_MS_CONTINUATIONTOKEN=token)
    assert other.status_code == 400 and other.json()["code"] == 2000
    forged = client.get("/v1/test-tenants?seekOperation=Next", HTTP_MS_CONTINUATIONTOKEN=token + "x")
    assert forged.status_code == 400
    for size in ("0", "4", "many"):
        response = client.get(f"/v1/test-tenants?size={size}")
        assert response.status_code == 400 and response.json()["data"][0]["field"] == "size"


@here
def test_ms_request_id_creates_once_and_refuses_another_body():
    client = pc_client(user_of(make_provider()))
    before = Tenant.objects.count()
    first = client.post("/v1/test-tenants", {"name": "a"}, format="json", HTTP_MS_REQUESTID="req-1")
    again = client.post("/v1/test-tenants", {"name": "a"}, format="json", HTTP_MS_REQUESTID="req-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Tenant.objects.count() == before + 1
    other = client.post("/v1/test-tenants", {"name": "b"}, format="json", HTTP_MS_REQUESTID="req-1")
    assert other.status_code == 409
    client.post("/v1/test-tenants", {"name": "a"}, format="json")
    assert Tenant.objects.count() == before + 2  # no key: every time


@here
@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_key_at_once_create_once():
    admin = user_of(make_provider())
    token = bearer_for(admin)
    before = Tenant.objects.count()
    barrier, answers = threading.Barrier(2), []

    def ask():
        try:
            barrier.wait()
            client = APIClient(HTTP_AUTHORIZATION=f"Bearer {token}")
            answers.append(
                client.post("/v1/test-tenants", {"n": 1}, format="json", HTTP_MS_REQUESTID="same").status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [201, 201]
    assert Tenant.objects.count() == before + 1
    assert IdempotentRequest.objects.filter(key="same").count() == 1
