"""``GET /api/v1/offers/`` and ``GET /api/v1/offers/{offer_id}/`` (billing.api.offers): the
caller's market's offers with today's prices in its currency, paginated in a constant
number of queries; an offer not sold in the caller's market is 404; who may read them is
the role table's rule."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.pagination import PageNumberPagination
from rest_framework.test import APIClient

from partnercenter.accounts.models import Role
from tests.billing.price_list_cases import catalog, grow, priced
from tests.cast import make_direct_bill, make_reseller, user_of
from tests.conftest import api_as
from tests.factories import TenantFactory, active_partner

pytestmark = pytest.mark.django_db

LIST = "/api/v1/offers/"


def detail(offer_id: str) -> str:
    return f"/api/v1/offers/{offer_id}/"


def results(user, query=None) -> list:
    response = api_as(user).get(LIST, query or {})
    assert response.status_code == 200, response.json()
    return response.json()["results"]


class TestTheList:
    def test_a_german_partner_reads_europe_in_euros(self, provider_admin):
        catalog()
        body = api_as(provider_admin).get(LIST).json()
        assert set(body) == {"count", "next", "previous", "results"} and body["count"] == 4
        basic = next(o for o in body["results"] if o["offer_id"] == "CFQ7TTC0LH18:0001")
        assert basic == {
            "offer_id": "CFQ7TTC0LH18:0001",
            "name": "Microsoft 365 Business Basic",
            "product": {
                "product_id": "CFQ7TTC0LH18",
                "name": "Microsoft 365 Business Basic",
                "kind": "license",
            },
            "prices": [
                {
                    "term": "P1M",
                    "billing": "monthly",
                    "unit_price": {"amount": "6.77", "currency": "EUR"},
                    "effective_from": "2020-01-01",
                },
                {
                    "term": "P1Y",
                    "billing": "annual",
                    "unit_price": {"amount": "67.68", "currency": "EUR"},
                    "effective_from": "2020-01-01",
                },
            ],
        }
        currencies = {p["unit_price"]["currency"] for o in body["results"] for p in o["prices"]}
        assert currencies == {"EUR"}  # never the UK's GBP price of the same offer
        assert "CFQ7TTC0LH2H:0001" not in {o["offer_id"] for o in body["results"]}

    def test_a_us_partner_reads_dollars(self, outsider):
        catalog()
        offers = {o["offer_id"]: o for o in results(outsider)}
        assert set(offers) == {"CFQ7TTC0LH18:0001", "CFQ7TTC0LF8Q:0001", "CFQ7TTC0LH2H:0001"}
        assert offers["CFQ7TTC0LH2H:0001"]["prices"][0]["unit_price"] == {
            "amount": "65.00",
            "currency": "USD",
        }

    def test_a_taiwanese_partner_reads_new_taiwan_dollars(self):
        catalog()
        partner = active_partner(tenant=TenantFactory(country="TW"), country="TW")
        (basic,) = results(user_of(partner))
        assert basic["prices"] == [
            {
                "term": "P1M",
                "billing": "monthly",
                "unit_price": {"amount": "230.00", "currency": "TWD"},
                "effective_from": "2020-01-01",
            }
        ]

    def test_yen_has_no_decimals(self):
        from tests.billing.price_list_cases import offer

        priced(offer("CFQ7TTC0LH18", "Microsoft 365 Business Basic"), "japan", "JPY", amount="900")
        partner = active_partner(tenant=TenantFactory(country="JP"), country="JP")
        assert results(user_of(partner))[0]["prices"][0]["unit_price"] == {"amount": "900", "currency": "JPY"}

    def test_filter_by_kind_and_search(self, provider_admin):
        catalog()
        assert [o["offer_id"] for o in results(provider_admin, {"kind": "software"})] == ["DG7GMGF0DVSV:0008"]
        assert [o["name"] for o in results(provider_admin, {"q": "OFFICE"})] == ["Office 365 E3"]
        assert [o["name"] for o in results(provider_admin, {"q": "DZH318Z0BQ4D"})] == [
            "Reserved VM Instance, Dsv5 Series"
        ]
        assert results(provider_admin, {"kind": "license", "q": "Windows"}) == []
        assert len(results(provider_admin, {"kind": "", "q": ""})) == 4

    def test_an_unknown_kind_is_400_naming_it(self, provider_admin):
        response = api_as(provider_admin).get(LIST, {"kind": "seat"})
        assert response.status_code == 400 and "azure_reservation" in response.json()["kind"][0]

    def test_a_search_too_long_is_400_naming_it(self, provider_admin):
        response = api_as(provider_admin).get(LIST, {"q": "x" * 101})
        assert response.status_code == 400 and "q" in response.json()

    def test_a_later_price_replaces_the_older_one_on_its_day(self, provider_admin):
        offers = catalog()
        priced(offers["basic"], "europe", "EUR", amount="7.10", since=date(2027, 1, 1))

        def monthly():
            (basic,) = results(provider_admin, {"q": "Business Basic"})
            return next(p for p in basic["prices"] if p["term"] == "P1M")

        with time_machine.travel(date(2026, 12, 31), tick=False):
            assert monthly()["unit_price"]["amount"] == "6.77"
        with time_machine.travel(date(2027, 1, 1), tick=False):
            assert monthly() == {
                "term": "P1M",
                "billing": "monthly",
                "unit_price": {"amount": "7.10", "currency": "EUR"},
                "effective_from": "2027-01-01",
            }

    def test_paginated_in_the_same_queries_whatever_the_length(self, provider_admin, monkeypatch):
        monkeypatch.setattr(PageNumberPagination, "page_size", 5)
        api = api_as(provider_admin)

        def queries(size):
            grow(size)
            with CaptureQueriesContext(connection) as captured:
                body = api.get(LIST).json()
            assert len(body["results"]) == 5 and body["next"]
            return len(captured)

        assert queries(7) == queries(30)

    def test_the_number_of_queries(self, provider_admin, django_assert_num_queries):
        catalog()
        api = api_as(provider_admin)
        # The partner, the count, a page of offers, their prices.
        with django_assert_num_queries(4):
            assert api.get(LIST).status_code == 200


class TestOneOffer:
    def test_an_offer_of_the_market(self, provider_admin):
        catalog()
        response = api_as(provider_admin).get(detail("DZH318Z0BQ4D:0011"))
        assert response.status_code == 200
        body = response.json()
        assert body["product"]["kind"] == "azure_reservation"
        assert [(p["term"], p["billing"], p["unit_price"]["amount"]) for p in body["prices"]] == [
            ("P1Y", "monthly", "49.34"),
            ("P3Y", "annual", "381.26"),
        ]

    def test_an_offer_not_sold_in_the_callers_market_is_404(self, provider_admin, outsider):
        catalog()
        assert api_as(provider_admin).get(detail("CFQ7TTC0LH2H:0001")).status_code == 404
        assert api_as(outsider).get(detail("DG7GMGF0DVSV:0008")).status_code == 404
        assert api_as(outsider).get(detail("CFQ7TTC0LH2H:0001")).status_code == 200

    @pytest.mark.parametrize("offer_id", ["nothing", "CFQ7TTC0LH18:9999", "%20", "x" * 300])
    def test_an_unknown_offer_is_404(self, provider_admin, offer_id):
        catalog()
        assert api_as(provider_admin).get(detail(offer_id)).status_code == 404

    def test_before_its_first_price_it_is_404(self, provider_admin):
        offers = catalog()
        offers["basic"].prices.update(effective_from=date(2027, 1, 1))
        with time_machine.travel(date(2026, 6, 1), tick=False):
            assert api_as(provider_admin).get(detail("CFQ7TTC0LH18:0001")).status_code == 404


class TestWho:
    @pytest.mark.parametrize("role", [Role.GLOBAL_ADMIN, Role.ADMIN_AGENT, Role.SALES_AGENT])
    def test_roles_that_see_orders_or_order(self, provider, role):
        catalog()
        assert len(results(user_of(provider, role))) == 4

    def test_a_direct_bill_partner_and_a_reseller_read_their_market(self, provider):
        catalog()
        for partner in (make_direct_bill(), make_reseller(provider=provider)):
            assert len(results(user_of(partner))) == 4

    @pytest.mark.parametrize("role", [Role.HELPDESK_AGENT, Role.BILLING_ADMIN, Role.REFERRALS_ADMIN])
    def test_other_roles_get_403_with_the_reason(self, provider, role):
        catalog()
        api = api_as(user_of(provider, role))
        for url in (LIST, detail("CFQ7TTC0LH18:0001")):
            response = api.get(url)
            assert response.status_code == 403
            assert (
                "Only your global admin, an admin agent or a sales agent can see the price list."
                in (response.json()["detail"])
            )

    def test_a_refusal_is_in_the_callers_language(self, customer_admin):
        response = api_as(customer_admin).get(LIST, HTTP_ACCEPT_LANGUAGE="zh-hant")
        assert response.status_code == 403 and "註冊啟用後" in response.json()["detail"]

    def test_a_customer_tenant_and_staff_get_403(self, customer_admin, reviewer):
        for user in (customer_admin, reviewer):
            assert api_as(user).get(LIST).status_code == 403

    def test_anonymous_gets_401(self):
        catalog()
        for url in (LIST, detail("CFQ7TTC0LH18:0001")):
            assert APIClient().get(url).status_code == 401


def test_the_schema_documents_both_endpoints():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    listing = schema["paths"]["/api/v1/offers/"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"kind", "q", "page"} <= names
    kind = next(p for p in listing["parameters"] if p["name"] == "kind")
    assert "enum" in kind["schema"] or "$ref" in kind["schema"]
    one = schema["paths"]["/api/v1/offers/{offer_id}/"]["get"]
    assert {"200", "401", "403", "404"} <= set(one["responses"])
    offer = schema["components"]["schemas"]["CatalogOffer"]
    assert set(offer["properties"]) == {"offer_id", "name", "product", "prices"}


@pytest.mark.parametrize("where", ["page", "api"])
def test_page_and_api_read_a_bounded_number_of_rows(client, provider_admin, monkeypatch, where):
    """As tests/test_bounded_reads.py holds the other lists: the same queries and the same rows
    read at two sizes past the page, and the list's query carries a LIMIT."""
    from billing.views import price_list as price_list_views
    from tests.test_bounded_reads import PAGE, assert_bounded, measure

    monkeypatch.setattr(price_list_views, "PAGE_SIZE", PAGE)
    monkeypatch.setattr(PageNumberPagination, "page_size", PAGE)
    client.force_login(provider_admin)
    api = api_as(provider_admin)
    fetch = (lambda: client.get("/price-list/")) if where == "page" else (lambda: api.get(LIST))
    # Two prices an offer: a page of offers reads twice as many prices.
    assert_bounded(measure(fetch, grow), "billing_offer", most=2 * PAGE)
