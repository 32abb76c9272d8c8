"""``GET|POST /v1/customers/{id}/agreements`` (Partner Center's *Confirm customer acceptance
of the Microsoft Customer Agreement* and *Get confirmation of customer acceptance*): the
shapes Partner Center documents, errors named by Partner Center's fields, another partner's
customer 404 (code 3000), the roles, MS-RequestId, a constant number of queries, and the
public SDK's client against a live server."""

import datetime
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnercenter.accounts.models import Role
from relationships.customer_agreements import CustomerAgreementAcceptance
from tests.cast import share_customer, user_of
from tests.relationships.agreements_helpers import SHIPPED, TODAY, mca_template

from . import bearer_for, pc_client

pytestmark = pytest.mark.django_db

ITEM_KEYS = {"userId", "primaryContact", "templateId", "dateAgreed", "type", "agreementLink", "attributes"}


@pytest.fixture(autouse=True)
def travel():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def customer(provider, reseller, relationship):
    mca_template()
    return share_customer(provider, reseller, company_name="Contoso GmbH")


def url(customer) -> str:
    return f"/v1/customers/{customer.pk}/agreements"


def body(**overrides) -> dict:
    return {
        "primaryContact": {
            "firstName": "Lena",
            "lastName": "Wagner",
            "email": "lena.wagner@contoso.de",
            "phoneNumber": "+49 30 1234567",
        },
        "templateId": str(SHIPPED.MCA_TEMPLATE_ID),
        "dateAgreed": "2026-02-27T00:00:00Z",
        "type": "MicrosoftCustomerAgreement",
        **overrides,
    }


def post(client, customer, data, **kwargs):
    return client.post(url(customer), json.dumps(data), content_type="application/json", **kwargs)


def test_confirm_answers_the_agreement_in_partner_centers_shape(customer, provider_admin):
    response = post(pc_client(provider_admin), customer, body())
    assert response.status_code == 201, response.json()
    item = response.json()
    assert set(item) == ITEM_KEYS
    assert item["primaryContact"] == {
        "firstName": "Lena",
        "lastName": "Wagner",
        "email": "lena.wagner@contoso.de",
        "phoneNumber": "+49301234567",
    }
    assert item["templateId"] == str(SHIPPED.MCA_TEMPLATE_ID)
    assert item["dateAgreed"] == "2026-02-27T00:00:00Z"
    assert item["type"] == "MicrosoftCustomerAgreement"
    assert item["agreementLink"] == "https://www.microsoft.com/licensing/docs/customeragreement"
    assert item["userId"] == str(provider_admin.pk)
    assert item["attributes"] == {"objectType": "Agreement"}
    assert CustomerAgreementAcceptance.objects.get().date_agreed == datetime.date(2026, 2, 27)


def test_the_list_holds_the_customers_confirmations(customer, provider_admin, reseller_admin):
    post(pc_client(reseller_admin), customer, body())
    response = pc_client(provider_admin).get(url(customer))
    assert response.status_code == 200
    page = response.json()
    assert page["totalCount"] == 1 and page["attributes"] == {"objectType": "Collection"}
    assert set(page["items"][0]) == ITEM_KEYS
    assert page["items"][0]["primaryContact"]["email"] == "lena.wagner@contoso.de"


@pytest.mark.parametrize(
    ("agreement_type", "count"),
    [("MicrosoftCustomerAgreement", 1), ("*", 1), ("", 1), ("MicrosoftCloudAgreement", 0)],
)
def test_the_list_filters_by_agreement_type(agreement_type, count, customer, provider_admin):
    post(pc_client(provider_admin), customer, body())
    response = pc_client(provider_admin).get(url(customer), {"agreementType": agreement_type})
    assert response.status_code == 200 and response.json()["totalCount"] == count


def test_an_unknown_agreement_type_is_a_400_on_its_field(customer, provider_admin):
    response = pc_client(provider_admin).get(url(customer), {"agreementType": "Nonsense"})
    assert response.status_code == 400
    assert [item["field"] for item in response.json()["data"]] == ["agreementType"]


