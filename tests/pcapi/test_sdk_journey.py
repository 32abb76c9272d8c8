"""Issue 14's journey with the public ``partnercenterservices`` SDK against the running
portal, changing only the base URL: a provider lists its resellers, checks a domain,
creates a customer for a reseller, finds it with the IndirectReseller filter, reads it, and
takes the link a customer follows to authorize the reseller and the provider.

It starts as Partner Center's onboarding does, by validating the reseller's MPN ID in the
Partner Network registry (``GET /v1/profiles/mpn?mpnId=``, enrollment.pcapi)."""

import json
import uuid

import pytest
from microsoft.store.partnercenterservices import MicrosoftPartnerStoreApis
from microsoft.store.partnercenterservices.models import (
    MicrosoftPartnerSdkContractsV1Address,
    MicrosoftPartnerSdkContractsV1Customer,
    MicrosoftPartnerSdkContractsV1CustomerBillingProfile,
    MicrosoftPartnerSdkContractsV1CustomerCompanyProfile,
)
from msrest.authentication import BasicTokenAuthentication
from msrest.serialization import Model

from partnercenter.accounts.models import User
from relationships.models import Customer, CustomerInvitation
from tests.cast import make_provider, make_reseller, user_of
from tests.factories import MpnProfileFactory

from . import bearer_for

pytestmark = pytest.mark.django_db(transaction=True)
V = "1"


class UserCredentials(Model):
    """The SDK types ``userCredentials.password`` as .NET's ``SecureString`` (an object with
    a ``length``), which no JSON string deserializes into; Partner Center's documented JSON,
    and the portal's, has the password as a string. The journey reads it as one."""

    _attribute_map = {
        "user_name": {"key": "userName", "type": "str"},
        "password": {"key": "password", "type": "str"},
    }


def sdk_client(user, base_url) -> MicrosoftPartnerStoreApis:
    client = MicrosoftPartnerStoreApis(
        BasicTokenAuthentication({"access_token": bearer_for(user)}), base_url=base_url
    )
    client._deserialize.dependencies["MicrosoftPartnerSdkContractsV1UserCredentials"] = UserCredentials
    return client


def test_a_providers_automation_runs_against_the_portal(live_server):
    provider = make_provider("Contoso Distribution GmbH", mpn_id="4820100")
    reseller = make_reseller(provider=provider, legal_name="Fabrikam Cloud GmbH", mpn_id="4820777")
    client = sdk_client(user_of(provider), live_server.url)

    # 0. Validate the reseller's MPN ID in the Partner Network registry; an unknown one is 404.
    MpnProfileFactory(mpn_id="4820777", company_name="Fabrikam Cloud GmbH", country="DE")
    verified = client.getvversionprofilesmpnmpn_idmpn_id.value(V, mpn_id="4820777")
    assert (verified.mpn_id, verified.partner_name, verified.profile_type) == (
        "4820777",
        "Fabrikam Cloud GmbH",
        "MpnProfile",
    )
    unknown = client.getvversionprofilesmpnmpn_idmpn_id.value(V, mpn_id="9999991", raw=True)
    assert unknown.response.status_code == 404 and unknown.response.json()["code"] == 3000

    # 1. The provider's resellers (Partner Center's IsIndirectCloudSolutionProviderOf).
    resellers = client.getvversionrelationshipsrelationship.value(
        V, relationship_type="IsIndirectCloudSolutionProviderOf"
    )
    [found] = resellers.items
    assert (found.id, found.name, found.mpn_id, found.state) == (
        str(reseller.pk),
        "Fabrikam Cloud GmbH",
        "4820777",
        "active",
    )

    # 2. Is the domain free?
    checks = client.getvversionvalidationscheckdomainavailabilitydomain
    assert checks.prefix("wingtiptoys", V) is True

    # 3. Create the customer for the reseller, once whatever the retries.
    new = MicrosoftPartnerSdkContractsV1Customer(
        company_profile=MicrosoftPartnerSdkContractsV1CustomerCompanyProfile(
            domain="wingtiptoys.onmicrosoft.com"
        ),
        billing_profile=MicrosoftPartnerSdkContractsV1CustomerBillingProfile(
            email="gena@wingtiptoys.test",
            culture="de-DE",
            language="de",
            company_name="Wingtip Toys GmbH",
            default_address=MicrosoftPartnerSdkContractsV1Address(
                country="DE",
                city="Berlin",
                address_line1="Unter den Linden 1",
                postal_code="10117",
                first_name="Gena",
                last_name="Soto",
                phone_number="+49 30 1234567",
            ),
        ),
        associated_partner_id=found.id,
    )
    request_id = str(uuid.uuid4())
    created = client.postvversioncustomers(new, V, ms_request_id=request_id, raw=True)
    assert created.response.status_code == 201
    customer = created.output
    assert customer.company_profile.domain == "wingtiptoys.onmicrosoft.com"
    assert customer.associated_partner_id == str(reseller.pk)
    admin = User.objects.get(email=customer.user_credentials.user_name)
    assert admin.check_password(customer.user_credentials.password) and admin.must_change_password
    retried = client.postvversioncustomers(new, V, ms_request_id=request_id)
    assert retried.id == customer.id and Customer.objects.count() == 1
    assert checks.prefix("wingtiptoys", V) is False
    assert (
        client.headvversiondomainsdomain("wingtiptoys.onmicrosoft.com", V, raw=True).response.status_code
        == 200
    )

    # 4. The reseller's customers, with Partner Center's filter.
    mine = client.getvversioncustomersfilterfilter.value(
        V,
        filter=json.dumps({"Field": "IndirectReseller", "Value": found.id, "Operator": "starts_with"}),
        size=10,
    )
    assert [c.id for c in mine.items] == [customer.id]

    # 5. The customer itself, and its partner beside the provider.
    read = client.getvversioncustomerscustomer.id(customer.id, V)
    assert (read.company_profile.company_name, read.relationship_to_partner) == (
        "Wingtip Toys GmbH",
        "reseller",
    )
    partners = client.getvversioncustomerscustomer.idrelationships(customer.id, V)
    assert [(p.id, p.relationship_type) for p in partners.items] == [(found.id, "IsIndirectResellerOf")]

    # 6. The link a customer follows to authorize the reseller and the provider at once.
    requests = client.getvversioncustomersrelationshiprequestsindirect_cloud_solution_provider_idindirect_cloud_solution_provider_id
    link = requests.value(V, indirect_reseller_id=found.id)
    assert "/customer-invitations/" in link.url
    invitation = CustomerInvitation.objects.get()
    assert (invitation.reseller_id, invitation.provider_id) == (reseller.pk, provider.pk)
