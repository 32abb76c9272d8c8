"""The API's rates counted inside Redis (``core.throttling``): the same answers as DRF's own
throttle (which requests pass, how long a refused one waits) at the same moments, one
round trip a request, and requests let through while Redis is away. Against the shared
Redis, under a key prefix of the test's own (nothing else is touched)."""

import uuid
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.test import RequestFactory, override_settings
from rest_framework.throttling import UserRateThrottle

from partnercenter.core.throttling import PortalAnonRateThrottle, PortalUserRateThrottle

START = 1_900_000_000.0  # a moment; the throttle reads the clock


class Portal(PortalUserRateThrottle):
    rate = "3/min"


class Drf(UserRateThrottle):
    rate = "3/min"


def in_redis(url=None):
    return override_settings(
        CACHES={
            **settings.CACHES,
            "default": {
                "BACKEND": "partnercenter.core.cache.FailOpenRedisCache",
                "LOCATION": url or settings.REDIS_URL,
                "KEY_PREFIX": f"throttle-test-{uuid.uuid4().hex}",
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            },
        }
    )


def answers(throttle_class, user, offsets) -> list:
    """For each moment (seconds after START): allowed, or the wait a refusal gives."""
    found = []
    for offset in offsets:
        with time_machine.travel(START + offset, tick=False):
            throttle = throttle_class()
            allowed = throttle.allow_request(SimpleNamespace(user=user), None)
            found.append(True if allowed else round(throttle.wait(), 3))
    return found


@pytest.fixture
def user():
    return SimpleNamespace(pk=uuid.uuid4(), is_authenticated=True)


OFFSETS = [0, 1, 2, 3, 30, 59.5, 60.5, 61, 61.5, 62, 62.5, 200]


def test_redis_gives_drf_s_answers_at_the_same_moments(user):
    expected = answers(Drf, user, OFFSETS)  # DRF's, on the suite's local cache
    assert expected[:4] == [True, True, True, 57.0] and expected[-1] is True
    with in_redis():
        redis = caches["default"]._cache.get_client(write=True)
        assert answers(Portal, user, OFFSETS) == expected
        (key,) = redis.keys(f"*throttle_user_{user.pk}:log")
        assert redis.zcard(key) == 1  # the history is in Redis: the request at 200 s
        redis.delete(key)


def test_one_round_trip_a_request(user):
    """Every command the client sends, once the script is loaded: one a request."""
    with in_redis():
        cache = caches["default"]
        client = cache._cache.get_client(write=True)
        assert answers(Portal, user, [0]) == [True]  # the first use loads the script
        commands = []
        original = client.execute_command
        client.execute_command = lambda *args, **kwargs: commands.append(args[0]) or original(*args, **kwargs)
        try:
            assert answers(Portal, user, [1, 2]) == [True, True]
        finally:
            del client.execute_command
        assert commands == ["EVALSHA", "EVALSHA"]
        client.delete(*client.keys(f"*throttle_user_{user.pk}:log"))


def test_redis_away_lets_requests_through(user):
    with in_redis("redis://127.0.0.1:1/0"):
        assert answers(Portal, user, [0, 1, 2, 3, 4]) == [True] * 5


def test_anonymous_requests_are_counted_by_address():
    class Anonymous(PortalAnonRateThrottle):
        rate = "1/min"

    request = RequestFactory().get("/api/v1/", REMOTE_ADDR=f"10.9.{uuid.uuid4().int % 250}.7")
    request.user = AnonymousUser()
    with in_redis(), time_machine.travel(START, tick=False):
        assert Anonymous().allow_request(request, None)
        refused = Anonymous()
        assert not refused.allow_request(request, None) and refused.wait() == 60.0
        client = caches["default"]._cache.get_client(write=True)
        client.delete(*client.keys(f"*throttle_anon_{request.META['REMOTE_ADDR']}:log"))


def test_a_history_drf_left_in_the_cache_is_no_error(user):
    """Deployed over DRF's throttle: its cached list, under its own key, stays beside ours."""
    with in_redis():
        cache = caches["default"]
        cache.set(f"throttle_user_{user.pk}", [START - 1, START - 2], 60)
        assert answers(Portal, user, [0]) == [True]
        client = cache._cache.get_client(write=True)
        client.delete(*client.keys(f"*throttle_user_{user.pk}*"))
