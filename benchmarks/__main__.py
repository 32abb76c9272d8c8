"""`make bench` (``python -m benchmarks``): the portal at the program's real size, served by
gunicorn (2 sync workers, ``benchmarks.settings``: production's settings on plain HTTP) on
PostgreSQL, against a bare Django view doing one indexed query (the floor) and the Django
admin's enrollment changelist. Never part of the test suite.

1. Seeds the bench database with ``seed_volume`` when it is not seeded at these sizes
   (reused between runs), and a tiny one (10 enrollments) for the counts.
2. Measures, interleaved (the floor right before each target), in several rounds, p50 and
   p95 at concurrency 1 and 4: the admin changelist, the queue page and API (plain,
   overdue, one country), an enrollment's review page and API, a partner's status page, the
   big provider's indirect resellers and customers (page and API), a submission.
3. Counts queries, rows fetched and rows read per request at 10 and at full size.
4. The RSS of each web worker after the load.
5. Times one automated-check run (20 of them) with its queries, on the seeded volume.
6. Sweeps 10,000 due enrollments end to end, then sends their emails through a real
   Celery worker to the file backend (emails/s).
7. Times ``import_mpn_profiles`` on a registry export of 100,000 rows with password hashes.

Writes the tables to ``benchmarks/results.md`` (a quick run's to ``var/bench/``), prints
them, and exits 1 naming each target missed. BENCH_SIZE=small for a quick run (2,000 enrollments, fewer requests);
BENCH_ROUNDS and BENCH_REQUESTS change the rounds and the requests per round.
"""

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime

from . import report
from .load import BenchError, Counter, Request, Target, counted, json_body, run
from .server import ROOT, CeleryWorker, Gunicorn, environment

SIZES = {
    "full": {"enrollments": 100_000, "providers": 2000, "relationships": 20_000, "customers": 200_000},
    "small": {"enrollments": 2000, "providers": 40, "relationships": 400, "customers": 4000},
    "tiny": {"enrollments": 10, "providers": 2, "relationships": 4, "customers": 10},
}
SIZE = os.environ.get("BENCH_SIZE", "full")
BASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/partnercenter_bench")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5" if SIZE == "full" else "2"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "20" if SIZE == "full" else "6"))  # per round and concurrency
DUE = int(os.environ.get("BENCH_DUE", "10000" if SIZE == "full" else "1000"))
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000" if SIZE == "full" else "5000"))
CHECK_RUNS = 20


def database_url(size: str) -> str:
    """The full size's database, or beside it partnercenter_<size>_bench."""
    if size == "full":
        return BASE_URL
    return f"{BASE_URL.removesuffix('_bench')}_{size}_bench"


def create_database(url: str) -> None:
    import environ
    import psycopg2
    from psycopg2 import sql

    config = environ.Env.db_url_config(url)
    name = config["NAME"]
    if not name.endswith("_bench"):
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


def manage(url: str, *args: str, capture: bool = False) -> str:
    done = subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=environment(url),
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return done.stdout or ""


def seed(size: str) -> None:
    url = database_url(size)
    create_database(url)
    manage(url, "migrate", "--noinput", "-v0")
    args = [f"--{name}={value}" for name, value in SIZES[size].items()]
    manage(url, "seed_volume", *args, "--replace")


def people(size: str, submitters: int = 0) -> dict:
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "benchmarks.people", str(submitters)],
        cwd=ROOT,
        env=environment(database_url(size)),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def targets(p: dict) -> list[Target]:
    def get(path: str, headers: dict, **kwargs) -> Target:
        return Target(name="", request=lambda i: Request("GET", path, headers), **kwargs)

    def named(name: str, target: Target) -> Target:
        target.name = name
        return target

    submitters = p["submitters"]

    def submit(i: int) -> Request:
        from tests.data import valid_application

        auth, mpn_id = submitters[i % len(submitters)]
        return Request(
            "POST",
            "/api/v1/enrollments/",
            {"Authorization": auth, "Content-Type": "application/json"},
            json_body(valid_application(mpn_id)),
        )

    busy, reviewer, reviewer_api = p["busy"], p["reviewer"], p["reviewer_api"]
    provider, provider_api = p["provider"], p["provider_api"]
    return [
        named("queue page", get("/review/", reviewer)),
        named("queue page, overdue", get("/review/?overdue=on", reviewer)),
        named("queue page, one country", get("/review/?country=DE", reviewer)),
        named("queue API", get("/api/v1/review/enrollments/", reviewer_api, kind="api")),
        named(
            "queue API, overdue", get("/api/v1/review/enrollments/?overdue=true", reviewer_api, kind="api")
        ),
        named(
            "queue API, one country", get("/api/v1/review/enrollments/?country=DE", reviewer_api, kind="api")
        ),
        named("review page", get(f"/review/{busy}/", reviewer)),
        named("review API", get(f"/api/v1/review/enrollments/{busy}/", reviewer_api, kind="api")),
        named(
            "status page (10,000 events)" if SIZE == "full" else "status page",
            get(f"/enrollments/{busy}/", p["partner"]),
        ),
        named("indirect resellers page", get("/indirect-resellers/", provider)),
        named(
            "indirect resellers API",
            get(
                "/api/v1/relationships/?relationship_type=IsIndirectCloudSolutionProviderOf",
                provider_api,
                kind="api",
            ),
        ),
        named("customers page", get("/customers/", provider)),
        named("customers API", get("/api/v1/customers/", provider_api, kind="api")),
        Target("submission (POST /api/v1/enrollments/)", submit, status=201, kind="action"),
    ]


