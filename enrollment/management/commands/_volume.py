"""What ``seed_volume`` builds: the program at its real size, loaded with COPY (``_copy``).

Partners in 30 countries with one indirect-reseller enrollment each in every status (and
older, ended ones beside them), their checks, timelines and sent notifications; indirect
providers with their resellers and customers, one of them the big provider (1,000
resellers and 10,000 customers at full size); program staff; and one busy enrollment with
a long timeline. Every size scales down: a test builds it with tiny numbers.

Nothing here is due for a sweep: unconfirmed applications were reminded and expire in the
future, and every file in review had its checks run. The bench makes its own due rows.
"""

import uuid
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from enrollment import events
from enrollment.models import (
    CheckKind,
    CheckResult,
    Enrollment,
    EnrollmentStatus,
    MpnProfile,
    Partner,
    Program,
    VerificationCheck,
)
from enrollment.permissions import program_staff_permissions
from partnercenter.accounts.models import Role, Tenant, User
from partnercenter.audit.models import Event
from partnercenter.notifications.models import Notification
from relationships.models import Customer as CustomerModel
from relationships.models import (
    CustomerRelationship,
    CustomerRole,
    IndirectProvider,
    ProviderResellerRelationship,
    RelationshipState,
)

from ._copy import Table

S = EnrollmentStatus
COUNTRIES = [
    "US", "DE", "GB", "FR", "TW", "CN", "RU", "JP", "IN", "BR", "CA", "AU", "ES", "IT", "NL",
    "SE", "PL", "MX", "KR", "SG", "CH", "AT", "BE", "DK", "NO", "FI", "IE", "PT", "CZ", "ZA",
]  # fmt: skip
# The first eight name every status, so that even ten enrollments hold each one.
PATTERN = [
    S.ACTIVE, S.IN_REVIEW, S.PENDING_EMAIL_VERIFICATION, S.ACTION_NEEDED, S.APPROVED, S.REJECTED,
    S.WITHDRAWN, S.EXPIRED, S.ACTIVE, S.IN_REVIEW, S.ACTIVE, S.IN_REVIEW, S.PENDING_EMAIL_VERIFICATION,
    S.ACTIVE, S.IN_REVIEW, S.ACTIVE, S.PENDING_EMAIL_VERIFICATION, S.IN_REVIEW, S.ACTIVE, S.ACTIVE,
]  # fmt: skip
ENDED = [S.REJECTED, S.WITHDRAWN, S.EXPIRED]
PASSWORD = "Bench-Password-2026"  # noqa: S105 - bench data on a bench database
REVIEWER_EMAIL = "reviewer@bench.localhost"
MARKER_DOMAIN = "volume-seed.onmicrosoft.com"
# Bump when what ``build`` makes changes: a database seeded before is built again.
LAYOUT_VERSION = 3
CHECK_KINDS = [CheckKind.EMAIL_OWNERSHIP, CheckKind.MPN_STATUS, CheckKind.MPN_COUNTRY, CheckKind.BANK_ACCOUNT]
APPLICATION = {
    "program": Program.INDIRECT_RESELLER,
    "legal_business_profile": {
        "company_name": "Volume Partner",
        "address": {
            "line1": "Main Street 1",
            "line2": "",
            "city": "Springfield",
            "state": "",
            "postal_code": "10115",
        },
    },
    "primary_contact": {"first_name": "Alex", "last_name": "Morgan", "phone": "+1 425 555 0100"},
    "support_profile": {"email": "support@example.com", "phone": "+1 425 555 0101", "website": ""},
    "bank_account": {"last4": "3000"},
    "language": "en",
}


