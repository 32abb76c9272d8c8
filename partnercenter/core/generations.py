"""What a page showed a moment ago, kept until a table it read changes (issue 12).

Every table has a *token* in the cache, a random number set anew after each committed write
to the table. The writes are seen where every write passes, whoever makes it (a service, a
queryset's ``update``, the admin, a bulk insert, a trigger's table through ``implies``): the
database connection's ``execute`` (``install``). ``cached`` keeps what its ``compute`` made
with the tokens of the tables ``compute`` read (seen the same way, in its SQL) and gives it
back as long as each of those tokens is the same and its ``valid_until`` (a moment when
the result turns, such as a file falling overdue) has not passed.

A reader takes the tokens before it reads the tables; a writer sets them after its commit.
So a result is kept with tokens no newer than what it read: a write that lands in between
leaves a result that the writer's new token retires at once. A token the cache does not
hold is set before a compute, never matched; a result is kept ``ENTRY_SECONDS`` at most.
The cache fails open: while it is away nothing is kept and every request computes.

A table has finer tokens too, for a result that reads only some of its rows (one
enrollment's page): ``T!`` changes with every write that does not say which rows it wrote
(an update, a delete, a COPY) and ``T@column=value`` with each insert of a row of that
value, for the columns declared with ``owned_by``. Such a result names its rows
(``cached(owned=...)``) and depends, in each statement that names one of them, on those
tokens rather than on ``T``; a table it reads only through the rows that point to it
(``joined``) depends on ``T!``: an insert adds no row it reads.

A COPY is not an ``execute``: whoever copies rows in says so (``written``). In the suite,
whose tests run inside a transaction that never commits, a token is set at the write
(``settings.GENERATIONS_AFTER_COMMIT = False``).
"""

import functools
import hashlib
import logging
import re
import secrets
import uuid
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .querysets import statement_sql

logger = logging.getLogger(__name__)

# How long a result is kept at most: a bound on what a lost token (the cache unreachable
# from one process for the moment of a write) could leave stale.
ENTRY_SECONDS = 300
# A row's token is dropped after this (a result that held it has gone by then; one that
# still held it would find it missing and compute again).
ROW_TOKEN_SECONDS = 2 * ENTRY_SECONDS

WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
TRUNCATE = re.compile(r"\s*TRUNCATE\b", re.IGNORECASE)
QUOTED = re.compile(r'"(\w+)"')
READ = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z_]\w*)"?', re.IGNORECASE)


@dataclass(frozen=True)
class Implied:
    """A trigger on a table writes ``table`` too: on every insert (``on_insert``) or only on
    updates and deletes; ``keys``, columns the two share, say which rows (a count's object)."""

    table: str
    on_insert: bool = True
    keys: tuple[str, ...] = ()


# table -> what its triggers write (``implies``).
IMPLIED: dict[str, list[Implied]] = {}
# table -> the columns by which a kept result may say it reads only some of its rows
# (``owned_by``): an insert names the rows it adds by them.
OWNERS: dict[str, set[str]] = {}

_reading: ContextVar["_Reading | None"] = ContextVar("generations_reading", default=None)


def implies(table: str, written: str, *, on_insert: bool = True, keys: tuple[str, ...] = ()) -> None:
    """A write to ``table`` writes ``written`` too (a trigger): its tokens change with it."""
    IMPLIED.setdefault(table, []).append(Implied(written, on_insert, keys))


def owned_by(table: str, *columns: str) -> None:
    """Kept results may read only the rows of ``table`` with given values of ``columns``
    (``cached(owned=...)``). Declared where every process loads it (an app's ``ready``)."""
    OWNERS.setdefault(table, set()).update(columns)


def _norm(value) -> str:
    """A value as a token's name holds it, whatever its database's form (a UUID's dashes)."""
    if isinstance(value, uuid.UUID):
        return value.hex
    text = str(value)
    if len(text) in (32, 36):
        try:
            return uuid.UUID(text).hex
        except ValueError:
            pass
    return text


# A table's tokens: ``T`` changes with every write to it, ``T!`` with every write that
# does not say which rows it wrote (an update, a delete, a COPY), ``T@column=value`` with
# each insert of a row of that value.
def _coarse(table: str) -> str:
    return f"generation:{table}"


def _loose(table: str) -> str:
    return f"generation:{table}!"


def _fine(table: str, column: str, value) -> str:
    return f"generation:{table}@{column}={_norm(value)}"


