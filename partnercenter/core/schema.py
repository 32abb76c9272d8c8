"""The API schema (drf-spectacular) knows the portal's session authentication as DRF's
(``partnercenter.core.drf.SessionAuthentication`` only translates its CSRF message).
Imported when the app is ready."""

from drf_spectacular.authentication import SessionScheme


class PortalSessionScheme(SessionScheme):
    target_class = "partnercenter.core.drf.SessionAuthentication"
