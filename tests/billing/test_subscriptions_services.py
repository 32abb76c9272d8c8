"""The services of subscriptions (billing.services.subscriptions): who may do what, the
cancellation window and its prorated credit, and each refusal."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from billing.models import Credit, LicenseAssignment, SubscriptionStatus
from billing.services import subscriptions as services
from partnercenter.accounts.models import Role
from partnercenter.audit.models import Event
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from tests.billing.factories import CustomerUserFactory
from tests.billing.subscriptions_cast import START, annual_price, at, direct_subscription, monthly_price
from tests.cast import direct_customer, share_customer, user_of

pytestmark = pytest.mark.django_db


def rows(subscription) -> list[str]:
    return list(Event.objects.of(subscription).values_list("kind", flat=True))


@pytest.fixture
def annual(direct):
    return direct_subscription(direct, direct_customer(direct), price=annual_price("120.00"), quantity=10)


@pytest.fixture
def shared(provider, reseller, relationship):
    customer = share_customer(provider, reseller, company_name="Alpine Ski House")
    return direct_subscription(provider, customer, reseller=reseller)


# --- Cancel -----------------------------------------------------------------------------------------


def test_cancelling_an_annual_term_in_the_window_credits_the_prorated_rest(direct_admin, annual):
    user = CustomerUserFactory(customer=annual.customer)
    LicenseAssignment.objects.create(subscription=annual, user=user)
    with time_machine.travel(at(date(2026, 1, 5)), tick=False):
        cancelled = services.subscription_cancel(actor=direct_admin, subscription=annual)
    assert cancelled.status == SubscriptionStatus.CANCELLED and cancelled.due_at is None
    credit = Credit.objects.get()
    # 1,200.00 for the year 2026-01-01..2027-01-01; 361 of its 365 days are given back.
    assert (credit.amount, credit.currency, credit.reason) == (Decimal("1186.85"), "EUR", "cancelled")
    assert (credit.credit_start, credit.credit_end) == (date(2026, 1, 5), date(2027, 1, 1))
    term = cancelled.terms.get()
    assert term.end_date == date(2026, 1, 5) and cancelled.end_date == date(2026, 1, 5)
    assert not LicenseAssignment.objects.exists()
    assert rows(cancelled) == ["subscription_cancelled"]
    assert Event.objects.get().data["credit_amount"] == "1186.85"


def test_a_monthly_term_gets_no_credit(direct, direct_admin):
    subscription = direct_subscription(direct, direct_customer(direct), price=monthly_price())
    with time_machine.travel(at(date(2026, 1, 3)), tick=False):
        services.subscription_cancel(actor=direct_admin, subscription=subscription)
    assert not Credit.objects.exists()
    subscription.refresh_from_db()
    assert subscription.status == "cancelled" and subscription.terms.get().end_date == date(2026, 1, 3)


def test_cancelling_on_the_first_day_keeps_one_day(direct_admin, annual):
    with time_machine.travel(at(START), tick=False):
        services.subscription_cancel(actor=direct_admin, subscription=annual)
    assert annual.terms.get().end_date == date(2026, 1, 2)
    assert Credit.objects.get().amount == Decimal("1196.71")  # 364 of 365 days


def test_day_seven_may_cancel(direct_admin, annual):
    with time_machine.travel(at(date(2026, 1, 8), 23), tick=False):
        assert services.subscription_cancel(actor=direct_admin, subscription=annual).status == "cancelled"


def test_day_eight_is_refused_with_the_advice_to_turn_off_auto_renew(direct_admin, annual):
    with (
        time_machine.travel(at(date(2026, 1, 9), 0), tick=False),
        pytest.raises(InvalidTransition) as refused,
    ):
        services.subscription_cancel(actor=direct_admin, subscription=annual)
    assert "within 7 days" in str(refused.value.message) and "turn off auto-renew" in str(
        refused.value.message
    )
    annual.refresh_from_db()
    assert annual.status == "active" and not Credit.objects.exists() and not rows(annual)


def test_a_renewed_term_opens_a_new_window(direct_admin, annual):
    annual.term_started_on = date(2027, 1, 1)
    annual.save()
    with time_machine.travel(at(date(2027, 1, 6)), tick=False):
        assert services.subscription_cancel(actor=direct_admin, subscription=annual).status == "cancelled"


def test_a_cancelled_subscription_cannot_be_cancelled_again(direct_admin, annual):
    with time_machine.travel(at(date(2026, 1, 2)), tick=False):
        services.subscription_cancel(actor=direct_admin, subscription=annual)
        with pytest.raises(InvalidTransition):
            services.subscription_cancel(actor=direct_admin, subscription=annual)
    assert Credit.objects.count() == 1


def test_the_reseller_does_not_cancel(reseller_admin, shared):
    with time_machine.travel(at(date(2026, 1, 2)), tick=False), pytest.raises(NotPermitted):
        services.subscription_cancel(actor=reseller_admin, subscription=shared)


@pytest.mark.parametrize("role", [Role.SALES_AGENT, Role.HELPDESK_AGENT, Role.BILLING_ADMIN])
def test_a_role_without_the_right_does_not_cancel(direct, annual, role):
    with time_machine.travel(at(date(2026, 1, 2)), tick=False), pytest.raises(NotPermitted):
        services.subscription_cancel(actor=user_of(direct, role), subscription=annual)


def test_an_admin_agent_cancels(direct, annual):
    with time_machine.travel(at(date(2026, 1, 2)), tick=False):
        services.subscription_cancel(actor=user_of(direct, Role.ADMIN_AGENT), subscription=annual)


def test_an_outsider_does_not_find_it(outsider, provider_admin, annual):
    for actor in (outsider, provider_admin):
        with time_machine.travel(at(date(2026, 1, 2)), tick=False), pytest.raises(NotFound):
            services.subscription_cancel(actor=actor, subscription=annual)


# --- Auto-renew, suspend, reactivate ------------------------------------------------------------------


def test_the_reseller_handles_renewals(reseller_admin, shared):
    changed = services.subscription_set_auto_renew(
        actor=reseller_admin, subscription=shared, auto_renew=False
    )
    assert changed.auto_renew is False
    assert rows(shared) == ["subscription_auto_renew_changed"]
    # The same again changes nothing and writes no row.
    services.subscription_set_auto_renew(actor=reseller_admin, subscription=shared, auto_renew=False)
    assert rows(shared) == ["subscription_auto_renew_changed"]


def test_the_resellers_sales_agent_does_not_change_auto_renew(reseller, shared):
    with pytest.raises(NotPermitted):
        services.subscription_set_auto_renew(
            actor=user_of(reseller, Role.SALES_AGENT), subscription=shared, auto_renew=False
        )


def test_auto_renew_takes_a_boolean(provider_admin, shared):
    with pytest.raises(InvalidInput) as refused:
        services.subscription_set_auto_renew(actor=provider_admin, subscription=shared, auto_renew="yes")
    assert "auto_renew" in refused.value.errors


def test_suspend_and_reactivate(provider_admin, shared):
    assert services.subscription_suspend(actor=provider_admin, subscription=shared).status == "suspended"
    with pytest.raises(InvalidTransition) as refused:
        services.subscription_suspend(actor=provider_admin, subscription=shared)
    assert refused.value.status == "suspended"
    assert services.subscription_reactivate(actor=provider_admin, subscription=shared).status == "active"
    with pytest.raises(InvalidTransition):
        services.subscription_reactivate(actor=provider_admin, subscription=shared)
    assert rows(shared) == ["subscription_suspended", "subscription_reactivated"]


def test_the_reseller_does_not_suspend(reseller_admin, shared):
    with pytest.raises(NotPermitted) as refused:
        services.subscription_suspend(actor=reseller_admin, subscription=shared)
    assert "auto-renew" in str(refused.value.message)


def test_an_ended_subscription_does_not_change(provider_admin, shared):
    shared.status = "expired"
    shared.save()
    for call in (
        lambda: services.subscription_set_auto_renew(
            actor=provider_admin, subscription=shared, auto_renew=False
        ),
        lambda: services.subscription_suspend(actor=provider_admin, subscription=shared),
        lambda: services.subscription_reactivate(actor=provider_admin, subscription=shared),
    ):
        with pytest.raises(InvalidTransition):
            call()
    assert not rows(shared)
