from django.contrib.auth import authenticate, update_session_auth_hash
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from partnercenter.core.errors import InvalidInput

from .. import selectors, services
from ..models import TENANT_DOMAIN_SUFFIX, Tenant
from ..permissions import require_global_admin
from .serializers import (
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
    """Exchange an email and password for an API token."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "credentials"

    @extend_schema(
        request=CredentialsSerializer,
        responses=inline_serializer("AuthToken", {"token": serializers.CharField()}),
    )
    def post(self, request):
        serializer = CredentialsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request,
            email=serializer.validated_data["email"].lower(),
            password=serializer.validated_data["password"],
        )
        if user is None:
            raise InvalidInput(
                {"non_field_errors": [_("The email or password is wrong. Check them and try again.")]}
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


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
        if errors and not Tenant.objects.filter(domain=domain).exists():
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
    """Change one's password; the only endpoint open while the password is temporary."""

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
        user = services.password_change(user=request.user, **serializer.validated_data)
        if isinstance(request.successful_authenticator, SessionAuthentication):
            # Keep the browser signed in: the session is bound to the password's hash.
            update_session_auth_hash(request._request, user)
        return Response({"detail": _("Your password was changed.")})
