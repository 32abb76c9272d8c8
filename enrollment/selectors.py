"""Reads for enrollments, always scoped to the caller's partner: another partner's
enrollment is simply not found (404)."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from partnercenter.audit.models import Event
from partnercenter.audit.selectors import attach_history_page, history_of_tenant
from partnercenter.core.errors import NotFound
from partnercenter.core.l10n import join_sentences
from partnercenter.core.querysets import count_at_most

from . import events
from .models import (
    UNDECIDED_STATUSES,
    AgreementAcceptance,
    AgreementTemplate,
    BusinessProfile,
    CheckKind,
    CheckResult,
    EmailVerification,
    Enrollment,
    EnrollmentDocument,
    EnrollmentStatus,
    Partner,
    Program,
    VerificationCheck,
    overdue_q,
    statuses_for,
)
from .outcomes import attach_decisions, has_reviewer_note, latest_decision_events
from .permissions import is_reviewer
from .queue_ages import AGE_CUTOFFS, AgeBucket, queue_age_buckets, queue_age_chart  # noqa: F401 (looked for here)
from .registry import get_registry
from .status_counts import status_counts
from .vetting import Vetting, partner_vetting


def enrollments_for(user) -> QuerySet[Enrollment]:
    """The enrollments of the user's partner (none for anyone else). Give a page of them
    their timelines with ``with_timelines``."""
    if not (user and user.is_authenticated and user.tenant_id):
        return Enrollment.objects.none()
    return (
        Enrollment.objects.filter(partner__tenant_id=user.tenant_id)
        .select_related("partner", "partner__tenant", "direct_bill")
        .prefetch_related("checks")
    )


def with_timelines(enrollments, page: int = 1) -> list[Enrollment]:
    """The enrollments, each with its ``timeline``: one page of its audit events, oldest
    first (page 1 holds the latest ``TIMELINE_PAGE_SIZE``; ``timeline_page`` says where it
    stands and how many there are), and each check with the ``decision`` read from the
    decisions' events (however old). Two queries for all of them, bounded rows."""
    enrollments = attach_history_page(
        enrollments, "timeline", page=page, per_page=settings.TIMELINE_PAGE_SIZE
    )
    decisions = latest_decision_events([str(e.pk) for e in enrollments])
    for enrollment in enrollments:
        enrollment.decision_events = decisions[str(enrollment.pk)]
        attach_decisions(enrollment, enrollment.decision_events)
    return enrollments


def timeline_of(enrollment: Enrollment):
    """Every event of the enrollment, newest first, for paging (the API's timeline)."""
    return Event.objects.of(enrollment).order_by("-at", "-id")


def enrollment_for(user, enrollment_id, timeline_page: int = 1) -> Enrollment:
    """One enrollment of the user's partner, with a page of its timeline and the partner's
    bank account (read in the same query: the status page shows it), or 404."""
    enrollments = enrollments_for(user).select_related("partner__bank_account")
    enrollment = get_object_or_404(enrollments, pk=enrollment_id)
    return with_timelines([enrollment], timeline_page)[0]


def partner_for(user) -> Partner | None:
    if not (user and user.is_authenticated and user.tenant_id):
        return None
    return Partner.objects.filter(tenant_id=user.tenant_id).select_related("tenant").first()


@dataclass
class NextStep:
    title: str
    text: str
    when: datetime | None = None
    # What ``when`` is ("The link works until", "Expected decision by").
    when_label: str = ""
    partner_must_act: bool = False


