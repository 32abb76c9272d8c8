"""``DateWriter`` writes what the templates' ``date`` filter writes (``dateformat.format``
of the local time), in every language, time zone and format the lists use."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import engines
from django.utils import dateformat, formats, timezone, translation

from partnercenter.core import dates
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


def _as_the_filter_writes(at) -> str:
    return (
        engines["django"]
        .from_string('{% autoescape off %}{{ at|date:"DATETIME_FORMAT" }}{% endautoescape %}')
        .render({"at": at})
    )


AT = datetime(2026, 3, 4, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize("language", ["en", "ru", "zh-hans"])
def test_times_are_what_the_date_filter_writes_though_a_minute_is_formatted_once(language):
    # Seconds apart, a minute apart, a day apart, and the hour repeated when the clocks go
    # back (02:30 CEST, then 02:30 CET in Berlin): the same minute on the clock, not the
    # same instant.
    times = [
        AT,
        AT + timedelta(seconds=40),
        AT + timedelta(minutes=1),
        AT + timedelta(days=1),
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    ]
    with translation.override(language), timezone.override("Europe/Berlin"):
        write = DateWriter()
        assert [write(at) for at in times] == [_as_the_filter_writes(at) for at in times]
        assert len(write._minutes) == len(times) - 1


def test_a_format_with_seconds_is_formatted_for_each_time(monkeypatch):
    monkeypatch.setattr(dates.formats, "get_format", lambda name: r"Y-m-d H:i:s \a\t")
    write = DateWriter()
    assert (
        write(AT) == "2026-03-04 15:30:00 at"
        and write(AT + timedelta(seconds=40)) == "2026-03-04 15:30:40 at"
    )
    monkeypatch.setattr(dates.formats, "get_format", lambda name: r"Y-m-d H:i \s")
    assert DateWriter()._by_minute is True


def test_every_moment_of_a_minute_across_a_summer_time_change():
    # Berlin moves its clocks at 01:00 UTC; moments 13 s apart, in every language, with
    # formats that show the minute (written once a minute) and finer (written each time).
    start = datetime(2026, 3, 29, 0, 0, 7, 1234, tzinfo=UTC)
    moments = [start + timedelta(seconds=13 * n) for n in range(600)]
    for language in ("en", "ru", "zh-hans", "zh-hant"):
        with translation.override(language), timezone.override(ZoneInfo("Europe/Berlin")):
            for format in ("DATETIME_FORMAT", "N j, Y, P T", "H:i:s", r"j \s c"):
                write, expected = DateWriter(format), formats.get_format(format)
                for moment in moments:
                    assert write(moment) == dateformat.format(timezone.localtime(moment), expected), (
                        language,
                        format,
                    )
