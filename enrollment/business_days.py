"""Business days: Monday to Friday. Deadlines of "N business days" skip weekends.

For a demo, ``BUSINESS_DAY_SECONDS`` shortens a business day to that many seconds
(weekends are then ignored), so a newcomer can watch an enrollment move through its
days in minutes. It is 0 (real days) everywhere else.
"""

from datetime import datetime, timedelta

from django.conf import settings


def day_length() -> timedelta:
    """The length of one program day: a real day, or the demo's shortened one."""
    seconds = getattr(settings, "BUSINESS_DAY_SECONDS", 0)
    return timedelta(seconds=seconds) if seconds else timedelta(days=1)


def add_business_days(start: datetime, days: int) -> datetime:
    """The moment ``days`` business days after ``start``, at the same time of day.

    A start on a weekend counts from the following Monday.
    """
    if getattr(settings, "BUSINESS_DAY_SECONDS", 0):
        return start + days * day_length()
    current = start
    while current.weekday() >= 5:
        current += timedelta(days=1)
    added = 0
    while added < days:
        current += timedelta(days=1)
        if current.weekday() < 5:
            added += 1
    return current


def business_days_between(start: datetime, end: datetime) -> float:
    """How many business days lie between two moments (for the queue's age chart)."""
    if end <= start:
        return 0.0
    if getattr(settings, "BUSINESS_DAY_SECONDS", 0):
        return (end - start) / day_length()
    total = timedelta()
    current = start
    while current < end:
        step_end = min(end, (current + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0))
        if current.weekday() < 5:
            total += step_end - current
        current = step_end
    return total / timedelta(days=1)