def next_step(enrollment: Enrollment) -> NextStep:
    """What comes next, and when, in the reader's language."""
    status = enrollment.status
    email = enrollment.partner.contact_email
    if status == EnrollmentStatus.PENDING_EMAIL_VERIFICATION:
        latest = (
            EmailVerification.objects.filter(
                enrollment=enrollment, superseded_at__isnull=True, used_at__isnull=True
            )
            .order_by("-created_at")
            .first()
        )
        expired = latest is None or latest.expires_at <= timezone.now()
        text = _(
            "We emailed a link to %(email)s. The primary contact follows it to confirm that they signed up "
            "and that the address belongs to your company. Review starts only after that."
        ) % {"email": email}
        if expired:
            text = join_sentences(text, _("The last link has expired: send the email again."))
        return NextStep(
            title=_("Confirm the primary contact's email"),
            text=text,
            when=None if expired else latest.expires_at,
            when_label=_("The link works until"),
            partner_must_act=True,
        )
    if status == EnrollmentStatus.IN_REVIEW:
        return NextStep(
            title=_("Verification in progress"),
            text=_(
                "We are verifying your email domain, your employment and your business. This usually takes "
                "3 to 5 business days. We email %(email)s at every change; there is nothing for you to do now."
            )
            % {"email": email},
            when=enrollment.due_at,
            when_label=_("Expected decision by"),
        )
    if status == EnrollmentStatus.ACTION_NEEDED:
        return NextStep(
            title=_("We need information from you"),
            text=_("Read the request below and answer it, so that the review can continue."),
            partner_must_act=True,
        )
    if status == EnrollmentStatus.APPROVED:
        return NextStep(
            title=_("Accept the agreement"),
            text=_(
                "Your company is verified. Your global admin accepts the Microsoft Partner Agreement next."
            ),
            partner_must_act=True,
        )
    if status == EnrollmentStatus.ACTIVE:
        return NextStep(
            title=_("You are enrolled"), text=_("The program's capabilities are on for your company.")
        )
    if status == EnrollmentStatus.REJECTED:
        return NextStep(
            title=_("Application rejected"),
            text=_("The reason is given below. You may correct your details and apply again."),
        )
    if status == EnrollmentStatus.EXPIRED:
        return NextStep(
            title=_("Application expired"),
            text=_(
                "The primary contact did not confirm the email address in time, so the application ended. "
                "You may apply again at any time."
            ),
        )
    if status == EnrollmentStatus.WITHDRAWN:
        return NextStep(title=_("Application withdrawn"), text=_("You may apply again at any time."))
    raise ValueError(f"No next step is written for the status {status!r}.")


def check_sentence(check) -> str:
    """A check's state, in the reader's language."""
    labels = {
        CheckResult.PENDING: _("pending"),
        CheckResult.PASSED: _("passed"),
        CheckResult.FAILED: _("failed"),
        CheckResult.WAIVED: _("waived"),
    }
    return f"{CheckKind(check.kind).label}: {labels[CheckResult(check.result)]}"


# --- Agreements and the partner profile ---------------------------------------------------------


def current_agreement_templates(program: str | None = None, language: str | None = None):
    """The agreement templates offered for acceptance now, newest first within a language."""
    templates = AgreementTemplate.objects.filter(is_current=True)
    if program:
        templates = templates.filter(program=program)
    if language:
        templates = templates.filter(language=language)
    return templates.order_by("program", "language", "-published_at")


def agreement_template_for(program: str, languages) -> AgreementTemplate | None:
    """The current template of ``program`` in the first of ``languages`` that has one,
    falling back to English (the program publishes every agreement in English)."""
    return current_agreements_in(languages, current_agreement_templates(program)).get(program)


def current_agreements_in(languages, templates=None) -> dict[str, AgreementTemplate]:
    """Per program, its current template in the first of ``languages`` that has one, else
    in English (one query; ``templates``: ``current_agreement_templates()`` or a narrowing
    or annotation of it)."""
    by_program: dict[str, dict[str, AgreementTemplate]] = {}
    for template in current_agreement_templates() if templates is None else templates:
        # newest first within a language: keep the first
        by_program.setdefault(template.program, {}).setdefault(template.language, template)
    chosen = {}
    for program, by_language in by_program.items():
        language = next((lang for lang in [*languages, "en"] if lang in by_language), None)
        if language:
            chosen[program] = by_language[language]
    return chosen


