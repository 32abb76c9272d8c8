"""How many enrollments are in each status, kept by the database itself (issue 12: the
queue's tabs and its paginator counted 100,000 enrollments on every request).

The one home of the count is a trigger on ``enrollment_enrollment`` (migration
``0015_status_counts``): every statement that inserts, deletes or changes the status of
enrollments appends, in the same transaction, one row per status it touched with the
change (``+3``, ``-1``). So whoever moves a status (the services through
``services.common.move``, the sweeps' batch UPDATE, the admin, a cascade, a COPY, a test's
factory) keeps the count true without knowing about it, and a rolled-back move rolls its
rows back too. Writers only ever insert: two moves at once never wait for each other on a
counter row.

A status's count is the sum of its rows; ``compact`` (every sweep) folds them into one row
a status, so reading stays a few dozen rows whatever the table's size.
"""

from django.db import connection, models, transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from partnercenter.core.triggers import CountTrigger


class StatusCount(models.Model):
    """A change of the number of enrollments in ``status`` (the sum of a status's rows is
    its count). Written by the database's trigger only."""

    status = models.CharField(max_length=30)
    n = models.BigIntegerField()

    class Meta:
        db_table = "enrollment_statuscount"
        verbose_name = _("enrollment status count")
        verbose_name_plural = _("enrollment status counts")
        default_permissions = ()

    def __str__(self):
        return f"{self.status} {self.n:+}"


def status_counts() -> dict[str, int]:
    """The count of each status that has enrollments (one query on a few dozen rows)."""
    rows = StatusCount.objects.order_by().values("status").annotate(total=Sum("n"))
    return {row["status"]: row["total"] for row in rows if row["total"]}


def compact() -> None:
    """Fold each status's rows into one. Exact while moves go on: PostgreSQL deletes and
    sums the same rows in one statement; SQLite does it in one write transaction."""
    table = StatusCount._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH gone AS (DELETE FROM {table} RETURNING status, n)"  # noqa: S608 - our table
                f" INSERT INTO {table} (status, n) SELECT status, SUM(n) FROM gone GROUP BY status"
                " HAVING SUM(n) <> 0"
            )
        return
    with transaction.atomic():
        totals = status_counts()
        StatusCount.objects.all().delete()
        StatusCount.objects.bulk_create([StatusCount(status=s, n=n) for s, n in totals.items()])


# The trigger, per database (the migration installs the one of the database it runs on).
POSTGRESQL = """
CREATE FUNCTION enrollment_status_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM enrollment_statuscount;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO enrollment_statuscount (status, n)
        SELECT status, COUNT(*) FROM new_rows GROUP BY status;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO enrollment_statuscount (status, n)
        SELECT status, -COUNT(*) FROM old_rows GROUP BY status;
    ELSE
        INSERT INTO enrollment_statuscount (status, n)
        SELECT status, SUM(n) FROM (
            SELECT status, 1 AS n FROM new_rows UNION ALL SELECT status, -1 FROM old_rows
        ) AS moves GROUP BY status HAVING SUM(n) <> 0;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER enrollment_status_count_insert AFTER INSERT ON enrollment_enrollment
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION enrollment_status_count();
CREATE TRIGGER enrollment_status_count_update AFTER UPDATE ON enrollment_enrollment
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION enrollment_status_count();
CREATE TRIGGER enrollment_status_count_delete AFTER DELETE ON enrollment_enrollment
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION enrollment_status_count();
CREATE TRIGGER enrollment_status_count_truncate AFTER TRUNCATE ON enrollment_enrollment
    FOR EACH STATEMENT EXECUTE FUNCTION enrollment_status_count();
"""
POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS enrollment_status_count_insert ON enrollment_enrollment;
DROP TRIGGER IF EXISTS enrollment_status_count_update ON enrollment_enrollment;
DROP TRIGGER IF EXISTS enrollment_status_count_delete ON enrollment_enrollment;
DROP TRIGGER IF EXISTS enrollment_status_count_truncate ON enrollment_enrollment;
DROP FUNCTION IF EXISTS enrollment_status_count();
"""
SQLITE = [
    """CREATE TRIGGER enrollment_status_count_insert AFTER INSERT ON enrollment_enrollment
    BEGIN INSERT INTO enrollment_statuscount (status, n) VALUES (NEW.status, 1); END""",
    """CREATE TRIGGER enrollment_status_count_update AFTER UPDATE OF status ON enrollment_enrollment
    WHEN OLD.status IS NOT NEW.status
    BEGIN
        INSERT INTO enrollment_statuscount (status, n) VALUES (OLD.status, -1), (NEW.status, 1);
    END""",
    """CREATE TRIGGER enrollment_status_count_delete AFTER DELETE ON enrollment_enrollment
    BEGIN INSERT INTO enrollment_statuscount (status, n) VALUES (OLD.status, -1); END""",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS enrollment_status_count_{kind}" for kind in ("insert", "update", "delete")
]
# The rows there were before the trigger: one a status. The table is locked first so that
# no move slips between the count and the trigger.
SEED = (
    "INSERT INTO enrollment_statuscount (status, n)"
    " SELECT status, COUNT(*) FROM enrollment_enrollment GROUP BY status"
)


TRIGGER = CountTrigger(
    name="enrollment status counts",
    table="enrollment_enrollment",
    counts_table="enrollment_statuscount",
    postgresql=POSTGRESQL,
    postgresql_drop=POSTGRESQL_DROP,
    sqlite=tuple(SQLITE),
    sqlite_drop=tuple(SQLITE_DROP),
    seed=SEED,
)
# The migration's RunPython.
install, uninstall = TRIGGER.install, TRIGGER.uninstall