def test_the_list_pages_by_seek(customer, provider_admin):
    client = pc_client(provider_admin)
    for minute in range(3):
        with time_machine.travel(TODAY + datetime.timedelta(minutes=minute), tick=False):
            contact = {**body()["primaryContact"], "firstName": f"Lena{minute}"}
            assert post(client, customer, body(primaryContact=contact)).status_code == 201
    first = client.get(url(customer), {"size": 2}).json()
    assert [i["primaryContact"]["firstName"] for i in first["items"]] == ["Lena2", "Lena1"]
    following = first["links"]["next"]
    token = following["headers"][0]["value"]
    rest = client.get("/v1" + following["uri"], HTTP_MS_CONTINUATIONTOKEN=token).json()
    assert [i["primaryContact"]["firstName"] for i in rest["items"]] == ["Lena0"]


def test_the_list_reads_a_constant_number_of_queries(customer, provider_admin):
    client = pc_client(provider_admin)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(customer)).status_code == 200
        return len(queries)

    post(client, customer, body())
    one = count()
    for minute in range(1, 5):
        with time_machine.travel(TODAY + datetime.timedelta(minutes=minute), tick=False):
            post(
                client, customer, body(primaryContact={**body()["primaryContact"], "firstName": f"L{minute}"})
            )
    assert count() == one


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            body(primaryContact={"firstName": "Lena", "lastName": "Wagner", "email": "lena"}),
            "primaryContact.email",
        ),
        (body(primaryContact={"lastName": "Wagner", "email": "l@contoso.de"}), "primaryContact.firstName"),
        (body(primaryContact={"firstName": "Lena", "email": "l@contoso.de"}), "primaryContact.lastName"),
        (
            body(primaryContact={**body()["primaryContact"], "phoneNumber": "12"}),
            "primaryContact.phoneNumber",
        ),
        (body(templateId="00000000-0000-0000-0000-000000000000"), "templateId"),
        (body(templateId=None), "templateId"),
        (body(dateAgreed="2026-03-05T00:00:00Z"), "dateAgreed"),
        (body(dateAgreed="yesterday"), "dateAgreed"),
        (body(dateAgreed="2026-02-30"), "dateAgreed"),
        (body(dateAgreed=20260227), "dateAgreed"),
        (body(type="MicrosoftCloudAgreement"), "type"),
        (body(type=None), "type"),
    ],
)
def test_bad_input_is_a_400_naming_partner_centers_field(data, field, customer, provider_admin):
    response = post(pc_client(provider_admin), customer, data)
    assert response.status_code == 400
    payload = response.json()
    assert payload["code"] == 2000
    assert [item["field"] for item in payload["data"]] == [field]
    assert not CustomerAgreementAcceptance.objects.exists()


@pytest.mark.parametrize(
    "data", [[], "text", None, {"primaryContact": "Lena", "type": "MicrosoftCustomerAgreement"}]
)
def test_a_body_of_another_shape_is_a_400_never_a_500(data, customer, provider_admin):
    response = post(pc_client(provider_admin), customer, data)
    assert response.status_code == 400


def test_another_partners_customer_is_404(customer, outsider):
    for response in (pc_client(outsider).get(url(customer)), post(pc_client(outsider), customer, body())):
        assert response.status_code == 404 and response.json()["code"] == 3000


def test_a_sales_agent_reads_and_may_not_confirm(customer, provider):
    client = pc_client(user_of(provider, Role.SALES_AGENT))
    assert client.get(url(customer)).status_code == 200
    response = post(client, customer, body())
    assert response.status_code == 403
    assert not CustomerAgreementAcceptance.objects.exists()


def test_an_admin_agent_confirms(customer, provider):
    assert post(pc_client(user_of(provider, Role.ADMIN_AGENT)), customer, body()).status_code == 201


def test_ms_request_id_confirms_once(customer, provider_admin):
    client = pc_client(provider_admin, **{"MS-RequestId": "4d0fa0a4-confirm-1"})
    first = post(client, customer, body())
    again = post(client, customer, body())
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert CustomerAgreementAcceptance.objects.count() == 1
    other = post(client, customer, body(primaryContact={**body()["primaryContact"], "firstName": "Max"}))
    assert other.status_code == 409


