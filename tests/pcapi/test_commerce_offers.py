"""``GET /v1/offers?country=`` and ``GET /v1/offers/{id}?country=``: Partner Center's Offer
shape from the price list of the caller's market, the market rule (another market's or an
unknown country is 400 code 2000 naming ``country``), the roles of the price list, offset
paging with bounded rows and a constant number of queries."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnercenter.accounts.models import Role
from tests.billing.factories import PriceFactory, sold
from tests.cast import make_direct_bill, user_of

from . import pc_client

pytestmark = pytest.mark.django_db

DAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(DAY, tick=True):
        yield


def test_the_offers_of_the_market_in_partner_centers_shape(direct, direct_admin):
    price = sold(direct, name="Microsoft 365 E3", unit_price=Decimal("32.40"))
    PriceFactory(offer=price.offer, term="P1M", billing="monthly", market="europe", currency="EUR")
    sold(direct, kind="software", term="none", billing="one_time", name="Windows Server 2025")
    sold(market="united_states", currency="USD", name="Sold elsewhere")  # not in Europe's list
    response = pc_client(direct_admin, X_Locale="en-US").get("/v1/offers", {"country": "de"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["attributes"] == {"objectType": "Collection"} and body["totalCount"] == 2
    offer = next(item for item in body["items"] if item["name"] == "Microsoft 365 E3")
    offer_id = price.offer.offer_id
    assert offer == {
        "id": offer_id,
        "name": "Microsoft 365 E3",
        "description": "Microsoft 365 E3",
        "minimumQuantity": 1,
        "maximumQuantity": 10000,
        "locale": "en-US",
        "country": "DE",
        "isAddOn": False,
        "hasAddOns": False,
        "isAvailableForPurchase": True,
        "billing": "license",
        "supportedBillingCycles": ["monthly"],
        "termDurations": ["P1M", "P1Y"],
        "isAutoRenewable": True,
        "isTrial": False,
        "acquisitionType": "purchase",
        "product": {"id": price.offer.product.product_id, "name": "Microsoft 365 E3", "unit": "Licenses"},
        "unitType": "Licenses",
        "links": {"self": {"uri": f"/offers/{offer_id}?country=DE", "method": "GET", "headers": []}},
        "attributes": {"objectType": "Offer"},
    }
    software = next(item for item in body["items"] if item["name"] == "Windows Server 2025")
    assert software["supportedBillingCycles"] == ["one_time"] and software["termDurations"] == []
    assert software["isAutoRenewable"] is False
    one = pc_client(direct_admin).get(f"/v1/offers/{offer_id}", {"country": "FR"})
    assert one.status_code == 200 and one.json()["id"] == offer_id and one.json()["country"] == "FR"


def test_an_offer_not_on_the_markets_price_list_is_404(direct, direct_admin):
    elsewhere = sold(market="united_states", currency="USD")
    response = pc_client(direct_admin).get(f"/v1/offers/{elsewhere.offer.offer_id}", {"country": "DE"})
    assert response.status_code == 404 and response.json()["code"] == 3000


@pytest.mark.parametrize("country", ["US", "JP", "ZZ", "DEU", "", None])
def test_a_country_outside_the_market_or_unknown_is_400_naming_country(direct, direct_admin, country):
    sold(direct)
    query = {} if country is None else {"country": country}
    response = pc_client(direct_admin, X_Locale="en-US").get("/v1/offers", query)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == 2000 and body["data"][0]["field"] == "country"
    if country == "US":
        assert "US is not in your market (Europe)" in body["description"]


def test_the_market_rule_follows_the_partner(db):
    northwind = make_direct_bill(country="US", legal_name="Northwind Traders Inc")
    sold(northwind, name="Microsoft 365 Business Basic")
    client = pc_client(user_of(northwind))
    assert client.get("/v1/offers", {"country": "US"}).json()["totalCount"] == 1
    assert client.get("/v1/offers", {"country": "DE"}).status_code == 400


@pytest.mark.parametrize(
    ("role", "expected"),
    [(Role.SALES_AGENT, 200), (Role.ADMIN_AGENT, 200), (Role.BILLING_ADMIN, 403), (Role.HELPDESK_AGENT, 403)],
)
def test_who_sees_the_price_list_is_billings_rule(direct, role, expected):
    response = pc_client(user_of(direct, role=role)).get("/v1/offers", {"country": "DE"})
    assert response.status_code == expected
    if expected == 403:
        assert "can see the price list" in response.json()["description"]


def test_offset_and_size_page_bounded_with_constant_queries(direct, direct_admin):
    for n in range(5):
        sold(direct, name=f"Offer {n:02d}", effective_from=date(2026, 1, 1))
    client = pc_client(direct_admin)
    first = client.get("/v1/offers", {"country": "DE", "size": 2}).json()
    assert [item["name"] for item in first["items"]] == ["Offer 00", "Offer 01"]
    assert first["links"]["next"]["uri"] == "/offers?country=DE&offset=2&size=2"
    last = client.get("/v1/offers", {"country": "DE", "size": 2, "offset": 4}).json()
    assert [item["name"] for item in last["items"]] == ["Offer 04"] and "next" not in last["links"]

    def queries(count):
        for n in range(count):
            sold(direct, name=f"More {n:02d}")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/v1/offers", {"country": "DE", "size": 3}).status_code == 200
        return len(captured), [q["sql"] for q in captured if "LIMIT" in q["sql"]]

    small, limited = queries(1)
    large, _ = queries(10)
    assert small == large and limited  # the page is read with a LIMIT


@pytest.mark.parametrize(
    ("name", "value"), [("size", "0"), ("size", "9999"), ("offset", "-1"), ("offset", "x")]
)
def test_bad_paging_is_400_on_its_field(direct, direct_admin, name, value):
    response = pc_client(direct_admin).get("/v1/offers", {"country": "DE", name: value})
    assert response.status_code == 400 and response.json()["data"][0]["field"] == name


def test_another_language_answers_in_it(direct, direct_admin):
    response = pc_client(direct_admin, X_Locale="ru-RU").get("/v1/offers", {"country": "US"})
    assert response.status_code == 400 and response["Content-Language"] == "ru"
