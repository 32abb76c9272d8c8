"""Dates of a long list written as the templates' ``date`` filter writes them
(``django.utils.dateformat``), for the lists written in Python (issue 12: a page of rows
formatted its dates one by one, each looking up its month's name in the catalog again).

``DateWriter(format)`` splits the format once, writes each day's date part once, and only
the time part for each value, in the active language and the current time zone."""

from datetime import datetime

from django.utils import formats, timezone
from django.utils.dateformat import DateFormat, TimeFormat, re_escaped, re_formatchars


class DateWriter:
    """``write(value)`` is ``dateformat.format(localtime(value), format)``; ``format`` is
    a format's name (``"DATETIME_FORMAT"``) or the format itself."""

    def __init__(self, format: str = "DATETIME_FORMAT"):
        format = str(formats.get_format(format))  # a name, or the format as it is
        self._pieces = []  # (specifier or None, text); the template filter's own split
        for i, piece in enumerate(re_formatchars.split(format)):
            if i % 2:
                self._pieces.append((piece, ""))
            elif piece:
                self._pieces.append((None, re_escaped.sub(r"\1", piece)))
        self._time_specifiers = {s for s, _ in self._pieces if s and hasattr(TimeFormat, s)}
        self._zone = timezone.get_current_timezone()
        self._days: dict = {}

    def write(self, value: datetime) -> str:
        local = value.astimezone(self._zone) if timezone.is_aware(value) else value
        day = local.date()
        if (parts := self._days.get(day)) is None:
            by_day = DateFormat(local)
            parts = self._days[day] = [
                text
                if spec is None
                else None
                if spec in self._time_specifiers
                else str(getattr(by_day, spec)())
                for spec, text in self._pieces
            ]
        if not self._time_specifiers:
            return "".join(parts)
        by_time = TimeFormat(local)
        return "".join(
            part if part is not None else str(getattr(by_time, spec)())
            for part, (spec, _) in zip(parts, self._pieces, strict=True)
        )
