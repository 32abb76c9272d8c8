"""The transition to indirect reseller (API.md: ``POST /api/v1/partner/transition-to-indirect/``)
and program staff's flag (``/api/v1/review/partners/{id}/offboarding/``).

The services hold the rules and say why: 400 (no confirmation), 403 (not the global admin,
not identified for offboarding, not program staff), 404 (an unknown partner), 409 (started
already; unflagging after the start: there is no rollback)."""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import Partner
from ..services import transition as services
from ..transition import transition_of
from ..transition_rules import offered_transition
from .permissions import IsReviewer


class DetailsOnRecordSerializer(serializers.Serializer):
    """What the indirect-reseller enrollment is made from: the same tenant, the same MPN ID."""

    tenant_domain = serializers.CharField(source="tenant.domain")
    mpn_id = serializers.CharField()
    legal_name = serializers.CharField()
    country = serializers.CharField(source="country.code")
    primary_contact = serializers.SerializerMethodField()

    def get_primary_contact(self, partner) -> dict:
        return {
            "first_name": partner.contact_first_name,
            "last_name": partner.contact_last_name,
            "email": partner.contact_email,
            "phone": partner.contact_phone,
        }


class TransitionSerializer(serializers.Serializer):
    partner_id = serializers.UUIDField()
    details_on_record = DetailsOnRecordSerializer(source="partner")
    flagged_at = serializers.DateTimeField()
    note = serializers.CharField(source="flag_note")
    enrollment_id = serializers.UUIDField(allow_null=True)
    enrollment_status = serializers.SerializerMethodField()
    offered = serializers.BooleanField(
        source="offers_enrollment",
        help_text="true: Enroll now is offered (not started, or the last enrollment ended without becoming active).",
    )
    started_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    incentives_due_at = serializers.DateTimeField(allow_null=True)

    def get_enrollment_status(self, row) -> str | None:
        return row.enrollment.status if row.enrollment_id else None


class ConfirmSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(
        required=False, default=False, help_text="true: the details are correct and there is no rollback."
    )


class FlagSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


def _read(partner) -> dict:
    return TransitionSerializer(transition_of(partner)).data


class TransitionToIndirectView(APIView):
    @extend_schema(responses=TransitionSerializer, summary="The transition offered to the caller's partner")
    def get(self, request):
        row = offered_transition(request.user)
        return Response(_read(row.partner))

    @extend_schema(request=ConfirmSerializer, responses={201: TransitionSerializer}, summary="Enroll now")
    def post(self, request):
        offered_transition(request.user)  # 403 before the shape: no hint to others
        serializer = ConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = services.transition_start(actor=request.user, confirm=serializer.validated_data["confirm"])
        return Response(_read(row.partner), status=status.HTTP_201_CREATED)


class OffboardingView(APIView):
    permission_classes = [IsReviewer]

    def _partner(self, pk) -> Partner:
        return get_object_or_404(Partner, pk=pk)

    @extend_schema(
        request=FlagSerializer, responses={201: TransitionSerializer}, summary="Identify for offboarding"
    )
    def post(self, request, pk):
        partner = self._partner(pk)
        serializer = FlagSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.transition_flag(actor=request.user, partner=partner, note=serializer.validated_data["note"])
        return Response(_read(partner), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None}, summary="No longer identified for offboarding")
    def delete(self, request, pk):
        services.transition_unflag(actor=request.user, partner=self._partner(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path(
        "partner/transition-to-indirect/",
        TransitionToIndirectView.as_view(),
        name="api-transition-to-indirect",
    ),
    path("review/partners/<uuid:pk>/offboarding/", OffboardingView.as_view(), name="api-review-offboarding"),
]
