"""Orders on Partner Center's API: ``POST /v1/customers/{id}/orders`` places the order through
billing's ``order_place`` (who orders, the role, the credit line, the errors of each line under
Partner Center's names), ``MS-RequestId`` is billing's idempotency key, and
``GET /v1/customers/{id}/orders[/{orderId}]`` read the customer's orders (seek paging,
constant queries). Another partner's customer or order is 404 (code 3000)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.models import Order, Subscription
from partnercenter.accounts.models import Role
from tests.billing.factories import OrderFactory, sold, with_credit_line
from tests.cast import direct_customer, share_customer, user_of

from . import pc_client

pytestmark = pytest.mark.django_db

DAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(DAY, tick=True):
        yield


def item(price, quantity=10, number=0, **changes) -> dict:
    """A Partner Center order line item for ``price``'s offer, term and billing cycle."""
    return {
        "lineItemNumber": number,
        "offerId": price.offer.offer_id,
        "quantity": quantity,
        "termDuration": price.term,
        "billingCycle": price.billing,
        **changes,
    }


def post(client, customer, *items, **extra):
    body = {"referenceCustomerId": str(customer.pk), "lineItems": list(items), **extra}
    return client.post(f"/v1/customers/{customer.pk}/orders", body, format="json")


def test_the_provider_orders_for_its_resellers_customer_in_partner_centers_shape(
    committed, provider, provider_admin, reseller, reseller_admin, relationship
):
    customer = share_customer(provider, reseller)
    price = sold(provider, name="Microsoft 365 E3", unit_price=Decimal("32.40"))
    client = pc_client(provider_admin)
    with committed():
        response = post(client, customer, item(price, 10, friendlyName="E3 for sales"))
    assert response.status_code == 201, response.json()
    order = Order.objects.get()
    base = f"/customers/{customer.pk}"
    body = response.json()
    assert body == {
        "id": str(order.pk),
        "referenceCustomerId": str(customer.pk),
        "billingCycle": "monthly",
        "currencyCode": "EUR",
        "lineItems": [
            {
                "lineItemNumber": 0,
                "offerId": price.offer.offer_id,
                "subscriptionId": None,  # read before the completion, which runs after the commit
                "friendlyName": "Microsoft 365 E3",
                "quantity": 10,
                "termDuration": "P1Y",
                "billingCycle": "monthly",
                "links": {},
            }
        ],
        "creationDate": body["creationDate"],
        "status": "pending",
        "links": {"self": {"uri": f"{base}/orders/{order.pk}", "method": "GET", "headers": []}},
        "attributes": {"objectType": "Order"},
    }
    assert body["creationDate"].startswith("2026-03-02T10:") and body["creationDate"].endswith("Z")
    read = client.get(f"/v1{base}/orders/{order.pk}").json()
    subscription = Subscription.objects.get()
    assert read["status"] == "completed"
    assert read["lineItems"][0]["subscriptionId"] == str(subscription.pk)
    assert read["lineItems"][0]["links"]["subscription"]["uri"] == f"{base}/subscriptions/{subscription.pk}"
    # The reseller reads what its provider ordered, and may not order: the table's reason.
    reseller_client = pc_client(reseller_admin)
    assert reseller_client.get(f"/v1{base}/orders").json()["totalCount"] == 1
    refused = post(reseller_client, customer, item(price))
    assert refused.status_code == 403 and refused.json()["code"] == 403
    assert "Indirect resellers do not submit orders" in refused.json()["description"]
    assert Order.objects.count() == 1


