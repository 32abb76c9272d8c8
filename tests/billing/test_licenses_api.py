"""The API of the customer tenant's users and licenses (billing.api.licenses): the reseller
and the direct-bill partner manage them, the provider gets 403, another partner 404; the
temporary password is in the 201 (or the reset's answer) only; the lists are paginated with
a constant number of queries."""

import pytest
from django.contrib.auth.hashers import check_password
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.models import CustomerUser, LicenseAssignment
from partnercenter.accounts.models import Role
from partnercenter.audit.models import Event
from tests.billing.factories import CustomerUserFactory, subscription_of
from tests.cast import direct_customer, share_customer, user_of
from tests.conftest import api_as
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db

BODY = {"first_name": "Kim", "last_name": "Akers", "username": "kim.akers"}


@pytest.fixture
def customer(provider, reseller, relationship):
    tenant = TenantFactory(name="Contoso GmbH", domain="contosode.onmicrosoft.com", country="DE")
    return share_customer(provider, reseller, tenant=tenant, company_name="Contoso GmbH")


def users_url(customer, *rest) -> str:
    return "/".join([f"/api/v1/customers/{customer.pk}/users", *map(str, rest)]) + "/"


def seats(provider, customer, reseller=None, quantity=10):
    return subscription_of(
        provider,
        customer,
        reseller=reseller,
        quantity=quantity,
        offer__product__name="Microsoft 365 Business Standard",
    )


def test_the_reseller_creates_a_user_and_reads_the_password_once(customer, reseller_admin):
    api = api_as(reseller_admin)
    response = api.post(users_url(customer), BODY, format="json")
    assert response.status_code == 201, response.json()
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    password = data["temporary_password"]
    assert data["user_principal_name"] == "kim.akers@contosode.onmicrosoft.com"
    assert data["display_name"] == "Kim Akers" and data["usage_location"] == "DE"
    assert data["must_change_password"] is True and data["licenses"] == []
    user = CustomerUser.objects.get()
    assert check_password(password, user.password_hash)
    # Never again: the list, the user and the audit trail do not show it.
    for url in (users_url(customer), users_url(customer, user.pk)):
        body = api.get(url).content.decode()
        assert password not in body and "temporary_password" not in body
    assert all(password not in str(e.data) for e in Event.objects.all())


