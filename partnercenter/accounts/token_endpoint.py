"""``POST /oauth2/token``: django-oauth-toolkit's token endpoint, hardened.

- **Throttled per client** (IP address, ``core.client_ip``: the API throttle's and the
  sign-in lockout's rule), at the rate of every credentials endpoint (REST_FRAMEWORK's
  ``credentials``, ``THROTTLE_CREDENTIALS``, 10/min): a client secret is guessed no faster
  than a password. Over it: 429 with ``Retry-After``. The counts live in the cache, which
  fails open (``core.cache``): while Redis is away requests go through uncounted, never a 500.
- **Partner Center's ``resource``** (``resource=https://api.partnercenter.microsoft.com``,
  which Azure AD's ``/oauth2/token`` takes) is accepted and ignored. Left in, the toolkit
  would read it as an RFC 8707 resource indicator: a token bound to that audience, refused
  by the portal's own API, or ``invalid_target`` for a value that is no URL.
"""

import json
import math

from django.http import HttpResponse
from django.utils.translation import ngettext
from oauth2_provider.views import TokenView as ToolkitTokenView
from rest_framework.throttling import SimpleRateThrottle

from partnercenter.core.client_ip import client_ip

IGNORED_PARAMETERS = ("resource",)


class TokenEndpointThrottle(SimpleRateThrottle):
    """The credentials rate, counted per client IP address apart from the sign-ins."""

    scope = "credentials"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": "oauth2_token", "ident": client_ip(request) or "unknown"}


class TokenView(ToolkitTokenView):
    throttle_class = TokenEndpointThrottle

    def post(self, request, *args, **kwargs):
        throttle = self.throttle_class()
        if not throttle.allow_request(request, self):
            return self.throttled(throttle.wait())
        if any(name in request.POST for name in IGNORED_PARAMETERS):
            params = request.POST.copy()
            for name in IGNORED_PARAMETERS:
                params.pop(name, None)
            params._mutable = False
            request.POST = params
        return super().post(request, *args, **kwargs)

    def throttled(self, wait) -> HttpResponse:
        """429 in the shape of the endpoint's other errors (RFC 6749, section 5.2)."""
        seconds = max(1, math.ceil(wait or 1))
        body = {
            "error": "temporarily_unavailable",
            "error_description": ngettext(
                "Too many token requests from your address. Try again in %(seconds)d second.",
                "Too many token requests from your address. Try again in %(seconds)d seconds.",
                seconds,
            )
            % {"seconds": seconds},
        }
        response = HttpResponse(json.dumps(body), status=429, content_type="application/json")
        response["Retry-After"] = str(seconds)
        response["Cache-Control"] = "no-store"
        return response
