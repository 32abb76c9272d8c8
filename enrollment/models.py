"""Partners, their enrollments, the verification checks and the Partner Network registry."""

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from partnercenter.accounts.models import Tenant
from partnercenter.audit.models import Event
from partnercenter.core.fields import EncryptedTextField
from partnercenter.core.l10n import person_name
from partnercenter.core.markets import market_for_country

# The statuses and their legal moves live in ``states`` (re-exported here, where looked for).
from . import check_details
from .check_kinds import CheckKind, CheckResult  # noqa: F401 (looked for here)
from .direct_bill import DirectBillApplication, DirectBillPredicates, ServiceKind, SupportPlan  # noqa: F401
from .partner_network import MpnLinkedVia, MpnProfile, PmcAccount, PmcSignIn  # noqa: F401 (looked for here)
from .programs import Program, ProgramSetting  # noqa: F401 (looked for here)
from .states import (  # noqa: F401 (their home is ``states``; models is where they are looked for)
    DECIDABLE,
    FINAL_STATUSES,
    MOVES,
    OPEN_STATUSES,
    REAPPLICABLE,
    TRANSITIONS,
    UNDECIDED_STATUSES,
    WITHDRAWABLE,
    EnrollmentStatus,
    Move,
    overdue_q,
    statuses_for,
)
from .status_counts import StatusCount  # noqa: F401 (kept by the database: status_counts)
from .transition import IndirectTransition  # noqa: F401 (looked for here)


class Language(models.TextChoices):
    EN = "en", "English"
    ZH_HANT = "zh-hant", "繁體中文"
    ZH_HANS = "zh-hans", "简体中文"
    RU = "ru", "Русский"


# --- The partner --------------------------------------------------------------------------


class PartnerQuerySet(models.QuerySet):
    def active(self, program: str | None = None):
        """Partners whose enrollment (in ``program``, or any) is active: "a partner acts in a
        program only once its enrollment there is active"."""
        return self.filter(Exists(_active_enrollments(OuterRef("pk"), program)))

    def with_is_active(self, program: str | None = None, *, name: str = "is_active"):
        return self.annotate(**{name: Exists(_active_enrollments(OuterRef("pk"), program))})


def _active_enrollments(partner, program: str | None):
    enrollments = Enrollment.objects.active().filter(partner=partner)
    return enrollments.filter(program=program) if program else enrollments


class Partner(models.Model):
    """The enrolled company: one per tenant (its CSP transaction tenant)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.OneToOneField(Tenant, on_delete=models.PROTECT, related_name="partner")
    mpn_id = models.CharField(_("MPN ID"), max_length=10)
    # How the MPN ID was linked: chosen from a Partner Membership Center sign-in (proved) or
    # typed; with the sign-in's evidence (``services.mpn``).
    mpn_linked_via = models.CharField(max_length=10, choices=MpnLinkedVia.choices, default=MpnLinkedVia.TYPED)
    mpn_evidence = models.JSONField(default=dict, blank=True)
    legal_name = models.CharField(_("legal name"), max_length=200)
    address_line1 = models.CharField(max_length=200)
    address_line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = CountryField()
    contact_first_name = models.CharField(max_length=50)
    contact_last_name = models.CharField(max_length=50)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=32)
    support_email = models.EmailField()
    support_phone = models.CharField(max_length=32)
    support_website = models.URLField(blank=True)
    language = models.CharField(max_length=10, choices=Language.choices, default=Language.EN)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["legal_name"]
        # The duplicate check, the MPN ID refusal and the admin's country filter look
        # partners up by these (the queue's country filter reads ``Enrollment.country``).
        indexes = [
            models.Index(fields=["mpn_id"], name="partner_mpn_id"),
            models.Index(fields=["country"], name="partner_country"),
            models.Index(Upper("legal_name"), "country", name="partner_legal_name_country"),
        ]

    def __str__(self):
        return self.legal_name

    @property
    def market(self):
        return market_for_country(self.country.code)

    @property
    def contact_name(self) -> str:
        return person_name(self.contact_first_name, self.contact_last_name)

    def is_active_in(self, program: str | None = None) -> bool:
        """Its enrollment (in ``program``, or any) is active (``PartnerQuerySet.active``;
        ``with_is_active`` annotates a list with it as ``is_active``)."""
        return _active_enrollments(self, program).exists()


class BankAccount(models.Model):
    """Where the partner is paid. Account numbers are encrypted at rest and masked on screen."""

    partner = models.OneToOneField(Partner, on_delete=models.CASCADE, related_name="bank_account")
    holder_name = models.CharField(max_length=100)
    iban = EncryptedTextField(blank=True)
    bic = models.CharField(max_length=11, blank=True)
    account_number = EncryptedTextField(blank=True)
    routing_number = models.CharField(max_length=20, blank=True)
    last4 = models.CharField(max_length=4)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")

    def __str__(self):
        return f"{self.holder_name} {self.masked}"

    @property
    def masked(self) -> str:
        return f"•••• {self.last4}"


# --- Enrollments ----------------------------------------------------------------------------


class EnrollmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def undecided(self):
        return self.filter(status__in=UNDECIDED_STATUSES)

    def active(self):
        return self.filter(status=EnrollmentStatus.ACTIVE)

    def overdue(self, now: datetime):
        """Overdue work stands out: in review past its decision's due time."""
        return self.filter(overdue_q(now))

    def holding_mpn(self, mpn_id: str, *, other_than: Tenant):
        """Open or active enrollments of another tenant's partner linked to ``mpn_id``: an
        MPN ID belongs to one company, so a second tenant's application is refused."""
        return self.open().filter(partner__mpn_id=mpn_id).exclude(partner__tenant=other_than)


