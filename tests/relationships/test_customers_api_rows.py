"""The customers API writes its rows by hand (``CustomerSerializer.to_representation``, issue
12): each row must be what the serializer's declared fields write, key by key and in the
same order, for every kind of row (a provider's own and shared customers, a reseller's
customer its provider bills or that has no provider, a direct-bill partner's customer)."""

import pytest
from rest_framework import serializers

from relationships import selectors
from relationships.api.customers import CustomerSerializer
from relationships.models import CustomerRelationship
from tests.cast import direct_customer, share_customer
from tests.conftest import api_as

pytestmark = pytest.mark.django_db


def assert_rows_as_declared(user, partner, expected: int):
    body = api_as(user).get("/api/v1/customers/").json()
    assert body["count"] == expected == len(body["results"])
    rows = {str(row.id): row for row in selectors.customer_rows(partner, selectors.customers_for(partner))}
    for written in body["results"]:
        declared = serializers.Serializer.to_representation(CustomerSerializer(), rows[written["id"]])
        assert list(written.items()) == list(declared.items())
    return body["results"]


def test_a_providers_and_a_resellers_rows_are_what_the_fields_write(
    provider, provider_admin, reseller, reseller_admin, relationship
):
    share_customer(provider, reseller, company_name="Alpine Ski House")
    direct_customer(provider, role="indirect_provider", company_name="Blue Yonder")
    orphan = share_customer(provider, reseller, company_name="Coho Winery")
    CustomerRelationship.objects.filter(customer=orphan, partner=provider).update(state="terminated")
    written = assert_rows_as_declared(provider_admin, provider, 2)
    assert {len(row["relationships"]) for row in written} == {1, 2}
    written = assert_rows_as_declared(reseller_admin, reseller, 2)
    assert {row["billed_by"] for row in written} == {str(provider.pk), None}
    assert not any(row["can_manage_products"] for row in written)


def test_a_direct_bill_partners_rows_are_what_the_fields_write(direct, direct_admin):
    direct_customer(direct, company_name="Coho Winery")
    [row] = assert_rows_as_declared(direct_admin, direct, 1)
    assert row["billed_by"] == str(direct.pk) and row["can_manage_products"]
