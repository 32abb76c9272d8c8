"""The automated checks that run in Celery once email ownership is confirmed
(``tasks.run_automated_checks``; the sweep runs those whose task was lost).

Each check is registered once with the kind it decides (``register_check``); apps above
enrollment register their own (relationships: the CSP-to-CSP restriction), so this module
never imports them. A check answers its result, a detail (a code and its parameters) and its evidence; checks that
need a person stay pending for the reviewer. The run is claimed with a conditional
update, so a task that runs twice does nothing the second time (HOUSE_STYLE 9).
"""

from collections import Counter
from collections.abc import Callable
from functools import cached_property

from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone

from .. import check_details as D
from .. import events, rules
from ..check_details import Detail
from ..company_names import company_names_match
from ..models import (
    CheckKind,
    CheckResult,
    Enrollment,
    MpnLinkedVia,
    Partner,
    VerificationCheck,
    statuses_for,
)
from ..registry import get_registry
from .common import record, require_move

P, F, Q = CheckResult.PASSED, CheckResult.FAILED, CheckResult.PENDING


class CheckRun:
    """What the checks of one run read: the enrollment, its partner (with its tenant and
    the tenant's domains) and, looked up once, the partner's MPN record."""

    def __init__(self, enrollment: Enrollment, partner: Partner):
        self.enrollment = enrollment
        self.partner = partner

    @cached_property
    def mpn_record(self):
        return get_registry().lookup(self.partner.mpn_id)


# A check: (run) -> (result, detail, evidence); the detail is a code of ``check_details``
# with its parameters, rendered when read in the reader's language.
Check = Callable[[CheckRun], tuple[str, Detail, dict]]
_CHECKS: dict[str, Check] = {}


def register_check(kind: str):
    """Declare the automated check that decides ``kind`` (one of ``CheckKind``)."""
    if kind not in CheckKind.values:
        raise ImproperlyConfigured(f"{kind!r} is not a CheckKind.")

    def decorator(check: Check) -> Check:
        if kind in _CHECKS:
            raise ImproperlyConfigured(f"The check {kind!r} is registered twice.")
        _CHECKS[kind] = check
        return check

    return decorator


def registered_checks() -> dict[str, Check]:
    return dict(_CHECKS)


# --- The enrollment app's own checks --------------------------------------------------------


def _missing_mpn(run: CheckRun) -> tuple[str, Detail, dict]:
    return F, D.MPN_MISSING(mpn_id=run.partner.mpn_id), {}


def _mpn_evidence(run: CheckRun) -> dict:
    return {"registry": run.mpn_record.__dict__, "tenant_country": run.partner.tenant.country.code}


@register_check(CheckKind.MPN_STATUS)
def mpn_status(run: CheckRun):
    record = run.mpn_record
    if record is None:
        return _missing_mpn(run)
    if record.is_active:
        return P, D.MPN_ACTIVE(mpn_id=record.mpn_id, company=record.company_name), _mpn_evidence(run)
    return F, D.MPN_INACTIVE(mpn_id=record.mpn_id), _mpn_evidence(run)


@register_check(CheckKind.MPN_COUNTRY)
def mpn_country(run: CheckRun):
    record, tenant_country = run.mpn_record, run.partner.tenant.country.code
    if record is None:
        return _missing_mpn(run)
    if record.country == tenant_country:
        return P, D.MPN_COUNTRY_SAME(country=record.country), _mpn_evidence(run)
    return (
        F,
        D.MPN_COUNTRY_DIFFERS(mpn_country=record.country, tenant_country=tenant_country),
        _mpn_evidence(run),
    )


@register_check(CheckKind.MPN_OWNERSHIP)
def mpn_ownership(run: CheckRun):
    """Automatic for an MPN ID proved by a Partner Membership Center sign-in whose company
    name is the legal name; otherwise a reviewer decides, with both names and how the ID
    was linked."""
    partner, record = run.partner, run.mpn_record
    if record is None:
        return _missing_mpn(run)
    names_match = company_names_match(record.company_name, partner.legal_name)
    evidence = {
        "mpn_linked_via": partner.mpn_linked_via,
        "pmc": partner.mpn_evidence,
        "registry_company_name": record.company_name,
        "legal_name": partner.legal_name,
        "names_match": names_match,
    }
    names = {"mpn_id": record.mpn_id, "registry_name": record.company_name, "legal_name": partner.legal_name}
    if partner.mpn_linked_via != MpnLinkedVia.PMC:
        return Q, D.MPN_OWNERSHIP_TYPED(**names), evidence
    pmc_username = (partner.mpn_evidence or {}).get("pmc_username", "")
    if names_match:
        return P, D.MPN_OWNERSHIP_PROVED(**names, pmc_username=pmc_username), evidence
    return Q, D.MPN_OWNERSHIP_NAMES_DIFFER(**names, pmc_username=pmc_username), evidence


