"""The legal moves of a subscription, declared once beside its statuses, and the predicates
derived from them (billing.models.subscriptions)."""

from datetime import date

import pytest

from billing.models import SUBSCRIPTION_MOVES, SUBSCRIPTION_TRANSITIONS, Subscription, SubscriptionStatus

S = SubscriptionStatus


def test_the_transitions_are_the_programs():
    assert {
        S.ACTIVE: {S.SUSPENDED, S.CANCELLED, S.EXPIRED},
        S.SUSPENDED: {S.ACTIVE, S.CANCELLED, S.EXPIRED},
        S.EXPIRED: frozenset(),
        S.CANCELLED: frozenset(),
    } == SUBSCRIPTION_TRANSITIONS


def test_renewing_keeps_it_active_and_a_suspended_one_does_not_renew():
    assert SUBSCRIPTION_MOVES["renew"].sources == {S.ACTIVE}
    assert SUBSCRIPTION_MOVES["renew"].target is None


def subscription(status=S.ACTIVE, **kwargs) -> Subscription:
    fields = {"term_started_on": date(2026, 1, 1), "end_date": date(2027, 1, 1), "auto_renew": True}
    return Subscription(status=status, **{**fields, **kwargs})


@pytest.mark.parametrize(
    "status, suspend, reactivate, auto_renew",
    [
        (S.ACTIVE, True, False, True),
        (S.SUSPENDED, False, True, True),
        (S.EXPIRED, False, False, False),
        (S.CANCELLED, False, False, False),
    ],
)
def test_the_predicates_follow_the_table(status, suspend, reactivate, auto_renew):
    s = subscription(status)
    assert (s.can_suspend, s.can_reactivate, s.can_set_auto_renew) == (suspend, reactivate, auto_renew)


def test_perpetual_software_has_no_auto_renew_and_no_renewal():
    s = subscription(end_date=None)
    assert not s.can_set_auto_renew and not s.can_renew


def test_can_renew_needs_auto_renew_and_an_active_status():
    assert subscription().can_renew
    assert not subscription(auto_renew=False).can_renew
    assert not subscription(S.SUSPENDED).can_renew


@pytest.mark.time_machine("2026-01-08 23:00:00+00:00", tick=False)
def test_day_seven_is_in_the_cancellation_window():
    s = subscription()
    assert s.cancellable_until == date(2026, 1, 8)
    assert s.can_cancel() and subscription(S.SUSPENDED).can_cancel()
    assert not subscription(S.EXPIRED).can_cancel()


@pytest.mark.time_machine("2026-01-09 00:00:00+00:00", tick=False)
def test_day_eight_is_not():
    assert not subscription().can_cancel()
