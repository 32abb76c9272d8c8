"""Defence in depth (issue 13): a Content-Security-Policy that refuses inline script and
style, and a Permissions-Policy, on every page and API answer; and no template (nor any
rendered page) that needs an inline script or style, so the policy costs nothing.

Emails are not pages: mail clients drop <style> and linked CSS, so their templates keep
inline styles, and no Content-Security-Policy applies to them."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from tests.conftest import api_as
from tests.core.test_never_500 import all_routes

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
EMAILS = TEMPLATES / "emails"

INLINE = {
    "a style= attribute": re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.S),
    "a <style> element": re.compile(r"<style[\s>]", re.I),
    "a <script> without src": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I),
    "an on...= event handler": re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.S),
    "a javascript: address": re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I),
}


def inline_code(html: str) -> list[str]:
    """What in ``html`` the policy would refuse; <script type="application/json"> is data."""
    html = re.sub(r"<script[^>]*type=\"application/json\"[^>]*>.*?</script>", "", html, flags=re.S | re.I)
    html = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", html, flags=re.S)
    return [what for what, pattern in INLINE.items() if pattern.search(html)]


def page_templates() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*.html") if EMAILS not in p.parents)


def test_the_walk_finds_the_templates():
    names = {p.relative_to(TEMPLATES).as_posix() for p in page_templates()}
    assert {"base.html", "review/queue.html", "core/api_docs.html"} <= names
    assert not any(name.startswith("emails/") for name in names)


@pytest.mark.parametrize(
    "html",
    [
        '<div style="width:1px">',
        '<td\n  class="x" style="a">',
        "<style>p{}</style>",
        "<script>alert(1)</script>",
        "<script defer>go()</script>",
        '<button onclick="go()">',
        '<a href="javascript:go()">',
    ],
)
def test_the_check_finds_inline_code(html):
    assert inline_code(html)


def test_the_check_lets_scripts_from_files_and_data_through():
    html = (
        '<script src="/static/js/portal.js" defer></script><script type="application/json" id="d">{}</script>'
    )
    assert inline_code(html + '<input data-style="x" data-percent="5">') == []


def test_no_page_template_has_inline_script_or_style():
    found = {p.relative_to(TEMPLATES).as_posix(): inline_code(p.read_text()) for p in page_templates()}
    assert {name: what for name, what in found.items() if what} == {}


# --- The headers -------------------------------------------------------------------------------


def _directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def assert_policies(response):
    directives = _directives(response)
    for name in ("default-src", "script-src", "style-src"):
        assert directives[name] == ["'self'"], (name, directives[name])
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_a_page_has_both_policies(client):
    response = client.get("/sign-in/")
    assert response.status_code == 200
    assert_policies(response)


def test_a_signed_in_page_and_an_error_page_have_them(client, admin):
    client.force_login(admin)
    assert_policies(client.get("/"))
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert_policies(missing)


def test_the_api_has_both_policies(admin):
    assert_policies(APIClient().get("/api/v1/me/"))  # 401
    response = api_as(admin).get("/api/v1/me/")
    assert response.status_code == 200
    assert_policies(response)


def test_the_api_docs_run_under_the_policy(client):
    """Swagger UI from the portal's own static files, its script from a file, not inline."""
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    assert_policies(response)
    html = response.content.decode()
    assert inline_code(html) == []
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/") for source in sources), sources
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


# --- Every page as rendered -------------------------------------------------------------------------


@pytest.fixture(params=["anonymous", "admin", "staff"])
def browser_client(request, client):
    if request.param != "anonymous":
        user = request.getfixturevalue(request.param)
        if request.param == "staff":
            user.is_superuser = True
            user.save(update_fields=["is_superuser"])
        client.force_login(user)
    return client


def test_no_rendered_page_has_inline_script_or_style(browser_client):
    """Every route of the URL conf, as each caller sees it: HTML without inline code."""
    found = {}
    for path in all_routes():
        if path.startswith("/api/v1/") and path != "/api/v1/docs/":
            continue  # JSON (the schema, slow to build, is YAML): the headers are tested above
        response = browser_client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            assert_policies(response)
            if what := inline_code(response.content.decode()):
                found[path] = what
    assert found == {}
