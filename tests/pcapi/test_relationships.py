"""GET /v1/relationships (Partner Center's "Retrieve a list of indirect resellers" and "...of
indirect providers"): the caller's side of its provider-reseller relationships, through
``selectors.relationships_of``."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cast import make_provider, make_reseller, user_of

from . import pc_client

pytestmark = pytest.mark.django_db


def test_a_provider_lists_its_resellers_in_partner_centers_shape(
    provider, provider_admin, reseller, relationship
):
    response = pc_client(provider_admin).get(
        "/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["attributes"] == {"objectType": "Collection"} and body["totalCount"] == 1
    assert body["items"] == [
        {
            "id": str(reseller.pk),
            "name": "Fabrikam Cloud GmbH",
            "relationshipType": "IsIndirectCloudSolutionProviderOf",
            "state": "active",
            "mpnId": "4820777",
            "location": reseller.country.code,
            "attributes": {"objectType": "PartnerRelationship"},
        }
    ]


@pytest.mark.parametrize(
    "spelling",
    ["IsIndirectResellerOf", "isindirectresellerof", "is_indirect_reseller_of", "IS_INDIRECT_RESELLER_OF"],
)
def test_a_reseller_lists_its_providers_in_any_spelling(
    spelling, provider, reseller, reseller_admin, relationship
):
    body = pc_client(reseller_admin).get(f"/v1/relationships?relationship_type={spelling}").json()
    assert [(item["id"], item["relationshipType"]) for item in body["items"]] == [
        (str(provider.pk), "IsIndirectResellerOf")
    ]


def test_each_side_sees_only_its_own_side(provider_admin, reseller_admin, relationship):
    """The provider is nobody's reseller here, the reseller nobody's provider."""
    provider_side = pc_client(provider_admin).get("/v1/relationships?relationship_type=IsIndirectResellerOf")
    reseller_side = pc_client(reseller_admin).get(
        "/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf"
    )
    assert provider_side.json()["items"] == [] and reseller_side.json()["items"] == []


def test_an_ended_relationship_is_not_listed(provider_admin, relationship):
    relationship.state = "terminated"
    relationship.save(update_fields=["state"])
    body = (
        pc_client(provider_admin)
        .get("/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf")
        .json()
    )
    assert body["items"] == []


@pytest.mark.parametrize("query", ["", "?relationship_type=", "?relationship_type=IsPartnerOf"])
def test_a_missing_or_unknown_type_is_400_naming_relationship_type(query, provider_admin):
    response = pc_client(provider_admin, **{"X-Locale": "en-US"}).get(f"/v1/relationships{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == 2000 and body["data"][0]["field"] == "relationship_type"
    assert "IsIndirectCloudSolutionProviderOf" in body["description"]


def test_resellers_are_seek_paged_in_constant_queries(provider, provider_admin):
    for index in range(3):
        make_reseller(provider=provider, legal_name=f"Reseller {index}")
    client = pc_client(provider_admin)
    address = "/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf&size=2"
    first = client.get(address).json()
    second = client.get(
        address + "&seekOperation=Next", HTTP_MS_CONTINUATIONTOKEN=first["continuationToken"]
    ).json()
    assert first["totalCount"] == 2 and first["links"]["next"]["uri"].endswith("seekOperation=Next")
    assert "next" not in second["links"] and second["totalCount"] == 1
    assert len({item["id"] for item in first["items"] + second["items"]}) == 3
    with CaptureQueriesContext(connection) as few:
        client.get(address)
    for index in range(3, 9):
        make_reseller(provider=provider, legal_name=f"Reseller {index}")
    with CaptureQueriesContext(connection) as many:
        client.get(address)
    assert len(many) == len(few)


def test_another_providers_resellers_are_not_listed(provider_admin, relationship):
    other = make_provider("Litware Distribution GmbH")
    make_reseller(provider=other, legal_name="Litware Reseller")
    body = (
        pc_client(provider_admin)
        .get("/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf")
        .json()
    )
    assert [item["name"] for item in body["items"]] == ["Fabrikam Cloud GmbH"]
    outsider = user_of(other)
    assert [
        i["name"]
        for i in pc_client(outsider)
        .get("/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf")
        .json()["items"]
    ] == ["Litware Reseller"]
