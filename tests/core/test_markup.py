"""``markup.escaped`` writes what the templates' autoescape writes (``conditional_escape``),
``markup.LocalTimes`` what the ``date`` filter writes."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template import engines
from django.utils import timezone, translation
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext_lazy

from partnercenter.core import markup
from partnercenter.core.markup import LocalTimes, escaped


def test_it_writes_what_autoescape_writes():
    for value in [
        '<b>"Eve" & O\'Neil</b>',
        42,
        None,
        gettext_lazy("Partner Center"),
        format_html("<i>{}</i>", "<"),
    ]:
        assert escaped(value) == conditional_escape(value)
    assert escaped(format_html("<i>{}</i>", "<")) == "<i>&lt;</i>"  # safe HTML stays as it is
    assert escaped("<a>") == "&lt;a&gt;"


def _as_the_filter_writes(at) -> str:
    return (
        engines["django"]
        .from_string('{% autoescape off %}{{ at|date:"DATETIME_FORMAT" }}{% endautoescape %}')
        .render({"at": at})
    )


AT = datetime(2026, 3, 4, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize("language", ["en", "ru", "zh-hans"])
def test_local_times_are_what_the_date_filter_writes_though_a_minute_is_formatted_once(language):
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
        write = LocalTimes()
        assert [write(at) for at in times] == [_as_the_filter_writes(at) for at in times]
        assert len(write.written) == len(times) - 1


def test_a_format_with_seconds_is_formatted_for_each_time(monkeypatch):
    monkeypatch.setattr(markup.formats, "get_format", lambda name: r"Y-m-d H:i:s \a\t")
    write = LocalTimes()
    assert (
        write(AT) == "2026-03-04 15:30:00 at"
        and write(AT + timedelta(seconds=40)) == "2026-03-04 15:30:40 at"
    )
    monkeypatch.setattr(markup.formats, "get_format", lambda name: r"Y-m-d H:i \s")
    assert LocalTimes().by_minute is True
