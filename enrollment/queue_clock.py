"""When the review queue's pages change as time passes, whatever the writes (issue 12: a
kept page, ``core.generations``, is given back until then): a file falls overdue."""

from datetime import datetime

from django.db.models import Min

from partnercenter.core.generations import earliest

from .models import Enrollment
from .states import overdue_later_q


def next_overdue_at(now: datetime) -> datetime | None:
    """When the next enrollment of the queue falls overdue (``overdue_later_q``; one row of
    the overdue files' index)."""
    return Enrollment.objects.filter(overdue_later_q(now)).aggregate(at=Min("due_at"))["at"]


def queue_page_valid_until(
    now: datetime, rows, *, overdue=None, capped=False, by_due=True
) -> datetime | None:
    """Until when a page of the queue (``rows``) reads the same as time passes: until one of
    its rows falls overdue. Which files a list holds depends on the time only through its
    ``overdue`` filter; an overdue list counted beyond its cap, oldest due first (``by_due``),
    gains each file falling overdue after the pages it offers; any other overdue list
    changes when the queue's next file falls overdue (read for every overdue list, so that
    a page makes as many queries at any size)."""
    moments = [row.overdue_from(now) for row in rows]
    if overdue is not None:
        later = next_overdue_at(now)
        moments.append(None if overdue is True and capped and by_due else later)
    return earliest(*moments)
