"""``GET /v1/compliance/csp/agreementstatus``: whether a partner signed the partner agreement,
by MPN ID or tenant ID, with Partner Center's codes (docs/partner-center-api/profiles.md).
The rule is the enrollment's: an active enrollment is one whose agreement was accepted."""

import uuid

import pytest
from rest_framework.test import APIClient

from tests.factories import EnrollmentFactory, MpnProfileFactory, PartnerFactory, TenantFactory

from . import pc_client

pytestmark = pytest.mark.django_db

PATH = "/v1/compliance/csp/agreementstatus"


def _refused(response, code, field=None):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == code and body["description"] and body["source"] == "PartnerFD"
    if field:
        assert [item["field"] for item in body["data"]] == [field]
    return body


def test_a_reseller_that_signed_by_mpn_id_and_by_tenant(provider_admin, reseller):
    client = pc_client(provider_admin)
    by_mpn = client.get(PATH, {"mpnId": reseller.mpn_id})
    assert by_mpn.status_code == 200
    assert by_mpn.json() == {
        "isAgreementSigned": True,
        "links": {"self": {"uri": f"{PATH[3:]}?mpnId=4820777", "method": "GET", "headers": []}},
        "attributes": {"objectType": "AgreementSignatureStatus"},
    }
    by_tenant = client.get(PATH, {"tenantid": str(reseller.tenant_id)})  # any case, as Partner Center
    assert by_tenant.status_code == 200 and by_tenant.json()["isAgreementSigned"] is True


def test_ones_own_status(provider, provider_admin):
    assert pc_client(provider_admin).get(PATH, {"mpnId": provider.mpn_id}).json()["isAgreementSigned"] is True


def test_approved_but_not_signed_is_2203_or_2206(provider_admin):
    waiting = PartnerFactory(mpn_id="4820888")
    EnrollmentFactory(partner=waiting, status="approved")
    client = pc_client(provider_admin)
    assert "4820888" in _refused(client.get(PATH, {"mpnId": "4820888"}), 2203)["description"]
    _refused(client.get(PATH, {"tenantId": str(waiting.tenant_id)}), 2206)


def test_a_rejected_partner_has_not_signed(provider_admin):
    EnrollmentFactory(partner=PartnerFactory(mpn_id="4820889"), status="rejected")
    _refused(pc_client(provider_admin).get(PATH, {"mpnId": "4820889"}), 2203)


def test_an_mpn_id_held_once_by_an_ended_enrollment_reads_the_active_partner(provider_admin):
    EnrollmentFactory(partner=PartnerFactory(mpn_id="4820890"), status="rejected")
    EnrollmentFactory(partner=PartnerFactory(mpn_id="4820890"), status="active")
    assert pc_client(provider_admin).get(PATH, {"mpnId": "4820890"}).status_code == 200


def test_an_mpn_id_no_partner_enrolled_with_2204_or_unknown_2200(provider_admin):
    MpnProfileFactory(mpn_id="4820891")
    MpnProfileFactory(mpn_id="4820892", status="inactive")
    client = pc_client(provider_admin)
    _refused(client.get(PATH, {"mpnId": "4820891"}), 2204)
    _refused(client.get(PATH, {"mpnId": "4820892"}), 2200)
    _refused(client.get(PATH, {"mpnId": "9999999"}), 2200)


def test_a_partner_of_another_region_is_2201(provider_admin, outsider_partner):
    client = pc_client(provider_admin)  # Germany (Europe); the outsider is in the United States
    _refused(client.get(PATH, {"mpnId": outsider_partner.mpn_id}), 2201)
    _refused(client.get(PATH, {"tenantId": str(outsider_partner.tenant_id)}), 2201)


def test_a_tenant_no_partner_has_is_2205(provider_admin, customer_admin):
    client = pc_client(provider_admin)
    _refused(client.get(PATH, {"tenantId": str(customer_admin.tenant_id)}), 2205)
    _refused(client.get(PATH, {"tenantId": str(uuid.uuid4())}), 2205)


def test_the_identifiers_partner_center_refuses(provider_admin):
    client = pc_client(provider_admin)
    _refused(client.get(PATH), 2001)
    _refused(client.get(PATH, {"mpnId": " ", "tenantId": ""}), 2001)
    _refused(client.get(PATH, {"mpnId": "4820777", "tenantId": str(TenantFactory().pk)}), 2000)
    _refused(client.get(PATH, {"tenantId": "not-a-guid"}), 2000, field="tenantId")
    _refused(client.get(PATH, {"mpnId": "48a"}), 2000, field="mpnId")


def test_the_answer_is_in_the_callers_language(provider_admin):
    english = pc_client(provider_admin).get(PATH, {"mpnId": "48a"}).json()["data"][0]["description"]
    russian = pc_client(provider_admin, **{"X-Locale": "ru-RU"}).get(PATH, {"mpnId": "48a"})
    assert russian["Content-Language"] == "ru" and russian.json()["data"][0]["description"] != english


def test_only_a_partners_users(customer_admin, staff, admin, reseller):
    assert APIClient().get(PATH, {"mpnId": reseller.mpn_id}).status_code == 401
    for user in (customer_admin, staff, admin):
        response = pc_client(user).get(PATH, {"mpnId": reseller.mpn_id})
        assert response.status_code == 403 and response.json()["code"] == 403


def test_only_the_csp_program_and_only_get(provider_admin, reseller):
    client = pc_client(provider_admin)
    other = client.get("/v1/compliance/other/agreementstatus", {"mpnId": reseller.mpn_id})
    assert other.status_code == 404 and other.json()["code"] == 3000
    assert client.put("/v1/profiles/legalbusiness", {}, format="json").status_code == 405
