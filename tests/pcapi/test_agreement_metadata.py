"""``GET /v1/agreements[?agreementType=]``: Partner Center's agreement metadata. The partner
agreements are the programs' current templates (``MicrosoftPartnerAgreement``); other types
come from the apps that register them (``enrollment.agreement_types``)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enrollment import agreement_types
from tests.factories import AgreementTemplateFactory

from . import pc_client

pytestmark = pytest.mark.django_db


def _versions(program, language="en", count=1):
    """``count`` versions of a program's agreement, the last one current (older ones retired)."""
    start = timezone.now() - timedelta(days=count)
    versions = [
        AgreementTemplateFactory(
            program=program, language=language, is_current=False, published_at=start + timedelta(days=n)
        )
        for n in range(count)
    ]
    versions[-1].is_current = True
    versions[-1].save()
    return versions[-1]


def _items(client, **query):
    response = client.get("/v1/agreements", query)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["attributes"] == {"objectType": "Collection"} and body["totalCount"] == len(body["items"])
    return body["items"]


def test_the_partner_agreements_in_partner_centers_shape(provider_admin):
    indirect = _versions("indirect_reseller", count=3)
    direct = _versions("direct_bill")
    items = _items(pc_client(provider_admin), agreementType="MicrosoftPartnerAgreement")
    assert items == [
        {
            "templateId": str(direct.pk),
            "agreementType": "MicrosoftPartnerAgreement",
            "agreementLink": f"http://testserver/agreements/{direct.pk}/",
            "versionRank": 0,
            "attributes": {"objectType": "AgreementMetaData"},
        },
        {
            "templateId": str(indirect.pk),
            "agreementType": "MicrosoftPartnerAgreement",
            "agreementLink": f"http://testserver/agreements/{indirect.pk}/",
            "versionRank": 2,  # two versions before it
            "attributes": {"objectType": "AgreementMetaData"},
        },
    ]


def test_without_a_type_the_cloud_agreement_the_portal_does_not_have(provider_admin):
    _versions("indirect_reseller")
    body = pc_client(provider_admin).get("/v1/agreements").json()
    assert body == {"totalCount": 0, "items": [], "links": {}, "attributes": {"objectType": "Collection"}}


def test_in_the_callers_language_where_the_agreement_has_one(provider_admin):
    _versions("indirect_reseller")
    chinese = _versions("indirect_reseller", language="zh-hant")
    english_direct = _versions("direct_bill")
    items = _items(
        pc_client(provider_admin, **{"X-Locale": "zh-TW"}), agreementType="microsoftpartneragreement"
    )
    assert [item["templateId"] for item in items] == [str(english_direct.pk), str(chinese.pk)]


@pytest.mark.parametrize("everything", ["*", "All", "all"])
def test_every_type_and_the_types_other_apps_register(provider_admin, monkeypatch, everything):
    """Relationships serves the Microsoft Customer Agreement by registering its source."""
    partner = _versions("indirect_reseller")
    customer_agreement = agreement_types.AgreementMetadata(
        template_id="117a77b0-9360-443b-8795-c6dedc750cf9",
        agreement_type="MicrosoftCustomerAgreement",
        agreement_link="https://aka.ms/customeragreement",
        version_rank=0,
    )
    monkeypatch.setitem(agreement_types._sources, "MicrosoftCustomerAgreement", None)
    agreement_types.register_agreement_type(
        "MicrosoftCustomerAgreement", lambda language: [customer_agreement]
    )
    client = pc_client(provider_admin)
    assert [(i["agreementType"], i["templateId"]) for i in _items(client, agreementType=everything)] == [
        ("MicrosoftCustomerAgreement", customer_agreement.template_id),
        ("MicrosoftPartnerAgreement", str(partner.pk)),
    ]
    only = _items(client, agreementType="MicrosoftCustomerAgreement")
    assert only[0]["agreementLink"] == "https://aka.ms/customeragreement" and len(only) == 1


def test_an_unknown_type_is_400_on_the_field(provider_admin):
    response = pc_client(provider_admin).get("/v1/agreements?agreementType=MicrosoftPartyAgreement")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == 2000 and body["data"][0]["field"] == "agreementType"
    assert "MicrosoftCustomerAgreement" in body["data"][0]["description"]


def test_retired_versions_are_not_listed(provider_admin):
    current = _versions("indirect_reseller", count=2)
    items = _items(pc_client(provider_admin), agreementType="*")
    partner_agreements = [item for item in items if item["agreementType"] == "MicrosoftPartnerAgreement"]
    assert [item["templateId"] for item in partner_agreements] == [str(current.pk)]


def test_only_a_partners_users(customer_admin, staff):
    for user in (customer_admin, staff):
        assert pc_client(user).get("/v1/agreements").status_code == 403


def test_a_constant_number_of_queries(provider_admin):
    client = pc_client(provider_admin)
    _versions("indirect_reseller")

    def count():
        with CaptureQueriesContext(connection) as queries:
            _items(client, agreementType="*")
        return len(queries)

    one = count()
    _versions("direct_bill", count=4)
    for language in ("ru", "zh-hans", "zh-hant"):
        _versions("indirect_reseller", language=language, count=2)
    assert count() == one
