"""Shapes of the enrollment API. Types and presence only: the program's rules live in
``enrollment.rules`` and are enforced by ``enrollment.services``."""

from django.urls import reverse
from rest_framework import serializers

from partnercenter.accounts.api.serializers import TenantSerializer, UserSerializer

from ..models import Language, Program
from ..outcomes import decision_of
from ..rules import (
    CITY_MAX,
    COMPANY_NAME_MAX,
    HOLDER_NAME_MAX,
    LINE_MAX,
    NAME_MAX,
    POSTAL_CODE_MAX,
    STATE_MAX,
)


class AddressSerializer(serializers.Serializer):
    line1 = serializers.CharField(max_length=LINE_MAX)
    line2 = serializers.CharField(max_length=LINE_MAX, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=CITY_MAX)
    state = serializers.CharField(max_length=STATE_MAX, required=False, allow_blank=True, default="")
    postal_code = serializers.CharField(
        max_length=POSTAL_CODE_MAX, required=False, allow_blank=True, default=""
    )
    country = serializers.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")


class LegalBusinessProfileSerializer(serializers.Serializer):
    company_name = serializers.CharField(max_length=COMPANY_NAME_MAX)
    address = AddressSerializer()


class ContactSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=NAME_MAX)
    last_name = serializers.CharField(max_length=NAME_MAX)
    email = serializers.CharField(
        max_length=254, help_text="A work email: web-based and disposable mail services are refused."
    )
    phone = serializers.CharField(max_length=32)


class SupportProfileSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    phone = serializers.CharField(max_length=32)
    website = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class BankAccountSerializer(serializers.Serializer):
    holder_name = serializers.CharField(max_length=HOLDER_NAME_MAX)
    iban = serializers.CharField(max_length=42, required=False, allow_blank=True)
    bic = serializers.CharField(max_length=14, required=False, allow_blank=True)
    account_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    routing_number = serializers.CharField(max_length=24, required=False, allow_blank=True)


class EnrollmentCreateSerializer(serializers.Serializer):
    program = serializers.ChoiceField(choices=Program.choices)
    mpn_id = serializers.CharField(max_length=20)
    legal_business_profile = LegalBusinessProfileSerializer()
    primary_contact = ContactSerializer()
    support_profile = SupportProfileSerializer()
    bank_account = BankAccountSerializer()
    language = serializers.ChoiceField(choices=Language.choices, default=Language.EN)


class CheckSerializer(serializers.Serializer):
    """One verification check. ``detail`` is what it says in the caller's language (a
    reviewer's note as written); ``detail_code`` and ``detail_params`` are the system's words
    as data ("" and {} for people's words)."""

    kind = serializers.CharField()
    result = serializers.CharField()
    detail = serializers.CharField()
    detail_code = serializers.CharField()
    detail_params = serializers.DictField()
    checked_at = serializers.DateTimeField(allow_null=True)
    decided_by = serializers.SerializerMethodField(
        help_text="Who decided the result: reviewer, automated, or null while the check is pending."
    )
    note = serializers.SerializerMethodField(
        help_text="The reviewer's note on the decision, as written; empty if none was given."
    )

    def get_decided_by(self, check) -> str | None:
        return decision_of(check).by

    def get_note(self, check) -> str:
        return decision_of(check).note


class EventSerializer(serializers.Serializer):
    """One audit event of the timeline. ``detail`` is what it says in the caller's language:
    the system's sentence, then people's own words as they wrote them."""

    at = serializers.DateTimeField()
    event = serializers.CharField(source="kind")
    actor = serializers.CharField(source="actor_label")
    detail = serializers.CharField()
    from_status = serializers.CharField(source="from_state")
    to_status = serializers.CharField(source="to_state")


class PartnerSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    legal_name = serializers.CharField()
    mpn_id = serializers.CharField()
    mpn_linked_via = serializers.ChoiceField(
        choices=["pmc", "typed"],
        help_text="How the MPN ID was linked: chosen from a Partner Membership Center sign-in (proved) or typed.",
    )
    country = serializers.CharField(source="country.code")
    market = serializers.CharField(source="market.code")
    currency = serializers.CharField(source="market.currency")


class EnrollmentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    program = serializers.CharField()
    status = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reason = serializers.CharField()
    checks = CheckSerializer(many=True)
    timeline = EventSerializer(
        many=True,
        help_text="The latest events (TIMELINE_PAGE_SIZE, 50 by default), oldest first; every event, "
        "newest first and paged, at timeline_url.",
    )
    timeline_count = serializers.IntegerField(
        source="timeline_page.count", help_text="How many events in all."
    )
    timeline_url = serializers.SerializerMethodField(
        help_text="The whole timeline, newest first, paged (?page=)."
    )
    partner = PartnerSummarySerializer()

    # The timeline endpoint of whoever reads the enrollment (the partner's; staff: the review's).
    timeline_route = "api-enrollment-timeline"

    def get_timeline_url(self, enrollment) -> str:
        return reverse(self.timeline_route, kwargs={"pk": enrollment.pk})


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=200)


class MpnProfileSerializer(serializers.Serializer):
    mpn_id = serializers.CharField()
    company_name = serializers.CharField()
    country = serializers.CharField()
    status = serializers.CharField()


class MpnSignInSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False, style={"input_type": "password"})


class DocumentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    check = serializers.CharField(source="verification_check.kind", allow_null=True)
    document_type = serializers.CharField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    comment = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class MePartnerSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    legal_name = serializers.CharField()
    mpn_id = serializers.CharField()
    mpn_linked_via = serializers.ChoiceField(
        choices=["pmc", "typed"],
        help_text="How the MPN ID was linked: chosen from a Partner Membership Center sign-in (proved) or typed.",
    )
    country = serializers.CharField(source="country.code")
    market = serializers.CharField(source="market.code")
    currency = serializers.CharField(source="market.currency")


class MeSerializer(UserSerializer):
    tenant = TenantSerializer(allow_null=True)
    is_staff = serializers.BooleanField()
    partner = MePartnerSerializer(allow_null=True)
