"""The API of subscriptions and Azure reservations (billing.api.subscriptions)."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.pagination import PageNumberPagination

from billing.models import Credit
from partnercenter.accounts.models import Role
from partnercenter.audit.models import Event
from tests import test_bounded_reads as bounded
from tests.billing.factories import OfferFactory, PriceFactory, ProductFactory
from tests.billing.subscriptions_cast import (
    annual_price,
    at,
    direct_subscription,
    monthly_price,
    reservation_price,
)
from tests.cast import direct_customer, share_customer, user_of
from tests.conftest import api_as

pytestmark = pytest.mark.django_db

BASE = "/api/v1/subscriptions/"


@pytest.fixture
def annual(direct):
    return direct_subscription(direct, direct_customer(direct), price=annual_price("120.00"), quantity=10)


@pytest.fixture
def shared(provider, reseller, relationship):
    return direct_subscription(provider, share_customer(provider, reseller), reseller=reseller)


def test_the_list_and_one_subscription_with_its_terms(direct_admin, annual):
    api = api_as(direct_admin)
    body = api.get(BASE).json()
    assert body["count"] == 1
    [found] = body["results"]
    assert found["id"] == str(annual.pk) and found["unit_price"] == {"amount": "120.00", "currency": "EUR"}
    assert (found["status"], found["auto_renew"], found["end_date"]) == ("active", True, "2027-01-01")
    detail = api.get(f"{BASE}{annual.pk}/").json()
    assert detail["terms"] == [
        {
            "number": 1,
            "start_date": "2026-01-01",
            "end_date": "2027-01-01",
            "quantity": 10,
            "billing": "annual",
            "unit_price": {"amount": "120.00", "currency": "EUR"},
        }
    ]


def test_the_filters(direct, direct_admin, annual):
    reservation = direct_subscription(direct, annual.customer, price=reservation_price(), scope="single")
    monthly = direct_subscription(direct, direct_customer(direct), price=monthly_price(), status="suspended")
    api = api_as(direct_admin)

    def ids(url, **params):
        return {r["id"] for r in api.get(url, params).json()["results"]}

    assert ids(BASE) == {str(annual.pk), str(reservation.pk), str(monthly.pk)}
    assert ids(BASE, customer=str(annual.customer.pk)) == {str(annual.pk), str(reservation.pk)}
    assert ids(BASE, status="suspended") == {str(monthly.pk)}
    assert ids(BASE, kind="azure_reservation") == {str(reservation.pk)}
    assert ids("/api/v1/reservations/") == {str(reservation.pk)}
    assert api.get("/api/v1/reservations/").json()["results"][0]["scope"] == "single"
    assert ids(f"/api/v1/customers/{annual.customer.pk}/subscriptions/") == {
        str(annual.pk),
        str(reservation.pk),
    }
    response = api.get(BASE, {"customer": "nope", "status": "gone", "kind": "x"})
    assert response.status_code == 400 and set(response.json()) == {"customer", "status", "kind"}


def test_patch_auto_renew_and_status(provider_admin, shared):
    api = api_as(provider_admin)
    response = api.patch(f"{BASE}{shared.pk}/", {"auto_renew": False}, format="json")
    assert response.status_code == 200 and response.json()["auto_renew"] is False
    response = api.patch(f"{BASE}{shared.pk}/", {"status": "suspended"}, format="json")
    assert response.json()["status"] == "suspended"
    assert response.json()["actions"] == {
        "auto_renew": True,
        "suspend": False,
        "reactivate": True,
        "cancel": False,
    }
    response = api.patch(f"{BASE}{shared.pk}/", {"status": "active"}, format="json")
    assert response.json()["status"] == "active"
    kinds = list(Event.objects.of(shared).order_by("id").values_list("kind", flat=True))
    assert kinds == ["subscription_auto_renew_changed", "subscription_suspended", "subscription_reactivated"]


def test_patch_refuses_bad_input(provider_admin, shared):
    api = api_as(provider_admin)
    for body in ({}, {"status": "cancelled"}, {"auto_renew": "maybe"}, []):
        response = api.patch(f"{BASE}{shared.pk}/", body, format="json")
        assert response.status_code == 400, body


def test_the_reseller_changes_auto_renew_but_does_not_suspend(reseller_admin, shared):
    api = api_as(reseller_admin)
    assert api.get(f"{BASE}{shared.pk}/").status_code == 200
    assert api.patch(f"{BASE}{shared.pk}/", {"auto_renew": False}, format="json").status_code == 200
    response = api.patch(f"{BASE}{shared.pk}/", {"status": "suspended"}, format="json")
    assert response.status_code == 403
    with time_machine.travel(at(date(2026, 1, 2)), tick=False):
        assert api.post(f"{BASE}{shared.pk}/cancel/").status_code == 403


def test_cancel_in_the_window_and_409_outside(direct_admin, annual):
    api = api_as(direct_admin)
    with time_machine.travel(at(date(2026, 1, 9)), tick=False):
        response = api.post(f"{BASE}{annual.pk}/cancel/")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition" and response.json()["status"] == "active"
    assert "auto-renew" in response.json()["detail"]
    with time_machine.travel(at(date(2026, 1, 8)), tick=False):
        response = api.post(f"{BASE}{annual.pk}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert Credit.objects.get().amount > 0
    assert api.patch(f"{BASE}{annual.pk}/", {"status": "active"}, format="json").status_code == 409


def test_a_sales_agent_reads_but_does_not_change(direct, annual):
    api = api_as(user_of(direct, Role.SALES_AGENT))
    assert api.get(BASE).status_code == 200
    response = api.patch(f"{BASE}{annual.pk}/", {"auto_renew": False}, format="json")
    assert response.status_code == 403 and "admin agent" in response.json()["detail"]


def test_a_billing_admin_does_not_see_them(direct, annual):
    api = api_as(user_of(direct, Role.BILLING_ADMIN))
    assert api.get(BASE).status_code == 403
    assert api.get(f"{BASE}{annual.pk}/").status_code == 403


def test_outsiders_get_404(outsider, provider_admin, annual):
    for actor in (outsider, provider_admin):
        api = api_as(actor)
        assert api.get(BASE).json()["count"] == 0
        assert api.get(f"{BASE}{annual.pk}/").status_code == 404
        assert api.patch(f"{BASE}{annual.pk}/", {"auto_renew": False}, format="json").status_code == 404
        assert api.post(f"{BASE}{annual.pk}/cancel/").status_code == 404
        assert api.get(f"/api/v1/customers/{annual.customer.pk}/subscriptions/").status_code == 404


def test_the_list_keeps_its_queries(direct, direct_admin):
    api = api_as(direct_admin)
    counts = []
    for size in (2, 9):
        while direct.subscriptions.count() < size:
            direct_subscription(direct, direct_customer(direct), price=annual_price())
        with CaptureQueriesContext(connection) as queries:
            assert api.get(BASE).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("url", ["/api/v1/subscriptions/", "/api/v1/reservations/"])
def test_the_api_lists_read_a_bounded_number_of_rows(direct, direct_admin, monkeypatch, url):
    monkeypatch.setattr(PageNumberPagination, "page_size", bounded.PAGE)
    api = api_as(direct_admin)
    price = reservation_price() if "reservations" in url else annual_price()

    def grow(size):
        while direct.subscriptions.count() < size:
            direct_subscription(direct, direct_customer(direct), price=price)

    bounded.assert_bounded(bounded.measure(lambda: api.get(url), grow), "billing_subscription")


def test_patch_changes_both_or_neither(direct, direct_admin):
    software = PriceFactory(
        offer=OfferFactory(product=ProductFactory(kind="software")), term="none", billing="one_time"
    )
    subscription = direct_subscription(direct, direct_customer(direct), price=software)
    response = api_as(direct_admin).patch(
        f"{BASE}{subscription.pk}/", {"status": "suspended", "auto_renew": False}, format="json"
    )
    assert response.status_code == 409  # perpetual software has no term to renew
    subscription.refresh_from_db()
    assert subscription.status == "active" and not Event.objects.of(subscription).exists()


def test_the_schema_documents_the_endpoints(api):
    paths = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert {
        "/api/v1/subscriptions/",
        "/api/v1/subscriptions/{id}/",
        "/api/v1/subscriptions/{id}/cancel/",
        "/api/v1/reservations/",
        "/api/v1/customers/{id}/subscriptions/",
    } <= set(paths)
    assert {"get", "patch"} <= set(paths["/api/v1/subscriptions/{id}/"])
    money = paths["/api/v1/subscriptions/{id}/"]["get"]["responses"]["200"]
    assert money  # documented with its body
