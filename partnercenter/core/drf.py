"""DRF's JSON parser and session authentication, saying what went wrong in the caller's
language where DRF's own pass on English text (settings.REST_FRAMEWORK names them). Kept
apart from ``api`` (the exception handler): DRF imports these while ``rest_framework.views``
is still loading."""

import json

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions, parsers


class JSONParser(parsers.JSONParser):
    """A body that is not JSON gets a translated message with the position of the fault,
    instead of "JSON parse error - " and the json module's English."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
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
