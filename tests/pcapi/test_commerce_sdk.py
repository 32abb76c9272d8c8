"""The public ``partnercenterservices`` SDK against the live test server, for the commerce calls
it has: offers by market (``getvversionofferscountrycountry``) and an offer by ID
(``getvversionoffersoffer.value1``). The SDK has no operations for orders, subscriptions or
invoices; those are proven over plain HTTP beside this module."""

import pytest
from microsoft.store.partnercenterservices import MicrosoftPartnerStoreApis
from msrest.authentication import BasicTokenAuthentication

from tests.billing.factories import sold
from tests.cast import make_direct_bill, user_of

from . import bearer_for

pytestmark = pytest.mark.django_db(transaction=True)


def sdk(live_server, user) -> MicrosoftPartnerStoreApis:
    credentials = BasicTokenAuthentication({"access_token": bearer_for(user)})
    return MicrosoftPartnerStoreApis(credentials=credentials, base_url=live_server.url)


def test_the_sdk_lists_the_offers_of_a_market_and_reads_one(live_server):
    partner = make_direct_bill(legal_name="Adatum Direct GmbH")
    first = sold(partner, name="Microsoft 365 Business Basic")
    sold(partner, name="Microsoft 365 E3")
    client = sdk(live_server, user_of(partner))

    offers = client.getvversionofferscountrycountry.value(
        version="1", country="DE", size=1, ms_correlation_id="c0ffee00-0000-4000-8000-000000000001"
    )
    assert offers.total_count == 1 and offers.attributes.object_type == "Collection"
    [offer] = offers.items
    assert (offer.id, offer.name, offer.country) == (
        first.offer.offer_id,
        "Microsoft 365 Business Basic",
        "DE",
    )
    assert offer.product.id == first.offer.product.product_id and offer.product.unit == "Licenses"
    assert (offer.minimum_quantity, offer.maximum_quantity, offer.is_add_on) == (1, 10000, False)
    assert offer.supported_billing_cycles == ["monthly"] and offer.attributes.object_type == "Offer"
    assert offer.links.itself.uri == f"/offers/{first.offer.offer_id}?country=DE"
    # The next page, as the collection's link says.
    rest = client.getvversionofferscountrycountry.value(version="1", country="DE", offset=1, size=1)
    assert [o.name for o in rest.items] == ["Microsoft 365 E3"]

    one = client.getvversionoffersoffer.value1(offer_id=first.offer.offer_id, version="1", country="AT")
    assert one.id == first.offer.offer_id and one.country == "AT"


def test_the_sdk_gets_400_for_a_country_of_another_market(live_server):
    partner = make_direct_bill(legal_name="Adatum Direct GmbH")
    sold(partner)
    raw = sdk(live_server, user_of(partner)).getvversionofferscountrycountry.value(
        version="1", country="US", raw=True
    )
    assert raw.response.status_code == 400 and raw.output is None
    body = raw.response.json()
    assert body["code"] == 2000 and body["data"][0]["field"] == "country"
