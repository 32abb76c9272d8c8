"""``GET /v1/customers/{id}/subscriptions[/{subscriptionId}]``: Partner Center's Subscription
shape, its statuses mapped once, who sees them (billing's selectors and role table), another
partner's customer or subscription 404 (code 3000), seek paging with constant queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnercenter.accounts.models import Role
from tests.billing.factories import PriceFactory, sold, subscription_of
from tests.cast import direct_customer, share_customer, user_of

from . import pc_client

pytestmark = pytest.mark.django_db


def test_the_customers_subscriptions_in_partner_centers_shape(
    provider, provider_admin, reseller, reseller_admin, relationship
):
    customer = share_customer(provider, reseller)
    price = sold(provider, name="Microsoft 365 E3", term="P1Y", billing="monthly")
    subscription = subscription_of(
        provider, customer, price=price, reseller=reseller, start=date(2026, 1, 15)
    )
    base = f"/customers/{customer.pk}"
    response = pc_client(provider_admin).get(f"/v1{base}/subscriptions")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["attributes"] == {"objectType": "Collection"} and body["totalCount"] == 1
    offer_id = price.offer.offer_id
    assert body["items"][0] == {
        "id": str(subscription.pk),
        "offerId": offer_id,
        "offerName": "Microsoft 365 E3",
        "friendlyName": "Microsoft 365 E3",
        "quantity": 10,
        "unitType": "Licenses",
        "hasPurchasableAddons": False,
        "creationDate": body["items"][0]["creationDate"],
        "effectiveStartDate": "2026-01-15T00:00:00Z",
        "commitmentEndDate": "2027-01-14T00:00:00Z",
        "status": "active",
        "autoRenewEnabled": True,
        "isTrial": False,
        "billingType": "license",
        "billingCycle": "monthly",
        "termDuration": "P1Y",
        "partnerId": reseller.mpn_id,  # the reseller of record
        "contractType": "subscription",
        "orderId": str(subscription.order_line.order_id),
        "links": {
            "self": {"uri": f"{base}/subscriptions/{subscription.pk}", "method": "GET", "headers": []},
            "offer": {"uri": f"/offers/{offer_id}", "method": "GET", "headers": []},
        },
        "attributes": {"objectType": "Subscription"},
    }
    one = pc_client(reseller_admin).get(f"/v1{base}/subscriptions/{subscription.pk}")
    assert one.status_code == 200 and one.json() == body["items"][0]  # the reseller reads it too


@pytest.mark.parametrize(
    ("status", "expected"),
    [("active", "active"), ("suspended", "suspended"), ("expired", "expired"), ("cancelled", "deleted")],
)
def test_the_status_in_partner_centers_words(direct, direct_admin, status, expected):
    customer = direct_customer(direct)
    subscription_of(direct, customer, status=status)
    item = pc_client(direct_admin).get(f"/v1/customers/{customer.pk}/subscriptions").json()["items"][0]
    assert item["status"] == expected


def test_perpetual_software_has_no_term_and_no_end(direct, direct_admin):
    customer = direct_customer(direct)
    price = PriceFactory(
        offer=sold(direct, kind="software").offer, term="none", billing="one_time", currency="EUR"
    )
    subscription_of(direct, customer, price=price, auto_renew=False)
    item = pc_client(direct_admin).get(f"/v1/customers/{customer.pk}/subscriptions").json()["items"][0]
    assert (item["termDuration"], item["billingCycle"]) == (None, "one_time")
    assert item["commitmentEndDate"] == "9999-12-31T00:00:00Z" and item["partnerId"] == ""


def test_another_partners_customer_or_subscription_is_404(direct, direct_admin, outsider):
    customer = direct_customer(direct)
    subscription = subscription_of(direct, customer)
    client = pc_client(outsider)
    for url in (
        f"/v1/customers/{customer.pk}/subscriptions",
        f"/v1/customers/{customer.pk}/subscriptions/{subscription.pk}",
    ):
        response = client.get(url)
        assert response.status_code == 404 and response.json()["code"] == 3000
    other = direct_customer(direct)
    assert (
        pc_client(direct_admin).get(f"/v1/customers/{other.pk}/subscriptions/{subscription.pk}").status_code
        == 404
    )
    assert pc_client(direct_admin).get(f"/v1/customers/{other.pk}/subscriptions").json()["items"] == []


@pytest.mark.parametrize(
    ("role", "expected"), [(Role.SALES_AGENT, 200), (Role.HELPDESK_AGENT, 403), (Role.BILLING_ADMIN, 403)]
)
def test_the_roles_are_billings_table(direct, role, expected):
    customer = direct_customer(direct)
    response = pc_client(user_of(direct, role=role)).get(f"/v1/customers/{customer.pk}/subscriptions")
    assert response.status_code == expected
    if expected == 403:
        assert "sales agent can see customers' orders and subscriptions" in response.json()["description"]


def test_seek_paging_with_constant_queries(direct, direct_admin):
    customer = direct_customer(direct)
    client = pc_client(direct_admin)

    def read(**query):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/v1/customers/{customer.pk}/subscriptions", {"size": 2, **query})
        assert response.status_code == 200
        return response.json(), len(captured)

    for day in range(1, 4):
        subscription_of(direct, customer, start=date(2026, 1, day))
    first, small = read()
    for day in range(4, 14):
        subscription_of(direct, customer, start=date(2026, 1, day))
    page, large = read()
    assert small == large and first["totalCount"] == 2
    ids = [item["id"] for item in page["items"]]
    while "next" in page["links"]:
        page = client.get(
            f"/v1/customers/{customer.pk}/subscriptions",
            {"size": 2, "seekOperation": "Next"},
            HTTP_MS_CONTINUATIONTOKEN=page["continuationToken"],
        ).json()
        ids += [item["id"] for item in page["items"]]
    assert len(ids) == len(set(ids)) == 13


def test_the_subscriptions_of_one_order(direct, direct_admin):
    customer = direct_customer(direct)
    mine, _other = subscription_of(direct, customer), subscription_of(direct, customer)
    order_id = str(mine.order_line.order_id)
    client = pc_client(direct_admin)
    body = client.get(f"/v1/customers/{customer.pk}/subscriptions", {"order_id": order_id}).json()
    assert [item["id"] for item in body["items"]] == [str(mine.pk)] and body["items"][0][
        "orderId"
    ] == order_id
    bad = client.get(f"/v1/customers/{customer.pk}/subscriptions", {"order_id": "nope"})
    assert bad.status_code == 400 and bad.json()["data"][0]["field"] == "order_id"
