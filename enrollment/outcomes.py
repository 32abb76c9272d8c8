"""What was decided on an enrollment's checks, as the partner reads it: the result, who
decided it (a reviewer, or the automated checks) and the reviewer's note as they wrote it.

The note comes from the audit trail (the decision's event, people's own words), so it is
the reviewer's whatever the check's ``detail`` says about the evidence."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, CharField, F, Value, When, Window
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import RowNumber

from partnercenter.audit.models import Event

from . import events
from .models import CheckKind, CheckResult, Enrollment

REVIEWER = "reviewer"
AUTOMATED = "automated"

# The decision events' codes (check_passed, check_failed, check_waived, and staff's
# override of a credit check).
_DECISIONS = {kind.code for kind in events.CHECK_DECIDED.values()} | {events.CREDIT_CHECK_OVERRIDDEN.code}
# The events a page reads beyond the latest of the timeline: the checks' decisions, the
# appeals that undo them, and the reviewer's requests for information.
DECISION_KINDS = sorted(_DECISIONS | {events.APPEAL_SUBMITTED.code, events.INFO_REQUESTED.code})
# The events that settle what a check's decision reads: the decisions and the appeals.
_CHECK_KINDS = sorted(_DECISIONS | {events.APPEAL_SUBMITTED.code})


def latest_decision_events(enrollment_ids: list[str]) -> dict[str, list]:
    """Per enrollment id, oldest first, the events ``attach_decisions`` reads: only the
    latest of each check (its decision, or the appeal that undid it) and the latest request
    for information count, so one query reads at most a row per check kind, however long
    the history."""
    decisions = defaultdict(list)
    if not enrollment_ids:
        return decisions
    if len(enrollment_ids) == 1 and connection.features.supports_slicing_ordering_in_compound:
        return _latest_decision_events_of_one(enrollment_ids[0])  # PostgreSQL (not SQLite)
    latest = Window(
        RowNumber(),
        partition_by=[
            F("object_id"),
            Case(
                When(kind=events.INFO_REQUESTED.code, then=Value("")),
                default=KeyTextTransform("check", "data"),
                output_field=CharField(),
            ),
        ],
        order_by=[F("at").desc(), F("id").desc()],
    )
    rows = (
        Event.objects.filter(
            object_type=Enrollment._meta.label_lower, object_id__in=enrollment_ids, kind__in=DECISION_KINDS
        )
        .annotate(latest=latest)
        .filter(latest=1)
        .order_by("at", "id")
    )
    for event in rows:
        decisions[event.object_id].append(event)
    return decisions


def _latest_decision_events_of_one(enrollment_id: str) -> dict[str, list]:
    """``latest_decision_events`` for one enrollment (a detail page): the latest event of
    each check and the latest request for information, each a backward read of an index
    (``audit_event_check``, ``audit_event_object``) that stops at the first row, in one
    query: a few dozen rows however long the history (issue 12: 10,000 were numbered).
    Written as SQL (a lateral read per check): the ORM's union of a query per check took
    25 ms to compile, more than the page's other reads together."""
    table = Event._meta.db_table
    columns = ", ".join(f'"{field.column}"' for field in Event._meta.concrete_fields)
    kinds = ", ".join(["%s"] * len(_CHECK_KINDS))
    checks = ", ".join(["(%s)"] * len(CheckKind.values))
    newest = 'ORDER BY "at" DESC, "id" DESC LIMIT 1'
    mine = '"object_type" = %s AND "object_id" = %s'
    sql = (
        f'SELECT latest.* FROM (VALUES {checks}) AS checks ("check") CROSS JOIN LATERAL'  # noqa: S608 (values are parameters)
        f' (SELECT {columns}, "data" ->> \'check\' AS "check" FROM {table}'
        f' WHERE {mine} AND ("data" ->> \'check\') = checks."check" AND "kind" IN ({kinds}) {newest}) AS latest'
        f' UNION ALL (SELECT {columns}, "data" ->> \'check\' FROM {table} WHERE {mine} AND "kind" = %s {newest})'
    )
    label = Enrollment._meta.label_lower
    params = [
        *CheckKind.values,
        label,
        enrollment_id,
        *_CHECK_KINDS,
        label,
        enrollment_id,
        events.INFO_REQUESTED.code,
    ]
    found = sorted(Event.objects.raw(sql, params), key=lambda event: (event.at, event.id))
    decisions = defaultdict(list)
    decisions[enrollment_id] = found
    return decisions


@dataclass(frozen=True)
class Decision:
    # REVIEWER, AUTOMATED, or None while the check is pending.
    by: str | None
    # The reviewer's note, as written; empty when none was given (or nobody decided).
    note: str = ""


def attach_decisions(enrollment: Enrollment, decision_events) -> Enrollment:
    """Give each check of ``enrollment`` its ``decision``, from its ``DECISION_KINDS``
    events, oldest first (no query when the checks are prefetched)."""
    notes: dict[str, str] = {}
    for event in decision_events:  # oldest first: the last decision of a check holds
        check = (event.data or {}).get("check")
        if event.kind in _DECISIONS:
            notes[check] = event.note
        elif event.kind == events.APPEAL_SUBMITTED.code:
            notes.pop(check, None)  # the check went back to the reviewer
    for check in enrollment.checks.all():
        check.decision = _decision(check, notes.get(check.kind, ""))
    return enrollment


def decision_of(check) -> Decision:
    """The check's attached ``decision``; without a timeline read, who decided (no note)."""
    return getattr(check, "decision", None) or _decision(check, "")


def has_reviewer_note(check) -> bool:
    """The check's decision is a reviewer's, the only one that has a note (from the events)."""
    return check.result != CheckResult.PENDING and check.decided_by_id is not None


def _decision(check, note: str) -> Decision:
    if check.result == CheckResult.PENDING:
        return Decision(by=None)
    if has_reviewer_note(check):
        return Decision(by=REVIEWER, note=note)
    return Decision(by=AUTOMATED)
