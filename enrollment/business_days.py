"""Business days: the working days of the partner's country. Deadlines of "N business
days" skip that country's weekend and public holidays (the maintained ``holidays``
package: Lunar New Year in Taiwan and China, the New Year holidays in Russia...) and
count the weekend days a country works in their place (China's adjusted Saturdays). A
country the package does not know has Monday to Friday.

Days are counted on the UTC calendar, at the same time of day as the start.

For a demo, ``BUSINESS_DAY_SECONDS`` shortens a business day to that many seconds
(weekends and holidays are then ignored), so a newcomer can watch an enrollment move
through its days in minutes. It is 0 (real days) everywhere else.
"""

import json
import logging
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def day_length() -> timedelta:
    """The length of one program day: a real day, or the demo's shortened one."""
    seconds = getattr(settings, "BUSINESS_DAY_SECONDS", 0)
    return timedelta(seconds=seconds) if seconds else timedelta(days=1)


def _demo() -> bool:
    return bool(getattr(settings, "BUSINESS_DAY_SECONDS", 0))


# --- Which days are working days ---------------------------------------------------------
# The package's calendars as data: per year, per country it knows, one character a day of
# the year ("1" a working day, "0" a day off). Computed by a short-lived Python (``python -m
# enrollment.business_days YEAR``) and shared through the cache, so that no web worker
# imports the package: its calendars are about 17 MiB a worker would keep for good (issue
# 12: a worker under 150 MiB). In this process when that one fails.


def year_calendars(year: int) -> dict[str, str]:
    """Every calendar the ``holidays`` package has, for ``year`` (a few milliseconds each)."""
    import holidays  # noqa: PLC0415 - here only: see above

    days = [
        date(year, 1, 1) + timedelta(days=i) for i in range((date(year + 1, 1, 1) - date(year, 1, 1)).days)
    ]
    found = {}
    for country in sorted(holidays.list_supported_countries(include_aliases=False)):
        calendar = holidays.country_holidays(country)
        found[country] = "".join("1" if calendar.is_working_day(day) else "0" for day in days)
    return found


