"""The partner's side of the review: answer a request for information, and appeal a
failed or questioned check with a document.

Scoped to the caller's partner (another partner's enrollment is 404); only the global
admin acts (403). The services hold the rules and say why in their errors (400, 409).
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from partnercenter.core.errors import InvalidInput

from .. import selectors, uploads
from ..models import CheckKind, DocumentType
from ..permissions import require_global_admin
from ..services import review as services
from .serializers import DocumentSerializer, EnrollmentSerializer


class DocumentFieldsSerializer(serializers.Serializer):
    check = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=", ".join(CheckKind.values)
    )
    document_type = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=", ".join(DocumentType.values)
    )
    document = serializers.FileField(
        required=False, default=None, help_text="PDF, PNG or JPEG, at most DOCUMENT_MAX_BYTES (5 MB)."
    )


class RespondSerializer(DocumentFieldsSerializer):
    """JSON, or multipart when a document goes with the answer."""

    message = serializers.CharField(required=False, allow_blank=True, default="")


class AppealSerializer(DocumentFieldsSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class AppealResultSerializer(serializers.Serializer):
    document = DocumentSerializer()
    enrollment = EnrollmentSerializer()


def _enrollment(request, enrollment_id):
    """The caller's enrollment (404 for anyone else's), and 403 unless global admin:
    a read-only role is refused whatever it sent."""
    enrollment = selectors.enrollment_for(request.user, enrollment_id)
    require_global_admin(request.user)
    return enrollment


def _document_sent(request, serializer) -> dict:
    """The valid shape of the request, and its document fields as the services take them."""
    # The upload handler skipped a file past the limit while it streamed in.
    if uploads.too_large(request, "document"):
        raise InvalidInput.on("document", uploads.too_large_message(request))
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    return {"kind": data["check"], "document_type": data["document_type"], "document": data["document"]}


class RespondView(APIView):
    """Answer the reviewer's request for information; the review continues (in_review). A
    document may go with the answer (multipart: ``check``, ``document_type``, ``document``)."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=RespondSerializer, responses=EnrollmentSerializer)
    def post(self, request, enrollment_id):
        enrollment = _enrollment(request, enrollment_id)
        serializer = RespondSerializer(data=request.data)
        document = _document_sent(request, serializer)
        services.enrollment_respond(
            actor=request.user,
            enrollment=enrollment,
            message=serializer.validated_data["message"],
            **document,
        )
        return Response(EnrollmentSerializer(selectors.enrollment_for(request.user, enrollment_id)).data)


class AppealView(APIView):
    """Upload a document of a stated type for a failed or questioned check: the check goes
    back to pending; an enrollment waiting for the partner still waits for the answer."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=AppealSerializer, responses={201: AppealResultSerializer})
    def post(self, request, enrollment_id):
        enrollment = _enrollment(request, enrollment_id)
        serializer = AppealSerializer(data=request.data)
        sent = _document_sent(request, serializer)
        document = services.enrollment_appeal(
            actor=request.user, enrollment=enrollment, comment=serializer.validated_data["comment"], **sent
        )
        return Response(
            {
                "document": DocumentSerializer(document).data,
                "enrollment": EnrollmentSerializer(
                    selectors.enrollment_for(request.user, enrollment_id)
                ).data,
            },
            status=status.HTTP_201_CREATED,
        )


urlpatterns = [
    path("enrollments/<uuid:enrollment_id>/respond/", RespondView.as_view(), name="api-enrollment-respond"),
    path("enrollments/<uuid:enrollment_id>/appeals/", AppealView.as_view(), name="api-enrollment-appeals"),
]
