"""Restricted direct-bill partners (DOMAIN.md, "Continuing obligations"; issue 11): off by
default nothing changes; on, a direct-bill partner short of the months as an active indirect
reseller or of the trailing-12-month invoiced revenue is refused new purchases, customers and
invitations, with the reason (service, page and API); a partner meeting them is not."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from billing.services.orders import order_place
from enrollment.restrictions import direct_bill_restriction, trailing_year
from partnercenter.core.errors import NotPermitted
from relationships.services.customer_invitations import customer_invitation_create
from relationships.services.customers import customer_create
from relationships.services.relationship_requests import relationship_request_create
from relationships.services.reseller_invitations import reseller_invitation_send
from tests.billing.factories import InvoiceFactory, line, sold
from tests.billing.test_orders_pages import lines as lines_of
from tests.cast import direct_customer, make_direct_bill, make_provider, user_of
from tests.conftest import api_as
from tests.factories import (
    AgreementAcceptanceFactory,
    EnrollmentFactory,
    IndirectProviderFactory,
    ProviderResellerRelationshipFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def on(settings):
    settings.DIRECT_BILL_CONTINUING_MIN_INDIRECT_MONTHS = 12
    settings.DIRECT_BILL_CONTINUING_MIN_REVENUE = {"EUR": Decimal("1000.00")}


def indirect_since(partner, when):
    """The partner is also an active indirect reseller since ``when``."""
    EnrollmentFactory(partner=partner, program="indirect_reseller", status="active")
    AgreementAcceptanceFactory(partner=partner, accepted_at=when)


def invoiced(partner, amount, period_start=date(2026, 1, 1)):
    InvoiceFactory(
        partner=partner,
        customer=direct_customer(partner),
        period_start=period_start,
        period_end=period_start.replace(day=28),
        total=Decimal(amount),
    )


def short_partner():
    """Direct bill, an indirect reseller for 3 months, EUR 400 invoiced: short of both."""
    partner = make_direct_bill(legal_name="Fourth Coffee B.V.")
    indirect_since(partner, datetime(2025, 12, 1, tzinfo=UTC))
    invoiced(partner, "400.00")
    return partner


def qualified_partner():
    partner = make_direct_bill(legal_name="Proseware B.V.")
    indirect_since(partner, datetime(2025, 1, 15, tzinfo=UTC))
    invoiced(partner, "600.00", date(2025, 6, 1))
    invoiced(partner, "400.00", date(2026, 2, 1))
    invoiced(partner, "5000.00", date(2025, 2, 1))  # more than 12 months ago: not counted
    return partner


REASON = "restricted direct-bill partner"


class TestThePredicate:
    def test_off_by_default(self):
        assert direct_bill_restriction(short_partner(), TODAY) is None

    def test_a_short_partner_is_restricted_with_each_reason(self, on):
        reason = direct_bill_restriction(short_partner(), TODAY)
        assert REASON in reason
        assert "at least 12 months; yours has been one for 3" in reason
        assert "€1,000.00" in reason and "€400.00" in reason

    def test_a_partner_meeting_the_thresholds_is_not(self, on):
        assert direct_bill_restriction(qualified_partner(), TODAY) is None

    def test_only_one_threshold_on(self, settings):
        settings.DIRECT_BILL_CONTINUING_MIN_REVENUE = {"EUR": Decimal("300.00")}
        assert direct_bill_restriction(short_partner(), TODAY) is None
        settings.DIRECT_BILL_CONTINUING_MIN_REVENUE = {"USD": Decimal("300000.00")}  # another currency
        assert direct_bill_restriction(short_partner(), TODAY) is None

    def test_a_partner_that_is_not_direct_bill_is_never_restricted(self, on):
        provider = make_provider("Contoso Distribution GmbH")
        assert direct_bill_restriction(provider, TODAY) is None

    def test_the_trailing_year(self):
        assert trailing_year(date(2026, 3, 2)) == (date(2025, 3, 3), date(2026, 3, 3))
        assert trailing_year(date(2028, 2, 28)) == (date(2027, 2, 28), date(2028, 2, 29))


def all_three(partner):
    """Each refused action of the partner's global admin: its exception or None."""
    admin = user_of(partner, email=f"admin@{partner.pk.hex[:8]}.test")
    customer = direct_customer(partner)
    price = sold(partner, unit_price=Decimal("10.00"))
    provider = make_provider("Contoso Distribution GmbH")
    ProviderResellerRelationshipFactory(provider=provider, reseller=partner)
    IndirectProviderFactory(partner=partner)  # the partner also invites resellers
    attempts = {
        "purchase": lambda: order_place(actor=admin, customer=customer, lines=[line(price, 1)]),
        "customer": lambda: customer_create(
            actor=admin, company_name="Litware GmbH", domain_prefix="litwarede", country="DE"
        ),
        "relationship request": lambda: relationship_request_create(actor=admin),
        "customer invitation": lambda: customer_invitation_create(actor=admin, provider_id=provider.pk),
        "reseller invitation": lambda: reseller_invitation_send(actor=admin, email="lea@northwind.test"),
    }
    found = {}
    for name, attempt in attempts.items():
        try:
            attempt()
            found[name] = None
        except NotPermitted as refusal:
            found[name] = str(refusal.message)
    return admin, found


