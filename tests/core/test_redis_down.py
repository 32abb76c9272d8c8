"""Redis down is never a 500 (issue 13): with the broker and the cache away the API and the
pages keep answering, a submission and a confirmation are saved, and their emails and
checks go out exactly once when Redis is back, sent by the periodic sweeps.

The test runs its own ``redis-server`` on a free port (never the shared one), points the
cache and the Celery broker at it, with tasks published for real (not eager), and stops
and restarts it in the middle of the journey."""

import json
import os
import re
import select
import socket
import subprocess
import sys
import time

import pytest
import redis
from django.conf import settings
from django.core import mail
from django.test import override_settings
from rest_framework.test import APIClient

from enrollment.models import Enrollment, EnrollmentStatus
from enrollment.tasks import enrollments_sweep
from partnercenter.celery import app as celery_app
from partnercenter.core.cache import FailOpenRedisCache
from partnercenter.notifications.models import Notification
from partnercenter.notifications.tasks import notifications_send_due
from tests.conftest import api_as

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/verify-email/([A-Za-z0-9_-]+)/")
# A publish with the broker away gives up within this (retry policy and connect timeout):
# generous, so that a slow machine does not fail it, and far below a request's patience.
PUBLISH_BOUND_SECONDS = 5


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A throwaway redis-server on its own port: started, stopped and started again."""

    def __init__(self, directory):
        self.port = _free_port()
        self.directory = directory
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--dir", str(self.directory), "--loglevel", "notice"]
        # Without the suite's fake clock (make test-calendar's libfaketime breaks redis-server).
        env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD" and not k.startswith("FAKETIME")}
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, bufsize=0, env=env)  # noqa: S603
        # Wait for its own "ready" line (no fixed sleep), bounded.
        output, deadline = b"", time.monotonic() + 10
        while b"Ready to accept connections" not in output and time.monotonic() < deadline:
            readable, _, _ = select.select([self.process.stdout], [], [], deadline - time.monotonic())
            chunk = os.read(self.process.stdout.fileno(), 4096) if readable else b""
            if not chunk and self.process.poll() is not None:
                break
            output += chunk
        if b"Ready to accept connections" not in output:
            self.stop()
            raise RuntimeError(f"redis-server did not start on port {self.port}: {output[-500:]!r}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        if self.process:
            self.process.stdout.close()
        self.process = None


def _reset_celery_connections():
    # Celery keeps its connection and producer pools once made (celery.app.base._after_fork).
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def redis_server(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    caches = {
        "default": {
            "BACKEND": "partnercenter.core.cache.FailOpenRedisCache",
            "LOCATION": server.url,
            # Tried again at once after a failure, so the test sees Redis come back at once.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, "RETRY_AFTER": 0},
        },
        "fragments": settings.CACHES["fragments"],
    }
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=server.url, task_always_eager=False)
    _reset_celery_connections()
    try:
        with override_settings(CACHES=caches):
            yield server
    finally:
        server.stop()
        celery_app.conf.update(**saved)
        _reset_celery_connections()


def _timed(call):
    started = time.monotonic()
    response = call()
    assert time.monotonic() - started < PUBLISH_BOUND_SECONDS, "the request hung on the broker"
    return response


def _ok(response, status=200):
    assert response.status_code == status, (response.status_code, getattr(response, "data", response))
    return response


def test_the_journey_survives_redis_going_away(redis_server, admin, application, committed, client):

    api = api_as(admin)
    client.force_login(admin)

    # Redis is up: the throttle counts in it, a page answers.
    _ok(api.get("/api/v1/me/"))
    assert any(b"throttle" in key for key in _redis_keys(redis_server))

    # Redis goes away: the submission is saved and answered 201, the email waits.
    redis_server.stop()
    with committed():
        created = _ok(_timed(lambda: api.post("/api/v1/enrollments/", application, format="json")), 201)
    enrollment = Enrollment.objects.get(pk=created.data["id"])
    assert enrollment.status == EnrollmentStatus.PENDING_EMAIL_VERIFICATION
    assert mail.outbox == []
    assert Notification.objects.get().status == Notification.Status.PENDING
    _ok(api.get(f"/api/v1/enrollments/{enrollment.pk}/"))
    _ok(client.get("/"))

    # Redis is back: the sweep sends the email once, and a second sweep sends nothing.
    redis_server.start()
    notifications_send_due()
    notifications_send_due()
    assert [message.to for message in mail.outbox] == [["jonas@fabrikam.de"]]
    token = LINK.search(mail.outbox[0].body).group(1)

    # Redis goes away again: the confirmation is saved, its checks and email wait.
    redis_server.stop()
    with committed():
        confirmed = _timed(
            lambda: APIClient().post("/api/v1/email-verifications/", {"token": token}, format="json")
        )
    assert _ok(confirmed).data["status"] == "in_review"
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.IN_REVIEW
    assert enrollment.checks_started_at is None
    sent_before = len(mail.outbox)
    _ok(client.get("/"))

    # Redis is back: the sweeps run the checks and send what waited, each once.
    redis_server.start()
    for _ in range(2):
        enrollments_sweep()
        notifications_send_due()
    enrollment.refresh_from_db()
    assert enrollment.checks_started_at is not None
    assert enrollment.checks.exclude(result="pending").exists()
    waited = Notification.objects.exclude(pk=Notification.objects.order_by("created_at").first().pk)
    assert waited.exists()
    assert set(waited.values_list("status", flat=True)) == {Notification.Status.SENT}
    assert len(mail.outbox) == sent_before + waited.count()
    keys = [notification.idempotency_key for notification in Notification.objects.all()]
    assert len(keys) == len(set(keys))

    # And the throttle counts in Redis again.
    _ok(api.get("/api/v1/me/"))
    assert any(b"throttle" in key for key in _redis_keys(redis_server))


def _redis_keys(server) -> list[bytes]:
    return redis.Redis.from_url(server.url).keys("*")


def test_the_cache_answers_its_defaults_while_redis_is_away(redis_server):
    cache = FailOpenRedisCache(redis_server.url, {"OPTIONS": {"RETRY_AFTER": 0, "socket_connect_timeout": 1}})
    cache.set("seen", [1, 2])
    assert cache.get("seen") == [1, 2]
    redis_server.stop()
    assert cache.get("seen", "default") == "default"
    assert cache.set("seen", [3]) is None
    assert cache.add("other", 1) is False
    assert cache.get_many(["seen"]) == {}
    assert cache.incr("count") == 1
    assert cache.delete("seen") is False
    redis_server.start()
    assert cache.add("other", 1) is True
    assert cache.get("other") == 1


def test_after_a_failure_the_cache_waits_before_trying_again(redis_server):
    cache = FailOpenRedisCache(redis_server.url, {"OPTIONS": {"RETRY_AFTER": 3600}})
    redis_server.stop()
    assert cache.get("key", "default") == "default"
    redis_server.start()
    # Within RETRY_AFTER of the failure the cache is not tried: still the default.
    cache.set("key", "value")
    assert cache.get("key", "default") == "default"


def test_with_redis_configured_the_settings_fail_open_and_bound_the_publish():
    """What a deployment gets from REDIS_URL (base settings, not the suite's locmem cache)."""
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps("
        "[s.CACHES['default'], s.CELERY_TASK_PUBLISH_RETRY_POLICY, s.CELERY_BROKER_CONNECTION_TIMEOUT,"
        " s.CELERY_BROKER_TRANSPORT_OPTIONS]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "partnercenter.settings.local",
        "REDIS_URL": "redis://r:6379/0",
    }
    output = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout
    cache, retry, connect_timeout, transport = json.loads(output.strip().splitlines()[-1])
    assert cache["BACKEND"] == "partnercenter.core.cache.FailOpenRedisCache"
    assert cache["OPTIONS"]["socket_connect_timeout"] <= 1 and cache["OPTIONS"]["socket_timeout"] <= 1
    # At most about a second of retries on top of the connection attempts.
    assert retry["max_retries"] <= 2 and retry["interval_max"] <= 0.5
    assert connect_timeout <= 2 and transport["socket_connect_timeout"] <= 2


def test_the_cache_keeps_one_redis_client_that_threads_share(redis_server):
    """Not a new ``redis.Redis`` on every call (issue 12), and the one kept serves every
    thread and outlives a restart of Redis."""
    import threading

    cache = FailOpenRedisCache(redis_server.url, {"OPTIONS": {"RETRY_AFTER": 0, "socket_connect_timeout": 1}})
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    seen = []
    writer = threading.Thread(target=lambda: cache.set("shared", "from a thread"))
    writer.start()
    writer.join()
    reader = threading.Thread(target=lambda: seen.append(cache.get("shared")))
    reader.start()
    reader.join()
    assert seen == ["from a thread"]
    redis_server.stop()
    redis_server.start()
    cache.set("after", 1)
    assert cache.get("after") == 1
