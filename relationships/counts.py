# ruff: noqa: S608 - the SQL here is built from this module's own constants (table and column names)
"""What the database keeps for a big partner's lists (issue 12: a provider with 1,000
resellers and 10,000 customers counted them on every request, and walked thousands of
customers in name order to find a page of its own).

- **Counts** (``CustomerCount``, ``ResellerCount``): a partner's active customers, a
  provider's direct customers, a provider's resellers (all, and active). A trigger on each
  relationship table (migration ``0012_partner_counts_and_names``) adds every statement's
  change to the counts in the same transaction (on PostgreSQL once a statement, from its
  transition tables; on SQLite once a row). Whoever writes relationships (the services, a
  bulk import, the admin, a cascade, a test's factory) keeps them true without knowing.
- **Names** (``CustomerRelationship.customer_name``, ``ProviderResellerRelationship.
  reseller_name``): a copy of the customer's company name and of the reseller's legal name
  on the relationship, so that a partner's list is read in name order from one index on the
  relationship. Triggers set the copy on every write of a relationship and follow a rename.
"""

from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from partnercenter.core.triggers import CountTrigger

# The kinds of count, and the relationships each counts (SQL over a relationship row).
CUSTOMERS = "customers"  # a partner's active customer relationships
DIRECT = "direct"  # a provider's active direct customers (no reseller)
RESELLERS = "resellers"  # a provider's reseller relationships, whatever their state
ACTIVE_RESELLERS = "active_resellers"  # a provider's active reseller relationships

CUSTOMER_KINDS = {
    CUSTOMERS: ("state = 'active'",),
    DIRECT: ("state = 'active'", "role = 'indirect_provider'", "via_reseller_id IS NULL"),
}
RESELLER_KINDS = {RESELLERS: (), ACTIVE_RESELLERS: ("state = 'active'",)}


def _where(conditions, row: str = "") -> str:
    return " AND ".join(f"{row}{condition}" for condition in conditions) or "1 = 1"


class PartnerCount(models.Model):
    """How many relationships of one kind a partner has. Written by the database's trigger
    only (no foreign key: a deleted partner's count stays behind, at 0)."""

    partner_id = models.UUIDField()
    kind = models.CharField(max_length=20)
    n = models.BigIntegerField()

    class Meta:
        abstract = True
        default_permissions = ()

    def __str__(self):
        return f"{self.partner_id} {self.kind} {self.n}"

    @classmethod
    def of(cls, partner_id, kind: str) -> int:
        return cls.objects.filter(partner_id=partner_id, kind=kind).values_list("n", flat=True).first() or 0


class CustomerCount(PartnerCount):
    class Meta(PartnerCount.Meta):
        db_table = "relationships_customercount"
        verbose_name = _("customer count")
        verbose_name_plural = _("customer counts")
        constraints = [models.UniqueConstraint(fields=["partner_id", "kind"], name="one_customer_count")]


class ResellerCount(PartnerCount):
    class Meta(PartnerCount.Meta):
        db_table = "relationships_resellercount"
        verbose_name = _("reseller count")
        verbose_name_plural = _("reseller counts")
        constraints = [models.UniqueConstraint(fields=["partner_id", "kind"], name="one_reseller_count")]


# Where each kind of count is kept.
KEPT_IN = {
    CUSTOMERS: CustomerCount,
    DIRECT: CustomerCount,
    RESELLERS: ResellerCount,
    ACTIVE_RESELLERS: ResellerCount,
}


def with_counts(partners: models.QuerySet, *kinds: str) -> models.QuerySet:
    """The partners with their kept counts of ``kinds``, read in their own query (a page that
    shows them asks no query more: ``count_of``)."""
    return partners.annotate(
        **{
            f"kept_{kind}": Coalesce(
                Subquery(KEPT_IN[kind].objects.filter(partner_id=OuterRef("pk"), kind=kind).values("n")[:1]),
                0,
            )
            for kind in kinds
        }
    )


def count_of(partner, kind: str) -> int:
    """The partner's kept count of ``kind``: the one read with it (``with_counts``), or read now."""
    known = partner.__dict__.get(f"kept_{kind}")
    return KEPT_IN[kind].of(partner.pk, kind) if known is None else known


