"""The queue's age chart counts in SQL from per-country cut-offs (issue 12): the same bars as
the Python definition it replaced (``business_days_between`` for every file), at the
cut-offs to the microsecond, over weekends, public holidays, China's working Saturdays and
other weekends (the Emirates' before 2022, Saudi Arabia's Friday-Saturday), in one query at
any size. Every test names its moment."""

from datetime import UTC, datetime, timedelta

import pytest

from enrollment import selectors
from enrollment.business_days import age_cutoffs, business_days_between
from enrollment.models import Enrollment
from tests.factories import EnrollmentFactory, PartnerFactory

pytestmark = pytest.mark.django_db

COUNTRIES = ["DE", "CN", "US", "SA", "TW", "AQ"]  # AQ: no calendar of its own (Monday to Friday)

MOMENTS = [
    datetime(2025, 6, 11, 12, 0, tzinfo=UTC),  # Wednesday after Whit Monday (Germany)
    datetime(2025, 10, 9, 8, 30, tzinfo=UTC),  # Thursday after China's National Day week
    datetime(2025, 10, 13, 0, 0, tzinfo=UTC),  # Monday midnight: days off right before a cut-off
    datetime(2025, 12, 1, 23, 59, 59, 999999, tzinfo=UTC),  # Monday after Thanksgiving
    datetime(2026, 2, 21, 10, 0, tzinfo=UTC),  # a Saturday in the Lunar New Year holidays
]


def python_buckets(now: datetime) -> list[int]:
    """The definition the chart had: each file's business days, walked in Python."""
    counts = [0, 0, 0, 0]
    for submitted_at, country in Enrollment.objects.undecided().values_list(
        "submitted_at", "partner__country"
    ):
        age = business_days_between(submitted_at, now, country)
        counts[0 if age < 1 else 1 if age < 3 else 2 if age <= 5 else 3] += 1
    return counts


def submissions(now: datetime, country: str) -> list[datetime]:
    """A spread over three weeks, and each cut-off of the country with a microsecond either side."""
    times = [now - timedelta(hours=7 * i + 3) for i in range(0, 72, 5)]
    groups, default = age_cutoffs(now, selectors.AGE_CUTOFFS)
    cutoffs = next((found for countries, found in groups if country in countries), default)
    for cutoff in cutoffs:
        for moment in {cutoff.latest, cutoff.earliest}:
            times += [moment - timedelta(microseconds=1), moment, moment + timedelta(microseconds=1)]
    return times


@pytest.fixture(autouse=True)
def _real_days(settings):
    settings.BUSINESS_DAY_SECONDS = 0


@pytest.mark.parametrize("now", MOMENTS, ids=lambda now: now.strftime("%Y-%m-%d %H:%M"))
def test_the_same_bars_as_the_python_definition(now):
    for country in COUNTRIES:
        for index, submitted_at in enumerate(submissions(now, country)):
            status = ["pending_email_verification", "in_review", "action_needed"][index % 3]
            EnrollmentFactory(
                partner=PartnerFactory(country=country), status=status, submitted_at=submitted_at
            )
    EnrollmentFactory(status="approved", submitted_at=now - timedelta(days=30))  # decided: not counted

    counts = [bucket.count for bucket in selectors.queue_age_buckets(now)]

    assert counts == python_buckets(now)
    assert sum(counts) == Enrollment.objects.undecided().count()


def test_the_demo_days(settings):
    settings.BUSINESS_DAY_SECONDS = 60
    now = datetime(2025, 6, 14, 12, 0, tzinfo=UTC)  # a Saturday: the demo's days ignore weekends
    for minutes in [0.5, 1, 2, 3, 4.5, 5, 5.01, 90]:
        EnrollmentFactory(status="in_review", submitted_at=now - timedelta(minutes=minutes))

    counts = [bucket.count for bucket in selectors.queue_age_buckets(now)]

    assert counts == python_buckets(now) == [1, 2, 3, 2]


@pytest.mark.parametrize("size", [2, 40])
def test_one_query_at_any_size(size, django_assert_num_queries):
    now = datetime(2025, 6, 11, 12, 0, tzinfo=UTC)
    for index in range(size):
        EnrollmentFactory(
            partner=PartnerFactory(country=COUNTRIES[index % len(COUNTRIES)]),
            status="in_review",
            submitted_at=now - timedelta(hours=13 * index),
        )
    with django_assert_num_queries(1):
        buckets = selectors.queue_age_buckets(now)
    assert sum(b.count for b in buckets) == size


def test_the_queue_page_reuses_its_counts_for_the_settings_seconds_then_counts_again():
    """The chart is counted once in QUEUE_AGE_CHART_SECONDS, not on every request (issue 12)."""
    import time_machine

    now = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
    EnrollmentFactory(status="in_review", submitted_at=now - timedelta(hours=2))
    with time_machine.travel(now, tick=False) as clock:
        first = [b.count for b in selectors.queue_age_buckets(now, reuse_for=60)]
        EnrollmentFactory(status="in_review", submitted_at=now - timedelta(hours=1))
        assert [b.count for b in selectors.queue_age_buckets(now, reuse_for=60)] == first
        assert sum(b.count for b in selectors.queue_age_buckets(now)) == sum(first) + 1  # uncached
        clock.shift(timedelta(seconds=61))
        again = [b.count for b in selectors.queue_age_buckets(now, reuse_for=60)]
    assert sum(again) == sum(first) + 1
