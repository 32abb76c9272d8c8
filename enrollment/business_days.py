"""Business days: Monday to Friday. Deadlines of "N business days" skip weekends."""

from datetime import datetime, timedelta


def add_business_days(start: datetime, days: int) -> datetime:
    """The moment ``days`` business days after ``start``, at the same time of day.

    A start on a weekend counts from the following Monday.
    """
    current = start
    while current.weekday() >= 5:
        current += timedelta(days=1)
    added = 0
    while added < days:
        current += timedelta(days=1)
        if current.weekday() < 5:
            added += 1
    return current
