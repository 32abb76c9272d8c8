"""The incentive programs of the caller's partner and *Enroll* (issue 11): direct-bill and
indirect-reseller incentives are separate enrollments; the global admin and the incentives
admin see and enroll in both. Thin: ``enrollment.incentives`` reads,
``services.incentives.incentive_enroll`` writes (403 with the reason, 404, in the one
exception handler)."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from partnercenter.core.errors import NotFound

from ..incentives import IncentiveProgram, incentive_programs_for
from ..permissions import require_incentives_admin
from ..selectors import partner_for
from ..services.incentives import incentive_enroll


class IncentiveProgramSerializer(serializers.Serializer):
    program = serializers.CharField(help_text="direct_bill or indirect_reseller.")
    name = serializers.CharField()
    enrolled = serializers.BooleanField()
    enrolled_at = serializers.DateTimeField(allow_null=True)


def _row(program, enrollment) -> dict:
    return {
        "program": program.value,
        "name": str(program.label),
        "enrolled": enrollment is not None,
        "enrolled_at": enrollment.enrolled_at if enrollment else None,
    }


def _partner(user):
    require_incentives_admin(user)
    partner = partner_for(user)
    if partner is None:
        raise NotFound()
    return partner


class IncentiveListView(APIView):
    """The incentive programs the partner may enroll in now, and whether it is enrolled:
    direct-bill incentives while it is an active direct-bill partner, indirect-reseller
    incentives once invited after the transition to indirect reseller."""

    @extend_schema(responses=IncentiveProgramSerializer(many=True))
    def get(self, request):
        rows = incentive_programs_for(_partner(request.user))
        return Response(
            IncentiveProgramSerializer([_row(r["program"], r["enrollment"]) for r in rows], many=True).data
        )


class IncentiveEnrollView(APIView):
    """Enroll the partner in an offered incentive program; enrolled already: the same answer,
    nothing changes. A program not offered to the partner: 403 with the reason."""

    @extend_schema(request=None, responses=IncentiveProgramSerializer)
    def post(self, request, program):
        _partner(request.user)
        enrollment = incentive_enroll(actor=request.user, program=program)
        return Response(
            IncentiveProgramSerializer(_row(IncentiveProgram(enrollment.program), enrollment)).data
        )


urlpatterns = [
    path("partner/incentives/", IncentiveListView.as_view(), name="api-incentives"),
    path(
        "partner/incentives/<str:program>/enroll/",
        IncentiveEnrollView.as_view(),
        name="api-incentives-enroll",
    ),
]
