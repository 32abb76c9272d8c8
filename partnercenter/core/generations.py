"""What a list showed a moment ago, kept until a table it read changes (issue 12).

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

A COPY is not an ``execute``: whoever copies rows in says so (``written``). In the suite,
whose tests run inside a transaction that never commits, a token is set at the write
(``settings.GENERATIONS_AFTER_COMMIT = False``).
"""

import functools
import hashlib
import logging
import re
import secrets
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

# How long a result is kept at most: a bound on what a lost token (the cache unreachable
# from one process for the moment of a write) could leave stale.
ENTRY_SECONDS = 300

WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
TRUNCATE = re.compile(r"\s*TRUNCATE\b", re.IGNORECASE)
QUOTED = re.compile(r'"(\w+)"')
READ = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z_]\w*)"?', re.IGNORECASE)

# table -> the tables a trigger on it writes too (``implies``).
IMPLIED: dict[str, set[str]] = {}

_reading: ContextVar[set | None] = ContextVar("generations_reading", default=None)


def implies(table: str, *written: str) -> None:
    """A write to ``table`` writes ``written`` too (a trigger): their tokens change with it."""
    IMPLIED.setdefault(table, set()).update(written)


def _closure(tables: Iterable[str]) -> set[str]:
    found, todo = set(), list(tables)
    while todo:
        table = todo.pop()
        if table not in found:
            found.add(table)
            todo.extend(IMPLIED.get(table, ()))
    return found


def _key(table: str) -> str:
    return f"generation:{table}"


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
    """``tables`` were written on ``using`` (each, and what a trigger writes with it): their
    tokens change after the commit, or now outside a transaction."""
    tables = _closure(tables)
    connection = connections[using]
    if not (connection.in_atomic_block and getattr(settings, "GENERATIONS_AFTER_COMMIT", True)):
        _bump(tables)
        return
    pending = connection.__dict__.get("_generations_pending")
    # A savepoint rolled back drops the callbacks registered inside it: then a new one.
    if pending is None or not any(call is pending.flush for _ids, call, _robust in connection.run_on_commit):
        pending = connection.__dict__["_generations_pending"] = _Pending()
        transaction.on_commit(pending.flush, using=using, robust=True)
    pending.tables |= tables


class _Pending:
    def __init__(self):
        self.tables = set()

    def flush(self):
        _bump(self.tables)


def _bump(tables: set[str]) -> None:
    """New tokens; a cache that fails (the fail-open one does not raise) never fails the
    write that was made: what was kept lives ``ENTRY_SECONDS`` at most."""
    if not tables:
        return
    try:
        cache.set_many({_key(table): secrets.randbits(62) for table in tables}, None)
    except Exception:  # noqa: BLE001 - any cache's failure, logged
        logger.warning("The tables' tokens were not changed: %s", ", ".join(sorted(tables)), exc_info=True)


def retire() -> None:
    """Every kept result retired: after a write Django did not see (psql, a restore)."""
    _bump(set(_tables()))


def _execute(execute, sql, params, many, context):
    reading = _reading.get()
    if reading is not None:
        reading.update(READ.findall(sql))
    result = execute(sql, params, many, context)
    if (found := WRITE.match(sql)) is not None:
        written([found.group(1)], using=context["connection"].alias)
    elif TRUNCATE.match(sql):
        written(QUOTED.findall(sql), using=context["connection"].alias)
    return result


def install(sender, connection, **kwargs) -> None:
    """Every connection sees its writes (``connection_created``)."""
    if _execute not in connection.execute_wrappers:
        connection.execute_wrappers.append(_execute)


connection_created.connect(install, dispatch_uid="partnercenter.core.generations")


# --- The reads ----------------------------------------------------------------------------------


@functools.cache
def _tables() -> list[str]:
    found = set()
    for model in apps.get_models(include_auto_created=True):
        found.add(model._meta.db_table)
    return sorted(found)


def _tokens(tables: Iterable[str]) -> dict[str, int]:
    keys = {_key(table): table for table in tables}
    return {keys[key]: token for key, token in cache.get_many(list(keys)).items()}


def cached(key: Iterable, compute: Callable[[], tuple[object, datetime | None]]):
    """What ``compute()`` returns as ``(value, valid_until)``, made by this call or kept by
    an earlier one with the same ``key`` (every fact the value depends on besides the
    tables: the reader, the language, the time zone, the request's parameters)."""
    if not getattr(settings, "GENERATIONS_CACHE", True):  # a cache of each process's own
        return compute()[0]
    digest = hashlib.sha1(repr((RELEASE, *key)).encode(), usedforsecurity=False).hexdigest()
    entry_key = f"generations:{digest}"
    entry = cache.get(entry_key)
    now = timezone.now()
    if entry is not None:
        value, tokens, valid_until = entry
        if (valid_until is None or now < valid_until) and _tokens(tokens) == tokens:
            _record(tokens)
            return value
    tables = _tables()
    tokens = _tokens(tables)
    if missing := [table for table in tables if table not in tokens]:
        for table in missing:  # never a token the cache lost
            cache.add(_key(table), secrets.randbits(62), None)
        tokens = _tokens(tables)
    reading = set()
    outer = _reading.set(reading)
    try:
        value, valid_until = compute()
    finally:
        _reading.reset(outer)
    read = {table: tokens[table] for table in reading | _permissions() if table in tokens}
    if len(tokens) == len(tables):  # else the cache is away
        cache.set(entry_key, (value, read, valid_until), ENTRY_SECONDS)
    _record(read)
    return value


def _record(tokens: dict) -> None:
    """A ``cached`` inside another's compute: the outer one read these tables too."""
    reading = _reading.get()
    if reading is not None:
        reading.update(tokens)


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


def cached_html(request, compute: Callable[[], tuple[str, datetime | None]], *facts) -> SafeString:
    """A page's part (``cached`` under ``request_key``), its forms' CSRF tokens the reader's:
    kept without them, put back on each request."""

    def kept():
        html, valid_until = compute()
        return CSRF_INPUT.sub(KEPT_CSRF, html), valid_until

    html = cached(request_key(request, *facts), kept)
    if KEPT_CSRF in html:
        html = html.replace(KEPT_CSRF, f'name="csrfmiddlewaretoken" value="{get_token(request)}"')
    return mark_safe(html)  # noqa: S308 - rendered by the compute
