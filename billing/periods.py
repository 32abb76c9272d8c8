"""Billing periods as people name them: a calendar month, ``YYYY-MM`` in the API and the
filters, written for the reader ("February 2026", "2026年2月", "февраль 2026 г.")."""

import re
from datetime import date

from babel.dates import format_skeleton

from partnercenter.core.l10n import babel_locale

PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def parse_period(value: str) -> date | None:
    """The first day of the month ``value`` (``YYYY-MM``) names, or None."""
    match = PERIOD.match(value or "")
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (1 <= month <= 12 and 2000 <= year <= 2999):
        return None
    return date(year, month, 1)


def period_code(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_label(day, language: str | None = None) -> str:
    """The month of ``day`` (a date or ``YYYY-MM``) in the reader's language."""
    if isinstance(day, str):
        day = parse_period(day[:7])
    return format_skeleton("yMMMM", day, locale=babel_locale(language))
