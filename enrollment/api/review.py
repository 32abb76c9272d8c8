"""The review queue API (program staff with ``enrollment.review_enrollment``)."""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from partnercenter.core.api_values import datetime_text
from partnercenter.core.kept_api import kept_response
from partnercenter.core.markets import market_for_country
from partnercenter.core.query import BooleanFilter, EnumFilter, read_query
from partnercenter.core.querysets import CountedPaginator

from .. import kept, queue_clock, selectors
from ..models import CheckResult, EnrollmentStatus, Program
from ..outcomes import decision_of
from ..queue_checks import attach_queue_checks
from ..services import review as services
from .permissions import IsReviewer
from .serializers import (
    CheckSerializer,
    DirectBillFieldsMixin,
    DocumentSerializer,
    EnrollmentSerializer,
    EventSerializer,
    PartnerSummarySerializer,
    money,
)
from .views import TimelinePagination


class AssigneeSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    email = serializers.EmailField()
    name = serializers.CharField(source="get_full_name")


class ReviewCheckSerializer(CheckSerializer):
    """A check as the reviewer reads it: with the evidence it was decided on (for
    ``mpn_ownership``: both company names and how the MPN ID was linked)."""

    evidence = serializers.DictField()


class ReviewEnrollmentSerializer(EnrollmentSerializer):
    timeline_route = "api-review-timeline"
    checks = ReviewCheckSerializer(many=True)
    assignee = AssigneeSerializer(allow_null=True)
    claimed_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField(source="is_overdue")
    documents = DocumentSerializer(many=True, source="document_list")

    def to_representation(self, enrollment):
        """What the fields above write, written by hand (issue 12: DRF's walk field by field
        over fifty events was a fifth of the API's time). ``test_review_api_detail`` holds
        the two equal."""
        return {
            **_enrollment_head(enrollment),
            "decided_at": datetime_text(enrollment.decided_at),
            "decision_reason": self.get_decision_reason(enrollment),
            "checks": [
                _check(check) | {"evidence": _dict(check.evidence)} for check in enrollment.checks.all()
            ],
            "timeline": [_event(event) for event in enrollment.timeline],
            "timeline_count": enrollment.timeline_page.count,
            "timeline_url": self.get_timeline_url(enrollment),
            "partner": _partner(enrollment.partner),
            "assignee": _assignee(enrollment.assignee),
            "claimed_at": datetime_text(enrollment.claimed_at),
            "overdue": enrollment.is_overdue,
            "documents": [_document(document) for document in enrollment.document_list],
        }


class QueueRowSerializer(DirectBillFieldsMixin):
    """A row of the queue; a direct-bill file shows its credit line and support plan."""

    id = serializers.UUIDField()
    program = serializers.CharField()
    status = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField(source="is_overdue")
    assignee = AssigneeSerializer(allow_null=True)
    partner = PartnerSummarySerializer()
    checks = CheckSerializer(many=True)

    def to_representation(self, enrollment):
        """What the fields above write, written by hand (issue 12: DRF's walk field by field
        was most of the queue API's time). ``test_queue_api_rows`` holds the two equal."""
        zone = timezone.get_current_timezone()
        return {
            **_enrollment_head(enrollment, zone),
            "overdue": enrollment.is_overdue,
            "assignee": _assignee(enrollment.assignee),
            "partner": _partner(enrollment.partner),
            "checks": [_check(check, zone) for check in _queue_checks(enrollment)],
        }


def _queue_checks(enrollment) -> list:
    """A queue row's checks: those ``selectors.attach_queue_checks`` attached to the page."""
    checks = getattr(enrollment, "queue_checks", None)
    return list(enrollment.checks.all()) if checks is None else checks


def _enrollment_head(enrollment, zone=None) -> dict:
    """The fields both serializers above write first, in their order."""
    return {
        "credit_line": money(enrollment.credit_line),
        "support_plan": enrollment.support_plan,
        "id": str(enrollment.pk),
        "program": enrollment.program,
        "status": enrollment.status,
        "submitted_at": datetime_text(enrollment.submitted_at, zone),
        "due_at": datetime_text(enrollment.due_at, zone),
    }


