"""Never a 500 on any input (issue 13): a body nested a thousand levels deep, a NUL in the
path or the query string of any route, a POST without its trailing slash (DEBUG on and off)."""

import json
import re
import uuid

import pytest
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework.test import APIClient

from partnercenter.core.drf import MAX_JSON_DEPTH, _depth
from tests.conftest import api_as

pytestmark = pytest.mark.django_db

DEEP = 1000


def nested_list(depth: int) -> str:
    return "[" * depth + "]" * depth


def nested_object(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


# --- Nested JSON ------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [nested_list(DEEP), nested_object(DEEP), nested_list(100_000)])
@pytest.mark.parametrize("url", ["/api/v1/signup/", "/api/v1/email-verifications/", "/api/v1/auth/token/"])
def test_a_deeply_nested_body_is_400_for_anonymous_callers(url, body):
    response = APIClient().post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert "nests too deeply" in response.json()["detail"]


def test_a_deeply_nested_body_is_400_for_a_partner(admin):
    response = api_as(admin).post(
        "/api/v1/enrollments/", nested_object(DEEP), content_type="application/json"
    )
    assert response.status_code == 400
    assert "nests too deeply" in response.json()["detail"]


def test_the_depth_limit_says_so_in_the_callers_language():
    response = APIClient().post(
        "/api/v1/signup/", nested_list(DEEP), content_type="application/json", HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert response.status_code == 400
    with translation.override("ru"):
        expected = _("The request body nests too deeply (at most %(depth)d levels).") % {
            "depth": MAX_JSON_DEPTH
        }
    assert response.json()["detail"] == expected


def test_a_body_just_within_the_limit_reaches_the_serializer():
    body = json.dumps({"company_name": json.loads(nested_list(MAX_JSON_DEPTH - 1))})
    response = APIClient().post("/api/v1/signup/", body, content_type="application/json")
    assert response.status_code == 400
    assert "company_name" in response.json()


def test_depth_counts_lists_and_objects():
    assert _depth(1) == 0
    assert _depth({"a": [1, {"b": []}]}) == 4
    assert _depth(json.loads(nested_list(MAX_JSON_DEPTH + 1))) > MAX_JSON_DEPTH


# --- NUL in the path or the query string, on every route ------------------------------------------

_CONVERTER = re.compile(r"<(?:(\w+):)?\w+>")
_SAMPLES = {"int": "1", "uuid": str(uuid.UUID(int=1)), "path": "x/y"}


def _sample(route: str) -> str | None:
    """A path that matches the route, or None for a regular expression we cannot fill."""
    route = route.removeprefix("^").removesuffix("$").replace("\\Z", "").replace("\\.", ".")
    route = _CONVERTER.sub(lambda m: _SAMPLES.get(m.group(1) or "str", "x"), route)
    return None if re.search(r"[()\[\]?*+\\|]", route) else route


def all_routes(patterns=None, prefix="/") -> list[str]:
    """One sample path per route of the URL conf (tests/core: a route added is walked too)."""
    paths = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        part = _sample(str(entry.pattern))
        if part is None:
            continue
        if isinstance(entry, URLResolver):
            paths += all_routes(entry.url_patterns, prefix + part)
        elif isinstance(entry, URLPattern):
            paths.append(prefix + part)
    return sorted(set(paths))


def test_the_walk_finds_the_routes():
    routes = all_routes()
    assert len(routes) > 60
    assert {"/sign-in/", "/api/v1/enrollments/", "/admin/login/", "/healthz"} <= set(routes)


def _with_nul_in_path(path: str) -> str:
    return path[:-1] + "%00/" if path.endswith("/") else path + "%00"


@pytest.fixture(params=["anonymous", "admin"])
def caller(request):
    if request.param == "anonymous":
        return APIClient()
    client = APIClient()
    client.force_login(request.getfixturevalue("admin"))
    return client


def test_a_nul_anywhere_is_400_on_every_route(caller):
    failures = []
    for path in all_routes():
        for method, url in (
            ("get", f"{path}?q=%00"),
            ("get", f"{path}?status=a%00b&page=1"),
            ("get", f"{path}?%00=1"),
            ("get", _with_nul_in_path(path)),
            ("post", f"{path}?next=%00"),
        ):
            response = getattr(caller, method)(url)
            if response.status_code != 400:
                failures.append((method, url, response.status_code))
    assert not failures


def test_the_nul_answer_is_json_under_the_api_and_a_page_elsewhere():
    api = APIClient().get("/api/v1/enrollments/?status=%00")
    assert api["Content-Type"] == "application/json"
    assert "NUL" in api.json()["detail"]
    page = APIClient().get("/sign-in/?next=%00", HTTP_ACCEPT_LANGUAGE="ru")
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")
    assert 'lang="ru"' in page.content.decode()


def test_a_percent_sign_followed_by_zeros_is_not_a_nul():
    assert APIClient().get("/sign-in/?next=%2500").status_code == 200


# --- A POST without its trailing slash -------------------------------------------------------------


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_without_its_trailing_slash_is_a_404_naming_the_address(admin, application, debug, method):
    with override_settings(DEBUG=debug):
        response = getattr(api_as(admin), method)("/api/v1/enrollments", application, format="json")
    assert response.status_code == 404
    assert "/api/v1/enrollments/" in response.json()["detail"]


@pytest.mark.parametrize("debug", [False, True])
def test_a_page_posted_without_its_trailing_slash_is_the_404_page(client, debug):
    with override_settings(DEBUG=debug):
        response = client.post("/sign-in", {"username": "a", "password": "b"})
    assert response.status_code == 404
    assert "/sign-in/" in response.content.decode()


@pytest.mark.parametrize("debug", [False, True])
def test_a_read_without_its_trailing_slash_still_redirects(admin, debug):
    with override_settings(DEBUG=debug):
        response = api_as(admin).get("/api/v1/enrollments")
    assert (response.status_code, response["Location"]) == (301, "/api/v1/enrollments/")


def test_an_unknown_address_stays_a_plain_404(admin):
    assert api_as(admin).post("/api/v1/no-such-thing", {}, format="json").status_code == 404
