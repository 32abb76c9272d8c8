"""How many events each object's history holds, kept by the database itself (issue 12: a
status page with 10,000 events counted all of them on every request to say "10,000 events
in all" and to number its pages).

A trigger on ``audit_event`` (migration ``0003_event_counts``) adds every statement's new
events to their objects' counts in the same transaction (on PostgreSQL once a statement,
from its transition table, so a sweep's batch of 10,000 events is one upsert per object;
on SQLite once a row), and takes deleted events off. Whoever writes events (the services'
``record``, a sweep's ``bulk_create``, a test's factory) keeps the count true without
knowing about it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from partnercenter.core.triggers import CountTrigger


class EventCount(models.Model):
    """The number of events of one object. Written by the database's trigger only."""

    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    n = models.BigIntegerField()

    class Meta:
        db_table = "audit_eventcount"
        verbose_name = _("audit event count")
        verbose_name_plural = _("audit event counts")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id"], name="one_count_per_object")
        ]

    def __str__(self):
        return f"{self.object_type}:{self.object_id} {self.n}"


POSTGRESQL = """
CREATE OR REPLACE FUNCTION audit_event_count_added() RETURNS trigger AS $$
BEGIN
    INSERT INTO audit_eventcount (object_type, object_id, n)
    SELECT object_type, object_id, COUNT(*) FROM added GROUP BY object_type, object_id
    ON CONFLICT (object_type, object_id) DO UPDATE SET n = audit_eventcount.n + EXCLUDED.n;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION audit_event_count_removed() RETURNS trigger AS $$
BEGIN
    UPDATE audit_eventcount c SET n = c.n - gone.n
    FROM (SELECT object_type, object_id, COUNT(*) AS n FROM removed GROUP BY object_type, object_id) gone
    WHERE c.object_type = gone.object_type AND c.object_id = gone.object_id;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_count_added AFTER INSERT ON audit_event
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION audit_event_count_added();
CREATE TRIGGER audit_event_count_removed AFTER DELETE ON audit_event
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION audit_event_count_removed();
"""
POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS audit_event_count_added ON audit_event;
DROP TRIGGER IF EXISTS audit_event_count_removed ON audit_event;
DROP FUNCTION IF EXISTS audit_event_count_added();
DROP FUNCTION IF EXISTS audit_event_count_removed();
"""
SQLITE = [
    """CREATE TRIGGER audit_event_count_added AFTER INSERT ON audit_event BEGIN
        INSERT OR IGNORE INTO audit_eventcount (object_type, object_id, n) VALUES (NEW.object_type, NEW.object_id, 0);
        UPDATE audit_eventcount SET n = n + 1 WHERE object_type = NEW.object_type AND object_id = NEW.object_id;
    END""",
    """CREATE TRIGGER audit_event_count_removed AFTER DELETE ON audit_event BEGIN
        UPDATE audit_eventcount SET n = n - 1 WHERE object_type = OLD.object_type AND object_id = OLD.object_id;
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_count_added",
    "DROP TRIGGER IF EXISTS audit_event_count_removed",
]
SEED = (
    "INSERT INTO audit_eventcount (object_type, object_id, n)"
    " SELECT object_type, object_id, COUNT(*) FROM audit_event GROUP BY object_type, object_id"
)


TRIGGER = CountTrigger(
    name="audit event counts",
    table="audit_event",
    counts_table="audit_eventcount",
    postgresql=POSTGRESQL,
    postgresql_drop=POSTGRESQL_DROP,
    sqlite=tuple(SQLITE),
    sqlite_drop=tuple(SQLITE_DROP),
    seed=SEED,
    keys=("object_type", "object_id"),
)
# The migration's RunPython.
install, uninstall = TRIGGER.install, TRIGGER.uninstall
