from django.contrib.auth import authenticate, update_session_auth_hash
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from partnercenter.core.errors import InvalidInput

from .. import lockout, selectors, services
from ..models import TENANT_DOMAIN_SUFFIX, ApiToken
from ..permissions import require_global_admin
from .serializers import (
    ApiTokenSerializer,
    CredentialsSerializer,
    PartnerUserSerializer,
    PasswordChangeSerializer,
    SignupResultSerializer,
    SignupSerializer,
    UserAddSerializer,
    UserRolesSerializer,
)


class SignupView(APIView):
    """Create a work account: a tenant `<domain_prefix>.onmicrosoft.com` and its global admin."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "credentials"

    @extend_schema(request=SignupSerializer, responses={201: SignupResultSerializer})
    def post(self, request):
        serializer = SignupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tenant, user = services.tenant_signup(**serializer.validated_data)
        return Response(
            SignupResultSerializer({"tenant": tenant, "user": user}).data, status=status.HTTP_201_CREATED
        )


class AuthTokenView(APIView):
    """Exchange an email and password for a new API token (``Authorization: Token <key>``).
    It works until ``expires_at``, until you revoke it (``DELETE /api/v1/me/tokens/{id}/``)
    or until your password changes. After too many wrong passwords for an account, or
    from a client, sign-in is paused: 429 with ``Retry-After``."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "credentials"

    @extend_schema(
        request=CredentialsSerializer,
        responses={
            200: inline_serializer(
                "AuthToken",
                {
                    "token": serializers.CharField(help_text="Shown once: keep it secret."),
                    "expires_at": serializers.DateTimeField(),
                },
            ),
        },
    )
    def post(self, request):
        serializer = CredentialsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data["email"].lower()
        # The request goes to authenticate: the lockout refuses a locked account or client
        # there, and counts this attempt if it fails.
        user = authenticate(request, email=email, password=serializer.validated_data["password"])
        if user is None:
            if lockout.locked_out(request):
                raise lockout.SignInLocked(request, lockout.account_key(email))
            raise InvalidInput(
                {"non_field_errors": [_("The email or password is wrong. Check them and try again.")]}
            )
        token, key = services.api_token_issue(user=user)
        return Response({"token": key, "expires_at": token.expires_at})


class DomainAvailabilityView(APIView):
    @extend_schema(
        responses=inline_serializer(
            "DomainAvailability", {"domain": serializers.CharField(), "available": serializers.BooleanField()}
        )
    )
    def get(self, request, prefix: str):
        prefix = prefix.lower()
        domain = f"{prefix}{TENANT_DOMAIN_SUFFIX}"
        errors = services.domain_prefix_errors(prefix)
        if errors and not selectors.domain_taken(domain):
            raise InvalidInput({"prefix": errors})
        return Response({"domain": domain, "available": not errors})


# --- The partner's users ------------------------------------------------------------------------


class PartnerUsersView(GenericAPIView):
    """The global admin lists the partner's users and adds employees; each new employee is
    emailed a temporary password and must change it at first sign-in."""

    serializer_class = PartnerUserSerializer

    def get_queryset(self):
        return selectors.users_for(self.request.user)

    @extend_schema(responses=PartnerUserSerializer(many=True))
    def get(self, request):
        require_global_admin(request.user)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PartnerUserSerializer(page, many=True).data)

    @extend_schema(request=UserAddSerializer, responses={201: PartnerUserSerializer})
    def post(self, request):
        require_global_admin(request.user)
        serializer = UserAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_add(actor=request.user, **serializer.validated_data)
        return Response(PartnerUserSerializer(user).data, status=status.HTTP_201_CREATED)


class PartnerUserDetailView(APIView):
    """The global admin changes a user's roles. Another tenant's user is not found (404)."""

    @extend_schema(request=UserRolesSerializer, responses=PartnerUserSerializer)
    def patch(self, request, user_id):
        user = selectors.user_for(request.user, user_id)
        require_global_admin(request.user)  # 403 before the body
        serializer = UserRolesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_roles_update(
            actor=request.user, user=user, roles=serializer.validated_data["roles"]
        )
        return Response(PartnerUserSerializer(user).data)


class MePasswordView(APIView):
    """Change one's password; the only endpoint open while the password is temporary.
    Your other API tokens stop working; the one this request is made with goes on."""

    allowed_before_password_change = True
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "credentials"

    @extend_schema(
        request=PasswordChangeSerializer,
        responses=inline_serializer("PasswordChanged", {"detail": serializers.CharField()}),
    )
    def post(self, request):
        serializer = PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        used = request.auth if isinstance(request.auth, ApiToken) else None
        user = services.password_change(user=request.user, keep_token=used, **serializer.validated_data)
        if isinstance(request.successful_authenticator, SessionAuthentication):
            # Keep the browser signed in: the session is bound to the password's hash.
            update_session_auth_hash(request._request, user)
        return Response({"detail": _("Your password was changed.")})


# --- One's own API tokens --------------------------------------------------------------------------


class MeTokensView(GenericAPIView):
    """Your API tokens that still work, newest first (``current``: the one this request is
    made with). Each is shown by its first characters; the key itself only when issued."""

    serializer_class = ApiTokenSerializer

    def get_queryset(self):
        return selectors.api_tokens_for(self.request.user)

    @extend_schema(responses=ApiTokenSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "current": getattr(self.request.auth, "pk", None)}


class MeTokenDetailView(APIView):
    """Revoke one of your API tokens: it stops working at once. Another user's token, or
    one already revoked, is not found (404)."""

    @extend_schema(responses={204: None, 404: OpenApiResponse(description="Not one of your working tokens.")})
    def delete(self, request, token_id):
        token = selectors.api_token_for(request.user, token_id)
        services.api_token_revoke(actor=request.user, token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)
