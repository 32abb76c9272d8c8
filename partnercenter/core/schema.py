"""The API schema (drf-spectacular), in one place:

- ``PortalSessionScheme``: the portal's session authentication is DRF's
  (``partnercenter.core.drf.SessionAuthentication`` only translates its CSRF message);
- ``PortalBearerScheme``: an OAuth 2.0 access token from ``POST /oauth2/token``
  (``partnercenter.accounts.api.authentication.BearerAuthentication``);
- ``PortalAutoSchema`` (``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]``): every operation
  documents the error answers API.md promises, by rule, so that a new view documents them
  without a line of its own. What a view declares itself (``extend_schema(responses=...)``)
  wins. The rules follow where each answer comes from:

  - 400 ``ValidationError``: an operation that takes input (a body or parameters);
  - 401 ``Error``: an operation that reads credentials (a wrong token is refused even where
    no sign-in is needed);
  - 403 ``Error``: an operation that needs a signed-in user (a role, a temporary password)
    or that changes state (the session's CSRF check);
  - 404 ``Error``: a path with an object in it, a page of a list past its end, or an
    operation that needs a signed-in user (another partner's object, or none: a user
    without a partner asking for "its" partner);
  - 409 ``Conflict``: an operation that changes state (``InvalidTransition``);
  - 429 ``Error`` with ``Retry-After``: an operation under a throttle.

Imported when the app is ready (``CoreConfig.ready``).
"""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import permissions


class PortalSessionScheme(SessionScheme):
    target_class = "partnercenter.core.drf.SessionAuthentication"


class PortalBearerScheme(OpenApiAuthenticationExtension):
    target_class = "partnercenter.accounts.api.authentication.BearerAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "An access token from POST /oauth2/token (grant_type=client_credentials, the "
                "client ID and secret of an app your global admin registered: "
                "/api/v1/partner/apps/). It acts as that global admin."
            ),
        }


_MESSAGE = {"type": "string", "description": "What went wrong and what to do, in the caller's language."}

ERROR_COMPONENTS = {
    "Error": {
        "type": "object",
        "description": "A refusal with its reason.",
        "properties": {"detail": _MESSAGE},
        "required": ["detail"],
    },
    "ValidationError": {
        "type": "object",
        "description": (
            "Bad input, field by field, nested as the input is nested: "
            '`{"primary_contact": {"email": ["..."]}}`. A rule that spans fields is under '
            "`non_field_errors`; a body that could not be read is under `detail`."
        ),
        "additionalProperties": {
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {}},
                {"type": "object"},
            ]
        },
    },
    "Conflict": {
        "type": "object",
        "description": "The object's current state does not allow the action.",
        "properties": {
            "detail": _MESSAGE,
            "code": {"type": "string", "enum": ["invalid_transition"]},
            "status": {"type": "string", "description": "The object's current status."},
        },
        "required": ["detail", "code", "status"],
    },
}

ERROR_DESCRIPTIONS = {
    "400": ("ValidationError", "Bad input, field by field."),
    "401": ("Error", "No credentials, or wrong ones."),
    "403": ("Error", "Your role may not do this (or the CSRF check of a session failed)."),
    "404": ("Error", "Not found, or another partner's."),
    "409": ("Conflict", "The current state does not allow this action."),
    "429": ("Error", "Throttled: try again after Retry-After seconds."),
}

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _has_query_parameter(operation, name: str) -> bool:
    return any(p.get("in") == "query" and p.get("name") == name for p in operation.get("parameters", []))


class PortalAutoSchema(AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for code in self.error_statuses(operation):
            responses.setdefault(code, self._error_response(code))
        return operation

    def error_statuses(self, operation) -> list[str]:
        """The error statuses this operation may answer (the module's docstring says why)."""
        anonymous = {permissions.AllowAny} & {p.__class__ for p in self.view.get_permissions()}
        changes_state = self.method in UNSAFE_METHODS
        codes = []
        if operation.get("requestBody") or operation.get("parameters"):
            codes.append("400")
        if self.view.get_authenticators():
            codes.append("401")
        if not anonymous or changes_state:
            codes.append("403")
        if not anonymous or "{" in self.path or _has_query_parameter(operation, "page"):
            codes.append("404")
        if changes_state:
            codes.append("409")
        if self.view.get_throttles():
            codes.append("429")
        return codes

    def _error_response(self, code: str) -> dict:
        name, description = ERROR_DESCRIPTIONS[code]
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=ERROR_COMPONENTS[name]
        )
        self.registry.register_on_missing(component)
        response = {"description": description, "content": {"application/json": {"schema": component.ref}}}
        if code == "429":
            response["headers"] = {
                "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}
            }
        return response
