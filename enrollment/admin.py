"""Staff manage the Partner Network registry here and read enrollments. State changes
go through the service functions, never by editing the status column."""

from django.conf import settings
from django.contrib import admin, messages
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from partnercenter.audit.selectors import history_of
from partnercenter.core.errors import DomainError
from partnercenter.core.pages import error_messages

from .admin_transition import identify_for_offboarding, refuses_rollback, unidentify_for_offboarding
from .forms.programs import ProgramSettingAdminForm
from .models import (
    AgreementAcceptance,
    AgreementTemplate,
    DirectBillApplication,
    EmailVerification,
    Enrollment,
    MpnProfile,
    Partner,
    PmcAccount,
    PmcSignIn,
    VerificationCheck,
)
from .permissions import is_reviewer
from .programs import ProgramSetting
from .services.agreements import agreement_template_make_current
from .services.programs import program_set_applications_open


class MpnProfileInline(admin.TabularInline):
    model = MpnProfile
    extra = 0
    fields = ["mpn_id", "company_name", "country", "status"]


@admin.register(PmcAccount)
class PmcAccountAdmin(admin.ModelAdmin):
    list_display = ["username"]
    search_fields = ["username"]
    inlines = [MpnProfileInline]
    readonly_fields = ["password"]


@admin.register(MpnProfile)
class MpnProfileAdmin(admin.ModelAdmin):
    list_display = ["mpn_id", "company_name", "country", "status", "pmc_account"]
    list_filter = ["status", "country"]
    list_select_related = ["pmc_account"]
    search_fields = ["mpn_id", "company_name"]
    list_editable = ["status"]


@admin.register(PmcSignIn)
class PmcSignInAdmin(admin.ModelAdmin):
    """The record of each Partner Membership Center sign-in: the proof of an MPN ID."""

    list_display = ["pmc_username", "user", "signed_in_at"]
    list_select_related = ["user"]
    search_fields = ["pmc_username", "user__email"]
    readonly_fields = ["user", "pmc_username", "profiles", "signed_in_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "mpn_id", "mpn_linked_via", "country", "tenant", "contact_email"]
    list_select_related = ["tenant"]
    search_fields = ["legal_name", "mpn_id", "contact_email"]
    list_filter = ["country", "mpn_linked_via"]
    readonly_fields = ["tenant", "mpn_linked_via", "mpn_evidence", "created_at", "updated_at"]
    actions = [identify_for_offboarding, unidentify_for_offboarding]

    def has_delete_permission(self, request, obj=None):
        # A partner becoming an indirect reseller is never deleted: there is no rollback.
        return not refuses_rollback(obj) and super().has_delete_permission(request, obj)


class CheckInline(admin.TabularInline):
    model = VerificationCheck
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "result", "detail", "evidence", "checked_at", "decided_by"]

    def has_add_permission(self, request, obj=None):
        return False