def test_another_partners_customer_and_order_are_404(direct, direct_admin, outsider):
    customer, price = direct_customer(direct), sold(direct)
    order_id = post(pc_client(direct_admin), customer, item(price)).json()["id"]
    client = pc_client(outsider)
    for response in (
        post(client, customer, item(price)),
        client.get(f"/v1/customers/{customer.pk}/orders"),
        client.get(f"/v1/customers/{customer.pk}/orders/{order_id}"),
    ):
        assert response.status_code == 404 and response.json()["code"] == 3000
    # Nor is one customer's order found under another customer of the same partner.
    other = direct_customer(direct)
    response = pc_client(direct_admin).get(f"/v1/customers/{other.pk}/orders/{order_id}")
    assert response.status_code == 404
    assert Order.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "reads", "orders"),
    [
        (Role.ADMIN_AGENT, 200, 201),
        (Role.SALES_AGENT, 200, 403),
        (Role.HELPDESK_AGENT, 403, 403),
        (Role.BILLING_ADMIN, 403, 403),
    ],
)
def test_the_roles_are_billings_table(direct, role, reads, orders):
    customer, price = direct_customer(direct), sold(direct)
    client = pc_client(user_of(direct, role=role))
    assert client.get(f"/v1/customers/{customer.pk}/orders").status_code == reads
    response = post(client, customer, item(price))
    assert response.status_code == orders
    if orders == 403:
        assert "global admin or an admin agent can order" in response.json()["description"]


