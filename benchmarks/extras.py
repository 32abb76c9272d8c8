"""The bench's in-process measurements beside the web ones (under ``benchmarks.settings``,
Django set up): one automated-check run, and ``import_mpn_profiles`` on a registry export
of 100,000 rows."""

import csv
import statistics
import subprocess
import sys
import time
import uuid

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enrollment.management.commands._volume import PASSWORD

from .server import LOGS, ROOT, environment
from .world import SUBMIT_DOMAIN

IMPORT_MPN_FROM = 9_000_000  # the export's MPN IDs: 9000000 and up; no other starts with 9


def check_runs(count: int) -> dict:
    """``count`` applications submitted through the service, put in review with their
    checks not run yet, then each one's automated-check run timed and its queries counted."""
    from enrollment.models import Enrollment, EnrollmentStatus, MpnProfile
    from enrollment.services.application import enrollment_submit
    from enrollment.services.checks import enrollment_checks_run
    from partnercenter.accounts.models import Role, Tenant, User
    from tests.data import valid_application

    run, password, ids = uuid.uuid4().hex[:8], make_password(PASSWORD), []
    for i in range(count):
        domain = f"{SUBMIT_DOMAIN}c{run}{i}"
        tenant = Tenant.objects.create(name=f"Checked {i}", domain=f"{domain}.onmicrosoft.com", country="DE")
        user = User.objects.create(
            email=f"admin@{domain}.onmicrosoft.com",
            password=password,
            tenant=tenant,
            roles=[Role.GLOBAL_ADMIN.value],
            first_name="Jonas",
            last_name="Becker",
        )
        mpn_id = str(6_000_000 + (int(run, 16) % 1000) * 1000 + i)
        MpnProfile.objects.update_or_create(
            mpn_id=mpn_id, defaults={"company_name": "Fabrikam Deutschland GmbH", "country": "DE"}
        )
        enrollment = enrollment_submit(actor=user, application=valid_application(mpn_id))
        Enrollment.objects.filter(pk=enrollment.pk).update(
            status=EnrollmentStatus.IN_REVIEW, email_confirmed_at=timezone.now(), checks_started_at=None
        )
        ids.append(enrollment.pk)
    times, queries = [], []
    for enrollment_id in ids:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            ran = enrollment_checks_run(enrollment_id=enrollment_id)
            times.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured))
        assert ran, "the checks did not run"  # noqa: S101 - the bench's own sanity
    return {
        "runs": count,
        "p50_ms": statistics.median(times),
        "max_ms": max(times),
        "queries": sorted(set(queries)),
    }


def import_profiles(rows: int, database_url: str) -> dict:
    """Time ``import_mpn_profiles`` on an export of ``rows`` rows with password hashes (the
    ``pmc_password_hash`` column), in a process of its own; then remove what it loaded."""
    from enrollment.management.commands import import_mpn_profiles as command
    from enrollment.models import MpnProfile

    headers = [list(h) for h in getattr(command, "HEADERS", [getattr(command, "HEADER", [])])]
    header = next((h for h in headers if h[-1:] == ["pmc_password_hash"]), None)
    if header is None:
        return {"rows": rows, "supported": False}
    digest = make_password("Registry-Password-2026")  # a hash per row in a real export; one here
    path = LOGS / "mpn_profiles_export.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for i in range(rows):
            mpn_id = str(IMPORT_MPN_FROM + i)
            values = {
                "mpn_id": mpn_id,
                "company_name": f"Registry Company {i}",
                "country": "DE",
                "status": "active",
                "pmc_username": f"pmc{mpn_id}",
                "pmc_password": "",
                "pmc_password_hash": digest,
            }
            writer.writerow([values[name] for name in header])
    cleanup_import()
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, str(ROOT / "manage.py"), "import_mpn_profiles", str(path)],
        cwd=ROOT,
        env=environment(database_url),
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    loaded = MpnProfile.objects.filter(mpn_id__startswith="9").count()
    cleanup_import()
    return {
        "rows": rows,
        "supported": True,
        "seconds": seconds,
        "loaded": loaded,
        "error": "" if done.returncode == 0 else (done.stderr or done.stdout)[-500:],
    }


def cleanup_import() -> None:
    from enrollment.models import MpnProfile, PmcAccount

    MpnProfile.objects.filter(mpn_id__startswith="9").delete()  # only the export's start with 9
    PmcAccount.objects.filter(username__startswith="pmc9").delete()
