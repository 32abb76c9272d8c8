"""``{% timeline_items %}`` writes a timeline's events in Python (issue 12): what each
event says, escaped as the template's autoescape did, in the reader's language and time
zone; the move between statuses only where the page asks for it."""

from datetime import UTC, datetime

from django.template import engines
from django.utils import timezone, translation

from enrollment import events
from partnercenter.audit.models import Event

AT = datetime(2026, 3, 4, 15, 30, tzinfo=UTC)


def render(items, **context) -> str:
    template = engines["django"].from_string("{% load timeline %}{% timeline_items items states=states %}")
    return template.render({"items": items, "states": False, **context})


def event(**fields) -> Event:
    given = {"at": AT, "kind": events.SUBMITTED.code, "actor_label": "system", "data": {"email": "a@b.test"}}
    return Event(**{**given, **fields})


def test_an_event_says_when_what_who_and_its_sentence():
    with translation.override("en"), timezone.override("Europe/Berlin"):
        html = render([event()])
        # What the template's filters wrote: {{ at|date:"c" }}, {{ at|date:"DATETIME_FORMAT" }}.
        written = engines["django"].from_string('{{ at|date:"c" }}|{{ at|date:"DATETIME_FORMAT" }}')
        written = written.render({"at": AT}).split("|")
    assert written[0] == "2026-03-04T16:30:00+01:00" and "March 4, 2026" in written[1]
    assert html.startswith(f'<li><time datetime="{written[0]}">{written[1]}</time>')
    assert "<strong>Application submitted</strong>" in html
    assert '<span class="muted">Partner Center</span>' in html
    assert '<div class="detail">We emailed a confirmation link to a@b.test.</div>' in html
    assert html.endswith("</li>") and html.count("<li>") == 1


def test_peoples_words_are_escaped_and_keep_their_lines():
    html = render(
        [event(actor_label="<b>Eve</b>", kind=events.INFO_REQUESTED.code, note="Send <a>\nthe IBAN")]
    )
    assert '<span class="muted">&lt;b&gt;Eve&lt;/b&gt;</span>' in html
    assert '<blockquote class="detail note">Send &lt;a&gt;<br>the IBAN</blockquote>' in html
    assert "<b>" not in html and "<a>" not in html


def test_the_move_between_statuses_only_where_the_page_asks():
    moved = event(from_state="in_review", to_state="approved")
    assert "→" not in render([moved])
    assert '<span class="muted">· In review → Approved</span>' in render([moved], states=True)
    assert "→" not in render([event(from_state="in_review", to_state="in_review")], states=True)


def test_in_the_readers_language():
    with translation.override("zh-hans"):
        html = render([event()])
    assert "Application submitted" not in html and "Partner Center" not in html
    assert render([]) == ""


def test_a_minute_is_written_once_as_dateformat_writes_each_moment():
    """``datetime_writer`` writes a format without seconds once a minute: the same text as
    ``dateformat.format`` for every moment of it, in each language and across a change of
    summer time; a format with seconds is written for each moment."""
    from datetime import timedelta

    from django.utils import dateformat, formats

    from enrollment.templatetags.timeline import datetime_writer

    start = datetime(2026, 3, 29, 0, 0, 7, 1234, tzinfo=UTC)  # Berlin moves its clocks at 01:00 UTC
    moments = [start + timedelta(seconds=13 * n) for n in range(600)]
    for language in ("en", "ru", "zh-hans", "zh-hant"):
        with translation.override(language), timezone.override("Europe/Berlin"):
            for format_string in (formats.get_format("DATETIME_FORMAT"), "N j, Y, P T", "H:i:s", r"j \s c"):
                write = datetime_writer(format_string)
                for moment in moments:
                    local = timezone.localtime(moment)
                    assert write(local) == dateformat.format(local, format_string), (language, format_string)
    assert datetime_writer("<H:i>")(start) == "&lt;00:00&gt;"  # escaped, as the template wrote it
