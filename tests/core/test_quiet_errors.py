"""No dead ends in the log either: every browser's /favicon.ico is the portal's icon (never
a 404), and a refused request (403) is one log line, never a traceback, whether Django
refuses it (``PermissionDenied``, the admin) or a service (``NotPermitted``); a server error
keeps its traceback."""

import io
import logging

import pytest
from django.conf import settings
from django.urls import path

from partnercenter import urls as portal_urls
from partnercenter.core.errors import NotPermitted

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.test_quiet_errors")]


def refuse(request):
    raise NotPermitted("Only the treasurer may sign this.")


def fail(request):
    raise RuntimeError("the ledger is on fire")


urlpatterns = [
    path("quiet/refuse/", refuse),
    path("quiet/fail/", fail),
    *portal_urls.urlpatterns,
]


# --- The favicon ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "head"])
def test_favicon_is_served(client, method):
    response = getattr(client, method)("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age=" in response["Cache-Control"]
    if method == "get":
        icon = b"".join(response.streaming_content)
        assert icon == (settings.BASE_DIR / "static" / "favicon.ico").read_bytes()
        # An ICO file: reserved 0, type 1, at least one image.
        assert icon[:4] == b"\0\0\1\0" and icon[4] >= 1


def test_favicon_is_served_to_the_anonymous_and_the_signed_in_alike(client, admin):
    client.force_login(admin)
    assert client.get("/favicon.ico").status_code == 200


# --- One line per refusal ------------------------------------------------------------------------


@pytest.fixture
def console():
    """What the console handler of ``settings.LOGGING`` writes (the one `make run` and the
    production processes log through), for the duration of the test."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.StreamHandler) and h.name == "console"
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def lines(stream) -> list[str]:
    return [line for line in stream.getvalue().splitlines() if line.strip()]


def test_django_permission_denied_is_one_line_without_traceback(client, staff, console):
    # Staff without permissions on a model: the admin raises PermissionDenied.
    client.force_login(staff)
    response = client.get("/admin/enrollment/enrollment/")
    assert response.status_code == 403
    logged = lines(console)
    assert len(logged) == 1, logged
    assert "Forbidden (Permission denied): /admin/enrollment/enrollment/" in logged[0]
    assert "Traceback" not in console.getvalue()


def test_a_services_refusal_is_one_line(client, admin, console):
    client.force_login(admin)
    response = client.get("/quiet/refuse/")
    assert response.status_code == 403
    assert "Only the treasurer may sign this." in response.content.decode()
    logged = lines(console)
    assert len(logged) == 1, logged
    assert "Forbidden: /quiet/refuse/" in logged[0]


def test_an_api_refusal_is_one_line(employee, console):
    from tests.conftest import api_as

    response = api_as(employee).get("/api/v1/partner/users/")
    assert response.status_code == 403
    logged = lines(console)
    assert len(logged) == 1, logged
    assert "Forbidden: /api/v1/partner/users/" in logged[0]


def test_a_server_error_keeps_its_traceback(client, console):
    client.raise_request_exception = False
    response = client.get("/quiet/fail/")
    assert response.status_code == 500
    assert "Internal Server Error: /quiet/fail/" in console.getvalue()
    assert "Traceback" in console.getvalue()
    assert "the ledger is on fire" in console.getvalue()
