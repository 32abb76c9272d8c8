"""Counts the database keeps itself with triggers (enrollment's status counts, the audit
trail's event counts): how a migration installs and removes them, once."""

from dataclasses import dataclass


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

    def install(self, apps, schema_editor) -> None:
        """A migration's ``RunPython``: the table is locked first on PostgreSQL, so that no
        write slips between the seed's count and the trigger."""
        execute = schema_editor.execute
        if schema_editor.connection.vendor == "postgresql":
            execute(f"LOCK TABLE {self.table} IN SHARE ROW EXCLUSIVE MODE")
            execute(self.postgresql)
        elif schema_editor.connection.vendor == "sqlite":
            for statement in self.sqlite:
                execute(statement)
        else:
            raise NotImplementedError(f"{self.name}: a trigger for PostgreSQL or SQLite only")
        execute(f"DELETE FROM {self.counts_table}")  # noqa: S608 - our own table
        execute(self.seed)

    def uninstall(self, apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(self.postgresql_drop)
        else:
            for statement in self.sqlite_drop:
                schema_editor.execute(statement)
