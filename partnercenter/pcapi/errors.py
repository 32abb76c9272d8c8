"""Errors in Partner Center's shape: ``{"code", "description", "data": [], "source"}``, one
handler for every ``/v1/`` view (``PartnerCenterView.get_exception_handler``).

The codes are Partner Center's where it publishes them (2000 bad input, 3000 not found); the
others are the HTTP status (docs/partner-center-api.md lists them). A 400 lists each field
in ``data`` as ``{"field", "description"}``, with the field named as the caller sent it
(``field_names`` renames the services' fields).
"""

import contextlib
import logging
import math

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from partnercenter.core.api import _throttled
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted

SOURCE = "PartnerFD"
INVALID_INPUT = 2000
NOT_FOUND = 3000

logger = logging.getLogger("partnercenter.pcapi")


class PartnerCenterError(Exception):
    """An answer a resource gives in its own words: ``PartnerCenterError(409, 1001, _("..."))``."""

    def __init__(self, status_code: int, code: int, description, data: list | None = None, headers=None):
        super().__init__(str(description))
        self.status_code, self.code, self.description = status_code, code, description
        self.data = data or []
        self.headers = headers or {}


def error_response(status_code: int, code: int, description, data=None, headers=None) -> Response:
    body = {"code": code, "description": str(description), "data": data or [], "source": SOURCE}
    return Response(body, status=status_code, headers=headers)


def _field_errors(errors, prefix: str = "") -> list[dict]:
    """``{"a": {"b": ["x"]}, "c": ["y"]}`` -> ``[{"field": "a.b", ...}, {"field": "c", ...}]``."""
    found: list[dict] = []
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = key if key in ("non_field_errors", "__all__") else f"{prefix}{key}"
            found += _field_errors(value, "" if name in ("non_field_errors", "__all__") else f"{name}.")
        return found
    if isinstance(errors, (list, tuple)):
        if all(not isinstance(value, (dict, list, tuple)) for value in errors):
            field = prefix.rstrip(".")
            return (
                [{"field": field, "description": " ".join(str(value) for value in errors)}] if errors else []
            )
        for index, value in enumerate(errors):
            found += _field_errors(value, f"{prefix}{index}.")
        return found
    return [{"field": prefix.rstrip("."), "description": str(errors)}]


def invalid_input(errors) -> Response:
    data = _field_errors(errors)
    description = " ".join(
        f"{item['field']}: {item['description']}" if item["field"] else item["description"] for item in data
    ) or _("The request is not valid.")
    return error_response(status.HTTP_400_BAD_REQUEST, INVALID_INPUT, description[:1024], data)


@contextlib.contextmanager
def field_names(mapping: dict[str, str]):
    """Renames the fields of an ``InvalidInput`` a service raises to the names the caller
    sent (``{"domain_prefix": "companyProfile.domain"}``); others keep theirs."""
    try:
        yield
    except InvalidInput as exc:
        raise InvalidInput({mapping.get(key, key): value for key, value in exc.errors.items()}) from exc


def exception_handler(exc, context):
    if isinstance(exc, PartnerCenterError):
        return error_response(exc.status_code, exc.code, exc.description, exc.data, exc.headers)
    if isinstance(exc, InvalidInput):
        return invalid_input(exc.errors)
    if isinstance(exc, exceptions.ValidationError):
        return invalid_input(exc.detail if isinstance(exc.detail, (dict, list)) else [exc.detail])
    if isinstance(exc, DjangoValidationError):
        return invalid_input(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, exceptions.ParseError):
        return error_response(400, INVALID_INPUT, exc.detail)
    if isinstance(exc, (NotFound, Http404, exceptions.NotFound)):
        return error_response(404, NOT_FOUND, _("The requested resource was not found."))
    if isinstance(exc, InvalidTransition):
        return error_response(409, 409, exc.message, [{"field": "status", "description": exc.status}])
    if isinstance(exc, NotPermitted):
        return error_response(403, 403, exc.message)
    if isinstance(exc, (PermissionDenied, exceptions.PermissionDenied)):
        return error_response(403, 403, getattr(exc, "detail", None) or _("You do not have permission."))
    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        view = context.get("view")
        request = context.get("request")
        header = view.get_authenticate_header(request) if view is not None and request is not None else None
        return error_response(401, 401, exc.detail, headers={"WWW-Authenticate": header} if header else None)
    if isinstance(exc, exceptions.Throttled):
        wait = math.ceil(exc.wait) if exc.wait is not None else None
        detail = _throttled(wait).detail if wait is not None else exc.detail
        return error_response(
            429, 429, detail, headers={"Retry-After": str(wait)} if wait is not None else None
        )
    if isinstance(exc, exceptions.APIException):  # 405, 406, 415: DRF's own, in our shape
        return error_response(exc.status_code, exc.status_code, exc.detail)
    return None  # a bug: Django's 500 page and the log, never hidden
