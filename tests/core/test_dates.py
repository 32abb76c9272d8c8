"""``DateWriter`` writes what the templates' ``date`` filter writes (``dateformat.format``
of the local time), in every language, time zone and format the lists use."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import dateformat, formats, timezone, translation

from partnercenter.core.dates import DateWriter

# Midnight, noon, mornings and afternoons, across a month's end and a DST change in Europe.
VALUES = [datetime(2026, 3, 28, 0, 0, tzinfo=UTC) + timedelta(minutes=97 * i) for i in range(60)]
FORMATS = [
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    r"D, jS \o\f F Y H:i:s O e",
]


def test_it_writes_what_the_date_filter_writes():
    for language, _name in settings.LANGUAGES:
        for zone in (UTC, ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Taipei")):
            with translation.override(language), timezone.override(zone):
                for format in FORMATS:
                    writer = DateWriter(format)
                    expected = [
                        dateformat.format(timezone.localtime(v), formats.get_format(format)) for v in VALUES
                    ]
                    assert [writer.write(v) for v in VALUES] == expected, (language, zone, format)


def test_each_day_is_written_once():
    writer = DateWriter("DATETIME_FORMAT")
    for value in VALUES:
        writer.write(value)
    assert len(writer._days) == len({timezone.localtime(v).date() for v in VALUES}) < len(VALUES)
