"""The role × action table (``billing.permissions.ROLE_ACTIONS``) at the endpoints: for each
of the eight partner roles and each action, one representative request through the real API
by a user with only that role, at a partner that may do every action for its customer (an
active direct-bill partner and its direct customer). A refused action is 403 with the
table's reason in the body; an allowed one is not 403.

The requests are driven by ``ROLE_ACTIONS`` (a change of the table changes what is expected
at the endpoints); ``EXPECTED`` restates the table, so that a wrong change of it fails."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from billing.permissions import ROLE_ACTIONS, Action, require
from partnercenter.accounts.models import Role
from partnercenter.core.errors import NotPermitted
from tests.billing.factories import CustomerUserFactory, InvoiceFactory, PriceFactory, subscription_of
from tests.cast import direct_customer, make_direct_bill, user_of
from tests.conftest import api_as
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

A = Action
# role: the actions it may take; every other action is refused (issue 10, "Roles that mean
# something"; the same as tests/billing/test_role_table.py).
EXPECTED = {
    Role.GLOBAL_ADMIN: set(A),
    Role.ADMIN_AGENT: {A.VIEW_ORDERS, A.ORDER, A.MANAGE_SUBSCRIPTIONS, A.MANAGE_LICENSES, A.MANAGE_USERS},
    Role.HELPDESK_AGENT: {A.MANAGE_USERS},
    Role.SALES_AGENT: {A.VIEW_ORDERS},
    Role.BILLING_ADMIN: {A.VIEW_INVOICES},
    Role.BUSINESS_PROFILE_ADMIN: set(),
    Role.REFERRALS_ADMIN: set(),
    Role.INCENTIVES_ADMIN: set(),
}
TODAY = "2027-03-10T09:00:00+00:00"  # a fixed day (the suite also runs a year ahead)


def test_the_table_is_the_expected_one():
    assert {role: set(actions) for role, actions in ROLE_ACTIONS.items()} == EXPECTED


def reason(action) -> str:
    """The table's reason for refusing ``action`` (to a user with no role)."""
    with pytest.raises(NotPermitted) as refused:
        require(UserFactory.build(roles=[]), action)
    return str(refused.value.message)


class World:
    """Fourth Coffee (active direct bill, Europe) and its direct customer Alpine Ski House:
    a live 1-year subscription of 10 seats, a customer user, and an invoice."""

    def __init__(self):
        self.partner = make_direct_bill(legal_name="Fourth Coffee B.V.", country="NL")
        self.customer = direct_customer(self.partner, company_name="Alpine Ski House B.V.")
        self.price = PriceFactory(
            term="P1Y", billing="monthly", unit_price=Decimal("10.50"), effective_from=date(2027, 1, 1)
        )
        self.subscription = subscription_of(
            self.partner, self.customer, price=self.price, quantity=10, start=date(2027, 2, 1)
        )
        self.user = CustomerUserFactory(customer=self.customer)
        self.invoice = InvoiceFactory(
            partner=self.partner,
            customer=self.customer,
            period_start=date(2027, 2, 1),
            period_end=date(2027, 3, 1),
        )


# action: the representative requests (client, world) -> responses.
REQUESTS = {
    A.VIEW_ORDERS: lambda api, w: [api.get("/api/v1/orders/")],
    A.ORDER: lambda api, w: [
        api.post(
            f"/api/v1/customers/{w.customer.pk}/orders/",
            {
                "lines": [
                    {"offer_id": w.price.offer.offer_id, "term": "P1Y", "billing": "monthly", "quantity": 2}
                ]
            },
            format="json",
            HTTP_IDEMPOTENCY_KEY="matrix-1",
        )
    ],
    A.MANAGE_SUBSCRIPTIONS: lambda api, w: [
        api.patch(f"/api/v1/subscriptions/{w.subscription.pk}/", {"auto_renew": False}, format="json")
    ],
    A.MANAGE_LICENSES: lambda api, w: [
        api.post(
            f"/api/v1/customers/{w.customer.pk}/users/{w.user.pk}/licenses/",
            {"subscription_id": str(w.subscription.pk)},
            format="json",
        )
    ],
    A.MANAGE_USERS: lambda api, w: [
        api.post(
            f"/api/v1/customers/{w.customer.pk}/users/",
            {"first_name": "Kim", "last_name": "Akers", "username": "kim.akers"},
            format="json",
        )
    ],
    A.VIEW_INVOICES: lambda api, w: [
        api.get("/api/v1/invoices/"),
        api.get(f"/api/v1/invoices/{w.invoice.pk}/pdf/"),
    ],
}


def test_every_action_has_a_request():
    assert set(REQUESTS) == set(Action)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_role_by_action_at_the_endpoints(role, action, committed):
    allowed = action in ROLE_ACTIONS[role]
    with time_machine.travel(TODAY, tick=False), committed():
        world = World()
        api = api_as(user_of(world.partner, role))
        responses = REQUESTS[action](api, world)
    for response in responses:
        if allowed:
            assert response.status_code != 403, (role, action, response.content[:300])
            assert response.status_code < 400, (role, action, response.status_code, response.content[:300])
        else:
            assert response.status_code == 403, (role, action, response.status_code)
            assert response.json()["detail"] == reason(action)