@dataclass(frozen=True)
class Sizes:
    enrollments: int
    providers: int
    relationships: int
    customers: int

    @property
    def partners(self) -> int:
        # Six in ten enrollments are a partner's current one; the rest ended before it.
        return self.enrollments if self.enrollments < 1000 else self.enrollments * 6 // 10

    @property
    def big_resellers(self) -> int:
        return min(1000, self.relationships // 2)

    @property
    def big_customers(self) -> int:
        return min(10_000, self.customers // 2)

    @property
    def busy_events(self) -> int:
        return min(10_000, max(20, self.enrollments // 10))

    def label(self) -> str:
        """The marker's name: the layout's version and the sizes (another of either re-seeds)."""
        return f"v{LAYOUT_VERSION}:" + ",".join(f"{k}={v}" for k, v in asdict(self).items())


def seeded_sizes() -> str | None:
    """The sizes the database was seeded with (the marker's name), or None."""
    return Tenant.objects.filter(domain=MARKER_DOMAIN).values_list("name", flat=True).first()


def tenant_domain(i: int) -> str:
    return f"vol{i}.onmicrosoft.com"


def admin_email(i: int) -> str:
    return f"admin@vol{i}.onmicrosoft.com"


def build(sizes: Sizes, out=None) -> dict:
    """Load everything; returns the rows written per table."""
    say = out or (lambda message: None)
    now = timezone.now()
    password = make_password(PASSWORD)  # once: every user shares the hash
    n = sizes.partners
    tenants, users, partners, profiles = Table(Tenant), Table(User), Table(Partner), Table(MpnProfile)
    tenant_ids = [uuid.uuid4() for _ in range(n)]
    partner_ids = [uuid.uuid4() for _ in range(n)]
    for i in range(n):
        country = COUNTRIES[i % len(COUNTRIES)]
        name = f"Volume Partner {i} Ltd"
        tenants.add(id=tenant_ids[i], name=name, domain=tenant_domain(i), country=country)
        users.add(
            id=uuid.uuid4(), email=admin_email(i), password=password, first_name="Alex", last_name=f"Morgan {i}",
            tenant_id=tenant_ids[i], roles=[Role.GLOBAL_ADMIN.value], date_joined=now,
        )  # fmt: skip
        mpn_id = str(5_000_000 + i)
        profiles.add(mpn_id=mpn_id, company_name=name, country=country)
        partners.add(
            id=partner_ids[i], tenant_id=tenant_ids[i], mpn_id=mpn_id, legal_name=name,
            address_line1="Main Street 1", city="Springfield", postal_code="10115", country=country,
            contact_first_name="Alex", contact_last_name=f"Morgan {i}", contact_email=admin_email(i),
            contact_phone="+1 425 555 0100", support_email=f"support@vol{i}.example.com",
            support_phone="+1 425 555 0101", created_at=now - timedelta(days=400),
        )  # fmt: skip
    for table in (tenants, users, profiles, partners):
        table.flush()
    say(f"  {n} partners with their tenants and users")
    statuses = _enrollments(sizes, partner_ids, tenant_ids, now)
    say(f"  {sizes.enrollments} enrollments with their checks, events and notifications")
    active = [i for i in range(n) if statuses[i] == S.ACTIVE]
    written = _relationships(sizes, partner_ids, active, now)
    say(
        f"  {sizes.providers} providers, {written['resellers']} reseller and {written['customers']} customer relationships"
    )
    staff = Table(User)
    staff.add(
        id=uuid.uuid4(), email=REVIEWER_EMAIL, password=password, first_name="Riley", last_name="Reviewer",
        is_staff=True, is_superuser=False, date_joined=now,
    )  # fmt: skip
    staff.flush()
    # A reviewer as the program staff are: its rights read on every request, as theirs are.
    User.objects.get(email=REVIEWER_EMAIL).user_permissions.add(*program_staff_permissions())
    marker = Table(Tenant)
    marker.add(id=uuid.uuid4(), name=sizes.label(), domain=MARKER_DOMAIN, country="US")
    marker.flush()
    return {"partners": n, "enrollments": sizes.enrollments, **written}


def _dates(status: str, i: int, now):
    """submitted_at and the status's dates: the open ones recent, the ended ones older."""
    if status in (S.PENDING_EMAIL_VERIFICATION,):
        submitted = now - timedelta(hours=1 + i % 96)
        return {
            "submitted_at": submitted,
            "remind_at": submitted + timedelta(days=1),
            "reminder_sent_at": submitted + timedelta(days=1),
            "expires_at": now + timedelta(days=25),
        }
    if status in (S.IN_REVIEW, S.ACTION_NEEDED):
        submitted = now - timedelta(hours=2 + i * 97 % (24 * 20))  # up to 20 days: some overdue
        confirmed = submitted + timedelta(hours=1)
        return {
            "submitted_at": submitted,
            "email_confirmed_at": confirmed,
            "checks_started_at": confirmed,
            "due_at": confirmed + timedelta(days=7),  # those older than a week are overdue
        }
    submitted = now - timedelta(days=20 + i % 380)
    return {
        "submitted_at": submitted,
        "email_confirmed_at": None if status == S.EXPIRED else submitted + timedelta(hours=3),
        "checks_started_at": None if status == S.EXPIRED else submitted + timedelta(hours=3),
        "decided_at": submitted + timedelta(days=5),
    }


EVENTS = {
    S.PENDING_EMAIL_VERIFICATION: [events.REMINDER_SENT],
    S.IN_REVIEW: [events.EMAIL_CONFIRMED, events.CHECKS_COMPLETED],
    S.ACTION_NEEDED: [events.EMAIL_CONFIRMED, events.INFO_REQUESTED],
    S.APPROVED: [events.EMAIL_CONFIRMED, events.APPROVED],
    S.ACTIVE: [events.EMAIL_CONFIRMED, events.APPROVED, events.AGREEMENT_ACCEPTED],
    S.REJECTED: [events.EMAIL_CONFIRMED, events.REJECTED],
    S.WITHDRAWN: [events.WITHDRAWN],
    S.EXPIRED: [events.EXPIRED],
}
EVENT_DATA = {
    "submitted": lambda email: {"email": email},
    "reminder_sent": lambda email: {"email": email},
    "checks_completed": lambda email: {"passed": 4, "failed": 0, "pending": 0},
    "agreement_accepted": lambda email: {
        "agreement": "Microsoft Partner Agreement",
        "version": "2026-10",
        "language": "en",
        "region": "Europe",
    },
}


def _enrollments(sizes: Sizes, partner_ids, tenant_ids, now) -> list[str]:
    """The enrollments, 4 checks each, their timelines and one sent email in five; returns
    the status of each partner's current enrollment."""
    n = sizes.partners
    enrollments, checks = Table(Enrollment), Table(VerificationCheck)
    timeline, notifications = Table(Event), Table(Notification)
    label = Enrollment._meta.label_lower
    context = {"partner": "Volume Partner", "link": "https://partners.localhost/"}
    current = []
    busy = None
    for i in range(sizes.enrollments):
        p = i % n
        status = PATTERN[p % len(PATTERN)] if i < n else ENDED[i % len(ENDED)]
        if i < n:
            current.append(status)
        enrollment_id = uuid.uuid4()
        if busy is None and status == S.IN_REVIEW:
            busy = (enrollment_id, p)
        dates = _dates(status, i, now)
        enrollments.add(
            id=enrollment_id, partner_id=partner_ids[p], program=Program.INDIRECT_RESELLER, status=status,
            application=APPLICATION, **dates,
        )  # fmt: skip
        result = CheckResult.FAILED if status == S.REJECTED else CheckResult.PASSED
        for kind in CHECK_KINDS:
            pending = status == S.PENDING_EMAIL_VERIFICATION or (status == S.EXPIRED)
            checks.add(
                enrollment_id=enrollment_id, kind=kind, result=CheckResult.PENDING if pending else result,
                detail_code="", detail_params={}, detail_text="", evidence={},
                checked_at=None if pending else dates["submitted_at"] + timedelta(hours=1),
            )  # fmt: skip
        email = admin_email(p)
        at = dates["submitted_at"]
        timeline.add(
            at=at, kind=events.SUBMITTED.code, actor_label=email, tenant_id=tenant_ids[p], object_type=label,
            object_id=str(enrollment_id), to_state=S.PENDING_EMAIL_VERIFICATION, data={"email": email},
        )  # fmt: skip
        for step, kind in enumerate(EVENTS[status], start=1):
            timeline.add(
                at=at + timedelta(hours=step), kind=kind.code, actor_label="system", tenant_id=tenant_ids[p],
                object_type=label,
                object_id=str(enrollment_id), data=EVENT_DATA.get(kind.code, lambda e: {})(email),
            )  # fmt: skip
        if i % 5 == 0:
            notifications.add(
                id=uuid.uuid4(), idempotency_key=f"volume:{enrollment_id}:submitted",
                template="enrollment_submitted", recipient=email, language="en", context=context,
                status=Notification.Status.SENT, attempts=1, created_at=at, next_attempt_at=at, sent_at=at,
                subject="Confirm your email address",
            )  # fmt: skip
    if busy is not None:  # a long timeline: reviewers' notes, requests and answers
        enrollment_id, p = busy
        start = now - timedelta(days=10)
        for k in range(sizes.busy_events):
            kind = (events.INFO_REQUESTED, events.RESPONDED)[k % 2]
            timeline.add(
                at=start + timedelta(seconds=30 * k), kind=kind.code, actor_label=REVIEWER_EMAIL,
                tenant_id=tenant_ids[p], object_type=label, object_id=str(enrollment_id), note=f"Note {k}", data={},
            )  # fmt: skip
    for table in (enrollments, checks, timeline, notifications):
        table.flush()
    return current


def _relationships(sizes: Sizes, partner_ids, active: list[int], now) -> dict:
    """Indirect providers (the first active partners), their resellers (other active
    partners, or any when there are too few) and customers."""
    providers = active[: sizes.providers]
    chosen = set(providers)
    pool = [i for i in active if i not in chosen] or [i for i in range(len(partner_ids)) if i not in chosen]
    listing = Table(IndirectProvider)
    for i in providers:
        listing.add(partner_id=partner_ids[i], authorized=True, countries=["US", "DE"], offers=[])
    listing.flush()
    pairs: dict[int, list[int]] = {i: [] for i in providers}
    if providers and pool:
        big = providers[0]
        pairs[big] = pool[: sizes.big_resellers]
        others = providers[1:]
        if others:
            seen = set()
            for r in range(sizes.relationships - len(pairs[big])):
                provider, reseller = others[r % len(others)], pool[(r * 7) % len(pool)]
                if (provider, reseller) not in seen:
                    seen.add((provider, reseller))
                    pairs[provider].append(reseller)
    links = Table(ProviderResellerRelationship)
    for provider, resellers in pairs.items():
        for k, reseller in enumerate(resellers):
            links.add(
                id=uuid.uuid4(), provider_id=partner_ids[provider], reseller_id=partner_ids[reseller],
                established_at=now - timedelta(days=1 + k % 300),
            )  # fmt: skip
    links.flush()
    tenants, customers, relationships = Table(Tenant), Table(CustomerModel), Table(CustomerRelationship)
    for c in range(sizes.customers if providers else 0):
        tenant_id, customer_id = uuid.uuid4(), uuid.uuid4()
        if c < sizes.big_customers or len(providers) == 1:
            provider = providers[0]
        else:
            provider = providers[1 + c % (len(providers) - 1)]
        resellers = pairs[provider]
        reseller = resellers[c % len(resellers)] if resellers and c % 10 else None  # one in ten direct
        tenants.add(
            id=tenant_id,
            name=f"Volume Customer {c}",
            domain=f"cust{c}.onmicrosoft.com",
            country=COUNTRIES[c % 30],
        )
        customers.add(
            id=customer_id, tenant_id=tenant_id, company_name=f"Volume Customer {c}", created_at=now
        )
        established = now - timedelta(days=1 + c % 500)
        ended = c % 50 == 7  # a few the customer ended
        relationships.add(
            customer_id=customer_id, partner_id=partner_ids[provider], role=CustomerRole.INDIRECT_PROVIDER,
            via_reseller_id=partner_ids[reseller] if reseller is not None else None, established_at=established,
            state=RelationshipState.TERMINATED if ended else RelationshipState.ACTIVE,
            ended_at=now if ended else None, admin_access=False,
        )  # fmt: skip
        if reseller is not None:
            relationships.add(
                customer_id=customer_id, partner_id=partner_ids[reseller], role=CustomerRole.INDIRECT_RESELLER,
                established_at=established, state=RelationshipState.ACTIVE, admin_access=True,
            )  # fmt: skip
    for table in (tenants, customers, relationships):
        table.flush()
    return {
        "resellers": links.count,
        "customers": customers.count,
        "customer_relationships": relationships.count,
    }
