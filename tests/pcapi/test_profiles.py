"""Partner Center's partner profiles on /v1/ (docs/partner-center-api/profiles.md): verify an
MPN ID (``GET /v1/profiles/mpn``) and the legal business profile with its vetting
(``GET /v1/profiles/legalbusiness``), in Partner Center's documented JSON, with the portal's
rules: the registry's, the enrollment's statuses and checks."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from enrollment.vetting import partner_vetting
from partnercenter.accounts.models import Role
from tests.cast import user_of
from tests.factories import (
    EnrollmentFactory,
    MpnProfileFactory,
    PartnerFactory,
    VerificationCheckFactory,
)

from . import pc_client

pytestmark = pytest.mark.django_db

LINK_KEYS = {"uri", "method", "headers"}


def _error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "description", "data", "source"}
    assert body["code"] == code and body["description"]
    return body


# --- GET /v1/profiles/mpn ---------------------------------------------------------------------


def test_an_active_mpn_id_is_verified_in_partner_centers_shape(provider_admin):
    MpnProfileFactory(mpn_id="4391507", company_name="Lucerne Publishing", country="US")
    response = pc_client(provider_admin).get("/v1/profiles/mpn?mpnId=4391507")
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "partnerName": "Lucerne Publishing",
        "mpnId": "4391507",
        "profileType": "MpnProfile",
        "links": {"self": {"uri": "/profiles/mpn?mpnId=4391507", "method": "GET", "headers": []}},
        "attributes": {"objectType": "MpnProfile"},
    }


def test_the_parameter_is_read_in_any_case_as_partner_center_does(provider_admin):
    MpnProfileFactory(mpn_id="4391507")
    assert pc_client(provider_admin).get("/v1/profiles/mpn?mpnid=4391507").json()["mpnId"] == "4391507"


def test_without_an_mpn_id_the_callers_own_profile(provider, provider_admin):
    MpnProfileFactory(mpn_id=provider.mpn_id, company_name="Contoso Distribution (Partner Network)")
    body = pc_client(provider_admin).get("/v1/profiles/mpn").json()
    assert body["mpnId"] == "4820100" and body["partnerName"] == "Contoso Distribution (Partner Network)"
    assert body["links"]["self"]["uri"] == "/profiles/mpn"
    # Its ID no longer in the registry: still its own profile, under its legal name.
    body = pc_client(user_of(PartnerFactory(legal_name="Gone GmbH", mpn_id="4999999"))).get(
        "/v1/profiles/mpn"
    )
    assert body.json()["partnerName"] == "Gone GmbH" and body.json()["mpnId"] == "4999999"


def test_an_unknown_mpn_id_is_404_code_3000(provider_admin):
    body = _error(pc_client(provider_admin).get("/v1/profiles/mpn?mpnId=9999999"), 404, 3000)
    assert "9999999" in body["description"] and body["source"] == "PartnerFD"


def test_an_inactive_mpn_id_is_not_valid_404_code_3000(provider_admin):
    MpnProfileFactory(mpn_id="4820555", status="inactive")
    body = _error(pc_client(provider_admin).get("/v1/profiles/mpn?mpnId=4820555"), 404, 3000)
    assert "inactive" in body["description"]


@pytest.mark.parametrize("value", ["48201x", "12345678901", "-1", "4820 100", "%E2%91%A0"])
def test_a_malformed_mpn_id_is_400_code_2000_on_the_field(provider_admin, value):
    body = _error(pc_client(provider_admin).get(f"/v1/profiles/mpn?mpnId={value}"), 400, 2000)
    assert [item["field"] for item in body["data"]] == ["mpnId"]


def test_the_error_is_in_the_callers_language(provider_admin):
    english = pc_client(provider_admin).get("/v1/profiles/mpn?mpnId=x").json()["data"][0]["description"]
    response = pc_client(provider_admin, **{"X-Locale": "ru-RU"}).get("/v1/profiles/mpn?mpnId=x")
    assert response["Content-Language"] == "ru"
    russian = response.json()["data"][0]["description"]
    assert russian != english and "MPN" in russian
    english = pc_client(provider_admin).get("/v1/profiles/mpn?mpnId=9999999").json()["description"]
    chinese = pc_client(provider_admin, **{"X-Locale": "zh-TW"}).get("/v1/profiles/mpn?mpnId=9999999").json()
    assert "9999999" in chinese["description"] and chinese["description"] != english


def test_without_a_token_401(db):
    for path in ("/v1/profiles/mpn", "/v1/profiles/mpn?mpnId=4820100", "/v1/profiles/legalbusiness"):
        _error(APIClient().get(path), 401, 401)


def test_a_customer_staff_or_an_applicant_is_403(customer_admin, staff, admin):
    for user in (customer_admin, staff, admin):  # admin: its organization has not enrolled yet
        for path in ("/v1/profiles/mpn?mpnId=4820100", "/v1/profiles/legalbusiness"):
            _error(pc_client(user).get(path), 403, 403)


def test_every_role_of_a_partner_verifies(provider):
    MpnProfileFactory(mpn_id="4391507")
    helpdesk = user_of(provider, Role.HELPDESK_AGENT)
    assert pc_client(helpdesk).get("/v1/profiles/mpn?mpnId=4391507").status_code == 200


# --- GET /v1/profiles/legalbusiness -----------------------------------------------------------------


def test_the_legal_business_profile_in_partner_centers_shape(provider, provider_admin):
    provider.address_line2 = "Haus B"
    provider.state = ""
    provider.save()
    body = pc_client(provider_admin).get("/v1/profiles/legalbusiness").json()
    address = {
        "country": "DE",
        "city": "Berlin",
        "state": "",
        "addressLine1": "Hauptstraße 1",
        "addressLine2": "Haus B",
        "postalCode": "10115",
    }
    assert body == {
        "companyName": "Contoso Distribution GmbH",
        "address": {**address, "firstName": "Jonas", "lastName": "Becker", "phoneNumber": "+49301234567"},
        "primaryContact": {
            "firstName": "Jonas",
            "lastName": "Becker",
            "email": provider.contact_email,
            "phoneNumber": "+49301234567",
        },
        "companyApproverAddress": address,
        "companyApproverEmail": provider.contact_email,
        "vettingStatus": "authorized",
        "vettingSubStatus": "none",
        "profileType": "LegalBusinessProfile",
        "links": {"self": {"uri": "/profiles/legalbusiness", "method": "GET", "headers": []}},
        "attributes": {"objectType": "LegalBusinessProfile"},
    }


def test_another_partner_reads_its_own_profile_never_the_others(provider, outsider):
    body = pc_client(outsider).get("/v1/profiles/legalbusiness").json()
    assert body["companyName"] == "Northwind Traders Inc" and body["address"]["country"] == "US"
    assert provider.legal_name not in str(body)


def _vetting(admin, **query):
    response = pc_client(admin).get("/v1/profiles/legalbusiness", query)
    assert response.status_code == 200, response.content
    body = response.json()
    return body["vettingStatus"], body["vettingSubStatus"]


def _checks(enrollment, **results):
    for kind, result in results.items():
        VerificationCheckFactory(enrollment=enrollment, kind=kind, result=result)


@pytest.mark.parametrize(
    ("status", "checks", "expected"),
    [
        ("pending_email_verification", {"email_ownership": "pending"}, ("pending", "emailOwnership")),
        (
            "in_review",
            {"email_ownership": "passed", "email_domain": "pending", "business_verification": "pending"},
            ("pending", "emailDomain"),
        ),
        (
            "action_needed",
            {"email_domain": "waived", "business_verification": "failed", "address": "pending"},
            ("pending", "businessVerification"),
        ),
        ("in_review", {"email_domain": "passed", "mpn_status": "pending"}, ("pending", "other")),
        ("in_review", {"email_domain": "passed", "business_verification": "passed"}, ("pending", "decision")),
        ("approved", {"email_domain": "passed"}, ("authorized", "none")),
        ("active", {}, ("authorized", "none")),
        ("rejected", {"business_verification": "failed"}, ("rejected", "none")),
    ],
)
def test_vetting_status_and_step_from_the_enrollment(admin, status, checks, expected):
    enrollment = EnrollmentFactory(partner=PartnerFactory(tenant=admin.tenant), status=status)
    _checks(enrollment, **checks)
    assert _vetting(admin) == expected


def test_a_withdrawn_or_expired_application_does_not_count_the_one_before_does(admin):
    partner = PartnerFactory(tenant=admin.tenant)
    EnrollmentFactory(partner=partner, status="rejected")
    EnrollmentFactory(partner=partner, status="withdrawn")
    assert _vetting(admin) == ("rejected", "none")
    partner.enrollments.all().delete()
    EnrollmentFactory(partner=partner, status="expired")
    assert _vetting(admin) == ("none", "none")


def test_last_finalized_is_the_last_decision(admin):
    partner = PartnerFactory(tenant=admin.tenant)
    EnrollmentFactory(partner=partner, status="active")
    EnrollmentFactory(partner=partner, program="direct_bill", status="in_review")
    assert _vetting(admin) == ("pending", "decision")
    assert _vetting(admin, vettingVersion="LastFinalized") == ("authorized", "none")
    assert _vetting(admin, vettingVersion="Current") == ("pending", "decision")


def test_a_vetting_version_partner_center_does_not_have_is_400_on_the_field(provider_admin):
    response = pc_client(provider_admin).get("/v1/profiles/legalbusiness?vettingVersion=Latest")
    assert _error(response, 400, 2000)["data"][0]["field"] == "vettingVersion"


def test_the_partner_profile_reads_the_same_vetting(admin):
    from enrollment.selectors import partner_profile_for

    partner = PartnerFactory(tenant=admin.tenant)
    enrollment = EnrollmentFactory(partner=partner, status="in_review")
    _checks(enrollment, email_domain="pending")
    profile = partner_profile_for(admin)
    assert profile.vetting == partner_vetting(profile.enrollments) == ("pending", "emailDomain")
    assert profile.vetting_status == "pending" == _vetting(admin)[0]


def test_the_profiles_answer_in_a_constant_number_of_queries(admin):
    partner = PartnerFactory(tenant=admin.tenant)
    client = pc_client(admin)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/v1/profiles/legalbusiness").status_code == 200
            assert client.get("/v1/profiles/mpn").status_code == 200
        return len(queries)

    EnrollmentFactory(partner=partner, status="rejected")
    one = count()
    for status in ("rejected", "withdrawn", "in_review"):
        _checks(
            EnrollmentFactory(partner=partner, program="direct_bill", status=status), email_domain="pending"
        )
    assert count() == one
