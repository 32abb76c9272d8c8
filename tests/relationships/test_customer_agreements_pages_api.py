"""The customer page's *Microsoft Customer Agreement* and ``/api/v1/customers/<id>/agreements/``:
whether the acceptance is confirmed (date, contact), the form *Confirm customer acceptance of
the Microsoft Customer Agreement* for a global admin or an admin agent (errors on their
fields, a second click records nothing twice), another partner's customer 404, the roles, no
inline style or script, the API's shapes and its place in the OpenAPI schema."""

import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnercenter.accounts.models import Role
from relationships.customer_agreements import CustomerAgreementAcceptance
from tests.cast import share_customer, user_of
from tests.conftest import api_as
from tests.factories import CustomerAgreementAcceptanceFactory

from .agreements_helpers import SHIPPED, TODAY, mca_template

pytestmark = pytest.mark.django_db

FORM_TITLE = "Confirm customer acceptance of the Microsoft Customer Agreement"
NOT_YET = "acceptance of the Microsoft Customer Agreement is not confirmed yet"


@pytest.fixture(autouse=True)
def travel():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def customer(provider, reseller, relationship):
    mca_template()
    return share_customer(provider, reseller, company_name="Contoso GmbH")


def page(customer) -> str:
    return f"/customers/{customer.pk}/"


def form_url(customer) -> str:
    return f"/customers/{customer.pk}/agreements/"


def api_url(customer) -> str:
    return f"/api/v1/customers/{customer.pk}/agreements/"


FORM = {
    "first_name": "Lena",
    "last_name": "Wagner",
    "email": "lena.wagner@contoso.de",
    "phone_number": "+49 30 1234567",
    "date_agreed": "2026-02-27",
    "template_id": str(SHIPPED.MCA_TEMPLATE_ID),
}


def html(response) -> str:
    return response.content.decode()


def section(response) -> str:
    return re.search(r'<section class="card" id="agreement">.*?</section>', html(response), re.S).group(0)


# --- The page ---------------------------------------------------------------------------------------------


def test_the_page_says_it_is_not_confirmed_and_offers_the_form(client, customer, provider_admin):
    client.force_login(provider_admin)
    response = client.get(page(customer))
    assert response.status_code == 200
    card = section(response)
    assert NOT_YET in card and FORM_TITLE in card
    assert f'value="{SHIPPED.MCA_TEMPLATE_ID}"' in card
    assert 'href="https://www.microsoft.com/licensing/docs/customeragreement"' in card
    assert " style=" not in card and "<script" not in card and " on" not in card.replace(" one", "")


def test_confirming_shows_the_date_and_the_contact(client, customer, provider_admin):
    client.force_login(provider_admin)
    response = client.post(form_url(customer), FORM)
    assert response.status_code == 302 and response["Location"] == page(customer) + "#agreement"
    card = section(client.get(page(customer)))
    assert NOT_YET not in card
    assert "Feb. 27, 2026" in card and "Lena Wagner" in card and "lena.wagner@contoso.de" in card
    assert client.post(form_url(customer), FORM).status_code == 302  # a second click
    assert CustomerAgreementAcceptance.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "lena"), ("date_agreed", "2026-03-09"), ("phone_number", "12"), ("first_name", "")],
)
def test_an_error_shows_on_its_field(field, value, client, customer, provider_admin):
    client.force_login(provider_admin)
    response = client.post(form_url(customer), {**FORM, field: value})
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in section(response)
    assert not CustomerAgreementAcceptance.objects.exists()


def test_a_template_that_is_not_current_shows_at_the_forms_top(client, customer, provider_admin):
    client.force_login(provider_admin)
    response = client.post(
        form_url(customer), {**FORM, "template_id": "00000000-0000-0000-0000-000000000000"}
    )
    assert response.status_code == 400
    assert 'class="errorbox"' in section(response) and "templateId" in section(response)


def test_a_sales_agent_reads_the_status_without_the_form(client, customer, provider):
    client.force_login(user_of(provider, Role.SALES_AGENT))
    card = section(client.get(page(customer)))
    assert NOT_YET in card and FORM_TITLE not in card
    assert client.post(form_url(customer), FORM).status_code == 403


def test_another_partners_customer_is_404(client, customer, outsider):
    client.force_login(outsider)
    assert client.get(page(customer)).status_code == 404
    assert client.post(form_url(customer), FORM).status_code == 404


def test_the_page_reads_a_constant_number_of_queries(client, customer, provider_admin, reseller_admin):
    client.force_login(provider_admin)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page(customer)).status_code == 200
        return len(queries)

    before = count()
    CustomerAgreementAcceptanceFactory.create_batch(3, customer=customer, template=mca_template())
    assert count() == before


# --- /api/v1/ ---------------------------------------------------------------------------------------------

API_BODY = {
    "template_id": str(SHIPPED.MCA_TEMPLATE_ID),
    "date_agreed": "2026-02-27",
    "contact": {"first_name": "Lena", "last_name": "Wagner", "email": "lena.wagner@contoso.de"},
}


def test_the_api_confirms_and_lists(customer, reseller_admin, provider_admin):
    response = api_as(reseller_admin).post(api_url(customer), API_BODY, format="json")
    assert response.status_code == 201, response.json()
    item = response.json()
    assert item["template_id"] == str(SHIPPED.MCA_TEMPLATE_ID)
    assert item["agreement_type"] == "MicrosoftCustomerAgreement"
    assert item["date_agreed"] == "2026-02-27"
    assert item["contact"] == {
        "first_name": "Lena",
        "last_name": "Wagner",
        "email": "lena.wagner@contoso.de",
        "phone_number": "",
    }
    again = api_as(reseller_admin).post(api_url(customer), API_BODY, format="json")
    assert again.status_code == 200 and again.json()["id"] == item["id"]
    listed = api_as(provider_admin).get(api_url(customer)).json()
    assert [row["id"] for row in listed["results"]] == [item["id"]]


def test_the_api_names_the_field_in_error(customer, provider_admin):
    data = {**API_BODY, "contact": {**API_BODY["contact"], "email": "lena"}}
    response = api_as(provider_admin).post(api_url(customer), data, format="json")
    assert response.status_code == 400
    assert "email" in str(response.json())


def test_the_api_refuses_the_sales_agent_and_the_outsider(customer, provider, outsider):
    agent = api_as(user_of(provider, Role.SALES_AGENT))
    assert agent.get(api_url(customer)).status_code == 200
    assert agent.post(api_url(customer), API_BODY, format="json").status_code == 403
    assert api_as(outsider).get(api_url(customer)).status_code == 404
    assert api_as(outsider).post(api_url(customer), API_BODY, format="json").status_code == 404


def test_the_endpoints_are_in_the_openapi_schema(provider_admin):
    paths = api_as(provider_admin).get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    operations = paths["/api/v1/customers/{id}/agreements/"]
    assert {"get", "post"} <= set(operations)
    assert "requestBody" in operations["post"]