def _release() -> str:
    """The code's own version: a result written by other code (templates, translations,
    Python) is never given back after a deploy."""
    digest = hashlib.sha1(usedforsecurity=False)
    root = Path(settings.BASE_DIR)
    for top in ("partnercenter", "enrollment", "relationships", "billing", "templates", "locale", "static"):
        for path in sorted((root / top).rglob("*")):
            if path.suffix in (".py", ".html", ".mo", ".css", ".js", ".json") and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


RELEASE = _release()


# --- The writes ---------------------------------------------------------------------------------


def written(tables: Iterable[str], *, using: str = "default") -> None:
    """``tables`` were written on ``using``, which rows unsaid (each, and what a trigger
    writes with it): their tokens change after the commit, or now outside a transaction."""
    _written_keys(_unattributed(tables), using)


def _unattributed(tables: Iterable[str], *, inserted: bool = False) -> set[str]:
    keys = set()
    for table in tables:
        keys |= {_coarse(table), _loose(table)}
        for implied in IMPLIED.get(table, ()):
            if implied.on_insert or not inserted:
                keys |= _unattributed([implied.table])
    return keys


def _inserted(table: str, rows: list[dict]) -> set[str]:
    """The tokens of an insert of ``rows`` (column -> value): the table's, and for each
    column of ``OWNERS`` the rows' values (``T!`` when a row leaves one out)."""
    keys = {_coarse(table)}
    for column in OWNERS.get(table, ()):
        if all(column in row for row in rows):
            keys |= {_fine(table, column, row[column]) for row in rows}
        else:
            keys.add(_loose(table))
    for implied in IMPLIED.get(table, ()):
        if not implied.on_insert:
            continue
        if implied.keys and all(key in row for key in implied.keys for row in rows):
            keys |= _inserted(implied.table, [{key: row[key] for key in implied.keys} for row in rows])
        else:
            keys |= _unattributed([implied.table], inserted=True)
    return keys


def _written_keys(keys: set[str], using: str) -> None:
    connection = connections[using]
    if not (connection.in_atomic_block and getattr(settings, "GENERATIONS_AFTER_COMMIT", True)):
        _bump(keys)
        return
    pending = connection.__dict__.get("_generations_pending")
    # A savepoint rolled back drops the callbacks registered inside it: then a new one.
    if pending is None or not any(call == pending.flush for _ids, call, _robust in connection.run_on_commit):
        pending = connection.__dict__["_generations_pending"] = _Pending()
        transaction.on_commit(pending.flush, using=using, robust=True)
    pending.keys |= keys


class _Pending:
    def __init__(self):
        self.keys = set()

    def flush(self):
        _bump(self.keys)


def _bump(keys: set[str]) -> None:
    """New tokens; a cache that fails (the fail-open one does not raise) never fails the
    write that was made: what was kept lives ``ENTRY_SECONDS`` at most."""
    if not keys:
        return
    try:
        tables = [key for key in keys if "@" not in key]
        if tables:
            cache.set_many({key: secrets.randbits(62) for key in tables}, None)
        if rows := [key for key in keys if "@" in key]:  # one a row: not forever
            cache.set_many({key: secrets.randbits(62) for key in rows}, ROW_TOKEN_SECONDS)
    except Exception:  # noqa: BLE001 - any cache's failure, logged
        logger.warning("The tokens were not changed: %s", ", ".join(sorted(keys)), exc_info=True)


def retire() -> None:
    """Every kept result retired: after a write Django did not see (psql, a restore)."""
    _bump(_unattributed(_tables()))


INSERT = re.compile(
    r'\s*INSERT\s+INTO\s+"(\w+)"\s*\(([^)]*)\)\s*(VALUES|SELECT\s+\*\s+FROM\s+UNNEST)', re.IGNORECASE
)
PLACEHOLDERS = re.compile(r"\s*((?:\(\s*%s(?:\s*,\s*%s)*\s*\)\s*,?\s*)+)")


def _insert_rows(sql: str, params, many: bool) -> tuple[str, list[dict]] | None:
    """An insert's table and rows (column -> value) as Django writes them (a VALUES list of
    placeholders, or PostgreSQL's UNNEST of one array a column); None for any other form."""
    found = INSERT.match(sql)
    # An upsert may change a row of other values than it names: not an insert's rows.
    if found is None or many or params is None or "ON CONFLICT" in sql.upper():
        return None
    columns = QUOTED.findall(found.group(2))
    if not columns:
        return None
    if found.group(3).upper() == "VALUES":
        values = PLACEHOLDERS.match(sql, found.end())
        if values is None or values.group(1).count("%s") != len(params) or len(params) % len(columns):
            return None
        cells = [params[i : i + len(columns)] for i in range(0, len(params), len(columns))]
    else:
        if len(params) != len(columns):
            return None
        cells = list(zip(*params, strict=True))
    return found.group(1), [dict(zip(columns, row, strict=True)) for row in cells]


