"""The sign-in lockout: after ``AXES_FAILURE_LIMIT`` failed sign-ins an account, or a
client (its IP address, by ``partnercenter.core.client_ip``), cannot sign in for
``AXES_COOLOFF_TIME``.

django-axes keeps the count in the database (so it holds while Redis is away) and
watches every Django sign-in: the portal's page, the admin's and the API token's pass
their request to ``authenticate``, where ``LockoutBackend`` refuses a locked account or
client before any password is checked, and the failure is counted from Django's
``user_login_failed`` signal. A page sign-in refused that way gets ``lockout_response``
(``AXES_LOCKOUT_CALLABLE``, through axes' middleware); the API answers ``SignInLocked``.

The Partner Membership Center sign-in is not a Django sign-in: its views ask
``is_locked`` first and ``record_failure`` after a wrong password, with the account
keyed ``pmc:<username>`` (its own accounts) and the same client address.

Staff unlock in the admin (Access attempts: delete the rows) or with
``manage.py axes_reset_username <email>`` / ``axes_reset_ip <address>``.
"""

import math

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status

from partnercenter.core.l10n import join_sentences

PMC_REALM = "pmc"


class LockoutBackend(AxesStandaloneBackend):
    """axes' backend for a sign-in by a client. ``authenticate`` without a request (a
    management command, a test client's ``login``) is not a client signing in: there is
    no address to count, so it is not watched."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler (``AXES_HANDLER``). The failure's row keeps the client's
    headers, and PostgreSQL refuses a NUL in text: a header with one is kept without it,
    so that a crafted User-Agent is a failed sign-in, not a server error."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is not None:
            for name in ("axes_user_agent", "axes_http_accept", "axes_path_info"):
                value = getattr(request, name, None)
                if isinstance(value, str):
                    setattr(request, name, value.replace("\x00", ""))
        return super().user_login_failed(sender, credentials, request, **kwargs)


def attempted_username(request, credentials=None) -> str | None:
    """The account a sign-in tried, as the lockout counts it (``AXES_USERNAME_CALLABLE``):
    the email in any case is one account."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if value is None and request is not None:
        data = getattr(request, "data", None)
        data = data if hasattr(data, "get") else request.POST
        value = data.get("username") or data.get("email")
    if not isinstance(value, str) or not value.strip():
        return None
    return value.replace("\x00", "").strip().lower()[:255]


def account_key(username: str, realm: str = "") -> str | None:
    """The account as the lockout counts it; another sign-in's accounts get their realm."""
    username = username.strip() if isinstance(username, str) else ""
    return attempted_username(None, {"username": f"{realm}:{username}" if realm and username else username})


def _credentials(username: str, realm: str = "") -> dict:
    return {"username": account_key(username, realm)}


def is_locked(request, username: str, *, realm: str = "") -> bool:
    """Whether this account (``realm`` names a sign-in that is not the portal's) or this
    client may not sign in now."""
    if not settings.AXES_ENABLED:
        return False
    return not AxesProxyHandler.is_allowed(request, _credentials(username, realm))


def record_failure(request, username: str, *, realm: str = "") -> bool:
    """Count a failed sign-in that Django did not see; True if it locked the account or
    the client."""
    if not settings.AXES_ENABLED:
        return False
    AxesProxyHandler.user_login_failed(__name__, _credentials(username, realm), request=request)
    return bool(getattr(request, "axes_locked_out", False))


def locked_out(request) -> bool:
    """Whether ``authenticate`` refused (or the last failure locked) this sign-in."""
    return bool(getattr(request, "axes_locked_out", False))


def seconds_left(request, username: str | None = None) -> int:
    """How long until the account or the client may sign in again (at least a second):
    the cool-off after the latest failure of either (a try while locked out is not one)."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        return 0
    address = getattr(request, "axes_ip_address", None)
    last = AccessAttempt.objects.filter(Q(username=username) | Q(ip_address=address)).aggregate(
        last=Max("attempt_time")
    )["last"]
    if last is None:
        return int(cool_off.total_seconds())
    return max(1, math.ceil((last + cool_off - timezone.now()).total_seconds()))


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return join_sentences(
        _("Too many failed sign-ins: signing in with this account, or from this network, is paused."),
        ngettext("Try again in %(count)d minute.", "Try again in %(count)d minutes.", minutes)
        % {"count": minutes},
        _("Program staff can unlock it sooner."),
    )


def lockout_page(request, *, username=None, back_url=None):
    """The page of a refused sign-in: what happened, when to try again, the way back."""
    seconds = seconds_left(request, username)
    response = render(
        request,
        "accounts/locked_out.html",
        {
            "message": lockout_message(seconds),
            "back_url": back_url or reverse("login"),
        },
        status=status.HTTP_429_TOO_MANY_REQUESTS,
    )
    response["Retry-After"] = str(seconds)
    return response


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: a sign-in page refused by the lockout. It leads back to the
    portal's sign-in, the admin's to itself, a page that set ``request.sign_in_back_url``
    there."""
    username = attempted_username(request, credentials)
    back_url = getattr(request, "sign_in_back_url", None)
    if back_url is None and request.path.startswith(reverse("admin:index")):
        back_url = request.path
    return lockout_page(request, username=username, back_url=back_url)


class SignInLocked(exceptions.APIException):
    """The API's answer to a locked account or client: 429 with Retry-After."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "sign_in_locked"

    def __init__(self, request, username: str | None = None):
        self.wait = seconds_left(request, username)
        super().__init__(lockout_message(self.wait))
