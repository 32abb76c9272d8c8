"""The authorization matrix (issue 13, "Defence in depth"): every route of the URL conf, with
each method it answers, asked by the owner's global admin and by a narrow-role employee
(a sales agent), by another partner, by a customer, by program staff and anonymously. What
each of them gets is declared in one table, ``tests/authorization_table.py``; a route
without its row fails ``test_every_route_has_a_row`` (so a new route must be declared).

The outcomes: ``ok`` (let in: 2xx, a redirect elsewhere than the sign-in, 409 for the state
of the world's object), ``login`` (a page redirects to the sign-in), ``400`` (the empty body
the matrix sends was refused: let in, or checked before the role), ``401`` (the API without
credentials), ``403`` (a role that may not act), ``404`` (another partner's object, never
revealed), ``405``. Everything is asked with an empty body: the matrix proves who is let
in, the modules of each feature prove what the way in does. Writes are asked by those
refused first and by the owner last.

The objects in the URLs come from one world (tests/authorization_world.py): the standard
cast and one object of every kind a URL names. ``MATRIX_RECORD=1`` prints the observed rows
of every route, ready to paste once checked.
"""

import copy
import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from .authorization_table import EXCLUDED, ROWS
from .authorization_world import ACTORS, OWNERS, api_key, build_world, routes
from .pcapi import pc_client

pytestmark = pytest.mark.django_db

TOKENS = {"ok", "login", "400", "401", "403", "404", "405"}
ASKED_IN_ORDER = ("anonymous", "customer", "outsider", "reviewer", "employee", "admin")
ALL_ROUTES = routes(excluded_prefixes=tuple(EXCLUDED))
RECORD = os.environ.get("MATRIX_RECORD") == "1"

HOW_TO_ADD = """
Add a row per line to ROWS in tests/authorization_table.py, e.g.

    "{example}": ("provider", "ok 403 404 404 403 {anonymous}"),

- the owner whose objects the URL names: {owners} (tests/authorization_world.py says who);
- then, in this order, what each actor gets: {actors};
  one of ok, login, 400, 401, 403, 404, 405 (this module's docstring says what each means).
A new URL argument also needs its object in build_world(). `MATRIX_RECORD=1 pytest -s -p
no:xdist tests/test_authorization_matrix.py` prints what each actor gets now on every route
(check a row before you paste it: another partner's object must be 404)."""


def _keys() -> list[str]:
    return [f"{method} {route.path}" for route in ALL_ROUTES for method in route.methods]


def test_every_route_has_a_row():
    keys = _keys()
    missing = [key for key in keys if key not in ROWS]
    example = missing[0] if missing else "POST /api/v1/example/<pk>/"
    assert not missing, (
        f"{len(missing)} route(s) of the URL conf have no row in the authorization matrix:\n  "
        + "\n  ".join(missing)
        + HOW_TO_ADD.format(
            example=example,
            anonymous="401" if "/api/" in example else "login",
            owners=", ".join(OWNERS),
            actors=" ".join(ACTORS),
        )
    )
    stale = sorted(set(ROWS) - set(keys))
    assert not stale, "Rows of the authorization matrix for routes that no longer exist:\n  " + "\n  ".join(
        stale
    )


def test_every_row_is_well_formed():
    for key, (owner, outcomes) in ROWS.items():
        assert owner in OWNERS, f"{key}: the owner is one of {OWNERS}"
        tokens = outcomes.split()
        assert len(tokens) == len(ACTORS) and set(tokens) <= TOKENS, (
            f"{key}: give {len(ACTORS)} outcomes ({' '.join(ACTORS)}), each one of {sorted(TOKENS)}"
        )


def _outcome(response) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = response["Location"]
        sign_in = (resolve_url(settings.LOGIN_URL), reverse("admin:login"))
        return "login" if location.split("?")[0] in sign_in else "ok"
    if status in (400, 401, 403, 404, 405) or status >= 500:
        return str(status)
    return "ok"  # 2xx, 409 (the object's state)


class Clients:
    """One signed-in client per person of the world and kind (pages: a session; the API: a
    token), made before any route is asked: each route's requests run in a savepoint rolled
    back after it, the sessions stay."""

    def __init__(self, world):
        self._clients, self._cookies = {}, {}
        for user in [None, *world.people.values()]:
            api, page = APIClient(), Client()
            if user is not None:
                api.credentials(HTTP_AUTHORIZATION=f"Token {api_key(user)}")
                page.force_login(user)
            self._clients[(getattr(user, "pk", None), True)] = api
            self._clients[(getattr(user, "pk", None), False)] = page
            # Partner Center's API (/v1/) takes bearer tokens only.
            self._clients[(getattr(user, "pk", None), "v1")] = pc_client(user)

    def ask(self, method: str, url: str, user, is_api: bool) -> str:
        kind = "v1" if url.startswith("/v1/") else is_api
        client = self._clients[(getattr(user, "pk", None), kind)]
        if not is_api:  # as signed in, whatever the last request did (a sign-out, a language)
            client.cookies = copy.deepcopy(
                self._cookies.setdefault(id(client), copy.deepcopy(client.cookies))
            )
        kwargs = {} if method == "GET" else ({"format": "json", "data": {}} if is_api else {"data": {}})
        return _outcome(getattr(client, method.lower())(url, **kwargs))


def _ask_route(route, world, clients) -> tuple[list[str], dict]:
    wrong, observed = [], {}
    cache.clear()  # the throttles count per route
    with transaction.atomic():
        for method in route.methods:
            key = f"{method} {route.path}"
            owner, outcomes = ROWS.get(key, ("provider", " ".join(["ok"] * len(ACTORS))))
            expected = dict(zip(ACTORS, outcomes.split(), strict=True))
            url = world.url(route.path, owner)
            got = {
                actor: clients.ask(method, url, world.actor(owner, actor), route.is_api)
                for actor in ASKED_IN_ORDER
            }
            observed[key] = (owner, " ".join(got[actor] for actor in ACTORS))
            wrong += [
                f"{key} as {actor} ({owner}'s world): {got[actor]}, declared {expected[actor]}"
                for actor in ACTORS
                if got[actor] != expected[actor]
            ]
        transaction.set_rollback(True)  # the next route finds the world as it was made
    return wrong, observed


# One world per chunk of routes: building it is most of the time a route costs.
CHUNK = 16
CHUNKS = [ALL_ROUTES[i : i + CHUNK] for i in range(0, len(ALL_ROUTES), CHUNK)]


@pytest.mark.parametrize("chunk", CHUNKS, ids=[f"{c[0].path} and {len(c) - 1} more" for c in CHUNKS])
def test_who_gets_what(chunk):
    world = build_world()
    clients = Clients(world)
    wrong, observed = [], {}
    for route in chunk:
        if RECORD or any(f"{method} {route.path}" in ROWS for method in route.methods):
            route_wrong, route_observed = _ask_route(route, world, clients)
            wrong += route_wrong
            observed.update(route_observed)
    if RECORD:
        print("".join(f'\n    "{key}": ("{owner}", "{row}"),' for key, (owner, row) in observed.items()))
    assert not wrong, "\n".join(wrong)