def _execute(execute, sql, params, many, context):
    reading = _reading.get()
    if reading is not None:
        reading.statements.append((sql, params, many))
    result = execute(sql, params, many, context)
    using = context["connection"].alias
    if (insert := _insert_rows(sql, params, many)) is not None:
        _written_keys(_inserted(*insert), using)
    elif (found := WRITE.match(sql)) is not None:
        written([found.group(1)], using=using)
    elif TRUNCATE.match(sql):
        written(QUOTED.findall(sql), using=using)
    return result


def install(sender, connection, **kwargs) -> None:
    """Every connection sees its writes (``connection_created``). First in the list, the
    outermost: ``connection.execute_wrapper(w)`` pops the last one at its end, which was
    this one when the connection opened inside it (the bench's query counter did so, and
    a worker's writes went unseen)."""
    if _execute not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _execute)


connection_created.connect(install, dispatch_uid="partnercenter.core.generations")


# --- The reads ----------------------------------------------------------------------------------


@functools.cache
def _tables() -> list[str]:
    found = set()
    for model in apps.get_models(include_auto_created=True):
        found.add(model._meta.db_table)
    return sorted(found)


class _Reading:
    def __init__(self):
        self.statements = []
        self.tables = set()  # read by a kept result inside (``_record``)


def _values(params) -> set[str]:
    if params is None:
        return set()
    if isinstance(params, dict):
        params = list(params.values())
    found = set()
    for param in params:
        if isinstance(param, (list, tuple)):
            found |= _values(param)
        elif param is not None:
            found.add(_norm(param))
    return found


def _depends(reading: _Reading, owned: dict[str, dict[str, list]], joined: frozenset) -> set[str]:
    """The tokens a compute's result depends on. A statement that names one of the owned
    rows' values reads, of each owned table, those rows only (``T!`` and the rows'
    tokens); a ``joined`` table is read only as other rows point to it (``T!``: an insert
    adds no row they point to); any other read of a table depends on all of it (``T``)."""
    known = set(_tables())
    named = {_norm(value) for columns in owned.values() for values in columns.values() for value in values}
    keys = {_coarse(table) for table in reading.tables | _permissions()}
    for sql, params, many in reading.statements:
        narrow = bool(owned) and not many and bool(named & _values(params))
        for table in set(READ.findall(statement_sql(sql))) & known:
            if narrow and table in owned:
                keys.add(_loose(table))
                keys |= {_fine(table, c, v) for c, values in owned[table].items() for v in values}
            elif table in joined:
                keys.add(_loose(table))
            else:
                keys.add(_coarse(table))
    return keys


def _owned_keys(owned: dict[str, dict[str, list]]) -> list[str]:
    keys = []
    for table, columns in owned.items():
        undeclared = set(columns) - OWNERS.get(table, set())
        if undeclared:  # an insert would not name these rows: they could never be retired
            raise ValueError(f"{table}: {sorted(undeclared)} not declared with owned_by")
        keys.append(_loose(table))
        keys += [_fine(table, c, v) for c, values in columns.items() for v in values]
    return keys


def keeping() -> bool:
    """Whether results are kept: not with a cache of each process's own (``make run``
    without Redis: ``GENERATIONS_CACHE``)."""
    return getattr(settings, "GENERATIONS_CACHE", True)


