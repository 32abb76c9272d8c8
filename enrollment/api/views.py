"""Thin API views: shape the input, call a selector or a service, shape the output."""

from django.utils.translation import gettext as _
from django_countries import countries
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from partnercenter.core.errors import InvalidInput

from .. import rules, selectors
from ..registry import get_registry
from ..services import application as services
from ..services.confirmation import email_verification_confirm
from .serializers import (
    EnrollmentCreateSerializer,
    EnrollmentSerializer,
    MeSerializer,
    MpnProfileSerializer,
    MpnSignInSerializer,
    TokenSerializer,
    WithdrawSerializer,
)


def _profile(record) -> dict:
    return {
        "mpn_id": record.mpn_id,
        "company_name": record.company_name,
        "country": record.country,
        "status": record.status,
    }


class MpnSignInView(APIView):
    """Sign in to the Partner Membership Center: the company profiles you may use."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "credentials"

    @extend_schema(
        request=MpnSignInSerializer,
        responses=inline_serializer("MpnProfiles", {"profiles": MpnProfileSerializer(many=True)}),
    )
    def post(self, request):
        serializer = MpnSignInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        records = get_registry().sign_in(**serializer.validated_data)
        if records is None:
            raise InvalidInput({"non_field_errors": [_wrong_pmc_credentials()]})
        return Response({"profiles": [_profile(r) for r in records]})


def _wrong_pmc_credentials() -> str:
    return _("The Partner Membership Center username or password is wrong. Check them and try again.")


class MpnDetailView(APIView):
    @extend_schema(responses={200: MpnProfileSerializer, 404: OpenApiResponse(description="Unknown MPN ID")})
    def get(self, request, mpn_id: str):
        record = get_registry().lookup(mpn_id)
        if record is None:
            raise NotFound(_("MPN ID %(mpn_id)s was not found in the Partner Network.") % {"mpn_id": mpn_id})
        return Response(_profile(record))


class AddressFormatView(APIView):
    """How an address is written in a country: the fields it uses and needs, their names in
    the reader's language, a postal code and a phone example, its states or provinces
    (the wizard's script reads it when the country changes)."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: OpenApiResponse(description="The address form of the country")})
    def get(self, request, country: str):
        country = country.upper()
        if country not in countries:
            raise NotFound(_("%(country)s is not a country or region code.") % {"country": country})
        return Response(rules.address_form(country))


class MeView(APIView):
    """The signed-in user, its tenant, its roles and its partner (or null)."""

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
            "partner": selectors.partner_for(user),
        }
        return Response(MeSerializer(data).data)


class EnrollmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = EnrollmentSerializer
    lookup_value_regex = "[0-9a-f-]{36}"

    def get_queryset(self):
        return selectors.enrollments_for(self.request.user)

    def paginate_queryset(self, queryset):
        # The page's timelines in one query, whatever its length.
        return selectors.with_timelines(super().paginate_queryset(queryset))

    def get_object(self):
        return selectors.with_timelines([super().get_object()])[0]

    @extend_schema(request=EnrollmentCreateSerializer, responses={201: EnrollmentSerializer})
    def create(self, request):
        serializer = EnrollmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        enrollment = services.enrollment_submit(actor=request.user, application=serializer.validated_data)
        return Response(self._read(enrollment), status=status.HTTP_201_CREATED)

    @extend_schema(request=WithdrawSerializer, responses=EnrollmentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        enrollment = services.enrollment_withdraw(
            actor=request.user, enrollment=self.get_object(), reason=serializer.validated_data["reason"]
        )
        return Response(self._read(enrollment))

    @extend_schema(request=None, responses=EnrollmentSerializer)
    @action(detail=True, methods=["post"], url_path="resend-verification-email")
    def resend_verification_email(self, request, pk=None):
        enrollment = services.enrollment_resend_verification_email(
            actor=request.user, enrollment=self.get_object()
        )
        return Response(self._read(enrollment))

    def _read(self, enrollment) -> dict:
        return EnrollmentSerializer(selectors.enrollment_for(self.request.user, enrollment.pk)).data


class EmailVerificationView(APIView):
    """Confirm the primary contact's email with the token from the emailed link."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=TokenSerializer,
        responses=inline_serializer(
            "EmailVerified", {"enrollment_id": serializers.UUIDField(), "status": serializers.CharField()}
        ),
    )
    def post(self, request):
        serializer = TokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        enrollment = email_verification_confirm(token=serializer.validated_data["token"])
        return Response({"enrollment_id": enrollment.pk, "status": enrollment.status})
