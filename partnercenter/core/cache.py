"""The Redis cache, failing open: while Redis is away the portal keeps answering.

Nothing the portal keeps in the cache is the only copy of a fact (the API throttle's
counts, at most): a read answers the default, a write is dropped, and a warning is logged
once per outage. After a failure the cache is not tried again for ``RETRY_AFTER`` seconds
(an OPTIONS entry, 5 by default), so an outage costs one failed connection every few
seconds, not one on every call. The throttle counts afresh when Redis is back: for the
few seconds of an outage it lets requests through rather than answering 500 to all.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Redis unreachable, refusing, timing out or still loading its data after a restart
# (BusyLoadingError is a ConnectionError). A wrong command is a bug and still raises.
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class ReusedClient(RedisCacheClient):
    """Django's client builds a new ``redis.Redis`` for every call, and with it a table of
    some 170 response callbacks: a quarter of a millisecond a call (issue 12). A
    ``redis.Redis`` is safe to share between threads (its pool hands each call a
    connection of its own, and a forked process gets a fresh pool): one per pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("RETRY_AFTER", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClient
        self._down_until = 0.0
        self._scripts = {}

    def _call(self, name, default, *args):
        return self._guarded(default, getattr(super(), name), *args)

    def _guarded(self, default, function, *args):
        if time.monotonic() < self._down_until:
            return default
        try:
            result = function(*args)
        except UNAVAILABLE as exc:
            if not self._down_until:
                logger.warning("The cache is unavailable (%s); carrying on without it", exc)
            self._down_until = time.monotonic() + self.retry_after
            return default
        if self._down_until:
            logger.warning("The cache is back")
            self._down_until = 0.0
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", delta, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", None)

    def script(self, source: str, keys: list[str], args: list, default=None):
        """What the Lua ``source`` returns, run in Redis on ``keys`` (named as this cache
        names its keys) in one round trip (EVALSHA, the script loaded on first use);
        ``default`` while Redis is away."""
        return self._guarded(default, self._script, source, keys, args)

    def _script(self, source: str, keys: list[str], args: list):
        client = self._cache.get_client(write=True)
        script = self._scripts.get((id(client), source))
        if script is None:
            script = self._scripts[(id(client), source)] = client.register_script(source)
        return script(keys=[self.make_and_validate_key(key) for key in keys], args=args)
