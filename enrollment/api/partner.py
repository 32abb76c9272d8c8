"""Agreements, the partner profile and the business profile (API.md, "Agreements and the
partner profile"). The partner's users live in ``partnercenter.accounts.api``.

Thin: shape the input, call a selector or a service, shape the output."""

from django.urls import path, reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from partnercenter.core.errors import NotFound
from partnercenter.core.query import EnumFilter, read_query

from .. import selectors
from ..models import Program
from ..permissions import require_business_profile_admin, require_global_admin
from ..services import agreements, business_profile
from .serializers import ContactSerializer, MoneySerializer, money

# --- Shapes -------------------------------------------------------------------------------------


class AgreementTemplateSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    version = serializers.CharField()
    language = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The page that shows the agreement's text.")

    def get_url(self, template) -> str:
        link = reverse("enrollment:agreement-template", kwargs={"template_id": template.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(link) if request else link


class AgreementAcceptSerializer(serializers.Serializer):
    template_id = serializers.UUIDField()
    primary_contact = ContactSerializer()


class AcceptedTemplateSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    version = serializers.CharField()
    language = serializers.CharField()


class AcceptorSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    email = serializers.EmailField()
    name = serializers.CharField(source="get_full_name")


class PrimaryContactSerializer(serializers.Serializer):
    """The contact fields of a partner or of an acceptance (the contact on record)."""

    first_name = serializers.CharField(source="contact_first_name")
    last_name = serializers.CharField(source="contact_last_name")
    email = serializers.CharField(source="contact_email")
    phone = serializers.CharField(source="contact_phone")


class AgreementAcceptanceSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    program = serializers.CharField()
    region = serializers.CharField()
    template = AcceptedTemplateSerializer()
    accepted_at = serializers.DateTimeField()
    accepted_by = AcceptorSerializer(allow_null=True)
    primary_contact = PrimaryContactSerializer(source="*", help_text="The primary contact on record.")


class PartnerSupportProfileSerializer(serializers.Serializer):
    email = serializers.CharField(source="support_email")
    phone = serializers.CharField(source="support_phone")
    website = serializers.CharField(source="support_website")


class PartnerAddressSerializer(serializers.Serializer):
    line1 = serializers.CharField(source="address_line1")
    line2 = serializers.CharField(source="address_line2")
    city = serializers.CharField()
    state = serializers.CharField()
    postal_code = serializers.CharField()
    country = serializers.CharField(source="country.code")


class ProgramInfoSerializer(serializers.Serializer):
    program = serializers.CharField()
    status = serializers.CharField()
    agreement_name = serializers.CharField(source="acceptance.template.name", allow_null=True)
    agreement_version = serializers.CharField(source="acceptance.template.version", allow_null=True)
    agreement_language = serializers.CharField(source="acceptance.template.language", allow_null=True)
    accepted_at = serializers.DateTimeField(source="acceptance.accepted_at", allow_null=True)
    accepted_by = serializers.CharField(source="acceptance.accepted_by.get_full_name", allow_null=True)
    credit_line = serializers.SerializerMethodField(
        help_text="Direct bill: the approved credit line; else null."
    )
    support_plan = serializers.CharField(
        source="enrollment.support_plan", allow_null=True, help_text="Direct bill: asfp or psfp; else null."
    )

    @extend_schema_field(MoneySerializer(allow_null=True))
    def get_credit_line(self, info) -> dict | None:
        return money(info.enrollment.credit_line)


class BusinessProfileSerializer(serializers.Serializer):
    description = serializers.CharField()
    website = serializers.CharField()
    industries = serializers.ListField(child=serializers.CharField())
    services = serializers.ListField(child=serializers.CharField())
    updated_at = serializers.DateTimeField(allow_null=True)


class BusinessProfileUpdateSerializer(serializers.Serializer):
    """A partial update: only the fields given change. Lengths are the service's rules."""

    description = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    website = serializers.CharField(required=False, allow_blank=True, max_length=200)
    industries = serializers.ListField(
        child=serializers.CharField(allow_blank=True, max_length=200), required=False, max_length=100
    )
    services = serializers.ListField(
        child=serializers.CharField(allow_blank=True, max_length=200), required=False, max_length=100
    )


class PartnerSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="partner.id")
    legal_name = serializers.CharField(source="partner.legal_name")
    mpn_id = serializers.CharField(source="partner.mpn_id")
    country = serializers.CharField(source="partner.country.code")
    address = PartnerAddressSerializer(source="partner")
    primary_contact = PrimaryContactSerializer(source="partner")
    support_profile = PartnerSupportProfileSerializer(source="partner")
    language = serializers.CharField(source="partner.language")
    programs = serializers.ListField(child=serializers.CharField(), help_text="Programs that are active.")
    market = serializers.CharField(source="partner.market.code")
    currency = serializers.CharField(source="partner.market.currency")
    vetting_status = serializers.ChoiceField(choices=["none", "pending", "authorized", "rejected"])
    program_info = ProgramInfoSerializer(many=True)
    business_profile = BusinessProfileSerializer(allow_null=True)


# --- Views --------------------------------------------------------------------------------------


def _profile_or_404(user):
    profile = selectors.partner_profile_for(user)
    if profile is None:
        raise NotFound()
    return profile


class AgreementQuery(serializers.Serializer):
    program = EnumFilter(Program.values)


class AgreementTemplateListView(GenericAPIView):
    """The agreements offered for acceptance now, in every language they exist in."""

    serializer_class = AgreementTemplateSerializer

    def get_queryset(self):
        return selectors.current_agreement_templates(read_query(self.request, AgreementQuery)["program"])

    @extend_schema(parameters=[AgreementQuery], responses=AgreementTemplateSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class PartnerAgreementsView(APIView):
    """The global admin accepts the current agreement of a program whose enrollment is
    approved; the enrollment becomes active."""

    @extend_schema(request=AgreementAcceptSerializer, responses={201: AgreementAcceptanceSerializer})
    def post(self, request):
        if selectors.partner_for(request.user) is None:
            raise NotFound()
        require_global_admin(request.user)  # a role that may not act learns that before any 400
        serializer = AgreementAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        acceptance = agreements.agreement_accept(actor=request.user, **serializer.validated_data)
        return Response(AgreementAcceptanceSerializer(acceptance).data, status=status.HTTP_201_CREATED)


class PartnerView(APIView):
    """The partner profile: contacts, programs, market, vetting status and Program info."""

    @extend_schema(responses=PartnerSerializer)
    def get(self, request):
        return Response(PartnerSerializer(_profile_or_404(request.user)).data)


class BusinessProfileView(APIView):
    """The profile customers are referred on: read by the partner's users, edited by the
    business profile admin (or the global admin)."""

    @extend_schema(responses=BusinessProfileSerializer)
    def get(self, request):
        profile = _profile_or_404(request.user)
        return Response(BusinessProfileSerializer(profile.business_profile or _EMPTY_PROFILE).data)

    @extend_schema(request=BusinessProfileUpdateSerializer, responses=BusinessProfileSerializer)
    def patch(self, request):
        if selectors.partner_for(request.user) is None:
            raise NotFound()
        require_business_profile_admin(request.user)
        serializer = BusinessProfileUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = business_profile.business_profile_update(actor=request.user, data=serializer.validated_data)
        return Response(BusinessProfileSerializer(profile).data)


_EMPTY_PROFILE = {"description": "", "website": "", "industries": [], "services": [], "updated_at": None}

urlpatterns = [
    path("agreements/", AgreementTemplateListView.as_view(), name="api-agreements"),
    path("partner/", PartnerView.as_view(), name="api-partner"),
    path("partner/agreements/", PartnerAgreementsView.as_view(), name="api-partner-agreements"),
    path("partner/business-profile/", BusinessProfileView.as_view(), name="api-business-profile"),
]
