"""Partner Center's Python SDK (``partnercenterservices``) against the portal, changing only
its base URL: it verifies an MPN ID and reads the legal business profile."""

import pytest
from microsoft.store.partnercenterservices import MicrosoftPartnerStoreApis
from msrest.authentication import BasicTokenAuthentication

from tests.factories import EnrollmentFactory, MpnProfileFactory, PartnerFactory, UserFactory

from . import bearer_for


@pytest.fixture
def sdk(live_server):
    def client_for(user):
        credentials = BasicTokenAuthentication({"access_token": bearer_for(user)})
        return MicrosoftPartnerStoreApis(credentials, base_url=live_server.url)

    return client_for


@pytest.mark.django_db(transaction=True)
def test_the_sdk_verifies_an_mpn_id_and_reads_the_legal_business_profile(sdk):
    partner = PartnerFactory(legal_name="Contoso Distribution GmbH", mpn_id="4820100", city="München")
    EnrollmentFactory(partner=partner, status="in_review")
    MpnProfileFactory(mpn_id="4391507", company_name="Lucerne Publishing", country="US")
    client = sdk(UserFactory(tenant=partner.tenant))

    verified = client.getvversionprofilesmpnmpn_idmpn_id.value("1", mpn_id="4391507")
    assert (verified.mpn_id, verified.partner_name, verified.profile_type) == (
        "4391507",
        "Lucerne Publishing",
        "MpnProfile",
    )
    assert verified.attributes.object_type == "MpnProfile"
    own = client.getvversionprofilesmpnmpn_idmpn_id.value("1")
    assert own.mpn_id == "4820100"
    unknown = client.getvversionprofilesmpnmpn_idmpn_id.value(
        "1", mpn_id="9999999", ms_correlation_id="sdk-42", raw=True
    )
    assert unknown.response.status_code == 404 and unknown.response.json()["code"] == 3000
    assert unknown.response.headers["MS-CorrelationId"] == "sdk-42"

    operation = client.getvversionprofileslegalbusinessvetting_versionvetting_version
    profile = operation.value("1", vetting_version="Current")
    assert profile.company_name == "Contoso Distribution GmbH"
    assert profile.address.city == "München" and profile.address.country == "DE"
    assert profile.primary_contact.email == partner.contact_email
    assert profile.company_approver_email == partner.contact_email
    assert (profile.vetting_status, profile.vetting_sub_status) == ("pending", "decision")
    assert profile.profile_type == "LegalBusinessProfile"
    assert operation.value("1", vetting_version="lastFinalized").vetting_status == "none"
