"""During the transition: the partner keeps its direct customers (managed and billed), takes
customers from an indirect provider, adds no new direct customers (create or associate),
and its customer list shows both kinds (DOMAIN.md, "Direct bill to indirect reseller
transition")."""

from datetime import date

import pytest
import time_machine

from billing.models import Invoice, SubscriptionStatus
from billing.services.invoices import invoice_run
from billing.services.subscriptions import subscription_renew
from partnercenter.core.errors import InvalidTransition, NotPermitted
from relationships.services.customers import customer_create
from relationships.services.relationship_requests import (
    relationship_request_accept,
    relationship_request_create,
)
from tests.billing.factories import subscription_of
from tests.billing.invoicing import FEBRUARY, RUN_AT, monthly
from tests.cast import direct_customer, make_customer_admin, make_provider, share_customer
from tests.enrollment.transition.cast import accepted, flagged, started

pytestmark = pytest.mark.django_db
NEW = {"company_name": "Litware GmbH", "domain_prefix": "litwarede", "country": "DE"}


def test_a_flagged_partner_still_adds_direct_customers():
    _partner, admin = flagged()
    assert customer_create(actor=admin, **NEW).customer.company_name == "Litware GmbH"


def test_no_new_direct_customer_once_started():
    _partner, admin = started()
    with pytest.raises(NotPermitted, match="cannot add new direct customers"):
        customer_create(actor=admin, **NEW)
    with pytest.raises(NotPermitted, match="cannot add new direct customers"):
        relationship_request_create(actor=admin)


def test_a_request_sent_before_the_start_cannot_be_accepted_after_it():
    partner, admin = flagged()
    created = relationship_request_create(actor=admin)
    from enrollment.services.transition import transition_start

    transition_start(actor=admin, confirm=True)
    token = created.link.rstrip("/").rsplit("/", 1)[-1]
    with pytest.raises(InvalidTransition, match="cannot add new direct customers"):
        relationship_request_accept(actor=make_customer_admin(), token=token)


def test_the_direct_customers_are_still_billed_and_renewed():
    partner, admin = started()
    customer = direct_customer(partner, company_name="Contoso GmbH")
    monthly(partner, customer)
    accepted(partner, admin)
    with time_machine.travel(RUN_AT, tick=False):
        invoice_run(period_start=FEBRUARY)
    assert Invoice.objects.get(partner=partner, customer=customer).reseller is None
    annual = subscription_of(partner, customer, start=date(2025, 3, 1), term="P1Y", billing="monthly")
    with time_machine.travel(date(2026, 3, 1), tick=False):
        subscription_renew(subscription_id=annual.pk)
    annual.refresh_from_db()
    assert annual.status == SubscriptionStatus.ACTIVE and annual.terms.count() == 2


def test_the_customer_list_shows_both_kinds_with_products_only_on_the_direct_ones(client):
    partner, admin = started()
    accepted(partner, admin)
    direct_customer(partner, company_name="Coho Winery")
    share_customer(
        make_provider(legal_name="Tailspin Distribution"), partner, company_name="Northwind Traders"
    )
    client.force_login(admin)
    html = client.get("/customers/").content.decode()
    direct_row = html[html.index("Coho Winery") :]
    direct_row = direct_row[: direct_row.index("</tr>")]
    indirect_row = html[html.index("Northwind Traders") :]
    indirect_row = indirect_row[: indirect_row.index("</tr>")]
    assert "Add or view products" in direct_row
    assert "Add or view products" not in indirect_row and "Your provider orders" in indirect_row
    assert "Indirect providers" in html  # the navigation


def test_it_accepts_an_indirect_providers_invitation_once_it_is_an_indirect_reseller():
    from relationships.models import RelationshipState
    from relationships.services.reseller_invitations import (
        reseller_invitation_accept,
        reseller_invitation_send,
    )
    from tests.cast import reseller_token, user_of

    partner, admin = started()
    accepted(partner, admin)
    provider = make_provider(legal_name="Tailspin Distribution")
    invitation = reseller_invitation_send(
        actor=user_of(provider, email="admin@tailspin.test"), mpn_id=partner.mpn_id
    )
    relationship = reseller_invitation_accept(actor=admin, token=reseller_token(invitation), authorize=True)
    assert relationship.reseller == partner and relationship.state == RelationshipState.ACTIVE