def _check(check, zone=None) -> dict:
    """``CheckSerializer``'s fields of one check (for ``QueueRowSerializer``)."""
    decision = decision_of(check)
    return {
        "kind": check.kind,
        "result": check.result,
        "detail": check.detail,
        "detail_code": check.detail_code,
        "detail_params": dict(check.detail_params),
        "checked_at": datetime_text(check.checked_at, zone),
        "decided_by": decision.by,
        "note": decision.note,
    }


def _partner(partner) -> dict:
    """``PartnerSummarySerializer``'s fields of one partner."""
    country = partner.country.code
    market = market_for_country(country)
    return {
        "id": str(partner.pk),
        "legal_name": partner.legal_name,
        "mpn_id": partner.mpn_id,
        "mpn_linked_via": partner.mpn_linked_via,
        "country": country,
        "market": market.code,
        "currency": market.currency,
    }


def _assignee(user) -> dict | None:
    """``AssigneeSerializer``'s fields of the assignee, if any."""
    return None if user is None else {"id": str(user.pk), "email": user.email, "name": user.get_full_name()}


def _dict(value) -> dict:
    """What ``serializers.DictField`` writes."""
    return {str(key): item for key, item in value.items()}


def _event(event) -> dict:
    """``EventSerializer``'s fields of one event (for ``ReviewEnrollmentSerializer``)."""
    return {
        "at": datetime_text(event.at),
        "event": event.kind,
        "actor": event.actor_label,
        "detail": str(event.detail),
        "from_status": event.from_state,
        "to_status": event.to_state,
    }


def _document(document) -> dict:
    """``DocumentSerializer``'s fields of one document (for ``ReviewEnrollmentSerializer``)."""
    check = document.verification_check
    return {
        "id": str(document.pk),
        "check": None if check is None else check.kind,
        "document_type": document.document_type,
        "original_name": document.original_name,
        "content_type": document.content_type,
        "size": document.size,
        "comment": document.comment,
        "uploaded_at": datetime_text(document.uploaded_at),
    }


class ReviewQueueQuery(serializers.Serializer):
    status = EnumFilter(EnrollmentStatus.values)
    program = EnumFilter(Program.values)
    country = serializers.CharField(
        required=False, allow_blank=True, max_length=2, help_text="ISO 3166-1 alpha-2"
    )
    overdue = BooleanFilter()
    assignee = EnumFilter(["me", "none"])
    ordering = EnumFilter(["due_at", "-due_at", "submitted_at", "-submitted_at"])


class QueuePagination(PageNumberPagination):
    """The default pages, counted by ``selectors.queue_total`` (no COUNT(*) of the queue,
    issue 12): ``count_capped`` says a narrowed queue holds more than ``count``."""

    known_count = (0, False)

    def django_paginator_class(self, queryset, page_size):
        count, capped = self.known_count
        return CountedPaginator(queryset, page_size, count, capped=capped)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.capped
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_capped"] = {
            "type": "boolean",
            "description": f"True when a filtered queue holds more than `count` ({selectors.QUEUE_COUNT_MAX}) "
            "enrollments: pages stop there; narrow the filters to reach the rest.",
        }
        schema["required"] = [*schema.get("required", []), "count_capped"]
        return schema


