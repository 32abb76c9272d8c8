"""Orders through the API: POST/GET /api/v1/customers/{id}/orders/, GET /api/v1/orders/
(filters), GET /api/v1/orders/{id}/, POST /api/v1/orders/{id}/cancel/: the shape, who may
order and read, errors by line, the idempotency headers and constant queries."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.models import Order, Subscription
from partnercenter.accounts.models import Role
from tests.billing.factories import line, sold
from tests.cast import direct_customer, share_customer, user_of
from tests.conftest import api_as

pytestmark = pytest.mark.django_db

CUSTOMERS = "/api/v1/customers/"
ORDERS = "/api/v1/orders/"
DAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(DAY, tick=True):
        yield


def post(client, customer, *lines, **headers):
    return client.post(
        f"{CUSTOMERS}{customer.pk}/orders/", {"lines": list(lines)}, format="json", headers=headers
    )


def test_the_provider_orders_for_its_resellers_customer(
    committed, provider, provider_admin, reseller, reseller_admin, relationship
):
    customer = share_customer(provider, reseller)
    price = sold(provider, name="Microsoft 365 E3", unit_price=Decimal("32.40"))
    client = api_as(provider_admin)
    with committed():
        response = post(client, customer, line(price, 10))
    assert response.status_code == 201, response.json()
    order = Order.objects.get()
    subscription = Subscription.objects.get()
    data = response.json()
    assert data == {
        "id": str(order.pk),
        "customer_id": str(customer.pk),
        "partner_id": str(provider.pk),
        "reseller_id": str(reseller.pk),
        "status": "pending",  # read before the completion, which runs after the commit
        "lines": [
            {
                "line_number": 1,
                "offer_id": price.offer.offer_id,
                "offer_name": "Microsoft 365 E3",
                "term": "P1Y",
                "billing": "monthly",
                "quantity": 10,
                "unit_price": {"amount": "32.40", "currency": "EUR"},
                "auto_renew": True,
                "scope": "",
                "subscription_id": None,
            }
        ],
        "total": {"amount": "324.00", "currency": "EUR"},
        "created_at": data["created_at"],
        "completed_at": None,
        "failure_reason": None,
    }
    read = client.get(f"{ORDERS}{order.pk}/").json()
    assert read["status"] == "completed" and read["lines"][0]["subscription_id"] == str(subscription.pk)
    assert read["completed_at"]
    listed = client.get(f"{CUSTOMERS}{customer.pk}/orders/").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == str(order.pk)
    # The reseller reads what its provider ordered, and may not order.
    reseller_client = api_as(reseller_admin)
    assert reseller_client.get(f"{CUSTOMERS}{customer.pk}/orders/").json()["count"] == 1
    assert reseller_client.get(ORDERS).json()["count"] == 1
    assert reseller_client.get(f"{ORDERS}{order.pk}/").status_code == 200
    refused = post(reseller_client, customer, line(price))
    assert (
        refused.status_code == 403 and "Indirect resellers do not submit orders" in refused.json()["detail"]
    )
    assert reseller_client.post(f"{ORDERS}{order.pk}/cancel/").status_code == 403


def test_another_partners_orders_are_404(direct, direct_admin, outsider):
    customer = direct_customer(direct)
    order_id = post(api_as(direct_admin), customer, line(sold(direct))).json()["id"]
    client = api_as(outsider)
    assert client.get(f"{ORDERS}{order_id}/").status_code == 404
    assert client.post(f"{ORDERS}{order_id}/cancel/").status_code == 404
    assert client.get(f"{CUSTOMERS}{customer.pk}/orders/").status_code == 404
    assert post(client, customer, line(sold(direct))).status_code == 404
    assert client.get(ORDERS).json()["count"] == 0


@pytest.mark.parametrize(
    ("role", "reads", "orders"),
    [
        (Role.SALES_AGENT, 200, 403),
        (Role.ADMIN_AGENT, 200, 201),
        (Role.HELPDESK_AGENT, 403, 403),
        (Role.BILLING_ADMIN, 403, 403),
    ],
)
def test_the_roles(direct, role, reads, orders):
    customer, price = direct_customer(direct), sold(direct)
    client = api_as(user_of(direct, role=role))
    assert client.get(ORDERS).status_code == reads
    assert client.get(f"{CUSTOMERS}{customer.pk}/orders/").status_code == reads
    response = post(client, customer, line(price))
    assert response.status_code == orders
    if orders == 403:
        assert "global admin or an admin agent can order" in response.json()["detail"]
    if reads == 403:
        assert "sales agent can see customers' orders" in client.get(ORDERS).json()["detail"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": 10001}, "quantity"),
        ({"quantity": "many"}, "quantity"),
        ({"offer_id": "NOPE:0001"}, "offer_id"),
        ({"term": "P3Y"}, "term"),
        ({"billing": "annual"}, "billing"),
        ({"scope": "shared"}, "scope"),
        ({"auto_renew": "yes"}, "auto_renew"),
    ],
)
def test_a_bad_line_is_400_on_its_field(direct, direct_admin, changes, field):
    price = sold(direct)
    response = post(api_as(direct_admin), direct_customer(direct), line(price), {**line(price), **changes})
    assert response.status_code == 400
    assert response.json() == {"lines": [{}, {field: [response.json()["lines"][1][field][0]]}]}
    assert not Order.objects.exists()


@pytest.mark.parametrize("body", [{}, {"lines": []}, {"lines": "x"}, [], "x"])
def test_a_bad_body_is_400(direct, direct_admin, body):
    response = api_as(direct_admin).post(
        f"{CUSTOMERS}{direct_customer(direct).pk}/orders/", body, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["lines"]


@pytest.mark.parametrize("header", ["Idempotency-Key", "MS-RequestId"])
def test_the_same_key_twice_is_one_order(direct, direct_admin, header):
    customer, price = direct_customer(direct), sold(direct)
    client = api_as(direct_admin)
    first = post(client, customer, line(price, 3), **{header: "7f1c-req"})
    again = post(client, customer, line(price, 3), **{header: "7f1c-req"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Order.objects.count() == 1
    conflict = post(client, customer, line(price, 4), **{header: "7f1c-req"})
    assert conflict.status_code == 409
    assert conflict.json()["code"] == "invalid_transition"
    assert "already used for another order" in conflict.json()["detail"]


def test_a_pending_order_is_cancelled_and_then_409(direct, direct_admin):
    client = api_as(direct_admin)
    order_id = post(client, direct_customer(direct), line(sold(direct))).json()["id"]
    response = client.post(f"{ORDERS}{order_id}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    again = client.post(f"{ORDERS}{order_id}/cancel/")
    assert again.status_code == 409 and again.json()["status"] == "cancelled"


def _orders(partner, customer, count, status="completed", created_at=DAY):
    Order.objects.bulk_create(
        Order(
            customer=customer,
            partner=partner,
            currency="EUR",
            total=Decimal(1),
            status=status,
            created_at=created_at,
        )
        for _ in range(count)
    )


def test_the_order_list_filters(direct, direct_admin):
    first, second = direct_customer(direct), direct_customer(direct)
    _orders(direct, first, 2)
    _orders(direct, second, 1, status="failed", created_at=datetime(2026, 2, 1, tzinfo=UTC))
    client = api_as(direct_admin)

    def count(**query):
        response = client.get(ORDERS, query)
        assert response.status_code == 200, response.json()
        return response.json()["count"]

    assert count() == 3
    assert count(customer=first.pk) == 2
    assert count(status="failed") == 1
    assert count(created_after=date(2026, 3, 1)) == 2
    assert count(created_before=date(2026, 2, 28)) == 1
    assert count(created_after="2026-02-01", created_before="2026-02-01") == 1
    for bad in ({"status": "lost"}, {"created_after": "yesterday"}, {"customer": "x"}):
        response = client.get(ORDERS, bad)
        assert response.status_code == 400 and list(response.json()) == list(bad)


@pytest.mark.parametrize("url", ["orders", "customer"])
def test_the_order_lists_are_paginated_in_fixed_queries(direct, direct_admin, url):
    customer = direct_customer(direct)
    client = api_as(direct_admin)
    path = ORDERS if url == "orders" else f"{CUSTOMERS}{customer.pk}/orders/"

    def queries():
        with CaptureQueriesContext(connection) as captured:
            data = client.get(path).json()
        return len(captured), data

    _orders(direct, customer, 3)
    client.get(path)
    few, data = queries()
    assert set(data) == {"count", "next", "previous", "results"} and data["count"] == 3
    _orders(direct, customer, 30)
    many, data = queries()
    assert many == few and data["count"] == 33
