"""The audit table's cases of subscriptions and Azure reservations (see ``tests.audit.table``;
``NOW`` is 2026-03-02 10:00 UTC): what people do and what the renewal sweep does."""

from datetime import date
from decimal import Decimal

from billing.services import subscriptions
from tests.audit.table import Run, case
from tests.billing.factories import PriceFactory, subscription_of
from tests.cast import (
    direct_customer,
    make_direct_bill,
    make_provider,
    make_reseller,
    share_customer,
    user_of,
)


def _direct(start=date(2026, 2, 27), billing="annual", **kwargs):
    partner = make_direct_bill(legal_name="Adatum Direct GmbH")
    customer = direct_customer(partner, company_name="Alpine Ski House")
    price = PriceFactory(term="P1Y", billing=billing, unit_price=Decimal("120.00"))
    subscription = subscription_of(partner, customer, price=price, start=start, **kwargs)
    return partner, user_of(partner), subscription


def _facts(subscription, **data):
    return {
        "name": subscription.friendly_name,
        "customer_id": str(subscription.customer_id),
        **data,
    }


@case(subscriptions.subscription_set_auto_renew)
def _(w):
    provider = make_provider("Contoso Distribution GmbH")
    reseller = make_reseller(provider=provider, legal_name="Fabrikam Cloud GmbH")
    customer = share_customer(provider, reseller)
    subscription = subscription_of(provider, customer, reseller=reseller, start=date(2026, 1, 1))
    reseller_admin = user_of(reseller)  # "the reseller handles renewals"
    return Run(
        kwargs={"actor": reseller_admin, "subscription": subscription, "auto_renew": False},
        kind="subscription_auto_renew_changed",
        obj=subscription,
        tenant=provider.tenant,
        actor=reseller_admin,
        from_state="active",
        to_state="active",
        data=_facts(subscription, auto_renew=False, end_date="2027-01-01"),
    )


@case(subscriptions.subscription_suspend)
def _(w):
    partner, admin, subscription = _direct()
    return Run(
        kwargs={"actor": admin, "subscription": subscription},
        kind="subscription_suspended",
        obj=subscription,
        tenant=partner.tenant,
        actor=admin,
        from_state="active",
        to_state="suspended",
        data=_facts(subscription),
    )


@case(subscriptions.subscription_reactivate)
def _(w):
    partner, admin, subscription = _direct(status="suspended")
    return Run(
        kwargs={"actor": admin, "subscription": subscription},
        kind="subscription_reactivated",
        obj=subscription,
        tenant=partner.tenant,
        actor=admin,
        from_state="suspended",
        to_state="active",
        data=_facts(subscription),
    )


@case(subscriptions.subscription_cancel)
def _(w):
    partner, admin, subscription = _direct()  # 3 days into its term: in the window
    return Run(
        kwargs={"actor": admin, "subscription": subscription},
        kind="subscription_cancelled",
        obj=subscription,
        tenant=partner.tenant,
        actor=admin,
        from_state="active",
        to_state="cancelled",
        # 1,200.00 a year from 2026-02-27; 362 of its 365 days are given back.
        data=_facts(subscription, credit_amount="1190.14", currency="EUR", end_date="2026-03-02"),
    )


@case(subscriptions.subscription_remind)
def _(w):
    partner, _admin, subscription = _direct(start=date(2025, 3, 10))  # ends 2026-03-10
    return Run(
        kwargs={"subscription_id": subscription.pk},
        kind="subscription_reminded",
        obj=subscription,
        tenant=partner.tenant,
        from_state="active",
        to_state="active",
        data=_facts(subscription, end_date="2026-03-10", reseller_id=""),
    )


@case(subscriptions.subscription_renew)
def _(w):
    partner, _admin, subscription = _direct(start=date(2025, 3, 1))  # ended 2026-03-01
    return Run(
        kwargs={"subscription_id": subscription.pk},
        kind="subscription_renewed",
        obj=subscription,
        tenant=partner.tenant,
        from_state="active",
        to_state="active",
        data=_facts(subscription, end_date="2027-03-01", unit_price="120.00", term_start="2026-03-01"),
    )


@case(subscriptions.subscription_expire)
def _(w):
    partner, _admin, subscription = _direct(start=date(2025, 3, 1), auto_renew=False)
    return Run(
        kwargs={"subscription_id": subscription.pk},
        kind="subscription_expired",
        obj=subscription,
        tenant=partner.tenant,
        from_state="active",
        to_state="expired",
        data=_facts(subscription, reason="auto_renew_off"),
    )


# Calls that change nothing, and refusals: neither writes a row (test_one_row_per_change).


def _auto_renew_unchanged(w):
    _partner, admin, subscription = _direct()
    return subscriptions.subscription_set_auto_renew, {
        "actor": admin,
        "subscription": subscription,
        "auto_renew": True,
    }


def _remind_twice(w):
    _partner, _admin, subscription = _direct(start=date(2025, 3, 10))
    subscriptions.subscription_remind(subscription_id=subscription.pk)
    return subscriptions.subscription_remind, {"subscription_id": subscription.pk}


def _renew_before_the_end(w):
    _partner, _admin, subscription = _direct()
    return subscriptions.subscription_renew, {"subscription_id": subscription.pk}


def _expire_a_renewing_one(w):
    _partner, _admin, subscription = _direct(start=date(2025, 3, 1))  # auto-renew on, priced
    return subscriptions.subscription_expire, {"subscription_id": subscription.pk}


NO_OPS = {
    "set auto-renew as it is": _auto_renew_unchanged,
    "remind a subscription twice": _remind_twice,
    "renew before the end of the term": _renew_before_the_end,
    "expire a subscription that renews": _expire_a_renewing_one,
}


def _cancel_after_the_window(w):
    _partner, admin, subscription = _direct(start=date(2026, 2, 1))
    return subscriptions.subscription_cancel, {"actor": admin, "subscription": subscription}


def _reactivate_an_active_one(w):
    _partner, admin, subscription = _direct()
    return subscriptions.subscription_reactivate, {"actor": admin, "subscription": subscription}


REFUSALS = {
    "cancel after the cancellation window": _cancel_after_the_window,
    "reactivate an active subscription": _reactivate_an_active_one,
}
