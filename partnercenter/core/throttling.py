"""The API's rates (DRF's anonymous and per-user throttles) counted inside Redis.

DRF keeps each client's history, the time of every request of the last period, as one
cached list: a request reads it and writes it back whole, two round trips and up to
``num_requests`` times (1,200 a minute for a user) pickled both ways, 0.5 ms of an API
request on the bench's machine (issue 12). Here the same history is a sorted set in Redis
and one Lua script does what ``SimpleRateThrottle.allow_request`` does, in one round trip:
drop the times older than the period, refuse when ``num_requests`` are left, else add this
one. The rules are DRF's, and so is the wait a refusal gives (when the oldest time leaves
the period). On any other cache (the local one of ``make run`` and the suite) the
throttles are DRF's own; while Redis is away they let requests through, as the cache does."""

import secrets

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

# KEYS[1]: the client's history. ARGV: now, the period (s), num_requests, this request's member.
# Returns {1} when allowed, {0, the oldest time} when refused.
SLIDING_LOG = """
local key, now, period, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - period)
if redis.call('ZCARD', key) >= limit then
  return {0, redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2]}
end
redis.call('ZADD', key, now, ARGV[4])
redis.call('EXPIRE', key, math.ceil(period))
return {1}
"""


class CountedInRedis:
    """A ``SimpleRateThrottle`` whose history is kept and checked inside Redis."""

    oldest = None  # of a refused request's history

    def allow_request(self, request, view):
        script = getattr(self.cache, "script", None)  # FailOpenRedisCache's (core.cache)
        if self.rate is None or script is None:
            return super().allow_request(request, view)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        member = f"{self.now!r}:{secrets.token_hex(4)}"  # two requests in the same instant count twice
        # Beside DRF's key, not in it: a list DRF cached there would be the wrong type of value.
        key = f"{self.key}:log"
        found = script(SLIDING_LOG, [key], [self.now, self.duration, self.num_requests, member])
        if not found or found[0]:  # allowed, or Redis is away
            return True
        self.oldest = float(found[1])
        return self.throttle_failure()

    def wait(self):
        if self.oldest is None:
            return super().wait()
        return max(self.duration - (self.now - self.oldest), 0.0)


class PortalAnonRateThrottle(CountedInRedis, AnonRateThrottle):
    pass


class PortalUserRateThrottle(CountedInRedis, UserRateThrottle):
    pass
