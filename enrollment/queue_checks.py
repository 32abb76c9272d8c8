"""A queue page's checks, read as plain rows: the queue API shows each row's checks but not
their evidence (issue 12: a page's 300 checks as model instances with a deferred field took
3.7 ms to read, as plain rows 2.0 ms; the queue API went from 10.7 to 9.5 ms in-process)."""

from dataclasses import dataclass
from datetime import datetime

from .models import VerificationCheck


@dataclass(frozen=True, slots=True)
class QueueCheck:
    """``VerificationCheck``'s fields that a queue row shows, without a model instance."""

    enrollment_id: object
    kind: str
    result: str
    detail_code: str
    detail_params: dict
    detail_text: str
    checked_at: datetime | None
    decided_by_id: object

    # What the check says, in the reader's language: the model's own property, not a twin.
    detail = VerificationCheck.detail


FIELDS = tuple(QueueCheck.__dataclass_fields__)


def attach_queue_checks(rows: list) -> list:
    """Each row of a queue page with its checks (``QueueCheck``, in the model's order) as
    ``queue_checks``, in one query: a plain read, not ``prefetch_related``, whose queryset
    built for each row cost more than the query (issue 12)."""
    by_enrollment: dict = {row.pk: [] for row in rows}
    for values in VerificationCheck.objects.filter(enrollment__in=list(by_enrollment)).values_list(*FIELDS):
        check = QueueCheck(*values)
        by_enrollment[check.enrollment_id].append(check)
    for row in rows:
        row.queue_checks = by_enrollment[row.pk]
    return rows