def cached(key: Iterable, compute: Callable[[], tuple[object, datetime | None]], *, owned=None, joined=()):
    """What ``compute()`` returns as ``(value, valid_until)``, made by this call or kept by
    an earlier one with the same ``key`` (every fact the value depends on besides the
    tables: the reader, the language, the time zone, the request's parameters).

    ``owned`` ({table: {column: [values]}}, each column declared with ``owned_by``): of
    these tables the compute reads only the rows with these values, in statements that
    name one of them; an insert of other rows keeps the result (another enrollment's
    events do not retire this one's page). Any other write to them retires it. ``joined``:
    tables the compute reads only through the rows that point to them (a join on a foreign
    key, or the keys other rows hold), never by a filter of their own: an insert cannot add
    a row it reads, any other write retires it."""
    if not keeping():
        return compute()[0]
    owned = {table: {c: list(v) for c, v in columns.items()} for table, columns in (owned or {}).items()}
    digest = hashlib.sha1(repr((RELEASE, *key)).encode(), usedforsecurity=False).hexdigest()
    entry_key = f"generations:{digest}"
    entry = cache.get(entry_key)
    now = timezone.now()
    if entry is not None:
        value, tokens, valid_until = entry
        if (valid_until is None or now < valid_until) and cache.get_many(list(tokens)) == tokens:
            _record(tokens)
            return value
    joined = frozenset(joined)
    wanted = list(
        dict.fromkeys([*(_coarse(t) for t in _tables()), *_owned_keys(owned), *(_loose(t) for t in joined)])
    )
    tokens = cache.get_many(wanted)
    if missing := [key for key in wanted if key not in tokens]:
        for key in missing:  # never a token the cache lost
            cache.add(key, secrets.randbits(62), ROW_TOKEN_SECONDS if "@" in key else None)
        tokens = cache.get_many(wanted)
    reading = _Reading()
    outer = _reading.set(reading)
    try:
        value, valid_until = compute()
    finally:
        _reading.reset(outer)
    read = {key: tokens[key] for key in _depends(reading, owned, joined) if key in tokens}
    if len(tokens) == len(wanted):  # else the cache is away
        cache.set(entry_key, (value, read, valid_until), ENTRY_SECONDS)
    _record(read)
    return value


def _record(tokens: dict) -> None:
    """A ``cached`` inside another's compute: the outer one read these tables too."""
    reading = _reading.get()
    if reading is not None:
        reading.tables.update(key.removeprefix("generation:").split("@")[0].rstrip("!") for key in tokens)


def earliest(*moments: datetime | None) -> datetime | None:
    """The first of the moments given (``valid_until`` of several facts), None for none."""
    found = [moment for moment in moments if moment is not None]
    return min(found) if found else None


def request_key(request, *facts) -> tuple:
    """A page's or an API list's ``key``: its address and parameters, who reads it (the
    user's row and its tenant's as the request loaded them: roles, flags), in which
    language and time zone, and the ``facts`` the view adds."""
    return (
        request.scheme,
        request.get_host(),
        request.path,
        sorted(request.GET.lists()),
        _viewer(request.user),
        get_language(),
        timezone.get_current_timezone_name(),
        *facts,
    )


def _row(obj) -> tuple:
    return tuple(
        getattr(obj, field.attname) for field in obj._meta.concrete_fields if field.attname != "last_login"
    )


def _viewer(user):
    if not user.is_authenticated:
        return None
    tenant = user._state.fields_cache.get("tenant")
    return _row(user), _row(tenant) if tenant is not None else None


# Who may do what, besides the user's own row: a result depends on them whether or not its
# compute asked (the request may have asked first).
@functools.cache
def _permissions() -> set[str]:
    from django.contrib.auth.models import Group, Permission

    user = apps.get_model(settings.AUTH_USER_MODEL)
    through = (user.groups.through, user.user_permissions.through, Group.permissions.through)
    return {Group._meta.db_table, Permission._meta.db_table, *(model._meta.db_table for model in through)}


# --- Pages ------------------------------------------------------------------------------------

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
KEPT_CSRF = 'name="csrfmiddlewaretoken" value=""'


def cached_html(
    request, compute: Callable[[], tuple[str, datetime | None]], *facts, owned=None, joined=()
) -> SafeString:
    """A page's part (``cached`` under ``request_key``), its forms' CSRF tokens the reader's:
    kept without them, put back on each request. ``owned``, ``joined``: as ``cached``'s."""

    def kept():
        html, valid_until = compute()
        return CSRF_INPUT.sub(KEPT_CSRF, html), valid_until

    html = cached(request_key(request, *facts), kept, owned=owned, joined=joined)
    if KEPT_CSRF in html:
        html = html.replace(KEPT_CSRF, f'name="csrfmiddlewaretoken" value="{get_token(request)}"')
    return mark_safe(html)  # noqa: S308 - rendered by the compute


def cached_page(
    request, template: str, compute: Callable[[], tuple[dict, datetime | None]], *, owned=None, joined=()
) -> HttpResponse:
    """A whole page: ``template`` rendered with the context ``compute()`` gives (with when
    it stops being valid), kept as ``cached_html`` keeps a part, its header and navigation
    with it (what they read is read inside the compute: a kept page renders nothing). A
    request with messages to show is rendered as computed and not kept: they show once."""

    def page():
        context, valid_until = compute()
        return render_to_string(template, context, request=request), valid_until

    if messages.get_messages(request):
        return HttpResponse(page()[0])
    return HttpResponse(cached_html(request, page, owned=owned, joined=joined))