def with_version_rank(templates):
    """``version_rank``: how many versions of the same program and language were published
    before each template (0 for the first), Partner Center's ``versionRank``."""
    earlier = (
        AgreementTemplate.objects.filter(
            program=OuterRef("program"),
            language=OuterRef("language"),
            published_at__lt=OuterRef("published_at"),
        )
        .order_by()
        .values("program")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return templates.annotate(version_rank=Coalesce(Subquery(earlier), 0))


@dataclass
class ProgramInfo:
    """One program in the partner profile's Program info: its enrollment and agreement."""

    program: str
    enrollment: Enrollment
    acceptance: AgreementAcceptance | None

    @property
    def status(self) -> str:
        return self.enrollment.status


@dataclass
class PartnerProfile:
    partner: Partner
    enrollments: list
    acceptances: list
    business_profile: BusinessProfile | None

    @property
    def programs(self) -> list[str]:
        """The programs whose capabilities are on (an active enrollment)."""
        return sorted({e.program for e in self.enrollments if e.status == EnrollmentStatus.ACTIVE})

    @property
    def vetting(self) -> Vetting:
        """Partner Center's vetting (status and the step under way), from the latest
        enrollment that counts (``vetting.partner_vetting``)."""
        return partner_vetting(self.enrollments)

    @property
    def vetting_status(self) -> str:
        """none, pending, authorized or rejected."""
        return self.vetting.status

    @property
    def program_info(self) -> list[ProgramInfo]:
        """Per program, the latest enrollment and the agreement accepted for it (in the
        partner's region, else the latest)."""
        region = self.partner.market.code
        latest: dict[str, Enrollment] = {}
        for enrollment in self.enrollments:
            latest.setdefault(enrollment.program, enrollment)
        accepted: dict = {}
        for acceptance in self.acceptances:  # newest first
            if acceptance.program not in accepted or acceptance.region == region:
                accepted[acceptance.program] = acceptance
        return [
            ProgramInfo(program=program, enrollment=enrollment, acceptance=accepted.get(program))
            for program, enrollment in sorted(latest.items())
        ]


def partner_profile_for(user) -> PartnerProfile | None:
    """The user's partner with its enrollments, agreements and business profile, in a
    constant number of queries; None if the user's organization has no partner."""
    partner = partner_for(user)
    if partner is None:
        return None
    enrollments = list(
        Enrollment.objects.filter(partner=partner)
        .select_related("direct_bill")
        .prefetch_related("checks")  # the vetting step of one in review
        .order_by("-submitted_at")
    )
    acceptances = list(
        AgreementAcceptance.objects.filter(partner=partner)
        .select_related("template", "accepted_by")
        .order_by("-accepted_at")
    )
    business_profile = BusinessProfile.objects.filter(partner=partner).first()
    return PartnerProfile(
        partner=partner, enrollments=enrollments, acceptances=acceptances, business_profile=business_profile
    )


def approved_enrollment_for(user, program: str) -> Enrollment | None:
    """The user's enrollment in ``program`` that waits for the agreement, if any."""
    return enrollments_for(user).filter(program=program, status__in=statuses_for("accept_agreement")).first()


# --- The review queue (program staff) ------------------------------------------------------


def reviewable_enrollments(user) -> QuerySet[Enrollment]:
    """Every enrollment for program staff with the review permission; none for anyone else."""
    if not is_reviewer(user):
        return Enrollment.objects.none()
    return Enrollment.objects.all()


# What a row of the queue shows (page and API): not the application's JSON nor the
# partner's evidence, which made a page of rows several times slower to read (issue 12).
QUEUE_ROW_FIELDS = (
    *("id", "partner_id", "program", "status", "submitted_at", "due_at", "assignee_id"),
    *("partner__id", "partner__legal_name", "partner__mpn_id", "partner__mpn_linked_via", "partner__country"),
    *("assignee__id", "assignee__email", "assignee__first_name", "assignee__last_name"),
    *("direct_bill__id", "direct_bill__enrollment_id", "direct_bill__support_plan"),
    *("direct_bill__credit_line_amount", "direct_bill__credit_line_currency"),
)


def review_queue(
    *, user, status=None, program=None, country=None, overdue=None, assignee=None
) -> QuerySet[Enrollment]:
    """The queue, oldest due first (undated last), then first submitted.

    Without a status it holds what staff still act on or wait for (``UNDECIDED_STATUSES``).
    ``assignee`` is ``"me"`` or ``"none"``. ``overdue=True`` keeps the overdue files
    (``models.overdue_q``), ``False`` the others, ``None`` all. Partner, assignee and the
    direct-bill application are joined, so a page of rows costs one query whatever its
    length, and only the columns a row shows are read (``QUEUE_ROW_FIELDS``).
    """
    late = overdue_q(timezone.now())
    # The direct-bill application too: its credit line is a column.
    rows = (
        reviewable_enrollments(user)
        .select_related("partner", "assignee", "direct_bill")
        .only(*QUEUE_ROW_FIELDS)
    )
    if status:
        rows = rows.filter(status=status)
    elif overdue is not True:
        # An overdue file is undecided (``overdue_q`` names its statuses): the two status
        # conditions together misled PostgreSQL's estimate into reading every overdue file.
        rows = rows.filter(status__in=UNDECIDED_STATUSES)
    if program:
        rows = rows.filter(program=program)
    if country:
        rows = rows.filter(country=country)  # the partner's, copied (``country_copy``)
    if overdue is True:
        rows = rows.filter(late)
    elif overdue is False:
        rows = rows.exclude(late)
    if assignee == "me":
        rows = rows.filter(assignee_id=user.pk)
    elif assignee == "none":
        rows = rows.filter(assignee__isnull=True)
    return rows.order_by(F("due_at").asc(nulls_last=True), "submitted_at", "id")


def queue_counts() -> dict[str, int]:
    """How many enrollments are in each status (every status, zeros included): the counts
    the database keeps (``status_counts``), a few dozen rows whatever the table's size."""
    found = status_counts()
    return {status: found.get(status, 0) for status in EnrollmentStatus.values}


# How many rows of a narrowed queue are counted at most (ten pages): beyond, the page says
# "more than" and staff narrow the filters (issue 12: counting every overdue file or every
# file of a country read thousands of rows on every request).
QUEUE_COUNT_MAX = 500


def queue_total(rows, counts=None, *, status=None, program=None, country=None, overdue=None, assignee=None):
    """How many rows ``review_queue`` holds, as ``(count, capped)``: from ``queue_counts``
    (read unless given) when only the status narrows it, exact; otherwise the narrower
    ``rows`` counted up to ``QUEUE_COUNT_MAX`` (``capped``: there are more)."""
    if program or country or overdue is not None or assignee:
        return count_at_most(rows, QUEUE_COUNT_MAX)
    counts = queue_counts() if counts is None else counts
    return (counts.get(status, 0) if status else sum(counts[s] for s in UNDECIDED_STATUSES)), False


def review_enrollment(user, enrollment_id, timeline_page: int = 1, *, page: bool = False) -> Enrollment:
    """One enrollment for program staff with the review permission (404 for anyone else),
    with its checks, its documents (``document_list``) and a page of its timeline.

    The API's (``page=False``): each check with its ``decision``, whose note is read from
    the events only when a reviewer decided a check (no other decision has one). The
    page's (``page=True``): who submitted it and decided each check, the partner's work
    account and latest events (``partner_history``), and ``mpn_profile``, the Partner
    Network's record of the partner's MPN ID (None when the registry does not know it);
    not the decisions' notes, which the page does not show (issue 12: a query each)."""
    checks = VerificationCheck.objects.select_related("decided_by") if page else VerificationCheck.objects
    enrollment = get_object_or_404(
        reviewable_enrollments(user)
        .select_related(
            "partner", "assignee", "direct_bill", *(("partner__tenant", "submitted_by") if page else ())
        )
        # No query for the documents of an enrollment that has none (most of them).
        .annotate(has_documents=Exists(EnrollmentDocument.objects.filter(enrollment=OuterRef("pk"))))
        .prefetch_related(Prefetch("checks", queryset=checks.all())),
        pk=enrollment_id,
    )
    enrollment.document_list = (
        list(enrollment.documents.select_related("uploaded_by", "verification_check"))
        if enrollment.has_documents
        else []
    )
    attach_history_page([enrollment], "timeline", page=timeline_page, per_page=settings.TIMELINE_PAGE_SIZE)
    if page:
        enrollment.mpn_profile = get_registry().lookup(enrollment.partner.mpn_id)
        # The partner's history beyond this file: its account, other enrollments, relationships.
        enrollment.partner_history = history_of_tenant(
            enrollment.partner.tenant_id, limit=PARTNER_HISTORY_MAX
        )
    elif any(has_reviewer_note(check) for check in enrollment.checks.all()):
        attach_decisions(enrollment, latest_decision_events([str(enrollment.pk)])[str(enrollment.pk)])
    return enrollment


# How many of the partner's latest events the review page shows.
PARTNER_HISTORY_MAX = 30


def review_document(user, document_id) -> EnrollmentDocument:
    """An uploaded document, for program staff with the review permission (404 otherwise)."""
    if not is_reviewer(user):
        raise NotFound()
    return get_object_or_404(EnrollmentDocument, pk=document_id)


def latest_info_request(enrollment: Enrollment) -> Event | None:
    """The reviewer's last request for information (from the attached decisions' events)."""
    requests = [e for e in enrollment.decision_events if e.kind == events.INFO_REQUESTED.code]
    return requests[-1] if requests else None


def appealable_checks(enrollment: Enrollment) -> list[VerificationCheck]:
    """The checks the partner may answer with a document: failed or questioned (pending),
    while the enrollment allows an appeal (from the prefetched checks)."""
    if not enrollment.can_appeal:
        return []
    return [c for c in enrollment.checks.all() if c.result in (CheckResult.FAILED, CheckResult.PENDING)]


# --- The navigation -------------------------------------------------------------------------


def partner_nav_row(tenant_id, **annotations) -> QuerySet:
    """The partner facts the navigation shows, as one ``values()`` row of the tenant's
    partner (none without a partner): whether it is active and has an open indirect
    reseller enrollment; apps above enrollment add theirs as ``annotations``
    (relationships: whether it is an indirect provider, whether its tenant is a customer's).
    The caller compiles it once (``partnercenter.core.querysets.CompiledQuery``)."""
    return (
        Partner.objects.filter(tenant_id=tenant_id)
        .with_is_active()
        .annotate(
            has_open_indirect=Exists(
                Enrollment.objects.open().filter(partner=OuterRef("pk"), program=Program.INDIRECT_RESELLER)
            ),
            **annotations,
        )
        .values("is_active", "has_open_indirect", *annotations)
        .order_by()[:1]
    )
