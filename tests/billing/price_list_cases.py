"""A small price list for the price list's page and API tests: two offers sold in Europe
(EUR) and the United States (USD), one in Taiwan (TWD), one only in the United States, a
reservation and a software item; ``grow(n)`` adds licence offers in Europe."""

from datetime import date
from decimal import Decimal

from tests.billing.factories import OfferFactory, PriceFactory, ProductFactory

SINCE = date(2020, 1, 1)


def priced(offer, market, currency, term="P1M", billing="monthly", amount="10.00", since=SINCE):
    return PriceFactory(
        offer=offer,
        market=market,
        currency=currency,
        term=term,
        billing=billing,
        unit_price=Decimal(amount),
        effective_from=since,
    )


def offer(product_id, name, kind="license", sku="0001"):
    product = ProductFactory(product_id=product_id, name=name, kind=kind)
    return OfferFactory(product=product, offer_id=f"{product_id}:{sku}", name=name)


def catalog() -> dict:
    basic = offer("CFQ7TTC0LH18", "Microsoft 365 Business Basic")
    priced(basic, "europe", "EUR", amount="6.77")
    priced(basic, "europe", "EUR", "P1Y", "annual", "67.68")
    priced(basic, "united_states", "USD", amount="7.20")
    priced(basic, "taiwan", "TWD", amount="230.00")
    e3 = offer("CFQ7TTC0LF8Q", "Office 365 E3")
    priced(e3, "europe", "EUR", "P1Y", "monthly", "21.62")
    priced(e3, "europe", "GBP", "P1Y", "monthly", "18.17")  # the UK's price: not a German's
    priced(e3, "united_states", "USD", "P1Y", "monthly", "23.00")
    us_only = offer("CFQ7TTC0LH2H", "Dynamics 365 Sales Professional")
    priced(us_only, "united_states", "USD", "P1Y", "monthly", "65.00")
    reservation = offer("DZH318Z0BQ4D", "Reserved VM Instance, Dsv5 Series", "azure_reservation", "0011")
    priced(reservation, "europe", "EUR", "P3Y", "annual", "381.26")
    priced(reservation, "europe", "EUR", "P1Y", "monthly", "49.34")
    software = offer("DG7GMGF0DVSV", "Windows Server 2022 Standard – 16 core", "software", "0008")
    priced(software, "europe", "EUR", "none", "one_time", "1004.86")
    return {"basic": basic, "e3": e3, "us_only": us_only, "reservation": reservation, "software": software}


def grow(size: int) -> None:
    """Licence offers sold in Europe, until there are ``size`` of them there."""
    from billing.models import Offer

    while Offer.objects.filter(prices__market="europe").distinct().count() < size:
        new = OfferFactory()
        priced(new, "europe", "EUR")
        priced(new, "europe", "EUR", "P1Y", "annual", "100.00")