def admin_target(p: dict) -> Target:
    return Target(
        "admin changelist",
        lambda i: Request("GET", "/admin/enrollment/enrollment/", p["reviewer"]),
        kind="admin",
    )


def floor_target(p: dict) -> Target:
    return Target("floor", lambda i: Request("GET", f"/bench/floor/?mpn={p['floor_mpn']}"), kind="floor")


AFTER_WRITES = 10  # submissions, each followed by a queue list computed again


def measure(server: Gunicorn, p: dict) -> tuple[list[report.Measured], report.Measured]:
    """Interleaved: in each round, for each concurrency, the floor then each list; then the
    submissions, in rounds of their own: each adds a file to the queue, which its lists
    compute again on their next request; measured between the lists' rounds, they made one
    request in twenty of each queue list such a first one (reads and writes one to one).
    Those are measured apart: a submission, then a queue list's first request after it."""
    floor = floor_target(p)
    all_targets = [admin_target(p), *targets(p)]
    measured = {t.name: report.Measured(t.name, t.kind) for t in all_targets}
    counters = {t.name: Counter() for t in [floor, *all_targets]}  # submitters are used once
    for target in [floor, *all_targets]:  # warm-up: each worker has served each once
        if target.kind != "action":
            run(server.port, target, requests=4, concurrency=1, counter=counters[target.name])
    lists = [t for t in all_targets if t.kind != "action"]
    writes = [t for t in all_targets if t.kind == "action"]
    for phase in (lists, writes):
        for round_ in range(ROUNDS):
            started = time.perf_counter()
            for c in (1, 4):
                for target in phase:
                    m = measured[target.name]
                    m.floor[c] += run(
                        server.port, floor, requests=REQUESTS, concurrency=c, counter=counters["floor"]
                    )
                    m.samples[c] += run(
                        server.port, target, requests=REQUESTS, concurrency=c, counter=counters[target.name]
                    )
            what = "lists" if phase is lists else "submissions"
            print(
                f"bench: {what}, round {round_ + 1}/{ROUNDS} in {time.perf_counter() - started:.0f} s",
                flush=True,
            )
    (submission,) = writes
    by_name = {t.name: t for t in lists}
    for name in ("queue page", "queue API"):
        target, m = (
            by_name[name],
            report.Measured(f"{name}, the first request after a submission", "after-write"),
        )
        for _ in range(AFTER_WRITES):
            for c in (1, 4):
                run(server.port, submission, requests=1, concurrency=1, counter=counters[submission.name])
                m.floor[c] += run(server.port, floor, requests=c, concurrency=c, counter=counters["floor"])
                m.samples[c] += run(server.port, target, requests=c, concurrency=c, counter=counters[name])
        measured[m.name] = m
    admin = measured.pop("admin changelist")
    return [admin, *measured.values()], admin


def counts(server: Gunicorn, tiny: Gunicorn, p: dict, p_tiny: dict) -> dict:
    found = {}
    for big_target, small_target in zip(
        [admin_target(p), *targets(p)], [admin_target(p_tiny), *targets(p_tiny)], strict=True
    ):
        if big_target.kind == "action":
            continue
        found[big_target.name] = (counted(tiny.port, small_target, 0), counted(server.port, big_target, 0))
    return found


def sweep_and_send(due: int) -> dict:
    """The automated-check runs; the sweep of ``due`` enrollments in this process (as beat
    would run it, until nothing is due), then their emails through a real worker; the import."""
    import django

    os.environ.update(environment(database_url(SIZE)))
    django.setup()
    from benchmarks import extras, world
    from enrollment.tasks import enrollments_sweep
    from partnercenter.celery import app
    from partnercenter.notifications.models import Notification

    # First, on the seeded volume as it is: after the sweep, PostgreSQL is still cleaning up
    # the 10,000 rows it removed, and a run timed then measured that.
    checks = extras.check_runs(CHECK_RUNS)
    print(f"bench: automated checks {checks}", flush=True)
    world.due_batch(due)
    app.control.purge()  # what the submissions queued: only the bench's own queue
    runs, moved = 0, 0
    started = time.perf_counter()
    while runs < 100:
        done = enrollments_sweep()
        runs += 1
        if not sum(done.values()):
            break
        moved += sum(done.values())
    seconds = time.perf_counter() - started
    notifications = world.due_notifications().count()
    sweep = {
        "due": due,
        "seconds": seconds,
        "runs": max(runs - 1, 1),
        "moved": moved,
        "notifications": notifications,
    }
    print(f"bench: sweep {sweep}", flush=True)
    mail = ROOT / "var" / "bench" / "mail"
    mail.mkdir(parents=True, exist_ok=True)
    for old in mail.iterdir():
        old.unlink()
    worker = CeleryWorker(database_url(SIZE))
    try:
        worker.wait_ready()
        started = time.perf_counter()
        sent = 0
        while time.perf_counter() - started < 300:
            sent = world.due_notifications().filter(status=Notification.Status.SENT).count()
            if sent >= notifications:
                break
            time.sleep(0.2)
        seconds_sent = time.perf_counter() - started
    finally:
        worker.stop()
    emails = {
        "expected": notifications,
        "sent": sent,
        "seconds": seconds_sent,
        "per_second": sent / seconds_sent,
    }
    print(f"bench: emails {emails}", flush=True)
    world.cleanup_due()
    imported = extras.import_profiles(IMPORT_ROWS, database_url(SIZE))
    print(f"bench: import_mpn_profiles {imported}", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0].split()[0]
    return {"sweep": sweep, "emails": emails, "checks": checks, "import": imported, "postgres": postgres}


