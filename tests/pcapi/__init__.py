"""Partner Center API (``/v1/``) test helpers: a bearer token for a user, as an app the user
registered would get from ``POST /oauth2/token`` (client credentials), and a client that
sends it."""

import secrets
from datetime import timedelta

from django.utils import timezone
from rest_framework.test import APIClient


def bearer_for(user, *, expires_in: timedelta = timedelta(hours=1)) -> str:
    """An access token of a client-credentials app owned by ``user`` (it acts as the user)."""
    from oauth2_provider.models import AccessToken, Application

    app = Application.objects.create(
        name=f"Automation of {user.email}",
        user=user,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )
    token = secrets.token_urlsafe(30)
    AccessToken.objects.create(
        user=None, application=app, token=token, expires=timezone.now() + expires_in, scope="partnercenter"
    )
    return token


def pc_client(user=None, **headers) -> APIClient:
    """An API client for ``/v1/``: with ``user``, its bearer token; ``headers`` as WSGI keys
    or header names (``X-Locale="ru-RU"``)."""
    client = APIClient()
    extra = {}
    if user is not None:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {bearer_for(user)}"
    for name, value in headers.items():
        key = name if name.startswith("HTTP_") else "HTTP_" + name.upper().replace("-", "_")
        extra[key] = value
    client.credentials(**extra)
    return client
