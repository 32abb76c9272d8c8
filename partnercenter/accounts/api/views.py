from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from enrollment.selectors import partner_for
from partnercenter.core.errors import InvalidInput

from .. import services
from ..models import TENANT_DOMAIN_SUFFIX, Tenant
from .serializers import CredentialsSerializer, MeSerializer, SignupResultSerializer, SignupSerializer


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


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        data = {
            "id": user.id,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "roles": user.roles if user.tenant_id else [],
            "tenant": user.tenant,
            "is_staff": user.is_staff,
            "partner": partner_for(user),
        }
        return Response(MeSerializer(data).data)


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
