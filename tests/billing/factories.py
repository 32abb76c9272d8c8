"""Factories of commerce: the price list, orders with their lines, subscriptions with their
terms, customer users and invoices. ``subscription_of`` makes what a completed order makes,
for a test that starts after the order."""

from datetime import date
from decimal import Decimal

import factory

from billing.charges import add_months
from billing.models import (
    TERM_MONTHS,
    CustomerUser,
    Invoice,
    Offer,
    Order,
    OrderLine,
    Price,
    Product,
    Subscription,
    SubscriptionTerm,
)
from tests.factories import DirectBillApplicationFactory


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    product_id = factory.Sequence(lambda n: f"CFQ7TTC0{n:04d}")
    name = factory.Sequence(lambda n: f"Microsoft 365 Business Standard {n}")
    kind = "license"


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    product = factory.SubFactory(ProductFactory)
    offer_id = factory.LazyAttribute(lambda o: f"{o.product.product_id}:0001")
    name = factory.LazyAttribute(lambda o: o.product.name)


class PriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Price

    offer = factory.SubFactory(OfferFactory)
    market = "europe"
    currency = "EUR"
    term = "P1Y"
    billing = "monthly"
    unit_price = Decimal("10.50")
    effective_from = date(2020, 1, 1)


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    status = "completed"
    currency = "EUR"


def subscription_of(
    partner,
    customer,
    *,
    price=None,
    quantity=10,
    start=date(2026, 1, 1),
    reseller=None,
    auto_renew=True,
    status="active",
    scope="",
    **price_kwargs,
) -> Subscription:
    """A completed order's subscription: the order, its line, the subscription and its
    first term, for ``partner`` (who bills) and ``customer``, at ``price`` (a new price of
    the price list, with ``price_kwargs``, if not given)."""
    price = price or PriceFactory(currency=partner.market.currency, **price_kwargs)
    order = OrderFactory(
        partner=partner,
        customer=customer,
        reseller=reseller,
        currency=price.currency,
        total=price.unit_price * quantity,
    )
    line = OrderLine.objects.create(
        order=order,
        line_number=1,
        offer=price.offer,
        price=price,
        quantity=quantity,
        term=price.term,
        billing=price.billing,
        unit_price=price.unit_price,
        currency=price.currency,
        auto_renew=auto_renew,
        scope=scope,
    )
    months = TERM_MONTHS[price.term]
    end = add_months(start, months) if months else None
    subscription = Subscription.objects.create(
        customer=customer,
        partner=partner,
        reseller=reseller,
        order_line=line,
        offer=price.offer,
        kind=price.offer.product.kind,
        friendly_name=price.offer.name,
        quantity=quantity,
        term=price.term,
        billing=price.billing,
        unit_price=price.unit_price,
        currency=price.currency,
        start_date=start,
        term_started_on=start,
        end_date=end,
        auto_renew=auto_renew,
        status=status,
        scope=scope,
    )
    SubscriptionTerm.objects.create(
        subscription=subscription,
        number=1,
        start_date=start,
        end_date=end,
        quantity=quantity,
        unit_price=price.unit_price,
        currency=price.currency,
        billing=price.billing,
    )
    return subscription


class CustomerUserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerUser

    first_name = "Kim"
    last_name = "Akers"
    display_name = factory.LazyAttribute(lambda o: f"{o.first_name} {o.last_name}")
    user_principal_name = factory.Sequence(lambda n: f"user{n}@customer.onmicrosoft.com")
    usage_location = "DE"
    password_hash = "!"


class InvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invoice

    sequence = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: f"G{o.sequence:09d}")
    period_start = date(2026, 1, 1)
    period_end = date(2026, 2, 1)
    currency = "EUR"


# --- Orders (issue 10): a price list and what an order's body says --------------------------------


def sold(partner=None, *, kind="license", name=None, market=None, currency=None, **kwargs) -> Price:
    """An offer of ``kind`` on the price list of the partner's market (Europe, EUR unless
    said), with one price (``kwargs``: term, billing, unit_price, effective_from)."""
    product = ProductFactory(kind=kind, **({"name": name} if name else {}))
    if partner is not None:
        market, currency = partner.market.code, partner.market.currency
    return PriceFactory(
        offer=OfferFactory(product=product), market=market or "europe", currency=currency or "EUR", **kwargs
    )


def line(price: Price, quantity=10, **kwargs) -> dict:
    """An order line for ``price``'s offer, term and billing frequency."""
    return {
        "offer_id": price.offer.offer_id,
        "term": price.term,
        "billing": price.billing,
        "quantity": quantity,
        **kwargs,
    }


def with_credit_line(partner, amount):
    """Give a direct-bill partner (``tests.cast.make_direct_bill``) a credit line."""
    enrollment = partner.enrollments.get(program="direct_bill")
    return DirectBillApplicationFactory(enrollment=enrollment, credit_line_amount=amount)
