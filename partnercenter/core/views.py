"""Error pages (JSON under /api/), the favicon and the development outbox."""

from django.conf import settings
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from partnercenter.core.errors import NotFound
from partnercenter.notifications.delivery import render as render_notification
from partnercenter.notifications.models import Notification


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def error_response(request, status: int, detail: str, template: str, **context):
    """An error answer: JSON {"detail": ...} under /api/, else the page `template`."""
    if _is_api(request):
        return JsonResponse({"detail": detail}, status=status)
    return render(request, template, {"detail": detail, **context}, status=status)


def bad_request(request, exception=None):
    return error_response(
        request, 400, _("The request could not be understood. Go back and try again."), "400.html"
    )


def permission_denied(request, exception=None):
    """403: the reason of a domain refusal (``NotPermitted``) or of ``PermissionDenied``."""
    message = str(getattr(exception, "message", "") or exception or "") or _(
        "Your role does not allow this. Ask your global admin."
    )
    return error_response(request, 403, message, "403.html")


def page_not_found(request, exception=None):
    """404: a domain ``NotFound`` says what was not found; Django's own 404 never does (its
    message is for developers)."""
    if isinstance(exception, NotFound):
        message = str(exception.message)
    else:
        message = _("We could not find this page. Check the address, or go back to the overview.")
    return error_response(request, 404, message, "404.html")


def server_error(request):
    return error_response(
        request, 500, _("Something went wrong on our side. Please try again in a few minutes."), "500.html"
    )


FAVICON = settings.BASE_DIR / "static" / "favicon.ico"


@require_safe
@cache_control(public=True, max_age=7 * 24 * 60 * 60)
def favicon(request):
    """The icon every browser asks for at /favicon.ico: the portal's, never a 404."""
    return FileResponse(FAVICON.open("rb"), content_type="image/x-icon")


def outbox(request):
    """Development only (DEBUG): the emails the portal sent, newest first, readable in
    the browser, so `make run` needs no mail server."""
    if not settings.DEBUG:
        raise Http404
    notifications = list(Notification.objects.order_by("-created_at")[:50])
    rendered = []
    for notification in notifications:
        subject, text, html = render_notification(notification)
        rendered.append({"n": notification, "subject": subject, "html": html})
    return render(request, "core/outbox.html", {"emails": rendered})
