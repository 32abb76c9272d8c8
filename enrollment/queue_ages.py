"""The review queue's age chart: the undecided enrollments by business days since
submission, counted in one query at any size (issue 12)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import connection
from django.utils.translation import gettext as _

from .business_days import age_cutoffs
from .models import UNDECIDED_STATUSES, Enrollment, Partner
from .status_counts import StatusCount


@dataclass(frozen=True)
class AgeBucket:
    label: str
    count: int
    # Of the largest bucket, for the width of the chart's bar.
    percent: int


# The chart's bars: under 1 business day, 1 to under 3, 3 to 5, more than 5; so a file
# is younger than the latest start aged 1 or 3, and no older than the earliest aged 5.
AGE_CUTOFFS = (1, 3, 5)


def _ends(cutoffs) -> list[datetime]:
    one, three, five = cutoffs
    return [one.latest, three.latest, five.earliest]


CACHE_KEY = "enrollment:queue-age-counts:2"  # (counts, when counted)


def queue_age_chart(now: datetime, *, reuse_for: int = 0) -> tuple[list[AgeBucket], datetime]:
    """The chart's bars (``_counts``) and until when they stand. With ``reuse_for``
    (seconds), counts made that recently are reused from the cache: the queue page counts
    once a minute, not on every request (issue 12: the count was most of the page's time).
    The cache fails open: while Redis is down the page counts every time."""
    kept = cache.get(CACHE_KEY) if reuse_for else None
    if kept is None:
        kept = (_counts(now), now)
        if reuse_for:
            cache.set(CACHE_KEY, kept, reuse_for)
    counts, counted_at = kept
    labels = [
        _("0–1 business days"),
        _("1–3 business days"),
        _("3–5 business days"),
        _("More than 5 business days"),
    ]
    largest = max(counts) or 1
    bars = [
        AgeBucket(label=label, count=count, percent=round(100 * count / largest))
        for label, count in zip(labels, counts, strict=True)
    ]
    return bars, counted_at + timedelta(seconds=reuse_for)


def queue_age_buckets(now: datetime, *, reuse_for: int = 0) -> list[AgeBucket]:
    """The chart's bars (``queue_age_chart``)."""
    return queue_age_chart(now, reuse_for=reuse_for)[0]


def _counts(now: datetime) -> list[int]:
    """The undecided enrollments (``UNDECIDED_STATUSES``) by business days since submission:
    under 1, 1 to under 3, 3 to 5, more than 5. The partner's days off (weekends, public
    holidays of its country) do not age a file. One query that counts in SQL: the ages of
    ``business_days_between``, as cut-offs per country computed in Python
    (``business_days.age_cutoffs``), joined on the country and compared with ``submitted_at``."""
    groups, default = age_cutoffs(now, AGE_CUTOFFS)
    # A file older than every country's cut-off aged 5 is in the last bar wherever it is:
    # only the younger ones are read (index on status and submission); the older are the
    # undecided count the database keeps (``status_counts``) less those. And only a file
    # between two countries' cut-offs needs its partner's country: the others are in the
    # same bar in every country (the default calendar's).
    ends = [_ends(default), *(_ends(found) for _countries, found in groups)]
    between = [(min(column), max(column)) for column in zip(*ends, strict=True)]
    # Written as SQL: the ORM has no VALUES list to join (and spent 20 ms compiling a CASE
    # per country); a hash join on a few dozen countries costs next to nothing per row.
    calendars = [(country, *_ends(found)) for countries, found in groups for country in countries]
    values = ", ".join(["(%s, %s::timestamptz, %s::timestamptz, %s::timestamptz)"] * len(calendars))
    undecided = ", ".join(["%s"] * len(UNDECIDED_STATUSES))
    ambiguous = " OR ".join(["e.submitted_at BETWEEN %s AND %s"] * len(between))
    files = (
        f"SELECT e.submitted_at, CASE WHEN {ambiguous} THEN"  # noqa: S608 (values are parameters)
        f" (SELECT p.country FROM {Partner._meta.db_table} p WHERE p.id = e.partner_id) END"
        f" FROM {Enrollment._meta.db_table} e WHERE e.status IN ({undecided}) AND e.submitted_at >= %s"
    )
    sql = (
        "SELECT CASE WHEN submitted_at > COALESCE(one, %s) THEN 0 WHEN submitted_at > COALESCE(three, %s)"  # noqa: S608 (values are parameters)
        " THEN 1 WHEN submitted_at >= COALESCE(five, %s) THEN 2 ELSE 3 END, COUNT(*)"
        f" FROM ({files}) AS files (submitted_at, country) LEFT JOIN"
        f" (VALUES {values or '(NULL, NULL::timestamptz, NULL::timestamptz, NULL::timestamptz)'})"
        " AS calendars (calendar, one, three, five) ON calendar = country GROUP BY 1"
        f" UNION ALL SELECT -1, COALESCE(SUM(n), 0) FROM {StatusCount._meta.db_table} WHERE status IN ({undecided})"
    )
    statuses = sorted(UNDECIDED_STATUSES)
    params = [
        *_ends(default),
        *(end for pair in between for end in pair),
        *statuses,
        between[2][0],  # the oldest cut-off aged 5
        *(v for row in calendars for v in row),
        *statuses,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = {int(bucket): int(count) for bucket, count in cursor.fetchall()}
    older = found.pop(-1) - sum(found.values())
    found[3] = found.get(3, 0) + max(older, 0)
    return [found.get(index, 0) for index in range(4)]
