"""Requests no view should see, answered before any view does (issue 13: never a 500).

- ``RejectNulMiddleware``, first of all: a NUL character in the path or the query string
  is a 400. PostgreSQL refuses NUL in text, so any view that filtered on it answered 500.
- ``CommonMiddleware``: Django's, except that a POST (PUT, PATCH, DELETE) to an address
  without its trailing slash is a 404 that names the address with the slash. Django
  would raise a RuntimeError in DEBUG and otherwise redirect, which drops the body.
"""

from django.middleware import common
from django.utils import translation
from django.utils.translation import gettext as _

from .errors import NotFound

UNSAFE_METHODS = frozenset({"DELETE", "POST", "PUT", "PATCH"})


def _has_nul(request) -> bool:
    if "\x00" in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
    )


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            from .views import error_response

            # Before LocaleMiddleware: the answer is still in the caller's language.
            with translation.override(translation.get_language_from_request(request)):
                return error_response(
                    request, 400, _("The address contains a NUL character, which is not allowed."), "400.html"
                )
        return self.get_response(request)


class CommonMiddleware(common.CommonMiddleware):
    def process_response(self, request, response):
        if (
            response.status_code == 404
            and request.method in UNSAFE_METHODS
            and self.should_redirect_with_slash(request)
        ):
            from .views import page_not_found

            path = request.path + "/"
            return page_not_found(
                request,
                NotFound(
                    _("This address ends without its slash: send the request to %(path)s instead.")
                    % {"path": path}
                ),
            )
        return super().process_response(request, response)
