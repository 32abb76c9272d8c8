"""``{% timeline_items events %}``: the ``<li>`` of each audit event of a timeline (the
status and review pages, a program's staff page, an order, a subscription), written here
and not as a template included once per event (issue 12: fifty included templates with
their date filters were half of the status and review pages' rendering). Every value is
escaped, as the template's autoescape did."""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from partnercenter.core.dates import DateWriter
from partnercenter.core.markup import escaped

from ..models import EnrollmentStatus

register = template.Library()

ITEM = '<li><time datetime="{at_iso}">{at}</time> <strong>{label}</strong> <span class="muted">{actor}</span>{states}{sentence}{note}</li>'


@register.simple_tag
def timeline_items(events, states: bool = False) -> SafeString:
    """Each event of ``events``: when, what (its kind's label), who, and what it says (the
    system's sentence in the reader's language, then people's own words as written); with
    ``states``, the move from one status to another. A time is formatted once a minute
    (``DateWriter``) and a label once a kind (a timeline's events come in bursts)."""
    system, times, labels = _("Partner Center"), DateWriter(), dict(EnrollmentStatus.choices)
    written_label = {}
    items = []
    for event in events:
        at = times.local(event.at)
        label = written_label.get(event.kind)
        if label is None:
            label = written_label[event.kind] = escaped(event.label)
        move, sentence, note = "", event.sentence, event.note
        if states and event.from_state and event.to_state and event.from_state != event.to_state:
            before = escaped(labels.get(event.from_state, event.from_state))
            after = escaped(labels.get(event.to_state, event.to_state))
            move = f' <span class="muted">· {before} → {after}</span>'
        items.append(
            ITEM.format(
                at_iso=at.isoformat(),
                at=escaped(times(at)),
                label=label,
                actor=escaped(system if event.actor_label == "system" else event.actor_label),
                states=move,
                sentence=f' <div class="detail">{escaped(sentence)}</div>' if sentence else "",
                note=f' <blockquote class="detail note">{_lines(note)}</blockquote>' if note else "",
            )
        )
    return mark_safe("".join(items))  # noqa: S308 - every value escaped


def _lines(text: str) -> str:
    """What ``linebreaksbr`` writes (escaped, each line break a ``<br>``), without the
    filter's wrappers and regular expression."""
    return escaped(text).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")