class TestTheServices:
    def test_off_by_default_nothing_is_refused(self):
        _admin, found = all_three(short_partner())
        assert found == dict.fromkeys(found)

    def test_on_a_short_partner_is_refused_each_with_the_reason(self, on):
        _admin, found = all_three(short_partner())
        assert len(found) == 5
        assert all(reason and REASON in reason for reason in found.values()), found

    def test_on_a_partner_meeting_the_thresholds_is_not(self, on):
        _admin, found = all_three(qualified_partner())
        assert found == dict.fromkeys(found)


class TestPagesAndApi:
    def test_the_new_customer_page_and_the_api_refuse_with_the_reason(self, on, client):
        partner = short_partner()
        admin = user_of(partner)
        client.force_login(admin)
        page = client.get(reverse("relationships:customer-create"))
        assert page.status_code == 403 and REASON in page.text
        api = api_as(admin)
        body = {"company_name": "Litware GmbH", "domain_prefix": "litwarede", "country": "DE"}
        refused = api.post("/api/v1/customers/", body, format="json")
        assert refused.status_code == 403 and REASON in str(refused.json())
        customer = direct_customer(partner)
        price = sold(partner, unit_price=Decimal("10.00"))
        order = api.post(
            f"/api/v1/customers/{customer.pk}/orders/", {"lines": [line(price, 1)]}, format="json"
        )
        assert order.status_code == 403 and REASON in str(order.json())


class TestPagesRefuseWithTheReason:
    def test_each_page_refuses_with_the_reason_and_writes_no_row(self, on, client):
        from partnercenter.audit.models import Event

        partner = short_partner()
        admin = user_of(partner)
        provider = make_provider("Contoso Distribution GmbH")
        ProviderResellerRelationshipFactory(provider=provider, reseller=partner)
        IndirectProviderFactory(partner=partner)
        customer = direct_customer(partner)
        price = sold(partner, unit_price=Decimal("10.00"))
        client.force_login(admin)
        before = Event.objects.count()
        order = lines_of((price, 1), action="submit", idempotency_key="k1")
        for url, data in (
            (reverse("billing:customer-order", args=[customer.pk]), order),
            (reverse("relationships:relationship-requests"), {}),
            (reverse("relationships:customer-invite", args=[provider.pk]), {}),
            (reverse("relationships:reseller-invite"), {"email": "lea@northwind.test"}),
        ):
            refused = client.post(url, data)
            assert refused.status_code == 403, url
            assert REASON in refused.text, url
        assert Event.objects.count() == before

    def test_a_replayed_order_is_no_new_purchase(self, on, settings):
        partner = short_partner()
        admin = user_of(partner)
        customer = direct_customer(partner)
        price = sold(partner, unit_price=Decimal("10.00"))
        settings.DIRECT_BILL_CONTINUING_MIN_INDIRECT_MONTHS = 0
        settings.DIRECT_BILL_CONTINUING_MIN_REVENUE = {}
        first = order_place(actor=admin, customer=customer, lines=[line(price, 1)], idempotency_key="k1")
        settings.DIRECT_BILL_CONTINUING_MIN_INDIRECT_MONTHS = 12
        again = order_place(actor=admin, customer=customer, lines=[line(price, 1)], idempotency_key="k1")
        assert again.pk == first.pk and again.replayed
        with pytest.raises(NotPermitted):
            order_place(actor=admin, customer=customer, lines=[line(price, 1)], idempotency_key="k2")
