"""GET /v1/customers/relationshiprequests (the link a customer follows: a real, single-use,
expiring link of the portal's acceptance pages), GET
/v1/validations/checkdomainavailability/{prefix} and HEAD /v1/domains/{domain}."""

from datetime import timedelta
from urllib.parse import urlparse

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from relationships.models import CustomerInvitation, CustomerRelationship, RelationshipRequest
from tests.cast import make_customer_admin, make_provider, user_of
from tests.factories import TenantDomainFactory, TenantFactory

from . import pc_client

pytestmark = pytest.mark.django_db


def link_of(response) -> str:
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["attributes"] == {"objectType": "RelationshipRequest"} and set(body) == {"url", "attributes"}
    assert response["Cache-Control"] == "no-store"
    return body["url"]


def follow(url: str, user):
    """The customer's global admin opens the link and authorizes, on the portal's own page."""
    client = Client()
    client.force_login(user)
    path = urlparse(url).path
    assert client.get(path).status_code == 200
    return client.post(path, {"confirm": "on"})


def test_a_provider_gets_the_link_for_its_reseller_and_the_customer_takes_both(
    provider, provider_admin, reseller, relationship, customer_admin
):
    url = link_of(
        pc_client(provider_admin).get(f"/v1/customers/relationshiprequests?indirectResellerId={reseller.pk}")
    )
    assert url.startswith(f"{settings.SITE_URL}/customer-invitations/")
    invitation = CustomerInvitation.objects.get()
    assert (invitation.reseller_id, invitation.provider_id) == (reseller.pk, provider.pk)
    follow(url, customer_admin)
    roles = set(CustomerRelationship.objects.values_list("partner_id", "role"))
    assert roles == {(reseller.pk, "indirect_reseller"), (provider.pk, "indirect_provider")}
    # Single use: the same link again is refused, and nothing more is made.
    other = make_customer_admin(domain="woodgrove.onmicrosoft.com", name="Woodgrove")
    follow(url, other)
    assert CustomerRelationship.objects.count() == 2


def test_a_reseller_gets_the_link_for_one_of_its_providers(provider, reseller, reseller_admin, relationship):
    url = link_of(
        pc_client(reseller_admin).get(
            f"/v1/customers/relationshiprequests?indirectCloudSolutionProviderId={provider.pk}"
            f"&indirectResellerId={reseller.pk}"
        )
    )
    assert "/customer-invitations/" in url
    assert CustomerInvitation.objects.get().provider_id == provider.pk


def test_the_link_expires(provider_admin, reseller, relationship, customer_admin):
    url = link_of(
        pc_client(provider_admin).get(f"/v1/customers/relationshiprequests?indirectResellerId={reseller.pk}")
    )
    with time_machine.travel(timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS, hours=1)):
        follow(url, customer_admin)
    assert not CustomerRelationship.objects.exists()


def test_a_reseller_not_the_providers_is_400_naming_indirect_reseller_id(provider_admin, reseller):
    response = pc_client(provider_admin).get(
        f"/v1/customers/relationshiprequests?indirectResellerId={reseller.pk}"
    )
    assert response.status_code == 400 and response.json()["data"][0]["field"] == "indirectResellerId"
    response = pc_client(provider_admin).get("/v1/customers/relationshiprequests?indirectResellerId=fabrikam")
    assert response.status_code == 400 and not CustomerInvitation.objects.exists()


def test_a_provider_not_the_resellers_is_400_naming_the_provider(reseller_admin, relationship):
    other = make_provider("Litware Distribution GmbH")
    response = pc_client(reseller_admin).get(
        f"/v1/customers/relationshiprequests?indirectCloudSolutionProviderId={other.pk}"
    )
    assert response.status_code == 400
    assert response.json()["data"][0]["field"] == "indirectCloudSolutionProviderId"


def test_a_direct_bill_partner_gets_a_relationship_request(direct, direct_admin, customer_admin):
    url = link_of(pc_client(direct_admin).get("/v1/customers/relationshiprequests"))
    assert url.startswith(f"{settings.SITE_URL}/relationship-requests/")
    follow(url, customer_admin)
    assert RelationshipRequest.objects.get().status == "accepted"
    assert CustomerRelationship.objects.get().role == "direct_bill_partner"


def test_a_csp_partners_own_tenant_may_not_take_the_link(direct_admin, provider):
    """The CSP-to-CSP rule: a partner's transaction tenant cannot become another's customer."""
    url = link_of(pc_client(direct_admin).get("/v1/customers/relationshiprequests"))
    follow(url, user_of(provider, email="second.admin@distribution.test"))
    assert not CustomerRelationship.objects.exists()


def test_without_parameters_only_a_direct_bill_partner_gets_a_link(provider_admin):
    response = pc_client(provider_admin).get("/v1/customers/relationshiprequests")
    assert response.status_code == 403 and not RelationshipRequest.objects.exists()


# --- Domains ---------------------------------------------------------------------------------------


def test_check_domain_availability_is_a_json_boolean(provider_admin):
    TenantFactory(domain="contoso.onmicrosoft.com")
    client = pc_client(provider_admin)
    taken = client.get("/v1/validations/checkdomainavailability/contoso")
    free = client.get("/v1/validations/checkdomainavailability/wingtiptoys")
    assert (taken.status_code, taken.content, free.content) == (200, b"false", b"true")
    assert client.get("/v1/validations/checkdomainavailability/Contoso").content == b"false"


def test_check_domain_availability_of_a_bad_prefix_is_400(provider_admin):
    response = pc_client(provider_admin).get("/v1/validations/checkdomainavailability/wing-tip")
    assert response.status_code == 400 and response.json()["data"][0]["field"] == "domainPrefix"


def test_head_domains_is_200_when_taken_and_404_when_free(provider_admin):
    TenantFactory(domain="contoso.onmicrosoft.com")
    TenantDomainFactory(name="contoso.com")
    client = pc_client(provider_admin)
    for domain, expected in (
        ("contoso.onmicrosoft.com", 200),
        ("CONTOSO.com", 200),
        ("wingtiptoys.onmicrosoft.com", 404),
        ("x" * 300, 404),
    ):
        response = client.head(f"/v1/domains/{domain}")
        assert (response.status_code, response.content) == (expected, b"")


def test_head_domains_needs_a_bearer_token_like_every_address(db):
    """The authorization matrix asks GET to DELETE; HEAD, the only method here, is asked here."""
    response = pc_client().head("/v1/domains/contoso.onmicrosoft.com")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
