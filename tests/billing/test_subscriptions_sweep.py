"""The renewal sweep (billing.tasks.subscriptions_sweep) in time travel: the reminder once
per term to the billing partner and the reseller in their languages, renewal at the price
list of the end day, expiry without auto-renew or without a price, and two sweeps acting
once."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone, translation

from billing import renewals
from billing.models import LicenseAssignment, Subscription
from billing.tasks import subscriptions_sweep
from partnercenter.audit.models import Event
from partnercenter.notifications.delivery import render
from partnercenter.notifications.models import Notification
from tests.billing.factories import CustomerUserFactory, OfferFactory, PriceFactory
from tests.billing.subscriptions_cast import annual_price, at, direct_subscription
from tests.cast import direct_customer, share_customer

pytestmark = pytest.mark.django_db

REMIND_DAY = date(2026, 12, 18)  # 14 days before the term ends on 2027-01-01
END = date(2027, 1, 1)


def kinds(subscription) -> list[str]:
    return list(Event.objects.of(subscription).order_by("id").values_list("kind", flat=True))


def sweep(day, hour=12):
    with time_machine.travel(at(day, hour), tick=False):
        return subscriptions_sweep()


@pytest.fixture
def shared(provider, reseller, relationship, provider_admin, reseller_admin):
    provider.language, reseller.language = "ru", "zh-hant"
    provider.save()
    reseller.save()
    customer = share_customer(provider, reseller, company_name="Alpine Ski House")
    return direct_subscription(provider, customer, reseller=reseller, price=annual_price("120.00"))


def test_a_monthly_term_gets_no_reminder(provider, reseller, relationship):
    """A monthly term renews every month: it is due at its end only (a reminder would come
    every month)."""
    customer = share_customer(provider, reseller)
    monthly = direct_subscription(
        provider, customer, reseller=reseller, price=PriceFactory(term="P1M", billing="monthly")
    )
    assert monthly.end_date == date(2026, 2, 1)
    assert renewals.next_due_at(monthly) == monthly.due_at == at(monthly.end_date, 0)


def test_a_subscription_is_due_for_its_reminder(shared):
    assert shared.due_at == at(REMIND_DAY, 0)


def test_nothing_is_done_before_it_is_due(shared):
    assert sweep(date(2026, 12, 17)) == {"remind": 0, "renew": 0, "expire": 0}
    assert not kinds(shared)


def test_the_reminder_goes_once_per_term_to_both_partners_in_their_languages(
    shared, provider_admin, reseller_admin
):
    assert sweep(REMIND_DAY)["remind"] == 1
    assert sweep(REMIND_DAY, 18)["remind"] == 0
    assert sweep(date(2026, 12, 20))["remind"] == 0
    sent = {(n.recipient, n.language, n.template) for n in Notification.objects.all()}
    assert sent == {
        (provider_admin.email, "ru", "subscription_renewal_reminder"),
        (reseller_admin.email, "zh-hant", "subscription_renewal_reminder"),
    }
    shared.refresh_from_db()
    assert shared.reminded_for == END and shared.due_at == at(END, 0)
    assert kinds(shared) == ["subscription_reminded"]
    emails = {n.recipient: render(n) for n in Notification.objects.all()}
    subject, text, html = emails[reseller_admin.email]
    assert "Alpine Ski House" in text and "Alpine Ski House" in html and "2027-01-01" in subject
    # The reseller is told, in its language, that it handles the renewal; the billing partner
    # (in Russian) is not.
    with translation.override("zh-hant"):
        handles = translation.gettext(
            "You handle this customer's renewals: turn auto-renew on or off before that day."
        )
    assert handles != "You handle this customer's renewals: turn auto-renew on or off before that day."
    assert handles in text
    assert "您負責" not in emails[provider_admin.email][1]
    assert "Здравствуйте" in emails[provider_admin.email][1] or "подписк" in emails[provider_admin.email][1]
    assert emails[provider_admin.email][0] != subject


def test_a_renewal_takes_the_price_list_of_its_day(shared):
    # A new price from 2026-12-01: the renewal on 2027-01-01 takes it, the term before keeps its own.
    PriceFactory(
        offer=shared.offer,
        term="P1Y",
        billing="annual",
        unit_price=Decimal("150.00"),
        effective_from=date(2026, 12, 1),
    )
    sweep(REMIND_DAY)
    assert sweep(END, 0)["renew"] == 1
    shared.refresh_from_db()
    assert (shared.status, shared.unit_price, shared.term_started_on, shared.end_date) == (
        "active",
        Decimal("150.00"),
        END,
        date(2028, 1, 1),
    )
    first, second = shared.terms.order_by("number")
    assert (first.unit_price, first.end_date) == (Decimal("120.00"), END)
    assert (second.number, second.start_date, second.end_date, second.unit_price) == (
        2,
        END,
        date(2028, 1, 1),
        Decimal("150.00"),
    )
    # The next term is reminded of in its turn.
    assert shared.due_at == at(date(2027, 12, 18), 0)
    assert kinds(shared) == ["subscription_reminded", "subscription_renewed"]


def test_without_auto_renew_it_expires_and_its_licenses_are_released(direct, direct_admin):
    subscription = direct_subscription(
        direct, direct_customer(direct), price=annual_price(), auto_renew=False
    )
    LicenseAssignment.objects.create(
        subscription=subscription, user=CustomerUserFactory(customer=subscription.customer)
    )
    assert sweep(date(2027, 1, 2))["expire"] == 1
    subscription.refresh_from_db()
    assert subscription.status == "expired" and subscription.due_at is None
    assert not LicenseAssignment.objects.exists()
    event = Event.objects.of(subscription).get()
    assert (event.kind, event.data["reason"]) == ("subscription_expired", "auto_renew_off")
    assert subscription.terms.count() == 1


def test_without_a_price_that_day_it_expires(direct):
    # Sold in another market only: the partner's market has no price for it on the end day.
    price = PriceFactory(offer=OfferFactory(), market="unitedstates", term="P1Y", billing="annual")
    subscription = direct_subscription(direct, direct_customer(direct), price=price)
    sweep(date(2027, 1, 1))
    subscription.refresh_from_db()
    assert subscription.status == "expired"
    assert Event.objects.of(subscription).get(kind="subscription_expired").data["reason"] == "no_price"


def test_a_suspended_subscription_expires_at_its_end(direct):
    subscription = direct_subscription(
        direct, direct_customer(direct), price=annual_price(), status="suspended"
    )
    sweep(date(2027, 1, 1))
    subscription.refresh_from_db()
    assert subscription.status == "expired"


def test_a_sweep_run_twice_acts_once(shared):
    assert sweep(END, 1) == {"remind": 0, "renew": 1, "expire": 0}
    assert sweep(END, 2) == {"remind": 0, "renew": 0, "expire": 0}
    assert shared.terms.count() == 2
    assert kinds(shared) == ["subscription_renewed"]


def test_two_sweeps_that_read_the_same_row_claim_it_once(shared):
    with time_machine.travel(at(END), tick=False):
        now = timezone.now()
        [(found, due_at)] = renewals.subscriptions_due(now)
        assert renewals.claim(found, due_at, now) is True
        assert renewals.claim(found, due_at, now) is False
        # Claimed: no other sweep sees it until its lease runs out.
        assert renewals.subscriptions_due(now) == []
        assert subscriptions_sweep()["renew"] == 0


def test_a_failing_row_does_not_stop_the_sweep(direct, shared, monkeypatch):
    other = direct_subscription(direct, direct_customer(direct), price=annual_price(), auto_renew=False)
    real = renewals.due_step

    def broken(subscription, now):
        if subscription.pk == shared.pk:
            raise RuntimeError("boom")
        return real(subscription, now)

    monkeypatch.setattr(renewals, "due_step", broken)
    assert sweep(END)["expire"] == 1
    assert Subscription.objects.get(pk=other.pk).status == "expired"
    assert Subscription.objects.get(pk=shared.pk).status == "active"
