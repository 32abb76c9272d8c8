"""POST /v1/customers (Partner Center's "Create a customer"): through
``services.customers.customer_create``, its refusals under the caller's field names, a
domain another tenant has as a conflict, once per MS-RequestId."""

import pytest

from partnercenter.accounts.models import User
from partnercenter.pcapi.models import IdempotentRequest
from relationships.models import Customer
from tests.cast import make_provider, user_of
from tests.factories import TenantDomainFactory, TenantFactory

from . import pc_client

pytestmark = pytest.mark.django_db


def new_customer(domain="wingtiptoys.onmicrosoft.com", country="DE", **extra) -> dict:
    """Partner Center's documented request body."""
    return {
        "companyProfile": {"domain": domain},
        "billingProfile": {
            "email": "gena@wingtiptoys.test",
            "culture": "de-DE",
            "language": "de",
            "companyName": "Wingtip Toys GmbH",
            "defaultAddress": {
                "country": country,
                "region": "",
                "city": "Berlin",
                "addressLine1": "Unter den Linden 1",
                "postalCode": "10117",
                "firstName": "Gena",
                "lastName": "Soto",
                "phoneNumber": "+49 30 1234567",
            },
        },
        **extra,
    }


def test_a_provider_creates_a_customer_for_its_reseller(provider, provider_admin, reseller, relationship):
    response = pc_client(provider_admin).post(
        "/v1/customers", new_customer(associatedPartnerId=str(reseller.pk)), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    customer = Customer.objects.get(pk=body["id"])
    assert body["companyProfile"]["domain"] == "wingtiptoys.onmicrosoft.com"
    assert body["associatedPartnerId"] == str(reseller.pk) and body["attributes"] == {
        "objectType": "Customer"
    }
    credentials = body["userCredentials"]
    assert credentials["userName"] == "admin@wingtiptoys.onmicrosoft.com"
    admin = User.objects.get(email=credentials["userName"])
    assert admin.tenant_id == customer.tenant_id and admin.must_change_password
    assert admin.check_password(credentials["password"])
    # The customer appears in the reseller's list, as the service makes it.
    assert set(customer.relationships.values_list("partner_id", "role")) == {
        (provider.pk, "indirect_provider"),
        (reseller.pk, "indirect_reseller"),
    }


def test_the_services_refusals_name_the_callers_fields(provider_admin):
    response = pc_client(provider_admin).post(
        "/v1/customers",
        {"companyProfile": {"domain": "wing tip"}, "billingProfile": {"defaultAddress": {"country": "XX"}}},
        format="json",
    )
    assert response.status_code == 400
    fields = {item["field"] for item in response.json()["data"]}
    assert fields == {
        "billingProfile.companyName",
        "companyProfile.domain",
        "billingProfile.defaultAddress.country",
    }


def test_a_body_of_the_wrong_shape_is_400_never_500(provider_admin):
    for body in (
        [],
        {"companyProfile": "x"},
        {"billingProfile": {"defaultAddress": [1]}},
        {"associatedPartnerId": {}},
        {"companyProfile": None, "billingProfile": {"defaultAddress": None}},
    ):
        response = pc_client(provider_admin).post("/v1/customers", body, format="json")
        assert response.status_code == 400 and response.json()["code"] == 2000


def test_a_country_outside_the_partners_market_is_refused_in_the_callers_language(provider_admin):
    response = pc_client(provider_admin, **{"X-Locale": "ru-RU"}).post(
        "/v1/customers", new_customer(country="US"), format="json"
    )
    assert response.status_code == 400
    [error] = response.json()["data"]
    assert error["field"] == "billingProfile.defaultAddress.country"
    assert "Europe" not in error["description"] and "Европа" in error["description"]


def test_a_registration_number_country_needs_one():
    warsaw = user_of(make_provider("Litware Dystrybucja", country="PL"))
    response = pc_client(warsaw).post("/v1/customers", new_customer(country="PL"), format="json")
    assert response.status_code == 400
    assert response.json()["data"][0]["field"] == "companyProfile.organizationRegistrationNumber"
    body = new_customer(country="PL")
    body["companyProfile"]["organizationRegistrationNumber"] = "0000123456"
    assert pc_client(warsaw).post("/v1/customers", body, format="json").status_code == 201


def test_a_reseller_that_is_not_the_providers_is_refused(provider_admin, reseller):
    response = pc_client(provider_admin).post(
        "/v1/customers", new_customer(associatedPartnerId=str(reseller.pk)), format="json"
    )
    assert response.status_code == 400
    assert response.json()["data"][0]["field"] == "associatedPartnerId"


def test_an_indirect_reseller_may_not_create_customers(reseller_admin, relationship):
    response = pc_client(reseller_admin).post("/v1/customers", new_customer(), format="json")
    assert response.status_code == 403 and not Customer.objects.exists()


@pytest.mark.parametrize("taken_as", ["tenant", "custom domain"])
def test_a_domain_another_tenant_has_is_a_conflict(taken_as, provider_admin):
    if taken_as == "tenant":
        TenantFactory(domain="wingtiptoys.onmicrosoft.com")
    else:
        TenantDomainFactory(name="wingtiptoys.onmicrosoft.com")
    response = pc_client(provider_admin, **{"X-Locale": "de-DE"}).post(
        "/v1/customers", new_customer(), format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert (
        body["data"][0]["field"] == "companyProfile.domain"
        and "wingtiptoys.onmicrosoft.com" in body["description"]
    )


def test_the_prefix_alone_is_taken_as_the_domain(provider_admin):
    response = pc_client(provider_admin).post(
        "/v1/customers", new_customer(domain="wingtiptoys"), format="json"
    )
    assert response.json()["companyProfile"]["domain"] == "wingtiptoys.onmicrosoft.com"


def test_ms_request_id_creates_once_and_shows_the_password_once(provider_admin):
    client = pc_client(provider_admin, **{"MS-RequestId": "a7e3c1d2-0001"})
    first = client.post("/v1/customers", new_customer(), format="json")
    again = client.post("/v1/customers", new_customer(), format="json")
    assert first.status_code == again.status_code == 201
    assert Customer.objects.count() == 1 and again.json()["id"] == first.json()["id"]
    assert again.json()["userCredentials"] == {"userName": "admin@wingtiptoys.onmicrosoft.com"}
    assert first.json()["userCredentials"]["password"]
    kept = IdempotentRequest.objects.get()
    assert "password" not in kept.body["userCredentials"]  # never stored in clear
    other = client.post("/v1/customers", new_customer(domain="othertoys.onmicrosoft.com"), format="json")
    assert other.status_code == 409 and Customer.objects.count() == 1
