"""GET /v1/customers (with Partner Center's IndirectReseller filter), GET /v1/customers/{id}
and its relationships: the selectors' customers in Partner Center's shape; another
partner's customer is not found (404, code 3000)."""

import json
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cast import direct_customer, make_reseller, share_customer

from . import pc_client

pytestmark = pytest.mark.django_db


def reseller_filter(partner_id, field="IndirectReseller", operator="starts_with") -> str:
    return quote(json.dumps({"Field": field, "Value": str(partner_id), "Operator": operator}))


def test_a_customer_in_partner_centers_shape(provider, provider_admin, reseller, relationship):
    customer = share_customer(provider, reseller, company_name="Woodgrove Bank")
    response = pc_client(provider_admin).get(f"/v1/customers/{customer.pk}")
    assert response.status_code == 200
    assert response.json() == {
        "id": str(customer.pk),
        "companyProfile": {
            "tenantId": str(customer.tenant_id),
            "domain": customer.tenant.domain,
            "companyName": "Woodgrove Bank",
            "attributes": {"objectType": "CustomerCompanyProfile"},
        },
        "billingProfile": {
            "companyName": "Woodgrove Bank",
            "defaultAddress": {"country": customer.tenant.country.code},
            "attributes": {"objectType": "CustomerBillingProfile"},
        },
        "relationshipToPartner": "reseller",
        "allowDelegatedAccess": False,  # the reseller administers it, not its provider
        "associatedPartnerId": str(reseller.pk),
        "links": {"self": {"uri": f"/customers/{customer.pk}", "method": "GET", "headers": []}},
        "attributes": {"objectType": "Customer"},
    }


def test_another_partners_customer_is_404_code_3000(provider_admin, direct):
    theirs = direct_customer(direct)
    for address in (f"/v1/customers/{theirs.pk}", f"/v1/customers/{theirs.pk}/relationships"):
        response = pc_client(provider_admin).get(address)
        assert response.status_code == 404 and response.json()["code"] == 3000


def test_the_list_is_the_callers_customers_seek_paged_in_constant_queries(
    provider, provider_admin, reseller, relationship, direct
):
    direct_customer(direct, company_name="Not mine")
    for index in range(3):
        share_customer(provider, reseller, company_name=f"Customer {index}")
    client = pc_client(provider_admin)
    client.get("/v1/customers?size=2")
    with CaptureQueriesContext(connection) as few:
        first = client.get("/v1/customers?size=2").json()
    for index in range(3, 9):
        share_customer(provider, reseller, company_name=f"Customer {index}")
    with CaptureQueriesContext(connection) as many:
        client.get("/v1/customers?size=2")
    assert len(many) == len(few)
    assert [item["companyProfile"]["companyName"] for item in first["items"]] == ["Customer 0", "Customer 1"]
    assert first["links"]["next"]["headers"][0]["key"] == "MS-ContinuationToken"
    second = client.get(
        "/v1/customers?size=2&seekOperation=Next", HTTP_MS_CONTINUATIONTOKEN=first["continuationToken"]
    )
    assert [item["companyProfile"]["companyName"] for item in second.json()["items"]] == [
        "Customer 2",
        "Customer 3",
    ]


def test_a_provider_filters_its_customers_by_indirect_reseller(
    provider, provider_admin, reseller, relationship
):
    other = make_reseller(provider=provider, legal_name="Tailwind Reseller")
    share_customer(provider, reseller, company_name="Via Fabrikam")
    share_customer(provider, other, company_name="Via Tailwind")
    direct_customer(provider, role="indirect_provider", company_name="Own")
    body = pc_client(provider_admin).get(f"/v1/customers?filter={reseller_filter(reseller.pk)}").json()
    assert [item["companyProfile"]["companyName"] for item in body["items"]] == ["Via Fabrikam"]
    # Any case of the keys and of the operator, as Partner Center's SDKs send them.
    lower = quote(json.dumps({"field": "indirectreseller", "value": str(other.pk), "operator": "StartsWith"}))
    body = pc_client(provider_admin).get(f"/v1/customers?filter={lower}").json()
    assert [item["companyProfile"]["companyName"] for item in body["items"]] == ["Via Tailwind"]


def test_a_reseller_filters_by_its_provider_but_not_by_reseller(
    provider, reseller, reseller_admin, relationship
):
    share_customer(provider, reseller, company_name="Shared")
    body = (
        pc_client(reseller_admin)
        .get(f"/v1/customers?filter={reseller_filter(provider.pk, 'IndirectCloudSolutionProvider')}")
        .json()
    )
    assert [item["companyProfile"]["companyName"] for item in body["items"]] == ["Shared"]
    response = pc_client(reseller_admin).get(f"/v1/customers?filter={reseller_filter(reseller.pk)}")
    assert response.status_code == 400
    assert response.json()["data"] == [{"field": "filter.Field", "description": "IndirectReseller"}]


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ("not json", "filter.Field"),
        (quote("[1, 2]"), "filter.Field"),
        (reseller_filter("x", field="CompanyName"), "filter.Field"),
        (reseller_filter("00000000-0000-0000-0000-000000000001", operator="equals"), "filter.Operator"),
        (reseller_filter("fabrikam"), "filter.Value"),
    ],
)
def test_a_bad_filter_is_400_naming_its_part(raw, field, provider_admin):
    response = pc_client(provider_admin).get(f"/v1/customers?filter={raw}")
    assert response.status_code == 400
    assert response.json()["code"] == 2000 and response.json()["data"][0]["field"] == field


def test_a_customers_relationships_are_the_partners_beside_the_caller(
    provider, provider_admin, reseller, reseller_admin, relationship
):
    customer = share_customer(provider, reseller)
    body = pc_client(provider_admin).get(f"/v1/customers/{customer.pk}/relationships").json()
    assert body["attributes"] == {"objectType": "Collection"}
    assert [(i["id"], i["name"], i["relationshipType"], i["mpnId"]) for i in body["items"]] == [
        (str(reseller.pk), "Fabrikam Cloud GmbH", "IsIndirectResellerOf", "4820777")
    ]
    body = pc_client(reseller_admin).get(f"/v1/customers/{customer.pk}/relationships").json()
    assert [(i["id"], i["relationshipType"]) for i in body["items"]] == [
        (str(provider.pk), "IsIndirectCloudSolutionProviderOf")
    ]
