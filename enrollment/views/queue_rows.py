"""The review queue's rows as HTML, written here and not in the template (issue 12: fifty
rows of a dozen template variables each were most of the page's time). Every value is
escaped as the template's autoescape did (``partnercenter.core.markup.escaped``); the
words are translated once for the page."""

from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from partnercenter.core import l10n
from partnercenter.core.countries import country_choices
from partnercenter.core.dates import DateWriter
from partnercenter.core.markup import address_of_each, escaped

from ..models import EnrollmentStatus, Program

ROW = (
    '<tr class="{overdue_class}">'
    '<td><a href="{url}">{name}</a><br><small class="muted">{mpn_label} {mpn}</small></td>'
    "<td>{country}</td><td>{program}</td>"
    '<td data-label="{credit_label}">{credit}</td>'
    '<td><span class="badge status-{status}">{status_label}</span></td>'
    '<td data-label="{submitted_label}"><time datetime="{submitted_iso}">{submitted_on}</time></td>'
    '<td data-label="{due_label}">{due}{overdue_flag}</td>'
    '<td data-label="{assignee_label}">{assignee}</td>'
    "</tr>"
)
NONE = mark_safe('<span class="muted">–</span>')  # noqa: S308 (a constant)


def queue_rows_html(rows, user) -> SafeString:
    """The ``<tr>`` of each enrollment of a queue page (``selectors.review_queue``'s rows),
    as seen by ``user`` (its own files say "You")."""
    now, countries = timezone.now(), dict(country_choices())
    programs = {value: str(label) for value, label in Program.choices}
    statuses = {value: str(label) for value, label in EnrollmentStatus.choices}
    dates, times = DateWriter("DATE_FORMAT"), DateWriter("DATETIME_FORMAT")
    address = address_of_each("enrollment:review-detail")
    words = {
        "mpn_label": _("MPN ID"),
        "credit_label": _("Credit line"),
        "submitted_label": _("Submitted"),
        "due_label": _("Decision due"),
        "assignee_label": _("Assignee"),
    }
    not_decided = format_html('<span class="muted">{}</span>', _("Not decided"))
    unassigned = format_html('<span class="muted">{}</span>', _("Unassigned"))
    overdue_flag = format_html(' <span class="badge overdue-flag">{}</span>', _("Overdue"))
    you = _("You")

    def row(e) -> dict:
        submitted = timezone.localtime(e.submitted_at)
        overdue = e.is_overdue_at(now)
        if e.due_at:
            due = timezone.localtime(e.due_at)
            due_html = format_html('<time datetime="{}">{}</time>', due.isoformat(), times.write(due))
        else:
            due_html = NONE
        if not e.is_direct_bill:
            credit = NONE
        elif (line := e.credit_line) is not None:
            credit = l10n.format_money(*line)
        else:
            credit = not_decided
        if e.assignee_id is None:
            assignee = unassigned
        else:
            assignee = you if e.assignee_id == user.pk else e.assignee.get_full_name()
        return {
            **words,
            "overdue_class": "overdue" if overdue else "",
            "url": address(e.pk),
            "name": e.partner.legal_name,
            "mpn": e.partner.mpn_id,
            "country": countries.get(e.partner.country.code) or e.partner.country.name,
            "program": programs.get(e.program, e.program),
            "credit": credit,
            "status": e.status,
            "status_label": statuses.get(e.status, e.status),
            "submitted_iso": submitted.isoformat(),
            "submitted_on": dates.write(submitted),
            "due": due_html,
            "overdue_flag": overdue_flag if overdue else "",
            "assignee": assignee,
        }

    return mark_safe(  # noqa: S308 - every value escaped
        "".join(ROW.format_map({key: escaped(value) for key, value in row(e).items()}) for e in rows)
    )