@register_check(CheckKind.EMAIL_DOMAIN)
def email_domain(run: CheckRun):
    """Automatic when the contact's domain is a verified domain of the tenant; otherwise
    a reviewer decides, and may ask for proof of domain ownership."""
    partner = run.partner
    domain = partner.contact_email.rsplit("@", 1)[-1].lower()
    verified = sorted(partner.tenant.verified_domain_names())
    evidence = {"contact_domain": domain, "tenant_verified_domains": verified}
    if domain in verified:
        return P, D.DOMAIN_VERIFIED(domain=domain), evidence
    return Q, D.DOMAIN_NOT_VERIFIED(domain=domain), evidence


@register_check(CheckKind.ADDRESS)
def address(run: CheckRun):
    partner = run.partner
    given = {
        "line1": partner.address_line1,
        "line2": partner.address_line2,
        "city": partner.city,
        "state": partner.state,
        "postal_code": partner.postal_code,
        "country": partner.country.code,
    }
    evidence = {"address": given, "tenant_country": partner.tenant.country.code}
    problems = rules.address_errors(given)
    if problems:
        return F, D.ADDRESS_INCOMPLETE(fields=sorted(problems)), evidence
    if partner.country.code != partner.tenant.country.code:
        return (
            Q,
            D.ADDRESS_OTHER_COUNTRY(country=partner.country.code, tenant_country=partner.tenant.country.code),
            evidence,
        )
    return P, D.ADDRESS_COMPLETE(), evidence


@register_check(CheckKind.DUPLICATE)
def duplicate(run: CheckRun):
    """The same MPN ID, or the same legal name in the same country, already enrolled (an
    open enrollment in the program past the email confirmation)."""
    enrollment, partner = run.enrollment, run.partner
    same_mpn = models.Q(partner__mpn_id=partner.mpn_id)
    same_name = models.Q(partner__legal_name__iexact=partner.legal_name, partner__country=partner.country)
    # In SQL, on indexed columns: only the matching enrollments are read.
    others = (
        Enrollment.objects.open()
        .filter(same_mpn | same_name, program=enrollment.program)
        .exclude(partner=partner)
        .exclude(status__in=statuses_for("confirm_email"))
        .annotate(
            same_mpn=models.ExpressionWrapper(same_mpn, output_field=models.BooleanField()),
            same_name=models.ExpressionWrapper(same_name, output_field=models.BooleanField()),
        )
        .values_list("pk", "partner_id", "same_mpn", "same_name")
    )
    matches = [
        {"partner_id": str(partner_id), "enrollment_id": str(pk), "matched": what}
        for pk, partner_id, mpn, name in others
        for what in (["mpn_id"] if mpn else []) + (["legal_name"] if name else [])
    ]
    if matches:
        fields = sorted({m["matched"] for m in matches})
        return F, D.DUPLICATE_FOUND(fields=fields), {"matches": matches}
    return P, D.DUPLICATE_NONE(), {"matches": []}


@register_check(CheckKind.BUSINESS_VERIFICATION)
def business_verification(run: CheckRun):
    return (
        Q,
        D.BUSINESS_TO_VERIFY(),
        {"legal_name": run.partner.legal_name, "country": run.partner.country.code},
    )


# --- The run --------------------------------------------------------------------------------


def enrollment_checks_run(*, enrollment_id) -> bool:
    """Run the automated checks of an enrollment in review, once. Returns True if this
    call ran them. Checks that need a person stay pending for the reviewer."""
    now = timezone.now()
    with transaction.atomic():
        claimed = Enrollment.objects.filter(
            pk=enrollment_id, status__in=statuses_for("run_checks"), checks_started_at__isnull=True
        ).update(checks_started_at=now)
        if claimed != 1:
            return False
        enrollment = (
            Enrollment.objects.select_for_update(of=("self",))
            .select_related("partner__tenant")
            .prefetch_related("partner__tenant__domains")
            .get(pk=enrollment_id)
        )
        require_move(enrollment, "run_checks")
        run = CheckRun(enrollment, enrollment.partner)
        results = [(kind, *check(run)) for kind, check in _CHECKS.items()]
        _save_results(enrollment, results, now)
        counts = Counter(result for _kind, result, _detail, _evidence in results)
        record(enrollment, events.CHECKS_COMPLETED, passed=counts[P], failed=counts[F], pending=counts[Q])
    return True


def _save_results(enrollment: Enrollment, results, now) -> None:
    """Each check's result on its row, in a constant number of queries: the existing rows
    updated in one statement, the missing ones inserted in another."""
    existing = {
        c.kind: c for c in VerificationCheck.objects.select_for_update().filter(enrollment=enrollment)
    }
    changed, new = [], []
    for kind, result, detail, evidence in results:
        check = existing.get(kind) or VerificationCheck(enrollment=enrollment, kind=kind)
        check.result, check.evidence, check.decided_by = result, evidence, None
        check.detail_code, check.detail_params, check.detail_text = detail.code, detail.params, ""
        check.checked_at = now if result != Q else None
        (changed if check.pk else new).append(check)
    fields = ["result", "detail_code", "detail_params", "detail_text", "evidence", "checked_at", "decided_by"]
    if changed:
        VerificationCheck.objects.bulk_update(changed, fields)
    VerificationCheck.objects.bulk_create(new)
