"""The direct-bill application's endpoints (issue 9): the questionnaire and the support
plan (the partner's global admin), and staff's override of the credit check.

Thin: the services validate field by field (400 naming the field), check the right
(403) and the state (409); another partner's enrollment is not found (404).
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from partnercenter.core.errors import InvalidInput

from .. import questionnaire, selectors
from ..models import ServiceKind, SupportPlan
from ..permissions import require_global_admin
from ..rules import Errors
from ..services import direct_bill as services
from .permissions import IsReviewer
from .review import ReviewEnrollmentSerializer
from .serializers import EnrollmentSerializer, MoneySerializer

# --- Shapes (for the schema: the services check the values) -----------------------------------


class ManagedServiceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ServiceKind.values)
    description = serializers.CharField(max_length=questionnaire.DESCRIPTION_MAX)


class QuestionnaireSerializer(serializers.Serializer):
    """One answer per minimum requirement, the services offered, and the financials the
    credit check scores (in the partner's market currency, zero or more)."""

    authority_to_sign = serializers.BooleanField(
        help_text="Authority to sign legal agreements for the company."
    )
    first_level_support = serializers.BooleanField(help_text="First-level support to customers.")
    managed_services = ManagedServiceSerializer(
        many=True, help_text="At least one managed service, IP service or customer solution qualifies."
    )
    billing_infrastructure = serializers.BooleanField(
        help_text="An infrastructure for billing and provisioning customers."
    )
    years_trading = serializers.IntegerField(min_value=0, max_value=questionnaire.YEARS_MAX)
    annual_revenue = MoneySerializer()
    cloud_revenue_12m = MoneySerializer(help_text="Cloud revenue of the last 12 months.")


class SupportPlanSerializer(serializers.Serializer):
    plan = serializers.ChoiceField(choices=SupportPlan.choices)


class CreditOverrideSerializer(serializers.Serializer):
    approved = serializers.BooleanField(help_text="true: a credit line of credit_line; false: declined.")
    credit_line = MoneySerializer(required=False, help_text="Required when approved: greater than zero.")
    note = serializers.CharField(max_length=services.NOTE_MAX, help_text="Why; it is kept in the timeline.")


# --- The partner's global admin ----------------------------------------------------------------


def _body(request) -> dict:
    return request.data if isinstance(request.data, dict) else {}


class _PartnerStep(APIView):
    def _enrollment(self, request, enrollment_id):
        """The caller's enrollment (404 for anyone else's), and 403 unless global admin."""
        enrollment = selectors.enrollment_for(request.user, enrollment_id)
        require_global_admin(request.user)
        return enrollment

    def _read(self, request, enrollment_id) -> Response:
        return Response(EnrollmentSerializer(selectors.enrollment_for(request.user, enrollment_id)).data)


class QuestionnaireView(_PartnerStep):
    """Answer the qualification questionnaire of a direct-bill application, once, before a
    decision. Answers that miss a requirement end the application at once (``rejected``,
    with the reason in ``decision_reason``; the indirect-reseller path stays open)."""

    @extend_schema(request=QuestionnaireSerializer, responses=EnrollmentSerializer)
    def post(self, request, enrollment_id):
        enrollment = self._enrollment(request, enrollment_id)
        services.enrollment_answer_questionnaire(
            actor=request.user, enrollment=enrollment, answers=request.data
        )
        return self._read(request, enrollment_id)


class SupportPlanView(_PartnerStep):
    """With the credit line approved, confirm the purchase of the support plan: asfp
    (Advanced Support for Partners) or psfp (Premier Support for Partners)."""

    @extend_schema(request=SupportPlanSerializer, responses=EnrollmentSerializer)
    def post(self, request, enrollment_id):
        enrollment = self._enrollment(request, enrollment_id)
        services.enrollment_confirm_support_plan(
            actor=request.user, enrollment=enrollment, plan=_body(request).get("plan")
        )
        return self._read(request, enrollment_id)


# --- Program staff -------------------------------------------------------------------------------


class CreditCheckOverrideView(APIView):
    """Override the credit check with a note (in the timeline): a credit line in the
    partner's market currency, or a decline."""

    permission_classes = [IsReviewer]

    @extend_schema(request=CreditOverrideSerializer, responses=ReviewEnrollmentSerializer)
    def post(self, request, pk):
        enrollment = selectors.review_enrollment(request.user, pk)
        body = _body(request)
        approved, amount = body.get("approved"), None
        if approved is True:
            errors = Errors()
            amount = questionnaire.money_errors(
                body.get("credit_line"),
                "credit_line",
                enrollment.partner.market.currency,
                errors,
                positive=True,
            )
            if errors:
                raise InvalidInput(errors.tree)
        services.enrollment_override_credit_check(
            actor=request.user, enrollment=enrollment, approved=approved, amount=amount, note=body.get("note")
        )
        return Response(ReviewEnrollmentSerializer(selectors.review_enrollment(request.user, pk)).data)


urlpatterns = [
    path(
        "enrollments/<uuid:enrollment_id>/questionnaire/",
        QuestionnaireView.as_view(),
        name="api-enrollment-questionnaire",
    ),
    path(
        "enrollments/<uuid:enrollment_id>/support-plan/",
        SupportPlanView.as_view(),
        name="api-enrollment-support-plan",
    ),
    path(
        "review/enrollments/<uuid:pk>/credit-check/",
        CreditCheckOverrideView.as_view(),
        name="api-review-credit-check",
    ),
]