class DirectBillInline(admin.StackedInline):
    """A direct-bill enrollment's questionnaire, credit line and support plan (read only:
    staff override the credit check through the review, which records it)."""

    model = DirectBillApplication
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in DirectBillApplication._meta.fields if f.name != "id"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["partner", "program", "status", "submitted_at", "due_at"]
    list_filter = ["status", "program"]
    list_select_related = ["partner"]
    search_fields = ["partner__legal_name", "partner__mpn_id"]
    readonly_fields = [f.name for f in Enrollment._meta.fields] + ["timeline"]
    inlines = [CheckInline, DirectBillInline]

    @admin.display(description=_("Timeline"))
    def timeline(self, obj):
        """The enrollment's latest events (the one trail: ``partnercenter.audit``), newest
        first; the review page and the API page through the rest."""
        latest = history_of(obj).order_by("-at", "-id")[: settings.TIMELINE_PAGE_SIZE]
        return format_html_join(
            "\n",
            "<div>{} · {} · {} {}</div>",
            ((e.at.isoformat(timespec="minutes"), e.label, e.actor_label, e.detail) for e in latest),
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # A transition's enrollment is never deleted: there is no rollback.
        return not refuses_rollback(obj) and super().has_delete_permission(request, obj)


@admin.register(EmailVerification)
class EmailVerificationAdmin(admin.ModelAdmin):
    list_display = ["enrollment", "email", "created_at", "expires_at", "used_at", "superseded_at"]
    list_select_related = ["enrollment__partner"]
    readonly_fields = [
        "enrollment",
        "email",
        "token_hash",
        "created_at",
        "expires_at",
        "used_at",
        "superseded_at",
    ]

    def has_add_permission(self, request):
        return False


# --- Agreements ------------------------------------------------------------------------------


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(admin.ModelAdmin):
    """Staff publish each version of an agreement in every language. Once a template has
    been accepted its text is what partners agreed to, so it can no longer be edited:
    publish a new version instead."""

    list_display = ["name", "program", "version", "language", "is_current", "published_at"]
    list_filter = ["program", "language", "is_current"]
    search_fields = ["name", "version"]
    ordering = ["program", "-published_at", "language"]
    actions = ["make_current"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.acceptances.exists():
            return ["program", "name", "version", "language", "body", "published_at"]
        return []

    @admin.action(description=_("Make current (retire the other versions of the same program and language)"))
    def make_current(self, request, queryset):
        """Through the service, which records who made which version current."""
        for template in queryset.order_by("pk"):
            try:
                agreement_template_make_current(actor=request.user, template=template)
            except DomainError as exc:
                for message in error_messages(exc):
                    self.message_user(request, message, messages.ERROR)
                return


@admin.register(AgreementAcceptance)
class AgreementAcceptanceAdmin(admin.ModelAdmin):
    """The record of who accepted which version, when: read-only evidence."""

    list_display = ["partner", "program", "region", "template", "accepted_by", "accepted_at"]
    list_filter = ["program", "region"]
    list_select_related = ["partner", "template", "accepted_by"]
    search_fields = ["partner__legal_name", "partner__mpn_id", "contact_email"]
    readonly_fields = [f.name for f in AgreementAcceptance._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProgramSetting)
class ProgramSettingAdmin(admin.ModelAdmin):
    """Whether a program takes applications. Saving opens or closes them through the
    service, which writes who, when and why on the audit trail; a program never changed
    has no row (its default is ``DIRECT_BILL_APPLICATIONS_OPEN``)."""

    form = ProgramSettingAdminForm
    list_display = ["program", "applications_open", "changed_at", "changed_by"]
    list_select_related = ["changed_by"]

    def get_readonly_fields(self, request, obj=None):
        return ["program", "changed_at", "changed_by"] if obj is not None else ["changed_at", "changed_by"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and is_reviewer(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and is_reviewer(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # deleting would change the state without an audit row

    def save_model(self, request, obj, form, change):
        saved = program_set_applications_open(
            actor=request.user,
            program=obj.program,
            applications_open=obj.applications_open,
            reason=obj.reason,
        )
        for field in ("applications_open", "reason", "changed_at", "changed_by"):
            setattr(obj, field, getattr(saved, field))


# --- Incentives (issue 11): read only; the partner enrolls through ``services.incentives`` ---
from .incentives import IncentiveEnrollment  # noqa: E402


@admin.register(IncentiveEnrollment)
class IncentiveEnrollmentAdmin(admin.ModelAdmin):
    list_display = ["partner", "program", "enrolled_at", "enrolled_by"]
    list_filter = ["program"]
    list_select_related = ["partner", "enrolled_by"]
    search_fields = ["partner__legal_name", "partner__mpn_id"]
    readonly_fields = ["partner", "program", "enrolled_at", "enrolled_by"]

    def has_add_permission(self, request):
        return False  # enrolling writes its audit row through the service

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
