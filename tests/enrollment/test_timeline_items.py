"""``{% timeline_items %}`` writes a timeline's events in Python (issue 12): what each
event says, escaped as the template's autoescape did, in the reader's language and time
zone; the move between statuses only where the page asks for it."""

from datetime import UTC, datetime, timedelta

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


def _as_the_filter_writes(at) -> str:
    return engines["django"].from_string('{{ at|date:"DATETIME_FORMAT" }}').render({"at": at})


def test_each_time_is_what_the_date_filter_writes_though_a_minute_is_formatted_once():
    # Seconds apart, a minute apart, and the hour repeated when the clocks go back (02:30
    # CEST, then 02:30 CET in Berlin): the same minute on the clock, not the same instant.
    times = [
        AT,
        AT + timedelta(seconds=40),
        AT + timedelta(minutes=1),
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    ]
    with translation.override("en"), timezone.override("Europe/Berlin"):
        html = render([event(at=at) for at in times])
        for at in times:
            assert (
                f'<time datetime="{timezone.localtime(at).isoformat()}">{_as_the_filter_writes(at)}</time>'
                in html
            )


def test_each_kind_says_its_own_label_and_windows_line_breaks_are_breaks():
    html = render(
        [
            event(),
            event(kind=events.INFO_REQUESTED.code, note="One\r\ntwo\rthree"),
            event(),
        ]
    )
    assert html.count("<strong>Application submitted</strong>") == 2
    assert html.count("<strong>") == 3
    assert "One<br>two<br>three</blockquote>" in html
