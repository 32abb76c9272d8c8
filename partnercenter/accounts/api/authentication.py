"""``Authorization: Token <key>``: the user's own API tokens (``ApiToken``), each working
until it expires, is revoked, or the password changes."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from ..models import ApiToken, token_digest


class TokenAuthentication(authentication.TokenAuthentication):
    model = ApiToken

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(digest=token_digest(key)).first()
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
