"""The API against its own OpenAPI schema (issue 13, "Defence in depth"): schemathesis
generates requests for every operation of ``/api/v1/schema/`` and sends them through the
WSGI app as a partner's global admin, as program staff and anonymously. No answer may be a
server error, and every answer must be one the schema documents (status code, content type,
headers, body). Each operation is asked twice per example: as generated (random ids, mostly
404) and with the ids of the world's own objects (tests/authorization_world.py), so that the
bodies of real objects are checked too.

Bounded in time: a few examples per operation (``MAX_EXAMPLES``), no shrinking, a fixed seed
(the same requests every run), and no example may take longer than ``DEADLINE``.
NUL bytes are left to tests/core (a request with one is answered 400 there).
"""

import re
import time
from datetime import timedelta

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from partnercenter.wsgi import application

from ..authorization_world import api_key, build_world

MAX_EXAMPLES = 5
DEADLINE = timedelta(seconds=20)  # per example, all actors included: a runaway, not a slow machine
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = application
schema.config.generation.update(
    modes=["positive"],
    max_examples=MAX_EXAMPLES,
    no_shrink=True,
    deterministic=True,
    allow_x00=False,
    database="none",
)

pytestmark = [pytest.mark.django_db]

ACTORS = {
    "global admin": lambda world: world.people[("provider", "admin")],
    "reviewer": lambda world: world.people["reviewer"],
    "anonymous": lambda world: None,
}


@pytest.fixture
def world(db):
    # As Django's test client does: a request through the WSGI app must not close the test's
    # database connection (its transaction holds the world).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield build_world()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _world_path_parameters(world, case) -> dict | None:
    """The case's path parameters replaced by the world's objects of those names, or None
    for an operation without any."""
    if not case.path_parameters:
        return None
    # drf-spectacular calls a ``pk`` ``id``; the world knows the URL conf's names.
    path = re.sub(r"\{(\w+)\}", lambda m: "<pk>" if m.group(1) == "id" else f"<{m.group(1)}>", case.path)
    found = {}
    for name in case.path_parameters:
        try:
            found[name] = world.value(path, "provider", "pk" if name == "id" else name)
        except KeyError:
            return None
    return found


def _call(case, user):
    cache.clear()  # the throttles count per test, not across the operation's examples
    headers = {"Authorization": f"Token {api_key(user)}"} if user else {}
    case.call_and_validate(headers=headers, checks=CHECKS)


@schema.parametrize()
@settings(
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_the_api_answers_as_its_schema_says(case, world):
    started = time.monotonic()
    generated = dict(case.path_parameters or {})
    real = _world_path_parameters(world, case)
    for user in (make(world) for make in ACTORS.values()):
        case.path_parameters = generated
        _call(case, user)
        if real and user is not None:  # anonymous is refused whatever the ids
            case.path_parameters = real
            _call(case, user)
    assert time.monotonic() - started < DEADLINE.total_seconds(), f"{case.method} {case.path} took too long"