class Kept:
    """A partner's kept count where a paginator wants a queryset's ``count()`` (``CountedQuerySet``)."""

    def __init__(self, partner, kind: str):
        self.partner, self.kind = partner, kind

    def count(self) -> int:
        return count_of(self.partner, self.kind)


def _trigger(name: str, table: str, counts: str, partner: str, kinds: dict) -> CountTrigger:
    def moves(rows: str, sign: str) -> str:
        return " UNION ALL ".join(
            f"SELECT {partner} AS partner_id, '{kind}' AS kind, {sign}1 AS n FROM {rows} WHERE {_where(where)}"
            for kind, where in kinds.items()
        )

    upsert = (
        f"INSERT INTO {counts} (partner_id, kind, n) SELECT partner_id, kind, SUM(n) FROM ({{moves}}) AS moves"
        f" GROUP BY partner_id, kind HAVING SUM(n) <> 0 ORDER BY partner_id, kind"
        f" ON CONFLICT (partner_id, kind) DO UPDATE SET n = {counts}.n + EXCLUDED.n;"
    )
    both = moves("new_rows", "") + " UNION ALL " + moves("old_rows", "-")
    function = f"{table}_count"
    postgresql = f"""
CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM {counts};
    ELSIF TG_OP = 'INSERT' THEN
        {upsert.format(moves=moves("new_rows", ""))}
    ELSIF TG_OP = 'DELETE' THEN
        {upsert.format(moves=moves("old_rows", "-"))}
    ELSE
        {upsert.format(moves=both)}
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER {function}_insert AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER {function}_update AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER {function}_delete AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER {function}_truncate AFTER TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {function}();
"""
    postgresql_drop = (
        "".join(
            f"DROP TRIGGER IF EXISTS {function}_{op} ON {table};"
            for op in ("insert", "update", "delete", "truncate")
        )
        + f"DROP FUNCTION IF EXISTS {function}();"
    )

    def sqlite_moves(row: str, sign: str) -> list[str]:
        # One upsert a kind, for the row NEW or OLD (SQLite's triggers run once a row).
        return [
            f"INSERT INTO {counts} (partner_id, kind, n) SELECT {row}.{partner}, '{kind}', {sign}1"
            f" WHERE {_where(where, row + '.')}"
            f" ON CONFLICT (partner_id, kind) DO UPDATE SET n = n + excluded.n;"
            for kind, where in kinds.items()
        ]

    sqlite = (
        f"CREATE TRIGGER {function}_insert AFTER INSERT ON {table} BEGIN "
        + " ".join(sqlite_moves("NEW", ""))
        + " END",
        f"CREATE TRIGGER {function}_update AFTER UPDATE ON {table} BEGIN "
        + " ".join(sqlite_moves("OLD", "-") + sqlite_moves("NEW", ""))
        + " END",
        f"CREATE TRIGGER {function}_delete AFTER DELETE ON {table} BEGIN "
        + " ".join(sqlite_moves("OLD", "-"))
        + " END",
    )
    seed = f"INSERT INTO {counts} (partner_id, kind, n) " + " UNION ALL ".join(
        f"SELECT {partner}, '{kind}', COUNT(*) FROM {table} WHERE {_where(where)} GROUP BY {partner}"
        for kind, where in kinds.items()
    )
    return CountTrigger(
        name=name,
        table=table,
        counts_table=counts,
        postgresql=postgresql,
        postgresql_drop=postgresql_drop,
        sqlite=sqlite,
        sqlite_drop=tuple(f"DROP TRIGGER IF EXISTS {function}_{op}" for op in ("insert", "update", "delete")),
        seed=seed,
    )


CUSTOMER_TRIGGER = _trigger(
    "partners' customer counts",
    "relationships_customerrelationship",
    "relationships_customercount",
    "partner_id",
    CUSTOMER_KINDS,
)
RESELLER_TRIGGER = _trigger(
    "providers' reseller counts",
    "relationships_providerresellerrelationship",
    "relationships_resellercount",
    "provider_id",
    RESELLER_KINDS,
)
