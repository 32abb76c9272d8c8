"""Hash or check many passwords in parallel processes (``import_mpn_profiles``): hashing is
CPU-bound (PBKDF2 costs a few hundred milliseconds a password, by design).

Kept apart from the models: a spawned worker imports this module before Django is set up.
Spawned, not forked, so a worker never shares the parent's database connection."""

from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import django
from django.contrib.auth.hashers import check_password, make_password

# Fewer items than this are done in this process (starting workers costs more).
PARALLEL_FROM = 16


def _setup() -> None:
    django.setup()  # the worker's settings (its hashers) come from DJANGO_SETTINGS_MODULE


def hash_one(password: str) -> str:
    return make_password(password)


def matches(pair: tuple[str, str]) -> bool:
    """Whether the plain password (first) is the one the hash (second) was made from."""
    return check_password(*pair)


def in_parallel(function, items: list, workers: int) -> list:
    """``function`` over ``items`` in ``workers`` processes, in order."""
    if workers <= 1 or len(items) < PARALLEL_FROM:
        return [function(item) for item in items]
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_setup) as pool:
        return list(pool.map(function, items, chunksize=max(1, len(items) // (workers * 8))))
