"""Querysets shared by the apps."""

import uuid

from django.core.paginator import Paginator
from django.db import DEFAULT_DB_ALIAS, connections, models


class CountedQuerySet(models.QuerySet):
    """A queryset whose ``count()`` a cheaper query answers (``counted_by``) as long as
    nothing narrows it after: a list's paginator then counts an index, not the joined rows
    it shows (issue 12: a provider's customers counted 200,000 customers for 10,000). A
    ``filter`` or ``exclude`` after drops the counter, so a narrower queryset counts itself."""

    _counted_by = None

    def counted_by(self, counter: models.QuerySet) -> "CountedQuerySet":
        clone = self._chain()
        clone._counted_by = counter
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._counted_by = self._counted_by
        return clone

    def _filter_or_exclude(self, negate, args, kwargs):
        clone = super()._filter_or_exclude(negate, args, kwargs)
        clone._counted_by = None
        return clone

    def count(self) -> int:
        if self._counted_by is not None and self._result_cache is None and not self.query.is_sliced:
            return self._counted_by.count()
        return super().count()


def count_at_most(queryset: models.QuerySet, cap: int) -> tuple[int, bool]:
    """How many rows ``queryset`` holds, reading at most ``cap + 1`` of them: ``(n, False)``
    when exact, ``(cap, True)`` when there are more (issue 12: a narrowed list counted every
    matching row of the table on every request)."""
    # Its keys alone (no join that only a page's columns need), in its order: an index in
    # that order stops at the cap, where the planner would otherwise read every match.
    found = queryset.values("pk")[: cap + 1].count()
    return min(found, cap), found > cap


class CountedPaginator(Paginator):
    """A paginator told its count (from counts the database keeps, or ``count_at_most``):
    ``capped`` says there are more rows than ``count`` and pages beyond it are not offered."""

    def __init__(self, object_list, per_page, count: int, *, capped: bool = False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count, self.capped = count, capped


class CompiledQuery:
    """A ``values()`` query that Django builds and compiles to SQL once per process and
    database, then runs with each call's own parameter (issue 12: building and compiling
    the navigation's query of three ``EXISTS`` took twice as long as running it, on every
    page). ``build(value)`` returns the queryset for one value; ``marker`` (a value of the
    same type no real row has) is compiled in its place and must reach the SQL exactly once.
    Rows come back as ``values()`` gives them, through the same converters."""

    def __init__(self, build, marker):
        self._build, self._marker = build, marker
        self._compiled: dict[str, tuple] = {}

    def _spellings(self) -> dict:
        """How the marker may reach the parameters (a UUID is a string on some databases),
        each with how to spell a real value the same way."""
        marker = self._marker
        spellings = {marker: lambda v: v}
        if isinstance(marker, uuid.UUID):
            spellings.update({marker.hex: lambda v: v.hex, str(marker): str})
        return spellings

    def _compile(self, using: str) -> tuple:
        queryset = self._build(self._marker)
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        spellings = self._spellings()
        spots = [i for i, param in enumerate(params) if _hashable(param) and param in spellings]
        if len(spots) != 1:
            raise ValueError(f"the marker reaches the SQL {len(spots)} times, not once")
        (spot,) = spots
        query = queryset.query
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        return sql, list(params), spot, spellings[params[spot]], names, list(converters.items())

    def rows(self, value, using: str = DEFAULT_DB_ALIAS) -> list[dict]:
        if (compiled := self._compiled.get(using)) is None:
            compiled = self._compiled[using] = self._compile(using)
        sql, params, spot, spell, names, converters = compiled
        params = [*params[:spot], spell(value), *params[spot + 1 :]]
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = [list(row) for row in cursor.fetchall()]
        for row in found:  # as SQLCompiler.apply_converters, with this thread's connection
            for position, (functions, expression) in converters:
                for function in functions:
                    row[position] = function(row[position], expression, connection)
        return [dict(zip(names, row, strict=True)) for row in found]

    def first(self, value, using: str = DEFAULT_DB_ALIAS) -> dict | None:
        found = self.rows(value, using)
        return found[0] if found else None


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
