"""`make bench`: how fast the partner's busiest requests are, against targets.

Runs the test settings (real PostgreSQL, tasks eager, emails in memory) on a database of
its own, ``partnercenter_bench`` (created if missing, migrated, emptied at each run; set
BENCH_DATABASE_URL to use another one whose name ends in ``_bench``), and measures with
Django's test Client, in process, so the numbers are the portal's own time without a
network or a web server:

- ``GET /api/v1/enrollments/`` for a partner with 1 and with 20 enrollments (a partner
  has at most one open enrollment per program, so 19 of the 20 are withdrawn ones made
  directly with the models);
- ``POST /api/v1/enrollments/`` end to end: validation, the partner, the enrollment, its
  checks and events, the verification link, and (tasks run eagerly here) the email;
- the enrollment status page.

Each is run 50 times after a short warm-up; the median and the 95th percentile are
printed in milliseconds. Exits 1 when a target is missed.
"""

import json
import logging
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/partnercenter_bench"
)
RUNS = 50
WARMUP = 5
LIST_TARGET_MS = 50.0
SUBMIT_TARGET_MS = 200.0


@dataclass
class Result:
    name: str
    samples_ms: list[float]
    queries: int
    target_ms: float | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.samples_ms, n=20, method="inclusive")[18]

    @property
    def ok(self) -> bool:
        return self.target_ms is None or self.median < self.target_ms


def create_database(url: str) -> None:
    """Create the benchmark's own database if it does not exist yet."""
    import environ
    import psycopg2
    from psycopg2 import sql

    config = environ.Env.db_url_config(url)
    name = config["NAME"]
    if not name.endswith("_bench"):
        # Every run empties this database: never point it at one that matters.
        sys.exit(f"bench: refusing to use database {name!r}; its name must end in '_bench'.")
    connection = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "partnercenter.settings.test"
    os.environ["TEST_DATABASE_URL"] = BENCH_DATABASE_URL
    create_database(BENCH_DATABASE_URL)

    import django
    from django.core.management import call_command

    django.setup()
    # Quiet: a log line per eagerly run task, and WhiteNoise asking for collectstatic.
    logging.getLogger("celery").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)


def application(mpn_id: str) -> dict:
    """A valid application of a German partner (the body of POST /api/v1/enrollments/)."""
    from tests.data import valid_application

    return valid_application(mpn_id)


class World:
    """The data measured on: an MPN profile, partners with 1 and 20 enrollments, and a
    fresh work account for every submission."""

    MPN_ID = "4820001"

    def __init__(self):
        from enrollment.models import MpnProfile
        from enrollment.services.application import enrollment_submit
        from partnercenter.accounts.services import api_token_issue

        MpnProfile.objects.create(mpn_id=self.MPN_ID, company_name="Fabrikam Deutschland GmbH", country="DE")
        self.one = self._admin("one")
        self.one_enrollment = enrollment_submit(actor=self.one, application=application(self.MPN_ID))
        self.twenty = self._admin("twenty")
        enrollment_submit(actor=self.twenty, application=application(self.MPN_ID))
        self._withdrawn(self.twenty.tenant.partner, count=19)
        self.submitters = [self._admin(f"submit{n}") for n in range(WARMUP + RUNS)]
        self.tokens = {
            user.pk: api_token_issue(user=user)[1] for user in [self.one, self.twenty, *self.submitters]
        }

    @staticmethod
    def _admin(prefix: str):
        from partnercenter.accounts.models import Role, Tenant, User

        tenant = Tenant.objects.create(
            name=f"Fabrikam {prefix}", domain=f"fabrikam{prefix}.onmicrosoft.com", country="DE"
        )
        return User.objects.create_user(
            f"admin@fabrikam{prefix}.onmicrosoft.com",
            "Bench-Password-2026",
            first_name="Jonas",
            last_name="Becker",
            tenant=tenant,
            roles=[Role.GLOBAL_ADMIN.value],
        )

    @staticmethod
    def _withdrawn(partner, *, count: int) -> None:
        """Past applications, withdrawn, each with its checks and timeline as the services
        write them."""
        from django.utils import timezone

        from enrollment import events
        from enrollment.models import (
            CheckKind,
            CheckResult,
            Enrollment,
            EnrollmentStatus,
            Program,
            VerificationCheck,
        )
        from partnercenter.audit.models import Event

        now = timezone.now()
        for n in range(count):
            enrollment = Enrollment.objects.create(
                partner=partner,
                program=Program.INDIRECT_RESELLER,
                status=EnrollmentStatus.WITHDRAWN,
                submitted_at=now - timedelta(days=30 + n),
                decided_at=now - timedelta(days=29 + n),
                application=application(World.MPN_ID) | {"bank_account": {"last4": "3000"}},
            )
            VerificationCheck.objects.bulk_create(
                VerificationCheck(
                    enrollment=enrollment,
                    kind=kind,
                    result=CheckResult.PASSED,
                    detail="Recorded at submission.",
                    checked_at=enrollment.submitted_at,
                )
                for kind in (
                    CheckKind.EMAIL_OWNERSHIP,
                    CheckKind.MPN_STATUS,
                    CheckKind.MPN_COUNTRY,
                    CheckKind.BANK_ACCOUNT,
                )
            )
            Event.objects.bulk_create(
                Event(
                    at=enrollment.submitted_at,
                    kind=kind.code,
                    actor_label="system",
                    tenant_id=partner.tenant_id,
                    object_type=Enrollment._meta.label_lower,
                    object_id=str(enrollment.pk),
                    from_state=from_status,
                    to_state=to_status,
                    data=data,
                )
                for kind, from_status, to_status, data in (
                    (
                        events.SUBMITTED,
                        "",
                        EnrollmentStatus.PENDING_EMAIL_VERIFICATION,
                        {"email": partner.contact_email},
                    ),
                    (
                        events.WITHDRAWN,
                        EnrollmentStatus.PENDING_EMAIL_VERIFICATION,
                        EnrollmentStatus.WITHDRAWN,
                        {},
                    ),
                )
            )