class Enrollment(DirectBillPredicates, models.Model):
    """One application of one partner to one program."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="enrollments")
    # The partner's country, copied by the database (``country_copy``): one country's
    # queue is read from one index of the enrollments, not joined to the partners.
    country = CountryField(default="", editable=False)
    program = models.CharField(max_length=20, choices=Program.choices)
    status = models.CharField(max_length=30, choices=EnrollmentStatus.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    # When the current wait ends: the decision while in review.
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # While waiting for the email confirmation: one reminder, then expiry (swept by beat).
    remind_at = models.DateTimeField(null=True, blank=True, db_index=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The automated checks ran (claimed once, so a task running twice does nothing).
    checks_started_at = models.DateTimeField(null=True, blank=True)
    # The reviewer who holds the file.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_enrollments",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    # What was submitted (bank numbers left out), for the reviewer and the audit.
    application = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["-submitted_at"]
        permissions = [("review_enrollment", "Can work the enrollment review queue")]
        # The queue's counts and filters by status; the lists' order by submission.
        indexes = [
            models.Index(fields=["status", "program"], name="enrollment_status_program"),
            models.Index(fields=["submitted_at"], name="enrollment_submitted_at"),
            models.Index(fields=["status", "submitted_at"], name="enrollment_status_submitted"),
            # The overdue files in the queue's order (``overdue_q``): the filter's page and its
            # capped count read a page of it, not every file in review and every due date.
            models.Index(
                fields=["due_at", "submitted_at", "id"],
                condition=Q(status__in=list(DECIDABLE)),
                name="enrollment_decidable_due",
            ),
            # One country's queue in the queue's order (``selectors.review_queue``): a page
            # reads a page of it (due_at ascending puts the undated last, as the queue does).
            models.Index(
                fields=["country", "due_at", "submitted_at", "id"],
                condition=Q(status__in=list(UNDECIDED_STATUSES)),
                name="enrollment_country_queue",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "program"],
                condition=Q(status__in=list(OPEN_STATUSES)),
                name="one_open_enrollment_per_partner_program",
            )
        ]

    def __str__(self):
        return f"{self.partner} – {self.get_program_display()} ({self.status})"

    # --- Predicates: what the enrollment allows now (derived from MOVES) --------------------

    @property
    def calendar_country(self) -> str:
        """The country whose working days its deadlines count: the partner's."""
        return self.partner.country.code

    def can(self, action: str) -> bool:
        return self.status in MOVES[action].sources

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_undecided(self) -> bool:
        return self.status in UNDECIDED_STATUSES

    @property
    def can_withdraw(self) -> bool:
        return self.can("withdraw")

    @property
    def can_resend_email(self) -> bool:
        return self.can("resend_email")

    @property
    def can_claim(self) -> bool:
        return self.can("claim")

    @property
    def can_decide(self) -> bool:
        return self.can("approve")

    @property
    def can_decide_checks(self) -> bool:
        return self.can("decide_check")

    @property
    def can_appeal(self) -> bool:
        return self.can("appeal")

    @property
    def can_respond(self) -> bool:
        return self.can("respond")

    @property
    def can_accept_agreement(self) -> bool:
        return self.can("accept_agreement")

    @property
    def may_apply_again(self) -> bool:
        """It ended without becoming active: a new application may follow (``REAPPLICABLE``)."""
        return self.status in REAPPLICABLE

    def is_overdue_at(self, now: datetime) -> bool:
        return self.status in DECIDABLE and self.due_at is not None and self.due_at < now

    def overdue_from(self, now: datetime) -> datetime | None:
        """When it falls overdue unless decided first (``is_overdue_at``); None: never, or already."""
        return self.due_at if self.status in DECIDABLE and self.due_at and self.due_at >= now else None

    @property
    def is_overdue(self) -> bool:
        """In review past its decision's due time (``overdue_q``, for one row)."""
        return self.is_overdue_at(timezone.now())

    @property
    def events(self):
        """The enrollment's audit history (its timeline), oldest first."""
        return Event.objects.of(self)