class ReviewQueueView(ListAPIView):
    """The queue, oldest due first by default."""

    permission_classes = [IsReviewer]
    serializer_class = QueueRowSerializer
    pagination_class = QueuePagination

    @extend_schema(parameters=[ReviewQueueQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        """The page as it read a moment ago, until a table it read changes or a file falls
        overdue (``generations.cached``: issue 12)."""
        return kept_response(request, self._page)

    def _page(self):
        now = timezone.now()
        data = super().list(self.request).data
        page = self.paginator.page
        until = queue_clock.queue_page_valid_until(
            now,
            page.object_list,
            overdue=self._filters["overdue"],
            capped=page.paginator.capped,
            by_due=self._ordering == "due_at",
        )
        return data, until

    def get_queryset(self):
        query = read_query(self.request, ReviewQueueQuery)
        filters = {
            "status": query["status"],
            "program": query["program"],
            "country": (query["country"] or "").upper() or None,
            "overdue": query["overdue"],
            "assignee": query["assignee"],
        }
        queryset = selectors.review_queue(user=self.request.user, **filters)
        self.paginator.known_count = selectors.queue_total(queryset, **filters)
        self._filters, self._ordering = filters, "due_at"
        if query["ordering"] in ("-due_at", "submitted_at", "-submitted_at"):
            queryset = queryset.order_by(query["ordering"], "pk")
            self._ordering = query["ordering"]
        return queryset

    def paginate_queryset(self, queryset):
        return attach_queue_checks(super().paginate_queryset(queryset))


class ReviewTimelineView(ListAPIView):
    """An enrollment's whole timeline for staff, newest first, a page at a time."""

    permission_classes = [IsReviewer]
    serializer_class = EventSerializer
    pagination_class = TimelinePagination

    def get_queryset(self):
        enrollment = get_object_or_404(
            selectors.reviewable_enrollments(self.request.user), pk=self.kwargs["pk"]
        )
        return selectors.timeline_of(enrollment)


class ReviewEnrollmentView(GenericAPIView):
    permission_classes = [IsReviewer]
    serializer_class = ReviewEnrollmentSerializer

    def _enrollment(self, pk):
        return selectors.review_enrollment(self.request.user, pk)

    def _read(self, pk) -> Response:
        return Response(ReviewEnrollmentSerializer(self._enrollment(pk)).data)


class ReviewDetailView(ReviewEnrollmentView):
    def get(self, request, pk):
        """As it read a moment ago, until one of its rows changes (``enrollment.kept``)."""
        rows = kept.rows_of(pk)

        def data():
            enrollment = self._enrollment(pk)
            return ReviewEnrollmentSerializer(enrollment).data, kept.valid_until(enrollment, rows)

        return kept_response(request, data, owned=rows and rows.owned)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=True, allow_blank=True, max_length=2000)


class MessageSerializer(serializers.Serializer):
    message = serializers.CharField(required=True, allow_blank=True, max_length=2000)


class CheckDecisionSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=[CheckResult.PASSED, CheckResult.FAILED, CheckResult.WAIVED])
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


def _action(name, input_serializer, call):
    """A POST endpoint: validate the shape, call the service, answer the enrollment."""

    class ActionView(ReviewEnrollmentView):
        @extend_schema(request=input_serializer, responses=ReviewEnrollmentSerializer)
        def post(self, request, pk, **kwargs):
            data = {}
            if input_serializer is not None:
                serializer = input_serializer(data=request.data)
                serializer.is_valid(raise_exception=True)
                data = serializer.validated_data
            call(actor=request.user, enrollment=self._enrollment(pk), **data, **kwargs)
            return self._read(pk)

    ActionView.__name__ = ActionView.__qualname__ = f"Review{name}View"
    return ActionView.as_view()


urlpatterns = [
    path("review/enrollments/", ReviewQueueView.as_view(), name="api-review-queue"),
    path("review/enrollments/<uuid:pk>/", ReviewDetailView.as_view(), name="api-review-detail"),
    path("review/enrollments/<uuid:pk>/timeline/", ReviewTimelineView.as_view(), name="api-review-timeline"),
    path("review/enrollments/<uuid:pk>/claim/", _action("Claim", None, services.enrollment_claim)),
    path("review/enrollments/<uuid:pk>/release/", _action("Release", None, services.enrollment_release)),
    path(
        "review/enrollments/<uuid:pk>/approve/",
        _action("Approve", NoteSerializer, services.enrollment_approve),
    ),
    path(
        "review/enrollments/<uuid:pk>/reject/",
        _action("Reject", ReasonSerializer, services.enrollment_reject),
    ),
    path(
        "review/enrollments/<uuid:pk>/request-info/",
        _action("RequestInfo", MessageSerializer, services.enrollment_request_info),
    ),
    path(
        "review/enrollments/<uuid:pk>/checks/<str:kind>/",
        _action("CheckDecision", CheckDecisionSerializer, services.check_decide),
    ),
]
