"""The providers, resellers and customers journey through the REST API only, as API.md
writes it: staff authorize a provider, the provider invites a reseller, the reseller
authorizes it, invites a customer, the customer authorizes both, both sides see the shared
customer, the provider creates a customer tenant for the reseller and orders for it."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from rest_framework.test import APIClient

from tests.billing.factories import line, sold
from tests.cast import make_reviewer
from tests.factories import PASSWORD, TenantFactory, UserFactory, active_partner

pytestmark = pytest.mark.django_db


def client_for(email):
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"email": email, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.data
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")
    return client


def test_provider_reseller_customer_journey(django_capture_on_commit_callbacks):
    provider = active_partner(legal_name="Adatum Distribution GmbH", country="DE")
    reseller = active_partner(legal_name="Trey Research GmbH", country="DE", mpn_id="4880001")
    UserFactory(tenant=provider.tenant, email="anna@adatum.de")
    UserFactory(tenant=reseller.tenant, email="lena@treyresearch.de")
    customer_tenant = TenantFactory(
        name="Woodgrove Bank AG", domain="woodgrovede.onmicrosoft.com", country="DE"
    )
    UserFactory(tenant=customer_tenant, email="paul@woodgrovebank.de")
    make_reviewer("riley@partners.test")

    provider_api, reseller_api = client_for("anna@adatum.de"), client_for("lena@treyresearch.de")
    customer_api, staff_api = client_for("paul@woodgrovebank.de"), client_for("riley@partners.test")

    # Staff authorize the provider; it fills its listing and appears in Find a provider.
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api.post(
            f"/api/v1/review/partners/{provider.pk}/indirect-provider/", {"authorized": True}, format="json"
        )
    assert response.status_code == 200, response.data
    assert (
        provider_api.patch(
            "/api/v1/partner/provider-listing/",
            {"countries": ["DE"], "offers": ["technical_training"]},
            format="json",
        ).status_code
        == 200
    )
    found = reseller_api.get("/api/v1/providers/?country=DE&offers=technical_training").data["results"]
    assert [p["partner_id"] for p in found] == [str(provider.pk)]

    # The provider invites the reseller by MPN ID; the link is emailed.
    with django_capture_on_commit_callbacks(execute=True):
        response = provider_api.post(
            "/api/v1/reseller-invitations/", {"mpn_id": "4880001", "message": "Welcome"}, format="json"
        )
    assert response.status_code == 201 and response.data["status"] == "sent" and response.data["expires_at"]
    token = re.search(r"/reseller-invitations/([A-Za-z0-9_-]+)/", mail.outbox[-1].body).group(1)

    # An indirect reseller cannot create customer tenants (403 with the reason).
    refused = reseller_api.post(
        "/api/v1/customers/", {"company_name": "X", "domain_prefix": "xcorp", "country": "DE"}, format="json"
    )
    assert refused.status_code == 403 and refused.data["detail"]

    # The reseller authorizes the provider; the link works once.
    with django_capture_on_commit_callbacks(execute=True):
        accepted = reseller_api.post(
            "/api/v1/reseller-invitations/accept/", {"token": token, "authorize": True}, format="json"
        )
    assert accepted.status_code in (200, 201), accepted.data
    again = reseller_api.post(
        "/api/v1/reseller-invitations/accept/", {"token": token, "authorize": True}, format="json"
    )
    assert again.status_code == 409 and again.data["code"] == "invalid_transition"

    providers = reseller_api.get("/api/v1/relationships/?relationship_type=IsIndirectResellerOf").data[
        "results"
    ]
    resellers = provider_api.get(
        "/api/v1/relationships/?relationship_type=IsIndirectCloudSolutionProviderOf"
    ).data["results"]
    assert [(r["partner_id"], r["admin_access"], r["state"]) for r in providers] == [
        (str(provider.pk), True, "active")
    ]
    assert [r["partner_id"] for r in resellers] == [str(reseller.pk)]

    # The reseller invites a customer to authorize it and its provider at once.
    invitation = reseller_api.post(
        "/api/v1/customer-invitations/", {"provider_id": str(provider.pk)}, format="json"
    )
    assert invitation.status_code == 201
    assert (
        invitation.data["draft_email"]["subject"]
        and invitation.data["link"] in invitation.data["draft_email"]["body"]
    )
    customer_token = invitation.data["link"].rstrip("/").rsplit("/", 1)[1]
    with django_capture_on_commit_callbacks(execute=True):
        authorized = customer_api.post(
            "/api/v1/customer-invitations/accept/", {"token": customer_token}, format="json"
        )
    assert authorized.status_code in (200, 201), authorized.data

    # Both sides see the shared customer, billed by the provider.
    for api, role in ((reseller_api, "indirect_reseller"), (provider_api, "indirect_provider")):
        rows = api.get("/api/v1/customers/").data["results"]
        assert [row["company_name"] for row in rows] == ["Woodgrove Bank AG"]
        assert rows[0]["billed_by"] == str(provider.pk)
        assert {r["role"] for r in rows[0]["relationships"]} >= {role}
    shared = reseller_api.get(f"/api/v1/customers/?provider={provider.pk}").data["results"]
    assert len(shared) == 1
    customer_id = shared[0]["id"]

    # The provider orders for the customer; the reseller may not.
    price = sold(provider, name="Microsoft 365 Business Standard", unit_price=Decimal("11.70"))
    order = {"lines": [line(price, 10)]}
    assert (
        provider_api.post(f"/api/v1/customers/{customer_id}/orders/", order, format="json").status_code == 201
    )
    assert (
        reseller_api.post(f"/api/v1/customers/{customer_id}/orders/", order, format="json").status_code == 403
    )

    # The provider creates a customer tenant for its reseller.
    created = provider_api.post(
        "/api/v1/customers/",
        {
            "company_name": "Litware Inc",
            "domain_prefix": "litwarede",
            "country": "DE",
            "indirect_reseller_id": str(reseller.pk),
        },
        format="json",
    )
    assert created.status_code == 201, created.data
    assert created.data["tenant"]["domain"] == "litwarede.onmicrosoft.com"
    assert {row["company_name"] for row in reseller_api.get("/api/v1/customers/").data["results"]} == {
        "Woodgrove Bank AG",
        "Litware Inc",
    }

    # The reseller removes the provider's admin access; the relationship stays.
    relationship_id = providers[0]["id"]
    removed = reseller_api.post(f"/api/v1/relationships/{relationship_id}/remove-admin-access/")
    assert removed.status_code == 200
    after = reseller_api.get("/api/v1/relationships/?relationship_type=IsIndirectResellerOf").data["results"][
        0
    ]
    assert (after["admin_access"], after["state"]) == (False, "active")
