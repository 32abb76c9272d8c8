"""The credit check (issue 9): the rules-based default scorer, the pluggable provider
(``CREDIT_CHECK_PROVIDER``), the task that runs it once (twice is once), a provider
outage that leaves it for the sweep, and the sweep that picks up a lost one."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured

from enrollment import tasks
from enrollment.credit import (
    CreditCheckProvider,
    CreditDecision,
    RulesBasedCreditCheck,
    get_credit_check_provider,
    round_down,
)
from enrollment.models import Enrollment
from enrollment.services import direct_bill as services
from partnercenter.audit.models import Event

from .direct_bill import CREDIT_LINE, answers, check_of, submit_direct_bill, to_review


def declared(years=6, revenue="2000000", cloud="500000", currency="EUR"):
    return SimpleNamespace(
        years_trading=years,
        annual_revenue=Decimal(revenue),
        cloud_revenue_12m=Decimal(cloud),
        currency=currency,
    )


class TestRulesBasedScorer:
    def test_a_credit_line_in_the_market_currency_as_a_round_decimal(self):
        decision = RulesBasedCreditCheck().assess(declared())
        assert (decision.approved, decision.amount, decision.currency) == (True, Decimal(250000), "EUR")
        assert isinstance(decision.amount, Decimal)

    @pytest.mark.parametrize(
        ("years", "share"),
        [(2, Decimal("0.05")), (4, Decimal("0.05")), (5, Decimal("0.10")), (10, Decimal("0.15"))],
    )
    def test_the_share_grows_with_the_years_of_trading(self, years, share):
        decision = RulesBasedCreditCheck().assess(declared(years=years, cloud="0"))
        assert decision.amount == round_down(Decimal(2000000) * share)

    def test_at_most_a_quarter_of_the_revenue(self):
        decision = RulesBasedCreditCheck().assess(declared(years=10, revenue="1000000", cloud="90000000"))
        assert decision.amount == Decimal(250000)

    def test_any_currency_gives_a_round_sum(self):
        decision = RulesBasedCreditCheck().assess(
            declared(years=3, revenue="987654321", cloud="0", currency="JPY")
        )
        assert (decision.amount, decision.currency) == (Decimal(49000000), "JPY")

    @pytest.mark.parametrize(
        ("application", "reason"),
        [
            (declared(years=1), "trading_history_short"),
            (declared(years=0), "trading_history_short"),
            (declared(revenue="0", cloud="0"), "no_revenue"),
            (declared(revenue="0.10", cloud="0"), "revenue_too_low"),
        ],
    )
    def test_declines_with_a_reason(self, application, reason):
        decision = RulesBasedCreditCheck().assess(application)
        assert (decision.approved, decision.amount, decision.reason) == (False, None, reason)

    @pytest.mark.parametrize(
        ("amount", "rounded"),
        [("123456", "120000"), ("4567", "4500"), ("99", "99"), ("9.99", "9"), ("0.5", "0")],
    )
    def test_round_down_to_two_significant_digits(self, amount, rounded):
        assert round_down(Decimal(amount)) == Decimal(rounded)


class Bureau(CreditCheckProvider):
    """A stand-in for a real bureau: always a fixed line."""

    name = "bureau"

    def assess(self, application):
        return CreditDecision.credit_line(Decimal("1234.56"), application.currency, {"bureau_ref": "B-1"})


class Offline(CreditCheckProvider):
    def assess(self, application):
        raise ConnectionError("the bureau does not answer")


class TestProvider:
    def test_the_default_is_the_rules_based_scorer(self):
        assert isinstance(get_credit_check_provider(), RulesBasedCreditCheck)

    def test_a_dotted_path_replaces_it(self, settings):
        settings.CREDIT_CHECK_PROVIDER = "tests.enrollment.test_credit_check.Bureau"
        assert isinstance(get_credit_check_provider(), Bureau)

    def test_something_else_is_refused(self, settings):
        settings.CREDIT_CHECK_PROVIDER = "tests.enrollment.test_credit_check.declared"
        with pytest.raises(ImproperlyConfigured):
            get_credit_check_provider()


@pytest.fixture
def ready(db, settings, admin, mpn):
    """In review with every step the credit check waits for settled, but never queued
    (the broker was down)."""
    settings.DIRECT_BILL_APPLICATIONS_OPEN = True
    enrollment = to_review(submit_direct_bill(admin, mpn.mpn_id), business="passed")
    services.enrollment_answer_questionnaire(
        actor=admin, enrollment=enrollment, answers=answers()
    )  # no commit: no task
    return enrollment


def credit_events(enrollment) -> int:
    return Event.objects.of(enrollment).filter(kind__in=["credit_approved", "credit_declined"]).count()


class TestTheTask:
    def test_twice_is_once(self, ready):
        assert tasks.run_credit_check(str(ready.pk)) is True
        assert tasks.run_credit_check(str(ready.pk)) is False
        assert credit_events(ready) == 1
        assert Enrollment.objects.get(pk=ready.pk).credit_line == (Decimal(CREDIT_LINE), "EUR")

    def test_a_configured_provider_decides(self, ready, settings):
        settings.CREDIT_CHECK_PROVIDER = "tests.enrollment.test_credit_check.Bureau"
        tasks.run_credit_check(str(ready.pk))
        check = check_of(ready, "credit_check")
        assert check.evidence == {"bureau_ref": "B-1"}
        assert Enrollment.objects.get(pk=ready.pk).credit_line == (Decimal("1234.56"), "EUR")

    def test_not_before_its_steps_are_settled(self, ready):
        check_of(ready, "business_verification").__class__.objects.filter(
            enrollment=ready, kind="business_verification"
        ).update(result="pending")
        assert tasks.run_credit_check(str(ready.pk)) is False
        assert check_of(ready, "credit_check").result == "pending"

    def test_an_outage_leaves_it_pending_for_the_sweep(self, ready, settings):
        settings.CREDIT_CHECK_PROVIDER = "tests.enrollment.test_credit_check.Offline"
        with pytest.raises(ConnectionError):
            tasks.run_credit_check(str(ready.pk))
        assert check_of(ready, "credit_check").result == "pending"
        settings.CREDIT_CHECK_PROVIDER = "enrollment.credit.RulesBasedCreditCheck"
        assert tasks.enrollments_sweep()["credit_checked"] == 1
        assert check_of(ready, "credit_check").result == "passed"

    def test_the_sweep_picks_up_a_lost_one_once(self, ready):
        assert tasks.enrollments_sweep()["credit_checked"] == 1
        assert tasks.enrollments_sweep()["credit_checked"] == 0
        assert credit_events(ready) == 1

    def test_an_override_before_the_task_stops_it(self, ready, reviewer):
        services.enrollment_override_credit_check(
            actor=reviewer, enrollment=ready, approved=False, amount=None, note="Known defaulter."
        )
        assert tasks.run_credit_check(str(ready.pk)) is False
        assert check_of(ready, "credit_check").result == "failed"


def test_staff_read_the_credit_line_in_the_admin(client, ready):
    from tests.factories import UserFactory

    tasks.run_credit_check(str(ready.pk))
    client.force_login(
        UserFactory(tenant=None, roles=[], is_staff=True, is_superuser=True, email="root@partners.test")
    )
    response = client.get(f"/admin/enrollment/enrollment/{ready.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Direct-bill application" in page and "250000" in page.replace(",", "")
