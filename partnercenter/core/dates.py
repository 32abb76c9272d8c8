"""Dates of a long list written as the templates' ``date`` filter writes them
(``django.utils.dateformat``), for the lists and timelines written in Python (issue 12: a
page of rows formatted its dates one by one, each looking up its month's name and its
"a.m." in the catalog again).

``DateWriter(format)`` splits the format once; writes each minute once when the format
says nothing finer (a timeline's events and a file's checks come in bursts), and else
each day's date part once and only the time part of each value; in the active language
and the reader's time zone."""

from datetime import datetime

from django.utils import formats, timezone
from django.utils.dateformat import DateFormat, TimeFormat, re_escaped, re_formatchars

# The format characters that say more than the minute (seconds, microseconds, epoch, ISO
# 8601, RFC 5322): with none of them, the times of one minute read the same.
_FINER_THAN_MINUTES = frozenset("suUcr")
# The date's characters that depend on the time of day too (daylight saving time, epoch,
# ISO 8601, RFC 5322): written for each value, as the time's are.
_DATE_AND_TIME = frozenset("IUcr")


class DateWriter:
    """``write(value)`` (or ``writer(value)``) is ``dateformat.format(localtime(value),
    format)``; ``format`` is a format's name (``"DATETIME_FORMAT"``) or the format itself."""

    def __init__(self, format: str = "DATETIME_FORMAT"):
        format = str(formats.get_format(format))  # a name, or the format as it is
        self._pieces = []  # (specifier or None, text): the template filter's own split
        for i, piece in enumerate(re_formatchars.split(format)):
            if i % 2:
                self._pieces.append((piece, ""))
            elif piece:
                self._pieces.append((None, re_escaped.sub(r"\1", piece)))
        specifiers = {s for s, _ in self._pieces if s}
        self._time_specifiers = {s for s in specifiers if hasattr(TimeFormat, s) or s in _DATE_AND_TIME}
        self._by_minute = not (specifiers & _FINER_THAN_MINUTES)
        self._zone = timezone.get_current_timezone()
        self._days: dict = {}
        self._minutes: dict = {}

    def local(self, value: datetime) -> datetime:
        """``value`` in the reader's time zone (``timezone.localtime``)."""
        return timezone.localtime(value, self._zone)

    def write(self, value: datetime) -> str:
        local = value.astimezone(self._zone) if timezone.is_aware(value) else value
        if self._by_minute:
            # The offset too: the hour repeated when the clocks go back is another time.
            key = (local.replace(second=0, microsecond=0, tzinfo=None), local.utcoffset())
            if (written := self._minutes.get(key)) is None:
                written = self._minutes[key] = self._write(local)
            return written
        return self._write(local)

    __call__ = write

    def _write(self, local: datetime) -> str:
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
        by_time = DateFormat(local)
        return "".join(
            part if part is not None else str(getattr(by_time, spec)())
            for part, (spec, _) in zip(parts, self._pieces, strict=True)
        )
