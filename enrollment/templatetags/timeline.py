"""``{% timeline_items events %}``: the ``<li>`` of each audit event of a timeline (the
status and review pages, a program's staff page, an order, a subscription), written here
and not as a template included once per event (issue 12: fifty included templates with
their date filters were half of the status and review pages' rendering). Every value is
escaped, as the template's autoescape did."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import dateformat, formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from partnercenter.core.markup import escaped

from ..models import EnrollmentStatus

register = template.Library()

# dateformat's format characters finer than a minute: a format without any writes the same
# text for every moment of a minute.
FINER_THAN_A_MINUTE = frozenset("crsuU")

ITEM = '<li><time datetime="{at_iso}">{at}</time> <strong>{label}</strong> <span class="muted">{actor}</span>{states}{sentence}{note}</li>'


@register.simple_tag
def timeline_items(events, states: bool = False) -> SafeString:
    """Each event of ``events``: when, what (its kind's label), who, and what it says (the
    system's sentence in the reader's language, then people's own words as written); with
    ``states``, the move from one status to another."""
    system, write_at = _("Partner Center"), datetime_writer(formats.get_format("DATETIME_FORMAT"))
    labels, kind_labels = dict(EnrollmentStatus.choices), {}
    items = []
    for event in events:
        at = timezone.localtime(event.at)
        if event.kind not in kind_labels:
            kind_labels[event.kind] = escaped(event.label)
        move, sentence, note = "", event.sentence, event.note
        if states and event.from_state and event.to_state and event.from_state != event.to_state:
            before = escaped(labels.get(event.from_state, event.from_state))
            after = escaped(labels.get(event.to_state, event.to_state))
            move = f' <span class="muted">· {before} → {after}</span>'
        items.append(
            ITEM.format(
                at_iso=at.isoformat(),
                at=write_at(at),
                label=kind_labels[event.kind],
                actor=escaped(system if event.actor_label == "system" else event.actor_label),
                states=move,
                sentence=f' <div class="detail">{escaped(sentence)}</div>' if sentence else "",
                note=f' <blockquote class="detail note">{linebreaksbr(note)}</blockquote>' if note else "",
            )
        )
    return mark_safe("".join(items))  # noqa: S308 - every value escaped


def datetime_writer(format_string: str):
    """``dateformat.format(local, format_string)`` escaped, written once a minute when the
    format shows nothing finer (a timeline's events come in bursts: a submission and its
    automated checks, a request and its answer)."""
    if FINER_THAN_A_MINUTE & set(dateformat.re_formatchars.findall(format_string)):
        return lambda local: escaped(dateformat.format(local, format_string))
    written: dict = {}

    def write(local) -> str:
        minute = local.replace(second=0, microsecond=0)
        if minute not in written:
            written[minute] = escaped(dateformat.format(minute, format_string))
        return written[minute]

    return write