def measure(name: str, request: Callable[[int], object], expected_status: int, target_ms=None) -> Result:
    """Time ``request(i)`` for the warm-up and the runs; count the queries of one run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def call(i: int) -> float:
        start = time.perf_counter()
        response = request(i)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != expected_status:
            sys.exit(
                f"bench: {name}: expected {expected_status}, got {response.status_code}: {response.content[:500]!r}"
            )
        return elapsed

    for i in range(WARMUP - 1):
        call(i)
    with CaptureQueriesContext(connection) as queries:
        call(WARMUP - 1)
    # Counted now: the next request clears the connection's query log.
    query_count = len(queries)
    samples = [call(WARMUP + i) for i in range(RUNS)]
    return Result(name, samples, query_count, target_ms)


def run() -> list[Result]:
    from django.test import Client

    world = World()
    client = Client()

    def token(user) -> dict:
        return {"HTTP_AUTHORIZATION": f"Token {world.tokens[user.pk]}"}

    def get_list(user):
        return lambda i: client.get("/api/v1/enrollments/", **token(user))

    def submit(i: int):
        return client.post(
            "/api/v1/enrollments/",
            data=json.dumps(application(World.MPN_ID)),
            content_type="application/json",
            **token(world.submitters[i]),
        )

    page = Client()
    page.force_login(world.one)
    status_url = f"/enrollments/{world.one_enrollment.pk}/"

    return [
        measure("GET /api/v1/enrollments/ (1 enrollment)", get_list(world.one), 200, LIST_TARGET_MS),
        measure("GET /api/v1/enrollments/ (20 enrollments)", get_list(world.twenty), 200, LIST_TARGET_MS),
        measure("POST /api/v1/enrollments/ (end to end)", submit, 201, SUBMIT_TARGET_MS),
        measure("GET /enrollments/<id>/ (status page)", lambda i: page.get(status_url), 200),
    ]


def report(results: list[Result]) -> None:
    width = max(len(r.name) for r in results)
    header = f"{'request':<{width}}  {'runs':>4}  {'median ms':>9}  {'p95 ms':>7}  {'queries':>7}  target"
    print(header)
    print("-" * len(header))
    for r in results:
        target = f"median < {r.target_ms:.0f} ms: {'ok' if r.ok else 'MISSED'}" if r.target_ms else "-"
        print(
            f"{r.name:<{width}}  {len(r.samples_ms):>4}  {r.median:>9.1f}  {r.p95:>7.1f}  {r.queries:>7}  {target}"
        )


def main() -> int:
    started = time.perf_counter()
    setup_django()
    from django.conf import settings

    print(
        f"bench: {settings.DATABASES['default']['NAME']} on {settings.DATABASES['default']['HOST']}, "
        f"{RUNS} runs after {WARMUP} warm-up, Django test Client in process, tasks eager"
    )
    results = run()
    print()
    report(results)
    missed = [r for r in results if not r.ok]
    print(f"\n{time.perf_counter() - started:.1f} s in all.")
    if missed:
        print("Missed: " + "; ".join(f"{r.name} (median {r.median:.1f} ms)" for r in missed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
