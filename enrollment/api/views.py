"""Thin API views: shape the input, call a selector or a service, shape the output."""

from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext as _
from django_countries import countries
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from partnercenter.accounts import lockout
from partnercenter.core.errors import InvalidInput

from .. import rules, selectors
from ..permissions import ONLY_THE_GLOBAL_ADMIN_ENROLLS, require_global_admin
from ..registry import get_registry
from ..services import application as services
from ..services import mpn
from ..services.confirmation import email_verification_confirm, enrollment_report_not_requested
from .serializers import (
    EnrollmentCreateSerializer,
    EnrollmentSerializer,
    EventSerializer,
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
    """Sign in to the Partner Membership Center: the company profiles you may use. The
    sign-in is recorded for the signed-in user: an enrollment submitted (``POST
    /api/v1/enrollments/``) within ``proof_expires_at`` with one of these MPN IDs has it
    proved (``mpn_linked_via: pmc``); a typed one is left to a reviewer. After too many
    wrong passwords for a Partner Membership Center account, or from a client, sign-in is
    paused: 429 with ``Retry-After``."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "credentials"

    @extend_schema(
        request=MpnSignInSerializer,
        responses=inline_serializer(
            "MpnProfiles",
            {
                "profiles": MpnProfileSerializer(many=True),
                "proof_expires_at": serializers.DateTimeField(
                    help_text="Until when an enrollment with one of these MPN IDs has it proved."
                ),
            },
        ),
    )
    def post(self, request):
        serializer = MpnSignInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # Password guessing is paused as on the portal's own sign-in (accounts.lockout).
        username = serializer.validated_data["username"]
        key = lockout.account_key(username, lockout.PMC_REALM)
        if lockout.is_locked(request, username, realm=lockout.PMC_REALM):
            raise lockout.SignInLocked(request, key)
        try:
            proof, records = mpn.pmc_sign_in(actor=request.user, **serializer.validated_data)
        except InvalidInput:
            if lockout.record_failure(request, username, realm=lockout.PMC_REALM):
                raise lockout.SignInLocked(request, key) from None
            raise
        expires = proof.signed_in_at + timedelta(seconds=settings.PMC_PROOF_MAX_AGE)
        return Response({"profiles": [_profile(r) for r in records], "proof_expires_at": expires})


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


class TimelinePagination(PageNumberPagination):
    """A timeline's pages: TIMELINE_PAGE_SIZE events each, newest first."""

    @property
    def page_size(self):
        return settings.TIMELINE_PAGE_SIZE


class EnrollmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = EnrollmentSerializer
    lookup_value_regex = "[0-9a-f-]{36}"

    def get_queryset(self):
        return selectors.enrollments_for(self.request.user)

    def get_object(self):
        return selectors.with_timelines([super().get_object()])[0]

    @extend_schema(request=EnrollmentCreateSerializer, responses={201: EnrollmentSerializer})
    def create(self, request):
        require_global_admin(request.user, ONLY_THE_GLOBAL_ADMIN_ENROLLS)  # 403 before the body
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

    @extend_schema(
        responses=EventSerializer(many=True),
        description="The enrollment's whole timeline, newest first, a page at a time (TIMELINE_PAGE_SIZE).",
    )
    @action(detail=True, methods=["get"], pagination_class=TimelinePagination)
    def timeline(self, request, pk=None):
        events = selectors.timeline_of(super().get_object())
        page = self.paginate_queryset(events)
        return self.get_paginated_response(EventSerializer(page, many=True).data)

    def paginate_queryset(self, queryset):
        if self.action == "timeline":
            return super().paginate_queryset(queryset)
        # The page's timelines in one query, whatever its length.
        return selectors.with_timelines(super().paginate_queryset(queryset))

    def _read(self, enrollment) -> dict:
        return EnrollmentSerializer(selectors.enrollment_for(self.request.user, enrollment.pk)).data


class _EmailLinkView(APIView):
    """A link of the primary contact's email, followed with its token (no sign-in)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    follow = None  # the service that follows the link: (token=...) -> Enrollment

    def post(self, request):
        serializer = TokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        enrollment = type(self).follow(token=serializer.validated_data["token"])
        return Response({"enrollment_id": enrollment.pk, "status": enrollment.status})


def _link_schema(name: str):
    return extend_schema_view(
        post=extend_schema(
            request=TokenSerializer,
            responses=inline_serializer(
                name, {"enrollment_id": serializers.UUIDField(), "status": serializers.CharField()}
            ),
        )
    )


@_link_schema("EmailVerified")
class EmailVerificationView(_EmailLinkView):
    """Confirm the primary contact's email with the token from the emailed link."""

    follow = staticmethod(email_verification_confirm)


@_link_schema("NotRequested")
class NotRequestedView(_EmailLinkView):
    """The primary contact did not request the application ("I did not request this", the
    second link of the email): it is withdrawn and the global admin is told."""

    follow = staticmethod(enrollment_report_not_requested)
