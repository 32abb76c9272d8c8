# ruff: noqa: S608 - the SQL here is built from the callers' own constants (table and column names)
"""What the database keeps itself with triggers: counts (enrollment's status counts, the
audit trail's event counts, relationships' counts) and copies of a column of another table
(the names on relationships, the partner's country on enrollments), so that a list is
filtered and ordered from one index of its own table. How a migration installs and removes
them, once."""

from collections.abc import Iterable
from dataclasses import dataclass

from . import generations


def _execute(schema_editor, name: str, *, postgresql: Iterable[str], sqlite: Iterable[str]) -> None:
    """The statements of the database the migration runs on: each trigger is written for
    PostgreSQL (production, the suite) and SQLite (a fresh ``make run``), nothing else."""
    statements = {"postgresql": postgresql, "sqlite": sqlite}.get(schema_editor.connection.vendor)
    if statements is None:
        raise NotImplementedError(f"{name}: a trigger for PostgreSQL or SQLite only")
    for statement in statements:
        schema_editor.execute(statement)


@dataclass(frozen=True)
class CountTrigger:
    """The triggers on ``table`` that keep ``counts_table``: PostgreSQL's and SQLite's SQL,
    how to drop them, and ``seed`` (the counts of the rows there were before them)."""

    name: str
    table: str
    counts_table: str
    postgresql: str
    postgresql_drop: str
    sqlite: tuple[str, ...]
    sqlite_drop: tuple[str, ...]
    seed: str

    # Columns the counts share with the table (a count's object): an insert's rows name
    # the counts they change (``generations.implies``).
    keys: tuple[str, ...] = ()

    def __post_init__(self):
        generations.implies(self.table, self.counts_table, keys=self.keys)

    def install(self, apps, schema_editor) -> None:
        """A migration's ``RunPython``: the table is locked first on PostgreSQL, so that no
        write slips between the seed's count and the trigger."""
        locked = f"LOCK TABLE {self.table} IN SHARE ROW EXCLUSIVE MODE"
        _execute(schema_editor, self.name, postgresql=(locked, self.postgresql), sqlite=self.sqlite)
        schema_editor.execute(f"DELETE FROM {self.counts_table}")
        schema_editor.execute(self.seed)

    def uninstall(self, apps, schema_editor) -> None:
        _execute(schema_editor, self.name, postgresql=(self.postgresql_drop,), sqlite=self.sqlite_drop)


@dataclass(frozen=True)
class CopiedColumn:
    """``table.column`` holds ``source.source_column`` of the row ``table.key`` points to.

    A trigger sets the copy on every insert or update of a row of ``table`` from the source
    row, whatever the writer sent (a full save of a stale object, a queryset update, a bulk
    insert, a COPY, a row moved to another source row); another follows a change of the
    source's column. The model's field is ``editable=False`` with a default the trigger
    overwrites: an object just saved holds the default until it is read again."""

    table: str
    column: str
    key: str
    source: str
    source_column: str

    def __post_init__(self):
        # Its trigger writes the table when the source's column changes, never on an insert.
        generations.implies(self.source, self.table, on_insert=False)

    @property
    def _name(self) -> str:
        return f"{self.table}_{self.column}"

    @property
    def _lookup(self) -> str:
        return f"SELECT {self.source_column} FROM {self.source} WHERE id = NEW.{self.key}"

    def _postgresql(self) -> str:
        name = self._name
        return f"""
CREATE FUNCTION {name}_set() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.{self.column} := COALESCE(({self._lookup}), '');
    RETURN NEW;
END
$$;
CREATE TRIGGER {name}_set BEFORE INSERT OR UPDATE ON {self.table}
    FOR EACH ROW EXECUTE FUNCTION {name}_set();
CREATE FUNCTION {name}_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {self.table} SET {self.column} = NEW.{self.source_column} WHERE {self.key} = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER {name}_follow AFTER UPDATE OF {self.source_column} ON {self.source}
    FOR EACH ROW WHEN (OLD.{self.source_column} IS DISTINCT FROM NEW.{self.source_column})
    EXECUTE FUNCTION {name}_follow();
"""

    def _postgresql_drop(self) -> str:
        name = self._name
        return (
            f"DROP TRIGGER IF EXISTS {name}_set ON {self.table};"
            f"DROP TRIGGER IF EXISTS {name}_follow ON {self.source};"
            f"DROP FUNCTION IF EXISTS {name}_set(); DROP FUNCTION IF EXISTS {name}_follow();"
        )

    def _sqlite(self) -> list[str]:
        # SQLite's triggers cannot change NEW: the row is corrected after its write.
        name, lookup = self._name, self._lookup
        fix = f"UPDATE {self.table} SET {self.column} = COALESCE(({lookup}), '') WHERE id = NEW.id;"
        return [
            f"CREATE TRIGGER {name}_insert AFTER INSERT ON {self.table} BEGIN {fix} END",
            f"CREATE TRIGGER {name}_update AFTER UPDATE ON {self.table}"
            f" WHEN NEW.{self.column} IS NOT COALESCE(({lookup}), '') BEGIN {fix} END",
            f"CREATE TRIGGER {name}_follow AFTER UPDATE OF {self.source_column} ON {self.source}"
            f" WHEN OLD.{self.source_column} IS NOT NEW.{self.source_column} BEGIN"
            f" UPDATE {self.table} SET {self.column} = NEW.{self.source_column} WHERE {self.key} = NEW.id; END",
        ]

    def install(self, apps, schema_editor) -> None:
        """A migration's ``RunPython``: the copies of the rows there are (one UPDATE joined
        to the source), then the triggers. The fill goes first so that the copy's own
        trigger does not look the source up again for every row; on PostgreSQL both tables
        are locked before it, so that no write slips between the fill and the triggers."""
        fill = (
            f"UPDATE {self.table} SET {self.column} = {self.source}.{self.source_column}"
            f" FROM {self.source} WHERE {self.source}.id = {self.table}.{self.key}"
        )
        locked = f"LOCK TABLE {self.table}, {self.source} IN SHARE ROW EXCLUSIVE MODE"
        _execute(
            schema_editor,
            self._name,
            postgresql=(locked, fill, self._postgresql()),
            sqlite=(fill, *self._sqlite()),
        )

    def uninstall(self, apps, schema_editor) -> None:
        drop = [f"DROP TRIGGER IF EXISTS {self._name}_{suffix}" for suffix in ("insert", "update", "follow")]
        _execute(schema_editor, self._name, postgresql=(self._postgresql_drop(),), sqlite=drop)