def test_the_same_confirmation_without_a_request_id_is_recorded_once(customer, provider_admin):
    client = pc_client(provider_admin)
    assert post(client, customer, body()).status_code == post(client, customer, body()).status_code == 201
    assert CustomerAgreementAcceptance.objects.count() == 1


def test_without_a_bearer_token_401(customer):
    from rest_framework.test import APIClient

    assert APIClient().get(url(customer)).status_code == 401


def test_get_agreements_lists_the_microsoft_customer_agreements_metadata(customer, provider):
    """Registered by relationships with enrollment's ``GET /v1/agreements`` (apps.ready)."""
    response = pc_client(user_of(provider)).get("/v1/agreements?agreementType=MicrosoftCustomerAgreement")
    assert response.status_code == 200, response.content
    (metadata,) = response.json()["items"]
    assert {
        key: metadata[key] for key in ("templateId", "agreementType", "agreementLink", "versionRank")
    } == {
        "templateId": str(SHIPPED.MCA_TEMPLATE_ID),
        "agreementType": "MicrosoftCustomerAgreement",
        "agreementLink": "https://www.microsoft.com/licensing/docs/customeragreement",
        "versionRank": 1,
    }
    assert metadata["attributes"] == {"objectType": "AgreementMetaData"}


# --- The public SDK (partnercenterservices 0.1.2) against a live server -----------------------------


@pytest.mark.django_db(transaction=True)
def test_the_sdk_client_confirms_and_reads_with_its_contact_model(live_server, provider, reseller):
    """The SDK has no agreements operation of its own; its client (base URL, bearer
    credentials, headers) sends the request, its ``Contact`` model writes and reads the
    ``primaryContact`` Partner Center documents."""
    from microsoft.store.partnercenterservices import MicrosoftPartnerStoreApis
    from microsoft.store.partnercenterservices.models import MicrosoftPartnerSdkContractsV1Contact as Contact
    from msrest.authentication import BasicTokenAuthentication

    from tests.factories import ProviderResellerRelationshipFactory

    ProviderResellerRelationshipFactory(provider=provider, reseller=reseller)
    mca_template()
    customer = share_customer(provider, reseller, company_name="Contoso GmbH")
    admin = user_of(provider, email="admin@distribution.test")
    sdk = MicrosoftPartnerStoreApis(
        BasicTokenAuthentication({"access_token": bearer_for(admin)}), base_url=live_server.url
    )
    contact = Contact(first_name="Lena", last_name="Wagner", email="lena.wagner@contoso.de")
    agreement = {
        "primaryContact": sdk._serialize.body(contact, "MicrosoftPartnerSdkContractsV1Contact"),
        "templateId": str(SHIPPED.MCA_TEMPLATE_ID),
        "dateAgreed": "2026-02-27T00:00:00Z",
        "type": "MicrosoftCustomerAgreement",
    }
    address = sdk._client.format_url("/v1/customers/{id}/agreements", id=str(customer.pk))
    created = sdk._client.send(
        sdk._client.post(address, content=agreement),
        {"Content-Type": "application/json", "MS-RequestId": "sdk-confirm-1"},
    )
    assert created.status_code == 201, created.text
    read = sdk._client.send(sdk._client.get(address, {"agreementType": "MicrosoftCustomerAgreement"}))
    assert read.status_code == 200
    (item,) = read.json()["items"]
    back = sdk._deserialize("MicrosoftPartnerSdkContractsV1Contact", item["primaryContact"])
    assert (back.first_name, back.last_name, back.email, back.phone_number) == (
        "Lena",
        "Wagner",
        "lena.wagner@contoso.de",
        None,
    )


def test_errors_are_in_the_language_of_x_locale(customer, provider_admin):
    contact = {"lastName": "Wagner", "email": "lena"}
    response = post(
        pc_client(provider_admin, **{"X-Locale": "ru-RU"}), customer, body(primaryContact=contact)
    )
    assert response.status_code == 400
    descriptions = {item["field"]: item["description"] for item in response.json()["data"]}
    assert descriptions["primaryContact.firstName"] == "Введите имя."
    assert descriptions["primaryContact.email"].startswith("Введите действительный адрес электронной почты")