def test_past_the_credit_line_is_refused_with_the_reason(direct, direct_admin):
    with_credit_line(direct, Decimal("1000"))
    price = sold(direct, unit_price=Decimal("100.00"), billing="annual")
    response = pc_client(direct_admin, X_Locale="en-US").post(
        f"/v1/customers/{direct_customer(direct).pk}/orders",
        {"lineItems": [item(price, 11)], "billingCycle": "annual"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == 2000 and "more than your credit line allows" in body["description"]
    assert "€1,000.00" in body["data"][0]["description"]
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quantity": 0}, "lineItems.1.quantity"),
        ({"quantity": "many"}, "lineItems.1.quantity"),
        ({"offerId": "NOPE:0001"}, "lineItems.1.offerId"),
        ({"termDuration": "P3Y"}, "lineItems.1.termDuration"),
        ({"termDuration": None}, "lineItems.1.termDuration"),
        ({"billingCycle": "annual"}, "lineItems.1.billingCycle"),
        ({"billingCycle": "weekly"}, "lineItems.1.billingCycle"),
        ({"provisioningContext": {"scope": "shared"}}, "lineItems.1.provisioningContext.scope"),
    ],
)
def test_a_bad_line_is_400_on_its_partner_center_field(direct, direct_admin, changes, field):
    price = sold(direct)
    response = post(
        pc_client(direct_admin), direct_customer(direct), item(price), item(price, number=1, **changes)
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == 2000 and [entry["field"] for entry in body["data"]] == [field]
    assert not Order.objects.exists()


@pytest.mark.parametrize("body", [{}, {"lineItems": []}, {"lineItems": "x"}, [], "x"])
def test_a_bad_body_is_400_on_line_items(direct, direct_admin, body):
    response = pc_client(direct_admin).post(
        f"/v1/customers/{direct_customer(direct).pk}/orders", body, format="json"
    )
    assert response.status_code == 400
    assert [entry["field"] for entry in response.json()["data"]] == ["lineItems"]


def test_a_line_that_is_not_an_object_is_400_on_it(direct, direct_admin):
    price = sold(direct)
    response = post(pc_client(direct_admin), direct_customer(direct), item(price), "x")
    assert response.status_code == 400 and response.json()["data"][0]["field"] == "lineItems.1"


def test_another_reference_customer_is_400(direct, direct_admin):
    customer, other = direct_customer(direct), direct_customer(direct)
    response = post(pc_client(direct_admin), customer, item(sold(direct)), referenceCustomerId=str(other.pk))
    assert response.status_code == 400 and response.json()["data"][0]["field"] == "referenceCustomerId"
    assert not Order.objects.exists()


def test_partner_centers_values_map_to_the_portals(direct, direct_admin):
    """The order's billingCycle applies to lines without one; terms in any case."""
    annual = sold(direct, billing="annual", term="P1Y")
    software = sold(direct, kind="software", term="none", billing="one_time")
    lines = [
        {"lineItemNumber": 0, "offerId": annual.offer.offer_id, "quantity": 2, "termDuration": "p1y"},
        {
            "lineItemNumber": 1,
            "offerId": software.offer.offer_id,
            "quantity": 1,
            "termDuration": "none",
            "billingCycle": "none",
        },
    ]
    response = pc_client(direct_admin).post(
        f"/v1/customers/{direct_customer(direct).pk}/orders",
        {"lineItems": lines, "billingCycle": "Annual"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    got = [(line["termDuration"], line["billingCycle"]) for line in response.json()["lineItems"]]
    assert got == [("P1Y", "annual"), (None, "one_time")]
    assert list(Order.objects.get().lines.values_list("term", "billing")) == [
        ("P1Y", "annual"),
        ("none", "one_time"),
    ]


def test_ms_request_id_makes_one_order_with_billings_key(direct, direct_admin):
    customer, price = direct_customer(direct), sold(direct)
    client = pc_client(direct_admin, MS_RequestId="031160b2-b0b0-4d40-b2b1-aaa9bb84211d")
    first, again = post(client, customer, item(price, 3)), post(client, customer, item(price, 3))
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["id"] == again.json()["id"]
    order = Order.objects.get()
    assert order.idempotency_key == "031160b2-b0b0-4d40-b2b1-aaa9bb84211d"  # billing's own key
    conflict = post(client, customer, item(price, 4))
    assert conflict.status_code == 409 and "already used for another order" in conflict.json()["description"]
    # The same key on /api/v1/ is the same key: one order, whichever API asked.
    from tests.conftest import api_as

    line = {"offer_id": price.offer.offer_id, "term": price.term, "billing": price.billing, "quantity": 3}
    api = api_as(direct_admin).post(
        f"/api/v1/customers/{customer.pk}/orders/",
        {"lines": [line]},
        format="json",
        headers={"MS-RequestId": "031160b2-b0b0-4d40-b2b1-aaa9bb84211d"},
    )
    assert api.status_code == 200 and api.json()["id"] == str(order.pk)
    assert Order.objects.count() == 1


def test_a_request_id_longer_than_billing_keeps_is_400(direct, direct_admin):
    client = pc_client(direct_admin, MS_RequestId="x" * 101)
    response = post(client, direct_customer(direct), item(sold(direct)))
    assert response.status_code == 400 and response.json()["data"][0]["field"] == "MS-RequestId"


def test_the_customers_orders_seek_paged_with_constant_queries(direct, direct_admin):
    customer, price = direct_customer(direct), sold(direct)
    client = pc_client(direct_admin)

    def make(count):
        for _ in range(count):
            order = OrderFactory(partner=direct, customer=customer, total=Decimal(1))
            order.lines.create(
                line_number=1,
                offer=price.offer,
                price=price,
                quantity=1,
                term=price.term,
                billing=price.billing,
                unit_price=price.unit_price,
                currency="EUR",
            )

    def read(**query):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/v1/customers/{customer.pk}/orders", {"size": 2, **query})
        assert response.status_code == 200
        return response, len(captured)

    make(3)
    first, small = read()
    make(10)
    _, large = read()
    assert small == large
    body = first.json()
    assert body["totalCount"] == 2 and body["items"][0]["attributes"] == {"objectType": "Order"}
    token = body["continuationToken"]
    assert body["links"]["next"]["headers"] == [{"key": "MS-ContinuationToken", "value": token}]
    following = client.get(
        f"/v1/customers/{customer.pk}/orders",
        {"size": 2, "seekOperation": "Next"},
        HTTP_MS_CONTINUATIONTOKEN=token,
    ).json()
    seen = {item["id"] for item in body["items"]}
    assert following["items"] and not seen & {item["id"] for item in following["items"]}


def test_an_order_writes_billings_one_audit_row(direct, direct_admin):
    from billing import events
    from tests.cast import events_of

    response = post(pc_client(direct_admin), direct_customer(direct), item(sold(direct), 2))
    assert response.status_code == 201
    [event] = events_of(Order.objects.get(), events.ORDER_PLACED)
    assert event.actor == direct_admin


def test_x_locale_gives_billings_reason_in_that_language(provider, reseller, reseller_admin, relationship):
    customer = share_customer(provider, reseller)
    refused = post(pc_client(reseller_admin, X_Locale="ru-RU"), customer, item(sold(provider)))
    assert refused.status_code == 403 and refused["Content-Language"] == "ru"
    assert refused.json()["description"].startswith("Непрямые торговые посредники не отправляют заказы")
