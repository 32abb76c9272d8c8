"""One exception handler for the whole API: domain errors become 400/403/404/409 (the pages' one
mapping is ``partnercenter.core.pages``)."""

import math

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from .l10n import join_sentences


def _as_text(errors):
    if isinstance(errors, dict):
        return {key: _as_text(value) for key, value in errors.items()}
    if isinstance(errors, (list, tuple)):
        return [_as_text(value) for value in errors]
    return str(errors)


def exception_handler(exc, context):
    if isinstance(exc, InvalidInput):
        return Response(_as_text(exc.errors), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, InvalidTransition):
        return Response(
            {"detail": str(exc.message), "code": exc.code, "status": exc.status},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, NotPermitted):
        exc = exceptions.PermissionDenied(str(exc.message))
    elif isinstance(exc, NotFound):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(_as_text(detail), status=status.HTTP_400_BAD_REQUEST)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        exc = _throttled(math.ceil(exc.wait))
    return drf_exception_handler(exc, context)


def _throttled(wait: int) -> exceptions.Throttled:
    """DRF formats the wait into its message before it looks the message up, so it is never
    translated; this looks up the catalog's plural and fills in the wait after."""
    detail = join_sentences(
        _("Request was throttled."),
        ngettext(
            "Expected available in {wait} second.", "Expected available in {wait} seconds.", wait
        ).format(wait=wait),
    )
    throttled = exceptions.Throttled(detail=detail)
    throttled.wait = wait  # the Retry-After header
    return throttled
