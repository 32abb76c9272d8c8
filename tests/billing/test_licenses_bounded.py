"""The lists of the customer tenant's users and licenses read a bounded number of rows with a
constant number of queries as they grow (the guard of tests/test_bounded_reads.py, applied
to the Users section of the customer page and the API's users and licenses lists)."""

import pytest
from rest_framework.pagination import PageNumberPagination

from billing.models import CustomerUser, LicenseAssignment, Subscription
from billing.views import licenses as license_views
from tests.billing.factories import CustomerUserFactory, subscription_of
from tests.cast import share_customer
from tests.conftest import api_as
from tests.test_bounded_reads import PAGE, assert_bounded, measure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_pages(monkeypatch):
    monkeypatch.setattr(license_views, "USERS_PAGE_SIZE", PAGE)
    monkeypatch.setattr(PageNumberPagination, "page_size", PAGE)


@pytest.fixture
def world(provider, reseller, relationship, reseller_admin):
    customer = share_customer(provider, reseller)
    subscriptions = [subscription_of(provider, customer, reseller=reseller, quantity=100) for _ in range(2)]
    return customer, subscriptions


def grow_users(customer, subscriptions):
    def grow(size):
        while CustomerUser.objects.filter(customer=customer).count() < size:
            user = CustomerUserFactory(customer=customer)
            for subscription in subscriptions:
                LicenseAssignment.objects.create(subscription=subscription, user=user)

    return grow


@pytest.mark.parametrize("where", ["page", "api"])
def test_the_users_list(client, world, reseller_admin, where):
    customer, subscriptions = world
    client.force_login(reseller_admin)
    api = api_as(reseller_admin)
    url = f"/customers/{customer.pk}/" if where == "page" else f"/api/v1/customers/{customer.pk}/users/"
    fetch = (lambda: client.get(url)) if where == "page" else (lambda: api.get(url))
    # A page of users, each with its two licenses.
    assert_bounded(measure(fetch, grow_users(customer, subscriptions)), "billing_customeruser", most=2 * PAGE)


def test_the_licenses_list(world, provider, reseller, reseller_admin):
    customer, _subscriptions = world
    api = api_as(reseller_admin)

    def grow(size):
        while Subscription.objects.filter(customer=customer).count() < size:
            subscription = subscription_of(provider, customer, reseller=reseller, quantity=5)
            LicenseAssignment.objects.create(
                subscription=subscription, user=CustomerUserFactory(customer=customer)
            )

    url = f"/api/v1/customers/{customer.pk}/licenses/"
    assert_bounded(measure(lambda: api.get(url), grow), "billing_subscription")
