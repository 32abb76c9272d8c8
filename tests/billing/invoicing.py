"""What the invoice tests share: a direct-bill partner's month with a monthly subscription
started mid-month, an annual one, perpetual software and a credit (February 2026, billed on
2 March 2026)."""

from datetime import UTC, date, datetime
from decimal import Decimal

from billing.models import Credit
from tests.billing.factories import subscription_of

FEBRUARY = date(2026, 2, 1)
RUN_AT = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def monthly(partner, customer, **kwargs):
    """10 seats at 10.50 a month from 10 February: 19 of February's 28 days, 71.25."""
    kwargs = {
        "start": date(2026, 2, 10),
        "quantity": 10,
        "unit_price": Decimal("10.50"),
        "offer__name": "Microsoft 365 Business Standard",
        **kwargs,
    }
    return subscription_of(partner, customer, **kwargs)


def annual(partner, customer, **kwargs):
    """2 seats at 120.00 a year from 15 February, billed in advance: 240.00."""
    return subscription_of(
        partner,
        customer,
        start=date(2026, 2, 15),
        quantity=2,
        billing="annual",
        unit_price=Decimal("120.00"),
        offer__name="Dynamics 365 Sales Professional",
        **kwargs,
    )


def software(partner, customer, **kwargs):
    """One perpetual licence bought on 20 February: 300.00 once."""
    return subscription_of(
        partner,
        customer,
        start=date(2026, 2, 20),
        quantity=1,
        term="none",
        billing="one_time",
        unit_price=Decimal("300.00"),
        offer__name="Windows Server 2025 Standard",
        offer__product__kind="software",
        **kwargs,
    )


def credit_for(subscription, amount="50.00", created_at=datetime(2026, 2, 25, 9, 0, tzinfo=UTC)):
    return Credit.objects.create(
        partner=subscription.partner,
        customer=subscription.customer,
        subscription=subscription,
        amount=Decimal(amount),
        currency=subscription.currency,
        reason="cancelled",
        credit_start=date(2026, 2, 25),
        credit_end=date(2027, 2, 15),
        created_at=created_at,
    )


def february(partner, customer):
    """The month the run bills: the three subscriptions and a credit on the annual one."""
    subscriptions = [monthly(partner, customer), annual(partner, customer), software(partner, customer)]
    return subscriptions, credit_for(subscriptions[1])


def billed_world():
    """A provider that billed February to a customer its reseller brought (with a credit),
    and a direct-bill partner that billed its own customer; with the people who look."""
    from types import SimpleNamespace

    import time_machine

    from billing.services.invoices import invoice_run
    from partnercenter.accounts.models import Role
    from tests.cast import (
        direct_customer,
        make_customer_admin,
        make_direct_bill,
        make_provider,
        make_reseller,
        share_customer,
        user_of,
    )
    from tests.factories import UserFactory

    provider = make_provider("Contoso Distribution GmbH")
    reseller = make_reseller(provider, legal_name="Fabrikam Cloud GmbH")
    customer_admin = make_customer_admin("wingtip.onmicrosoft.com", name="Wingtip Toys")
    customer = share_customer(provider, reseller, company_name="Wingtip Toys", tenant=customer_admin.tenant)
    subscriptions, credit = february(provider, customer)
    for subscription in subscriptions:
        subscription.reseller = reseller
        subscription.save(update_fields=["reseller"])
    direct = make_direct_bill(legal_name="Adatum Direct GmbH")
    from enrollment.direct_bill import DirectBillApplication

    DirectBillApplication.objects.create(
        enrollment=direct.enrollments.get(),
        credit_line_amount=Decimal("10000.00"),
        credit_line_currency=direct.market.currency,
    )
    direct_own = direct_customer(direct, company_name="Litware Inc")
    monthly(direct, direct_own)
    with time_machine.travel(RUN_AT, tick=False):
        invoice_run(period_start=FEBRUARY)
    from billing.models import Invoice

    return SimpleNamespace(
        provider=provider,
        reseller=reseller,
        direct=direct,
        customer=customer,
        customer_admin=customer_admin,
        customer_employee=UserFactory(
            tenant=customer_admin.tenant,
            email="sales@wingtip.onmicrosoft.com",
            roles=[Role.SALES_AGENT.value],
        ),
        invoice=Invoice.objects.get(partner=provider),
        direct_invoice=Invoice.objects.get(partner=direct),
        credit=credit,
        provider_admin=user_of(provider),
        billing_admin=user_of(provider, Role.BILLING_ADMIN),
        admin_agent=user_of(provider, Role.ADMIN_AGENT),
        sales_agent=user_of(provider, Role.SALES_AGENT),
        reseller_admin=user_of(reseller),
        reseller_billing=user_of(reseller, Role.BILLING_ADMIN),
        direct_admin=user_of(direct),
    )
