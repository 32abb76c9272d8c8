"""Whether each program takes applications (anyone may ask), and program staff opening or
closing direct-bill applications (issue 9, "Staff open and close it").

Thin: the reads are ``enrollment.programs``, the change is
``services.programs.program_set_applications_open`` (its errors become 400, 403 and 409 in
the one exception handler)."""

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ..programs import CLOSABLE, applications_closed_message, program_availabilities, program_availability
from ..services.programs import REASON_MAX, program_set_applications_open
from .permissions import IsReviewer


class ProgramSerializer(serializers.Serializer):
    """A program and whether it takes applications; closed: why, since when, and the message
    applicants read (the same as the 400 on ``program`` of ``POST /api/v1/enrollments/``)."""

    program = serializers.CharField()
    name = serializers.CharField(source="get_program_display")
    applications_open = serializers.BooleanField()
    closed_since = serializers.DateTimeField(allow_null=True, help_text="Null while open, or never changed.")
    reason = serializers.SerializerMethodField(help_text="The staff's words; null while open.")
    message = serializers.SerializerMethodField(help_text="What applicants read; null while open.")

    def get_reason(self, setting) -> str | None:
        return None if setting.applications_open else setting.reason

    def get_message(self, setting) -> str | None:
        return applications_closed_message(setting) or None


class ChangedBySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    email = serializers.EmailField()
    name = serializers.CharField(source="get_full_name")


class ReviewProgramSerializer(ProgramSerializer):
    changed_at = serializers.DateTimeField(allow_null=True, help_text="The last opening or closing.")
    changed_by = ChangedBySerializer(allow_null=True)


class ProgramChangeSerializer(serializers.Serializer):
    applications_open = serializers.BooleanField(help_text="true opens applications, false closes them.")
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=REASON_MAX,
        help_text="Why; required to close (applicants read it).",
    )


class ProgramListView(APIView):
    """Every program and whether it takes applications now."""

    permission_classes = [AllowAny]

    @extend_schema(responses=ProgramSerializer(many=True))
    def get(self, request):
        return Response(ProgramSerializer(program_availabilities(), many=True).data)


class ReviewProgramView(APIView):
    """Program staff read and change whether a program takes applications. Closing refuses
    new applications only: those already submitted continue."""

    permission_classes = [IsReviewer]

    def _program(self, program: str) -> str:
        if program not in CLOSABLE:
            raise Http404
        return program

    @extend_schema(responses=ReviewProgramSerializer)
    def get(self, request, program):
        return Response(ReviewProgramSerializer(program_availability(self._program(program))).data)

    @extend_schema(
        request=ProgramChangeSerializer,
        responses=ReviewProgramSerializer,
        examples=[
            OpenApiExample(
                "Close",
                request_only=True,
                value={"applications_open": False, "reason": "The program is not taking new partners."},
            )
        ],
    )
    def patch(self, request, program):
        program = self._program(program)
        serializer = ProgramChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        program_set_applications_open(actor=request.user, program=program, **serializer.validated_data)
        return Response(ReviewProgramSerializer(program_availability(program)).data)


urlpatterns = [
    path("programs/", ProgramListView.as_view(), name="api-programs"),
    path("review/programs/<str:program>/", ReviewProgramView.as_view(), name="api-review-program"),
]