def test_a_bad_user_name_is_400_on_its_field(customer, reseller_admin):
    response = api_as(reseller_admin).post(
        users_url(customer), {**BODY, "username": "kim akers"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["username"]
    assert "letters A to Z" in response.json()["username"][0]


def test_a_taken_user_name_is_400(customer, reseller_admin):
    api = api_as(reseller_admin)
    api.post(users_url(customer), BODY, format="json")
    response = api.post(users_url(customer), BODY, format="json")
    assert response.status_code == 400 and "is taken" in response.json()["username"][0]


def test_the_direct_bill_partner_manages_its_direct_customers_users(direct, direct_admin):
    customer = direct_customer(direct)
    response = api_as(direct_admin).post(users_url(customer), BODY, format="json")
    assert response.status_code == 201


def test_the_provider_is_refused_and_an_outsider_not_found(customer, provider_admin, outsider):
    user = CustomerUserFactory(customer=customer)
    for url in (users_url(customer), users_url(customer, user.pk)):
        response = api_as(provider_admin).get(url)
        assert response.status_code == 403 and "administrator access" in response.json()["detail"]
        assert api_as(outsider).get(url).status_code == 404
    assert api_as(provider_admin).post(users_url(customer), BODY, format="json").status_code == 403
    assert api_as(outsider).post(users_url(customer), BODY, format="json").status_code == 404
    assert api_as(outsider).get(f"/api/v1/customers/{customer.pk}/licenses/").status_code == 404


def test_the_helpdesk_agent_creates_and_resets_but_does_not_assign(provider, customer, reseller):
    helpdesk = api_as(user_of(reseller, Role.HELPDESK_AGENT))
    subscription = seats(provider, customer, reseller)
    created = helpdesk.post(users_url(customer), BODY, format="json").json()
    reset = helpdesk.post(users_url(customer, created["id"], "reset-password"))
    assert reset.status_code == 200 and reset["Cache-Control"] == "no-store"
    assert reset.json()["temporary_password"] != created["temporary_password"]
    assert helpdesk.get(f"/api/v1/customers/{customer.pk}/licenses/").status_code == 200
    response = helpdesk.post(
        users_url(customer, created["id"], "licenses"),
        {"subscription_id": str(subscription.pk)},
        format="json",
    )
    assert response.status_code == 403 and "assign licenses" in response.json()["detail"]


def test_the_sales_agent_gets_403(customer, reseller):
    sales = api_as(user_of(reseller, Role.SALES_AGENT))
    user = CustomerUserFactory(customer=customer)
    assert sales.get(users_url(customer)).status_code == 403
    assert sales.post(users_url(customer), BODY, format="json").status_code == 403
    assert sales.post(users_url(customer, user.pk, "reset-password")).status_code == 403
    assert sales.delete(users_url(customer, user.pk)).status_code == 403
    assert sales.get(f"/api/v1/customers/{customer.pk}/licenses/").status_code == 403


def test_assign_list_and_remove_licenses(provider, customer, reseller, reseller_admin):
    api = api_as(reseller_admin)
    subscription = seats(provider, customer, reseller, quantity=1)
    user, other = CustomerUserFactory(customer=customer), CustomerUserFactory(customer=customer)
    url = users_url(customer, user.pk, "licenses")
    response = api.post(url, {"subscription_id": str(subscription.pk)}, format="json")
    assert response.status_code == 201
    assert response.json()["product"] == "Microsoft 365 Business Standard"
    assert api.post(url, {"subscription_id": str(subscription.pk)}, format="json").status_code == 201
    assert LicenseAssignment.objects.count() == 1
    assert [r["subscription_id"] for r in api.get(url).json()["results"]] == [str(subscription.pk)]
    licenses = api.get(f"/api/v1/customers/{customer.pk}/licenses/").json()["results"]
    assert [(r["bought"], r["assigned"], r["available"]) for r in licenses] == [(1, 1, 0)]
    # The last seat is taken: a clear 409.
    full = api.post(
        users_url(customer, other.pk, "licenses"), {"subscription_id": str(subscription.pk)}, format="json"
    )
    assert full.status_code == 409
    assert full.json()["detail"] == (
        "The 1 license of Microsoft 365 Business Standard is assigned. Remove it, or buy more."
    )
    assert api.delete(users_url(customer, user.pk, "licenses", subscription.pk)).status_code == 204
    assert not LicenseAssignment.objects.exists()


def test_another_customers_user_or_subscription(provider, customer, reseller, reseller_admin):
    api = api_as(reseller_admin)
    other = share_customer(provider, reseller)
    their_user = CustomerUserFactory(customer=other)
    their_subscription = seats(provider, other, reseller)
    user = CustomerUserFactory(customer=customer)
    assert api.get(users_url(customer, their_user.pk)).status_code == 404
    assert api.delete(users_url(customer, their_user.pk)).status_code == 404
    assert api.post(users_url(customer, their_user.pk, "reset-password")).status_code == 404
    response = api.post(
        users_url(customer, user.pk, "licenses"),
        {"subscription_id": str(their_subscription.pk)},
        format="json",
    )
    assert response.status_code == 400 and list(response.json()) == ["subscription_id"]
    bad = api.post(users_url(customer, user.pk, "licenses"), {"subscription_id": "nope"}, format="json")
    assert bad.status_code == 400
    assert api.delete(users_url(customer, user.pk, "licenses", their_subscription.pk)).status_code == 404


def test_deleting_a_user_releases_its_seats_and_hides_it(provider, customer, reseller, reseller_admin):
    api = api_as(reseller_admin)
    subscription = seats(provider, customer, reseller)
    user = CustomerUserFactory(customer=customer)
    api.post(
        users_url(customer, user.pk, "licenses"), {"subscription_id": str(subscription.pk)}, format="json"
    )
    assert api.delete(users_url(customer, user.pk)).status_code == 204
    assert not LicenseAssignment.objects.exists()
    assert api.get(users_url(customer)).json()["count"] == 0
    assert api.get(users_url(customer, user.pk)).status_code == 404
    assert api.delete(users_url(customer, user.pk)).status_code == 404


def _queries(api, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert api.get(url).status_code == 200
    return len(captured)


def test_the_lists_keep_a_constant_number_of_queries(provider, customer, reseller, reseller_admin):
    api = api_as(reseller_admin)
    subscriptions = [seats(provider, customer, reseller, quantity=50) for _ in range(2)]

    def grow(size):
        while CustomerUser.objects.count() < size:
            user = CustomerUserFactory(customer=customer)
            for subscription in subscriptions:
                LicenseAssignment.objects.create(subscription=subscription, user=user)

    counts = []
    for size in (2, 12):
        grow(size)
        counts.append(
            (
                _queries(api, users_url(customer)),
                _queries(api, f"/api/v1/customers/{customer.pk}/licenses/"),
            )
        )
    assert counts[0] == counts[1]
