# ruff: noqa: S608 - the SQL here is built from this module's own constants (table and column names)
"""Names copied onto relationships by the database (``relationships.counts`` says why): the
customer's company name on each of its relationships (``customer_name``), the reseller's
legal name on each of its provider relationships (``reseller_name``). A trigger sets the
copy on every insert or update of a relationship (whatever the writer sent), another
follows a rename of the customer or the partner; migration ``0012_partner_counts_and_names``
installs them and fills in the relationships already there."""

from dataclasses import dataclass


@dataclass(frozen=True)
class CopiedName:
    """``table.column`` holds ``source.source_column`` of the row ``table.key`` points to."""

    table: str
    column: str
    key: str
    source: str
    source_column: str

    @property
    def _name(self) -> str:
        return f"{self.table}_{self.column}"

    def _postgresql(self) -> str:
        name, lookup = self._name, f"SELECT {self.source_column} FROM {self.source} WHERE id = NEW.{self.key}"
        return f"""
CREATE FUNCTION {name}_set() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.{self.column} := COALESCE(({lookup}), '');
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
        name, lookup = self._name, f"SELECT {self.source_column} FROM {self.source} WHERE id = NEW.{self.key}"
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
        """A migration's ``RunPython``: the triggers, then the copies of the rows there are."""
        execute = schema_editor.execute
        if schema_editor.connection.vendor == "postgresql":
            execute(f"LOCK TABLE {self.table} IN SHARE ROW EXCLUSIVE MODE")
            execute(self._postgresql())
        elif schema_editor.connection.vendor == "sqlite":
            for statement in self._sqlite():
                execute(statement)
        else:
            raise NotImplementedError(f"{self._name}: a trigger for PostgreSQL or SQLite only")
        execute(
            f"UPDATE {self.table} SET {self.column} = COALESCE((SELECT {self.source_column}"  # noqa: S608
            f" FROM {self.source} WHERE {self.source}.id = {self.table}.{self.key}), '')"
        )

    def uninstall(self, apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(self._postgresql_drop())
        else:
            for suffix in ("insert", "update", "follow"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {self._name}_{suffix}")


CUSTOMER_NAME = CopiedName(
    "relationships_customerrelationship",
    "customer_name",
    "customer_id",
    "relationships_customer",
    "company_name",
)
RESELLER_NAME = CopiedName(
    "relationships_providerresellerrelationship",
    "reseller_name",
    "reseller_id",
    "enrollment_partner",
    "legal_name",
)
