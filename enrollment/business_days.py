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

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.conf import settings


def day_length() -> timedelta:
    """The length of one program day: a real day, or the demo's shortened one."""
    seconds = getattr(settings, "BUSINESS_DAY_SECONDS", 0)
    return timedelta(seconds=seconds) if seconds else timedelta(days=1)


def _demo() -> bool:
    return bool(getattr(settings, "BUSINESS_DAY_SECONDS", 0))


@lru_cache(maxsize=64)
def _calendar(country: str):
    """The country's holidays (filled year by year as days are asked), or None."""
    try:
        return holidays.country_holidays(country)
    except NotImplementedError:
        return None


def is_business_day(day: date, country: str) -> bool:
    """Whether ``day`` is a working day in ``country`` (an ISO 3166-1 alpha-2 code)."""
    calendar = _calendar((country or "").upper()) if country else None
    if calendar is None:
        return day.weekday() < 5
    return calendar.is_working_day(day)


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