def main() -> int:
    begun = time.perf_counter()
    sizes = SIZES[SIZE]
    for size in (SIZE, "tiny"):
        seed(size)
    print(f"bench: seeded in {time.perf_counter() - begun:.0f} s", flush=True)
    submissions = ROUNDS * REQUESTS * 2 + 2 * 2 * AFTER_WRITES
    p, p_tiny = people(SIZE, submissions), people("tiny")
    server = Gunicorn(database_url(SIZE))
    tiny = Gunicorn(database_url("tiny"), workers=1, name="gunicorn-tiny")
    try:
        measured, admin = measure(server, p)
        rss = server.worker_rss_mib()
        found_counts = counts(server, tiny, p, p_tiny)
    finally:
        server.stop()
        tiny.stop()
    extra = {"rss": rss, **sweep_and_send(DUE)}
    label = f"{sizes['enrollments']:,} enrollments"
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    sweep, emails, checks, imported = extra["sweep"], extra["emails"], extra["checks"], extra["import"]
    lines = [
        "# `make bench`: the latest run",
        "",
        f"{when}; {report.machine(extra['postgres'])}. Gunicorn, 2 sync workers, `benchmarks.settings` (DEBUG off).",
        f"Volume: {', '.join(f'{v:,} {k}' for k, v in sizes.items())}. "
        f"{ROUNDS} rounds, interleaved (the floor right before each target), {REQUESTS} requests "
        "per round at concurrency 1 and as many at concurrency 4; the lists' rounds, then the "
        f"submissions'; then {AFTER_WRITES} times a submission and a queue list's first request "
        "after it (computed again: it holds the new file), apart from the lists' targets.",
        "",
        *report.latency_table(measured[1:], admin),
        f"| {admin.name} | {report.p50(admin.samples[1]):.1f} | {report.p95(admin.samples[1]):.1f} "
        f"| {report.p50(admin.samples[4]):.1f} | {report.p95(admin.samples[4]):.1f} | {admin.ratio(1):.1f} "
        f"| {admin.ratio(4):.1f} | 1.00 |",
        "",
        "Per request (one request each, the list computed: kept results retired first; rows fetched:",
        "returned to Django; rows read: by PostgreSQL's scans, from EXPLAIN ANALYZE):",
        "",
        *report.counts_table(found_counts, "10 enrollments", label),
        "",
        f"- Sweep: {sweep['due']:,} due enrollments in {sweep['seconds']:.1f} s, {sweep['runs']} beat run(s), "
        f"{sweep['moved']:,} moved, {sweep['notifications']:,} notifications created.",
        f"- Emails: {emails['sent']:,} of {emails['expected']:,} sent by one Celery worker (2 processes) to the "
        f"file backend in {emails['seconds']:.1f} s: {emails['per_second']:.0f} emails/s.",
        f"- Web workers' RSS after the load: {', '.join(f'{r:.0f} MiB' for r in rss)}.",
        f"- One automated-check run (of {checks['runs']}, at volume): {checks['p50_ms']:.1f} ms p50, "
        f"{checks['max_ms']:.1f} ms at most, {'/'.join(map(str, checks['queries']))} queries.",
        f"- `import_mpn_profiles`, {imported['rows']:,} rows with password hashes: "
        + (
            f"{imported['seconds']:.1f} s, {imported['loaded']:,} loaded."
            if imported["supported"]
            else "the command takes no `pmc_password_hash` column yet."
        ),
    ]
    missed = report.misses(measured[1:], admin, found_counts, extra)
    lines += ["", "Targets missed:" if missed else "Every target holds.", *[f"- {m}" for m in missed]]
    # Only the full size is the reference table; a quick run's stays in var/bench/.
    report.write(lines, report.RESULTS if SIZE == "full" else ROOT / "var" / "bench" / f"results-{SIZE}.md")
    print(f"bench: {time.perf_counter() - begun:.0f} s in all")
    return 1 if missed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        sys.exit(f"bench: {error}")
