"""API: relationship requests (Partner Center's ``customers/relationshiprequests``): an active
direct-bill partner's link and draft email for an existing customer, its list, and the
customer's global admin accepting it with the link's token.

Thin: shape the input, read through the selectors (another partner's request is 404),
write through the services (their errors become 400, 403 and 409 in one place).
"""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors
from ..models import InvitationStatus
from ..permissions import acting_partner
from ..services import relationship_requests as services
from .customers import CustomerAuthorizationSerializer, CustomerDraftEmailSerializer


class RelationshipRequestCustomerSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    company_name = serializers.CharField()
    domain = serializers.CharField(source="tenant.domain")


class RelationshipRequestSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(
        source="status_now",
        choices=[InvitationStatus.SENT, InvitationStatus.ACCEPTED, InvitationStatus.EXPIRED],
        help_text="sent (waiting for the customer), accepted, or expired (its link ran out).",
    )
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    created_by = serializers.EmailField(source="created_by.email", allow_null=True, default=None)
    customer = RelationshipRequestCustomerSerializer(
        allow_null=True, help_text="The customer that accepted it, now your direct customer."
    )


class RelationshipRequestCreatedSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    link = serializers.URLField(help_text="Single use; shown once (only its hash is stored).")
    expires_at = serializers.DateTimeField()
    draft_email = CustomerDraftEmailSerializer(help_text="In the partner's language; edit it and send it.")


class RelationshipRequestAcceptSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=200, help_text="The last path segment of the request link.")


class RelationshipRequestsView(GenericAPIView):
    """A direct-bill partner's relationship requests, newest first; ``POST`` makes a new
    single-use link and its draft email (global admin or admin agent of an active
    direct-bill partner; anyone else 403)."""

    serializer_class = RelationshipRequestSerializer

    @extend_schema(responses=RelationshipRequestSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(selectors.relationship_requests_of(acting_partner(request.user)))
        return self.get_paginated_response(RelationshipRequestSerializer(page, many=True).data)

    @extend_schema(request=None, responses={201: RelationshipRequestCreatedSerializer})
    def post(self, request):
        created = services.relationship_request_create(actor=request.user)
        data = {
            "id": created.request.pk,
            "link": created.link,
            "expires_at": created.request.expires_at,
            "draft_email": {"subject": created.subject, "body": created.body},
        }
        response = Response(RelationshipRequestCreatedSerializer(data).data, status=status.HTTP_201_CREATED)
        # The token is in this answer only: no cache may keep it.
        response["Cache-Control"] = "no-store"
        return response


class RelationshipRequestDetailView(APIView):
    @extend_schema(responses=RelationshipRequestSerializer)
    def get(self, request, pk):
        found = get_object_or_404(selectors.relationship_requests_of(acting_partner(request.user)), pk=pk)
        return Response(RelationshipRequestSerializer(found).data)


class RelationshipRequestAcceptView(APIView):
    """The customer's global admin accepts the partner as its direct-bill partner (with
    administrator access); the customer then is the partner's direct customer. 409 for a
    used or expired link or an existing relationship with the partner; 403 for anyone but
    the global admin, or from a CSP partner's own transaction tenant."""

    @extend_schema(request=RelationshipRequestAcceptSerializer, responses=CustomerAuthorizationSerializer)
    def post(self, request):
        serializer = RelationshipRequestAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        accepted = services.relationship_request_accept(
            actor=request.user, token=serializer.validated_data["token"]
        )
        customer = accepted.customer
        data = {
            "id": customer.pk,
            "company_name": customer.company_name,
            "tenant": customer.tenant,
            "relationships": customer.relationships.filter(partner=accepted.partner_id).select_related(
                "partner"
            ),
        }
        return Response(CustomerAuthorizationSerializer(data).data)


urlpatterns = [
    path(
        "customers/relationship-requests/",
        RelationshipRequestsView.as_view(),
        name="api-relationship-requests",
    ),
    path(
        "customers/relationship-requests/accept/",
        RelationshipRequestAcceptView.as_view(),
        name="api-relationship-request-accept",
    ),
    path(
        "customers/relationship-requests/<uuid:pk>/",
        RelationshipRequestDetailView.as_view(),
        name="api-relationship-request",
    ),
]