def _year_in_a_process(year: int) -> dict[str, str]:
    try:
        done = subprocess.run(  # noqa: S603 - our own command line
            [sys.executable, "-m", "enrollment.business_days", str(year)],
            cwd=Path(__file__).resolve().parent.parent,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return json.loads(done.stdout)
    except (OSError, subprocess.SubprocessError, ValueError) as error:
        logger.warning("working days of %s: computed in this process (%s)", year, error)
        return year_calendars(year)


@lru_cache(maxsize=8)
def _year(year: int) -> dict[str, str]:
    """``year_calendars`` once a year for every process: kept here and in the cache (which
    fails open, ``partnercenter.core.cache``), keyed by the package's version."""
    key = f"enrollment:working-days:{version('holidays')}:{year}"
    cached = cache.get(key)
    if cached is not None:
        return json.loads(cached)
    found = _year_in_a_process(year)
    cache.set(key, json.dumps(found), 40 * 24 * 3600)
    return found


def is_business_day(day: date, country: str) -> bool:
    """Whether ``day`` is a working day in ``country`` (an ISO 3166-1 alpha-2 code)."""
    days = _year(day.year).get((country or "").upper()) if country else None
    if days is None:
        return day.weekday() < 5
    return days[day.timetuple().tm_yday - 1] == "1"


def add_business_days(start: datetime, days: int, country: str) -> datetime:
    """The moment ``days`` business days of ``country`` after ``start``, at the same time
    of day. A start on a day off counts from the next working day."""
    if _demo():
        return start + days * day_length()
    current = start
    while not is_business_day(current.date(), country):
        current += timedelta(days=1)
    added = 0
    while added < days:
        current += timedelta(days=1)
        if is_business_day(current.date(), country):
            added += 1
    return current


def business_days_between(start: datetime, end: datetime, country: str) -> float:
    """How many business days of ``country`` lie between two moments (the queue's age chart)."""
    if end <= start:
        return 0.0
    if _demo():
        return (end - start) / day_length()
    total = timedelta()
    current = start
    while current < end:
        step_end = min(end, (current + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0))
        if is_business_day(current.date(), country):
            total += step_end - current
        current = step_end
    return total / timedelta(days=1)


# --- The age chart's cut-offs: the same ages as ``business_days_between``, counted in SQL ------

# How many days back the cut-offs look: more than 5 business days with the days off around
# them in every calendar (the longest run of days off, China's Golden Week, is 8 days).
# A calendar with fewer working days in it is walked further, day by day.
WINDOW_DAYS = 40


@dataclass(frozen=True)
class Cutoff:
    """Where ``business_days_between(start, now) == days`` falls: ``latest`` is the last
    start that has aged at least ``days``, ``earliest`` the first that has aged at most
    ``days`` (earlier than ``latest`` only when days off lie right before it)."""

    latest: datetime
    earliest: datetime


def _working_days(country: str, today: date, n: int) -> tuple[bool, ...]:
    """Whether each of the ``n`` days up to ``today`` (today first) is a working day."""
    return tuple(is_business_day(today - timedelta(days=i), country) for i in range(n))


def _reach(working: tuple[bool, ...], count: int) -> tuple[bool, ...]:
    """The days up to the ``count``-th working day (today first): all a cut-off of
    ``count - 2`` business days reads, at any time of today (today's part, the whole days,
    and the working day before the days off that may lie before the cut-off)."""
    seen = 0
    for index, is_working in enumerate(working):
        seen += is_working
        if seen == count:
            return working[: index + 1]
    return working


@lru_cache(maxsize=4)
def _calendars_on(today: date, count: int) -> dict[tuple[bool, ...], tuple[str, ...]]:
    """The countries that have a calendar, grouped by their days up to the ``count``-th
    working day before ``today``: countries in a group have the same cut-offs. Once a day."""
    groups = defaultdict(list)
    for country in sorted(_year(today.year)):
        groups[_reach(_working_days(country, today, WINDOW_DAYS), count)].append(country)
    return {days: tuple(countries) for days, countries in groups.items()}


def _cutoff(now: datetime, working: tuple[bool, ...], days: int) -> Cutoff | None:
    """The cut-off of ``days`` business days before ``now`` on the ``working`` days (today
    first); None when they do not reach back far enough."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    # The business time before now, newest first: today until now, then whole working days.
    spans = [
        (midnight - timedelta(days=i), now if i == 0 else midnight - timedelta(days=i - 1))
        for i, is_working in enumerate(working)
        if is_working
    ]
    need, total = timedelta(days=days), timedelta()
    for index, (start, end) in enumerate(spans):
        if total + (end - start) >= need:
            latest = end - (need - total)
            if latest > start:
                return Cutoff(latest, latest)
            # Reached exactly at a working day's start: the days off before it add nothing,
            # so every start back to the end of the working day before has the same age.
            return Cutoff(latest, spans[index + 1][1]) if index + 1 < len(spans) else None
        total += end - start
    return None


def age_cutoffs(now: datetime, days: tuple[int, ...]) -> tuple[list, list[Cutoff]]:
    """The cut-offs of each of ``days`` business days before ``now``, per calendar:
    ``([(countries, [Cutoff...]), ...], [Cutoff...] of every other country)``, so that a
    query can bucket files by age with ``submitted_at`` comparisons (the queue's age
    chart). The same ages as ``business_days_between``, to the microsecond."""
    now = now.astimezone(UTC)
    if _demo():
        return [], [Cutoff(now - d * day_length(), now - d * day_length()) for d in days]
    today = now.date()
    monday_to_friday = tuple((today - timedelta(days=i)).weekday() < 5 for i in range(WINDOW_DAYS))

    def cutoffs(working, country):
        found = [_cutoff(now, working, d) for d in days]
        if None in found:  # few working days in the window: walk the calendar further
            working = _working_days(country, today, 20 * WINDOW_DAYS)
            found = [_cutoff(now, working, d) for d in days]
        return found

    count = max(days) + 2
    default = cutoffs(monday_to_friday, "")
    # Calendars that differ only where no cut-off falls share them: one group each.
    merged = defaultdict(list)
    for working, countries in _calendars_on(today, count).items():
        merged[tuple(cutoffs(working, countries[0]))].extend(countries)
    merged.pop(tuple(default), None)
    return [(countries, list(found)) for found, countries in merged.items()], default


if __name__ == "__main__":  # ``_year_in_a_process``: python -m enrollment.business_days YEAR
    sys.stdout.write(json.dumps(year_calendars(int(sys.argv[1]))))
