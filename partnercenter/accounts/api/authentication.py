"""``Authorization: Token <key>``: the user's own API tokens (``ApiToken``), each working
until it expires, is revoked, or the password changes; ``Authorization: Bearer <token>``:
an OAuth 2.0 access token (``/oauth2/token``), on ``/api/v1/`` and ``/v1/``."""

from django.utils.translation import gettext_lazy as _
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import authentication, exceptions

from partnercenter.core.querysets import CompiledRecord

from ..models import ApiToken, token_digest

# The token with its user and the user's tenant, in a query compiled once per process
# (issue 12: through the ORM, building and compiling it cost more than running it).
_TOKEN = CompiledRecord(ApiToken, "digest", "\x00no-digest\x00", related=("user", "user__tenant"))


class TokenAuthentication(authentication.TokenAuthentication):
    model = ApiToken

    def authenticate_credentials(self, key):
        token = _TOKEN.first(token_digest(key))
        if token is None:  # never issued, or revoked
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.is_valid():
            raise exceptions.AuthenticationFailed(
                _(
                    "This token expired, or the password changed since it was issued. "
                    "Get a new one: POST /api/v1/auth/token/."
                )
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token


class BearerAuthentication(OAuth2Authentication):
    """``Authorization: Bearer <access token>`` from ``POST /oauth2/token`` (django-oauth-toolkit).
    An app's client-credentials token acts as the user who registered the app, with that
    user's roles as they are now; a token of an inactive user, or of a user whose partner
    application was removed, is refused."""

    def authenticate(self, request):
        # The header only: never a token in the body or the query (and no body is read here).
        if not request.headers.get("Authorization", "").lower().startswith("bearer "):
            return None
        found = super().authenticate(request)
        if found is None:
            return None
        user, token = found
        if user is None and token is not None and token.application_id:
            user = token.application.user
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, token
