"""Orders through the API: /api/v1/customers/<id>/orders/ (API.md "Providers, resellers,
customers"): who orders and who reads, the shape, 400s and the query count."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.models import Order
from relationships.models import CustomerRelationship
from tests.cast import direct_customer, share_customer
from tests.conftest import api_as

pytestmark = pytest.mark.django_db

CUSTOMERS = "/api/v1/customers/"


# --- Orders ---------------------------------------------------------------------------------------


ORDER = {"offer": "Microsoft 365 E3", "quantity": 10, "unit_price": {"amount": "32.40", "currency": "EUR"}}


def test_the_provider_orders_for_its_resellers_customer(provider, provider_admin, reseller, relationship):
    customer = share_customer(provider, reseller)
    client = api_as(provider_admin)
    response = client.post(f"{CUSTOMERS}{customer.pk}/orders/", ORDER, format="json")
    assert response.status_code == 201, response.json()
    order = Order.objects.get()
    data = response.json()
    assert data == {
        "id": str(order.pk),
        "customer_id": str(customer.pk),
        "partner_id": str(provider.pk),
        "offer": "Microsoft 365 E3",
        "quantity": 10,
        "unit_price": {"amount": "32.40", "currency": "EUR"},
        "total": {"amount": "324.00", "currency": "EUR"},
        "created_at": data["created_at"],
        "created_by": provider_admin.email,
    }
    listed = client.get(f"{CUSTOMERS}{customer.pk}/orders/").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == str(order.pk)


def test_the_reseller_sees_its_providers_orders_but_cannot_order(
    provider, provider_admin, reseller, reseller_admin, relationship
):
    customer = share_customer(provider, reseller)
    api_as(provider_admin).post(f"{CUSTOMERS}{customer.pk}/orders/", ORDER, format="json")
    client = api_as(reseller_admin)
    assert client.get(f"{CUSTOMERS}{customer.pk}/orders/").json()["count"] == 1
    response = client.post(f"{CUSTOMERS}{customer.pk}/orders/", ORDER, format="json")
    assert response.status_code == 403
    assert "indirect provider orders" in response.json()["detail"]
    assert Order.objects.count() == 1


def test_orders_of_another_partner_stay_hidden(direct, direct_admin, provider, provider_admin):
    customer = direct_customer(direct)
    CustomerRelationship.objects.create(customer=customer, partner=provider, role="indirect_provider")
    api_as(direct_admin).post(f"{CUSTOMERS}{customer.pk}/orders/", ORDER, format="json")
    assert api_as(provider_admin).get(f"{CUSTOMERS}{customer.pk}/orders/").json()["count"] == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": 10001}, "quantity"),
        ({"quantity": "many"}, "quantity"),
        ({"unit_price": {"amount": "-1"}}, "unit_price"),
        ({"unit_price": {"amount": "1.999"}}, "unit_price"),
        ({"unit_price": {"amount": "1", "currency": "USD"}}, "unit_price"),
        ({"unit_price": "12"}, "unit_price"),
        ({"offer": ""}, "offer"),
    ],
)
def test_a_bad_order_is_400(direct, direct_admin, changes, field):
    customer = direct_customer(direct)
    response = api_as(direct_admin).post(
        f"{CUSTOMERS}{customer.pk}/orders/", {**ORDER, **changes}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Order.objects.exists()


def test_the_order_list_is_paginated_in_fixed_queries(direct, direct_admin):
    customer = direct_customer(direct)
    Order.objects.bulk_create(
        Order(
            customer=customer,
            partner=direct,
            offer=f"Offer {i}",
            quantity=1,
            unit_price=Decimal(1),
            currency="EUR",
        )
        for i in range(3)
    )
    client = api_as(direct_admin)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            data = client.get(f"{CUSTOMERS}{customer.pk}/orders/").json()
        return len(captured), data

    few, data = queries()
    assert set(data) == {"count", "next", "previous", "results"} and data["count"] == 3
    Order.objects.bulk_create(
        Order(
            customer=customer,
            partner=direct,
            offer=f"More {i}",
            quantity=1,
            unit_price=Decimal(1),
            currency="EUR",
        )
        for i in range(10)
    )
    assert queries()[0] == few
