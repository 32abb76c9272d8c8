"""/healthz: 200 when the database and the broker answer, 503 (and which one) when not."""

import socket

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper

from partnercenter.celery import app as celery_app

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A local port that nothing listens on: bind one, note it, let it go."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def database_down(monkeypatch):
    def execute(self, sql, params=None):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")

    monkeypatch.setattr(CursorWrapper, "execute", execute)


def test_healthy(client, settings):
    assert settings.CELERY_BROKER_URL.startswith("redis://")  # a real Redis, not a stub

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_broker_unreachable(client, settings, monkeypatch):
    # The Celery app read its configuration (CELERY_BROKER_URL) when it was first used,
    # so changing the Django setting now would not reach it: patch the app's own.
    monkeypatch.setattr(celery_app.conf, "broker_url", f"redis://127.0.0.1:{closed_port()}/15")

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["broker"].startswith("error: ")

    monkeypatch.undo()
    assert celery_app.conf.broker_url == settings.CELERY_BROKER_URL
    assert client.get("/healthz").status_code == 200


def test_database_unreachable(client, database_down):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error: OperationalError", "broker": "ok"}
