"""HTML written in Python for the pages' long lists (issue 12: rows rendered as templates
were most of a list page's time)."""

import html

from django.utils import dateformat, formats, timezone
from django.utils.safestring import SafeString


def escaped(value) -> str:
    """What the templates' autoescape writes for ``value`` (``conditional_escape``): safe
    HTML as it is, anything else escaped; without ``conditional_escape``'s per-call checks
    for lazy strings, which a row of a dozen values paid a dozen times."""
    return value if isinstance(value, SafeString) else html.escape(str(value))


# The format characters that say more than the minute (seconds, microseconds, epoch, ISO
# 8601, RFC 5322): with none of them, the times of one minute read the same.
_FINER_THAN_MINUTES = frozenset("suUcr")


class LocalTimes:
    """Times as ``{{ value|date:"DATETIME_FORMAT" }}`` writes them (unescaped), in the
    reader's language and time zone, for one page: each minute formatted once when the
    format says nothing finer (a timeline's events and a file's checks come in bursts, and
    a formatted time costs a dozen translations)."""

    def __init__(self, format_name: str = "DATETIME_FORMAT"):
        self.format, self.zone = formats.get_format(format_name), timezone.get_current_timezone()
        self.by_minute = not _FINER_THAN_MINUTES.intersection(dateformat.re_formatchars.findall(self.format))
        self.written = {}

    def local(self, value):
        """``value`` in the reader's time zone (``timezone.localtime``)."""
        return timezone.localtime(value, self.zone)

    def __call__(self, value) -> str:
        at = self.local(value)
        # The offset too: the hour repeated when the clocks go back is another time.
        key = (at.replace(second=0, microsecond=0), at.utcoffset()) if self.by_minute else at
        written = self.written.get(key)
        if written is None:
            written = self.written[key] = dateformat.format(at, self.format)
        return written
