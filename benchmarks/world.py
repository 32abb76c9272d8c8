"""The bench's Django side (in its own process, under ``benchmarks.settings``): who signs in,
what is requested, the fresh applicants for the submissions, and the due enrollments of
the sweep (made at each run and removed after it)."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from enrollment.management.commands._copy import Table
from enrollment.management.commands._volume import PASSWORD, REVIEWER_EMAIL, admin_email, tenant_domain
from enrollment.models import Enrollment, EnrollmentStatus, MpnProfile, Partner, Program
from partnercenter.accounts.models import Role, Tenant, User
from partnercenter.audit.models import Event
from partnercenter.notifications.models import Notification

SWEEP_DOMAIN = "sweepbench"  # tenants sweepbench<i>.onmicrosoft.com, contacts @sweepbench.example
SUBMIT_DOMAIN = "submitbench"


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def token(user) -> str:
    from partnercenter.accounts.services import api_token_issue

    return f"Token {api_token_issue(user=user)[1]}"


class People:
    """The signed-in users of the bench: a reviewer, the big provider, the partner of the
    busy enrollment (the one with the long timeline)."""

    def __init__(self):
        reviewer = User.objects.get(email=REVIEWER_EMAIL)
        provider = User.objects.get(email=admin_email(0))
        partner = User.objects.get(email=admin_email(1))
        self.reviewer = {"Cookie": session_cookie(reviewer)}
        self.reviewer_api = {"Authorization": token(reviewer)}
        self.provider = {"Cookie": session_cookie(provider)}
        self.provider_api = {"Authorization": token(provider)}
        self.partner = {"Cookie": session_cookie(partner)}
        self.busy = (
            Enrollment.objects.filter(
                partner__tenant__domain=tenant_domain(1), status=EnrollmentStatus.IN_REVIEW
            )
            .values_list("pk", flat=True)
            .get()
        )
        self.floor_mpn = (
            Partner.objects.filter(tenant__domain=tenant_domain(1)).values_list("mpn_id", flat=True).get()
        )


def submitters(count: int) -> list[tuple[str, str]]:
    """``count`` work accounts that have not applied yet, each with its global admin's API
    token and an MPN ID of its own in the registry: [(token, mpn_id)]."""
    from partnercenter.accounts.services import api_token_issue

    run = uuid.uuid4().hex[:8]
    password = make_password(PASSWORD)
    made = []
    with transaction.atomic():
        for i in range(count):
            tenant = Tenant.objects.create(
                name=f"Applicant {run} {i}", domain=f"{SUBMIT_DOMAIN}{run}{i}.onmicrosoft.com", country="DE"
            )
            user = User.objects.create(
                email=f"admin@{SUBMIT_DOMAIN}{run}{i}.onmicrosoft.com",
                password=password,
                first_name="Jonas",
                last_name="Becker",
                tenant=tenant,
                roles=[Role.GLOBAL_ADMIN.value],
            )
            mpn_id = str(7_000_000 + (int(run, 16) % 1000) * 1000 + i)[:10]
            MpnProfile.objects.update_or_create(
                mpn_id=mpn_id, defaults={"company_name": "Fabrikam Deutschland GmbH", "country": "DE"}
            )
            made.append((f"Token {api_token_issue(user=user)[1]}", mpn_id))
    return made


def due_batch(count: int) -> int:
    """``count`` applications the sweep moves now: half past their expiry, half due for
    their reminder; on partners of their own. Returns how many."""
    cleanup_due()
    now = timezone.now()
    tenants, partners, enrollments = Table(Tenant), Table(Partner), Table(Enrollment)
    for i in range(count):
        tenant_id, partner_id = uuid.uuid4(), uuid.uuid4()
        tenants.add(id=tenant_id, name=f"Due {i}", domain=f"{SWEEP_DOMAIN}{i}.onmicrosoft.com", country="DE")
        partners.add(
            id=partner_id, tenant_id=tenant_id, mpn_id=str(8_000_000 + i), legal_name=f"Due Partner {i}",
            address_line1="Hauptstraße 1", city="Berlin", postal_code="10115", country="DE",
            contact_first_name="Jonas", contact_last_name="Becker", contact_email=f"contact{i}@{SWEEP_DOMAIN}.example",
            contact_phone="+49 30 1234567", support_email=f"support{i}@{SWEEP_DOMAIN}.example",
            support_phone="+49 30 1234568",
        )  # fmt: skip
        expire = i % 2 == 0
        submitted = now - timedelta(days=31 if expire else 2)
        enrollments.add(
            id=uuid.uuid4(), partner_id=partner_id, program=Program.INDIRECT_RESELLER,
            status=EnrollmentStatus.PENDING_EMAIL_VERIFICATION, submitted_at=submitted,
            remind_at=submitted + timedelta(days=1), expires_at=submitted + timedelta(days=30),
            application={"program": Program.INDIRECT_RESELLER},
        )  # fmt: skip
    with transaction.atomic():
        for table in (tenants, partners, enrollments):
            table.flush()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE enrollment_enrollment")
    return count


def due_notifications():
    return Notification.objects.filter(recipient__endswith=f"@{SWEEP_DOMAIN}.example")


def cleanup_due() -> None:
    """Remove what ``due_batch`` made and what the sweep wrote about it."""
    tenants = Tenant.objects.filter(domain__startswith=SWEEP_DOMAIN)
    Event.objects.filter(tenant__in=tenants).delete()
    due_notifications().delete()
    Partner.objects.filter(tenant__in=tenants).delete()
    tenants.delete()
