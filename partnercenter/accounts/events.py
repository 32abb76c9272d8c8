"""The audit event kinds of work accounts, declared once. The object of each is the user
concerned (roles before and after are the parameters), or the OAuth 2.0 app."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partnercenter.audit.kinds import listed, register

from .models import Role


def _roles(codes) -> str:
    return listed(codes, dict(Role.choices)) or "—"


def _roles_sentence(data) -> str:
    return gettext("Roles: %(before)s → %(after)s.") % {
        "before": _roles(data["before"]),
        "after": _roles(data["after"]),
    }


TENANT_CREATED = register(
    "tenant_created",
    _("Work account created"),
    lambda d: gettext("Global admin: %(email)s.") % {"email": d["email"]},
)
USER_ADDED = register(
    "user_added",
    _("User added"),
    lambda d: (
        gettext("%(email)s, with the roles %(roles)s.") % {"email": d["email"], "roles": _roles(d["after"])}
    ),
)
ROLES_CHANGED = register("roles_changed", _("Roles changed"), _roles_sentence)
PASSWORD_CHANGED = register("password_changed", _("Password changed"))
API_TOKEN_ISSUED = register(
    "api_token_issued",
    _("API token issued"),
    lambda d: gettext("Token %(prefix)s…") % {"prefix": d.get("prefix", "")},
)
API_TOKEN_REVOKED = register(
    "api_token_revoked",
    _("API token revoked"),
    lambda d: gettext("Token %(prefix)s…") % {"prefix": d.get("prefix", "")},
)
# The OAuth 2.0 apps a partner's global admin registers (``oauth_apps``): the object of each
# is the app; its name and client ID are the parameters.


def _app_sentence(data) -> str:
    return gettext("%(name)s (client ID %(client_id)s)") % {
        "name": data["name"],
        "client_id": data["client_id"],
    }


APP_REGISTERED = register("app_registered", _("App registered"), _app_sentence)
APP_SECRET_ROTATED = register("app_secret_rotated", _("App secret replaced"), _app_sentence)
APP_REVOKED = register("app_revoked", _("App removed"), _app_sentence)
