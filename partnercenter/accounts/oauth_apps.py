"""The OAuth 2.0 apps a partner's global admin registers, so that its automation gets access
tokens (``POST /oauth2/token``, the client-credentials grant) for ``/v1/`` and ``/api/v1/``.

An app is django-oauth-toolkit's ``Application``: confidential, client credentials only,
owned by the global admin who registered it. Its token acts as that user, with the user's
roles as they are now (``api.authentication.BearerAuthentication``). The client secret is
shown once, when it is made; only its hash is kept (``hash_client_secret``).

The apps are the partner's: any global admin of the partner sees and removes them all;
another partner's app is not found (404).

Domain errors raised: ``InvalidInput`` (400: the name), ``NotPermitted`` (403: anyone but a
partner's global admin).
"""

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_access_token_model, get_application_model, get_refresh_token_model

from partnercenter.audit.services import record_event
from partnercenter.core.errors import InvalidInput, NotFound, NotPermitted
from partnercenter.core.text_fields import TextField

from . import events
from .models import Tenant

Application = get_application_model()

APP_NAME = TextField(
    gettext_lazy("Enter a name for the app, for example “Billing automation”."),
    ngettext_lazy(
        "Shorten the app's name to at most %(max)d character (it has %(length)d).",
        "Shorten the app's name to at most %(max)d characters (it has %(length)d).",
        "max",
    ),
    Application._meta.get_field("name").max_length,  # 255
)


def token_endpoint_url() -> str:
    """Where an app asks for its access tokens, as the partner's automation calls it."""
    return f"{settings.SITE_URL}{reverse('oauth2-token')}"


def _is_partner(tenant) -> bool:
    # The partner (enrollment.Partner) is the tenant's reverse one-to-one: read without
    # importing the layer above.
    return tenant is not None and hasattr(tenant, "partner")


def apps_refusal(actor) -> str | None:
    """Why ``actor`` may not register or manage apps (None: a partner's global admin may).
    Partner Center's App management is the global admin's (DOMAIN.md, "Who takes part")."""
    if not (actor and actor.is_authenticated):
        return _("Sign in as your organization's global admin to manage its apps.")
    if not actor.tenant_id:
        return _(
            "Apps are registered by a partner's global admin, for the partner's own automation. "
            "Program staff have no partner account to register them for."
        )
    if not _is_partner(actor.tenant):
        return _(
            "Only a CSP partner registers apps for Partner Center's API. Your organization is "
            "not enrolled as a partner."
        )
    if not actor.is_global_admin:
        return _("Only your organization's global admin can register and remove apps. Ask them to do it.")
    return None


def require_app_manager(actor) -> None:
    if reason := apps_refusal(actor):
        raise NotPermitted(reason)


# --- Reads ----------------------------------------------------------------------------------------------


def apps_for(user) -> QuerySet:
    """The apps of the caller's partner, newest first (none for anyone else: staff, a
    customer, another partner's users)."""
    if not (user and user.is_authenticated and user.tenant_id):
        return Application.objects.none()
    return (
        Application.objects.filter(user__tenant_id=user.tenant_id, user__tenant__partner__isnull=False)
        .select_related("user")
        .order_by("-created", "-pk")
    )


def app_for(user, app_id) -> "Application":
    """One app of the caller's partner, or 404."""
    return get_object_or_404(apps_for(user), pk=app_id)


# --- Writes ---------------------------------------------------------------------------------------------


def _clean_name(tenant_id, name, *, exclude_pk=None) -> str:
    if messages := APP_NAME.errors(name):
        raise InvalidInput({"name": messages})
    name = " ".join(name.split())  # one line, as it is listed
    taken = Application.objects.filter(user__tenant_id=tenant_id, name__iexact=name).exclude(pk=exclude_pk)
    if taken.exists():
        raise InvalidInput(
            {
                "name": [
                    _("Your organization already has an app named “%(name)s”. Choose another name.")
                    % {"name": name}
                ]
            }
        )
    return name


def _event(kind, app, *, actor) -> None:
    record_event(app, kind, actor=actor, tenant=actor.tenant_id, name=app.name, client_id=app.client_id)


def app_register(*, actor, name) -> tuple["Application", str]:
    """A partner's global admin registers an app: confidential, client-credentials grant,
    acting as ``actor``. Returns the app and its client secret, which is shown this once:
    only its hash is stored.

    Raises ``NotPermitted`` (anyone but a partner's global admin), ``InvalidInput`` (the
    name missing, too long, or another app of the partner's has it)."""
    require_app_manager(actor)
    with transaction.atomic():
        # One registration of the partner at a time: two with the same name must not both
        # find it free.
        Tenant.objects.select_for_update().get(pk=actor.tenant_id)
        clean = _clean_name(actor.tenant_id, name)
        secret = generate_client_secret()
        app = Application(
            name=clean,
            user=actor,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
            client_secret=secret,
            hash_client_secret=True,
            redirect_uris="",
            post_logout_redirect_uris="",
            algorithm=Application.NO_ALGORITHM,
        )
        app.save()
        _event(events.APP_REGISTERED, app, actor=actor)
    return app, secret


def _lock_app(app) -> "Application | None":
    return Application.objects.select_for_update().filter(pk=app.pk).first()


def _require_partners_app(actor, app) -> None:
    require_app_manager(actor)
    if app.user.tenant_id != actor.tenant_id:
        raise NotPermitted()  # views find apps through apps_for, so this is a 404 there


def app_rotate_secret(*, actor, app) -> tuple["Application", str]:
    """Replace the app's client secret; returns the new one, shown this once. The old
    secret stops working at once, and so do the access tokens issued with it: a secret is
    replaced when it may have leaked.

    Raises ``NotPermitted`` (anyone but a global admin of the app's partner), ``NotFound``
    (the app was removed meanwhile)."""
    _require_partners_app(actor, app)
    with transaction.atomic():
        locked = _lock_app(app)
        if locked is None:
            raise NotFound()  # removed meanwhile
        secret = generate_client_secret()
        locked.client_secret = secret  # hashed as it is saved
        locked.save(update_fields=["client_secret", "updated"])
        get_refresh_token_model().objects.filter(application=locked).delete()
        get_access_token_model().objects.filter(application=locked).delete()
        _event(events.APP_SECRET_ROTATED, locked, actor=actor)
    return locked, secret


def app_revoke(*, actor, app) -> None:
    """Remove the app: its secret and every access token it got stop working at once.
    Removing an app twice changes nothing.

    Raises ``NotPermitted`` (anyone but a global admin of the app's partner)."""
    _require_partners_app(actor, app)
    with transaction.atomic():
        locked = _lock_app(app)
        if locked is None:
            return  # removed meanwhile: nothing to do, no second row
        # The tokens, refresh tokens and grants go with it (their foreign keys cascade).
        Application.objects.filter(pk=locked.pk).delete()
        _event(events.APP_REVOKED, locked, actor=actor)