class VerificationCheck(models.Model):
    """One step of the verification with its result, evidence and who or what decided it."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(max_length=30, choices=CheckKind.choices)
    result = models.CharField(max_length=10, choices=CheckResult.choices, default=CheckResult.PENDING)
    # The system's words: a code of ``check_details`` and its parameters, rendered when read.
    detail_code = models.CharField(max_length=60, blank=True)
    detail_params = models.JSONField(default=dict, blank=True)
    # As written: a reviewer's note, or the text of a row from before the codes.
    detail_text = models.TextField(blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("verification check")
        verbose_name_plural = _("verification checks")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["enrollment", "kind"], name="one_check_per_kind")]

    def __str__(self):
        return f"{self.kind}: {self.result}"

    @property
    def detail(self) -> str:
        """What the check says, in the reader's language (people's words as written)."""
        return check_details.render(self.detail_code, self.detail_params, self.detail_text)

    @detail.setter
    def detail(self, value) -> None:
        """A ``check_details.Detail`` (the system's words) or a text as written."""
        if isinstance(value, check_details.Detail):
            self.detail_code, self.detail_params, self.detail_text = value.code, value.params, ""
        else:
            self.detail_code, self.detail_params, self.detail_text = "", {}, str(value or "")


class EmailVerification(models.Model):
    """A link sent to the primary contact. Only the token's SHA-256 is stored.

    Single-use (``used_at``), expiring (``expires_at``), and replaced by a resend
    (``superseded_at``).
    """

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="email_verifications")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    # The second link, "I did not request this": withdraws the application (same life).
    refusal_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    refused_at = models.DateTimeField(null=True, blank=True)  # "I did not request this" followed
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("email verification")
        verbose_name_plural = _("email verifications")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} ({self.created_at:%Y-%m-%d})"


class DocumentType(models.TextChoices):
    DOMAIN_OWNERSHIP = "domain_ownership", _("Proof of domain ownership")
    BUSINESS_REGISTRATION = "business_registration", _("Business registration")
    TAX_REGISTRATION = "tax_registration", _("Tax registration")


class EnrollmentDocument(models.Model):
    """A document the partner uploaded to appeal or settle a check."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="documents")
    verification_check = models.ForeignKey(
        VerificationCheck, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    document_type = models.CharField(max_length=30, choices=DocumentType.choices)
    file = models.FileField(upload_to="enrollment-documents/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    comment = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("enrollment document")
        verbose_name_plural = _("enrollment documents")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name


# --- Agreements ------------------------------------------------------------------------------


class AgreementTemplate(models.Model):
    """A version of an agreement in one language, managed by staff."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    program = models.CharField(max_length=20, choices=Program.choices)
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=20)
    language = models.CharField(max_length=10, choices=Language.choices)
    body = models.TextField(help_text=_("The agreement's text, shown to the partner before acceptance."))
    is_current = models.BooleanField(default=True, help_text=_("Offered for acceptance now."))
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("agreement template")
        verbose_name_plural = _("agreement templates")
        ordering = ["program", "language", "-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "version", "language"], name="one_template_per_version_language"
            )
        ]

    def __str__(self):
        return f"{self.name} {self.version} ({self.language})"


class AgreementAcceptance(models.Model):
    """Who accepted which agreement version, when, with the primary contact on record.
    Accepted once per region (market) and program."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="agreement_acceptances")
    template = models.ForeignKey(AgreementTemplate, on_delete=models.PROTECT, related_name="acceptances")
    program = models.CharField(max_length=20, choices=Program.choices)
    region = models.CharField(max_length=30)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_first_name = models.CharField(max_length=50)
    contact_last_name = models.CharField(max_length=50)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=32)
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("agreement acceptance")
        verbose_name_plural = _("agreement acceptances")
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "program", "region"], name="one_acceptance_per_region")
        ]

    def __str__(self):
        return f"{self.partner} accepted {self.template}"


class BusinessProfile(models.Model):
    """How customers find the partner when they are referred."""

    partner = models.OneToOneField(Partner, on_delete=models.CASCADE, related_name="business_profile")
    description = models.TextField(blank=True, max_length=2000)
    website = models.URLField(blank=True)
    industries = models.JSONField(default=list, blank=True)
    services = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("business profile")
        verbose_name_plural = _("business profiles")

    def __str__(self):
        return f"Business profile of {self.partner}"
