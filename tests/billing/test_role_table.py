"""The commerce permission table (``billing.permissions.ROLE_ACTIONS``), role × action: what
the issue gives each role, and the 403's reason naming who may."""

import pytest

from billing.permissions import ROLE_ACTIONS, Action, may, require
from partnercenter.accounts.models import Role
from partnercenter.core.errors import NotPermitted
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

A = Action
# role: the actions it may take; every other action is refused.
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


def test_every_role_has_a_row():
    assert set(ROLE_ACTIONS) == set(Role)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_role_by_action(role, action):
    user = UserFactory(roles=[role.value])
    allowed = action in EXPECTED[role]
    assert may(user, action) is allowed
    if allowed:
        require(user, action)
    else:
        with pytest.raises(NotPermitted) as refused:
            require(user, action)
        assert "global admin" in str(refused.value.message)


def test_roles_add_up():
    user = UserFactory(roles=[Role.HELPDESK_AGENT.value, Role.BILLING_ADMIN.value])
    assert may(user, A.MANAGE_USERS) and may(user, A.VIEW_INVOICES)
    assert not may(user, A.ORDER)


def test_an_anonymous_visitor_may_do_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert not any(may(AnonymousUser(), action) for action in Action)
