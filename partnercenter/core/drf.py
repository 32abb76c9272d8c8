"""DRF's JSON parser and session authentication, saying what went wrong in the caller's
language where DRF's own pass on English text (settings.REST_FRAMEWORK names them). Kept
apart from ``api`` (the exception handler): DRF imports these while ``rest_framework.views``
is still loading."""

import json

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions, parsers

# No body the API takes nests deeper than a few levels; a deeper one is refused before it
# reaches code that walks it recursively (a RecursionError would be a 500).
MAX_JSON_DEPTH = 32


class JSONParser(parsers.JSONParser):
    """A body that is not JSON gets a translated message with the position of the fault,
    instead of "JSON parse error - " and the json module's English. A body nested deeper
    than MAX_JSON_DEPTH is a 400 too (issue 13: 1,000 levels answered 500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise _too_deep() from None
        except exceptions.ParseError as exc:
            cause = exc.__context__
            if isinstance(cause, json.JSONDecodeError):
                message = _("The request body is not valid JSON (line %(line)d, column %(column)d).") % {
                    "line": cause.lineno,
                    "column": cause.colno,
                }
            else:
                message = _("The request body is not valid JSON in UTF-8.")
            raise exceptions.ParseError(message) from cause
        if _depth(data) > MAX_JSON_DEPTH:
            raise _too_deep()
        return data


def _too_deep() -> exceptions.ParseError:
    return exceptions.ParseError(
        _("The request body nests too deeply (at most %(depth)d levels).") % {"depth": MAX_JSON_DEPTH}
    )


def _depth(data) -> int:
    """How deeply lists and objects nest in ``data``, walked without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_JSON_DEPTH:
                return depth
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return deepest


class SessionAuthentication(authentication.SessionAuthentication):
    """A request signed in with the session cookie but without its CSRF token is told so in
    the caller's language (DRF passes on the English reason of Django's CSRF check)."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(
                _(
                    "CSRF check failed: a request signed in with the session cookie must send the "
                    "X-CSRFToken header. Or authenticate with an API token."
                )
            ) from None
