"""The bench's tables (printed and written to ``benchmarks/results.md``) and its targets."""

import os
import platform
from dataclasses import dataclass, field
from pathlib import Path

from .load import p50, p95

RESULTS = Path(__file__).resolve().parent / "results.md"
FLOOR_RATIO = 3.0  # every page and API list at most 3x the floor at p95, concurrency 1
ADMIN_FACTOR = 2.0  # the queue page at least 2x faster than the admin changelist
ROW_BOUND = 500  # rows returned to Django per request, whatever the table's size
SWEEP_SECONDS = 60.0
EMAILS_PER_SECOND = 200.0
RSS_MIB = 150.0
IMPORT_SECONDS = 60.0


@dataclass
class Measured:
    name: str
    kind: str
    samples: dict = field(default_factory=lambda: {1: [], 4: []})
    floor: dict = field(default_factory=lambda: {1: [], 4: []})  # the floor just before it

    def ratio(self, c: int) -> float:
        return p95(self.samples[c]) / p95(self.floor[c])


def machine(postgres: str) -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), PostgreSQL {postgres}, Python {platform.python_version()}"


def latency_table(measured: list[Measured], admin: Measured) -> list[str]:
    lines = [
        "| request | c1 p50 ms | c1 p95 ms | c4 p50 ms | c4 p95 ms | × floor p95 c1 | × floor p95 c4 | × admin p95 c1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    floor_all = {c: [s for m in measured for s in m.floor[c]] for c in (1, 4)}
    lines.append(
        f"| floor (one indexed query) | {p50(floor_all[1]):.1f} | {p95(floor_all[1]):.1f} "
        f"| {p50(floor_all[4]):.1f} | {p95(floor_all[4]):.1f} | 1.0 | 1.0 | "
        f"{p95(floor_all[1]) / p95(admin.samples[1]):.2f} |"
    )
    for m in measured:
        s = m.samples
        lines.append(
            f"| {m.name} | {p50(s[1]):.1f} | {p95(s[1]):.1f} | {p50(s[4]):.1f} | {p95(s[4]):.1f} "
            f"| {m.ratio(1):.1f} | {m.ratio(4):.1f} | {p95(s[1]) / p95(admin.samples[1]):.2f} |"
        )
    return lines


def counts_table(counts: dict, small_label: str, big_label: str) -> list[str]:
    lines = [
        f"| request | queries ({small_label}) | queries ({big_label}) | rows fetched ({small_label}) "
        f"| rows fetched ({big_label}) | rows read ({small_label}) | rows read ({big_label}) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, (small, big) in counts.items():
        lines.append(
            f"| {name} | {small['queries']} | {big['queries']} | {small['rows']} | {big['rows']} "
            f"| {small['read']} | {big['read']} |"
        )
    return lines


def misses(measured: list[Measured], admin: Measured, counts: dict, extra: dict) -> list[str]:
    """Every target the run missed, named."""
    found = []
    for m in measured:
        if m.kind in ("page", "api") and m.ratio(1) > FLOOR_RATIO:
            found.append(f"{m.name}: {m.ratio(1):.1f}× the floor at p95 (target ≤ {FLOOR_RATIO:.0f}×)")
        if m.name == "queue page" and p95(m.samples[1]) * ADMIN_FACTOR > p95(admin.samples[1]):
            found.append(
                f"queue page: p95 {p95(m.samples[1]):.1f} ms against the admin changelist's "
                f"{p95(admin.samples[1]):.1f} ms (target: at least {ADMIN_FACTOR:.0f}× faster)"
            )
    for name, (small, big) in counts.items():
        if small["queries"] != big["queries"]:
            found.append(f"{name}: {small['queries']} queries at the small size, {big['queries']} at volume")
        if big["rows"] > ROW_BOUND:
            found.append(f"{name}: fetches {big['rows']} rows at volume (target ≤ {ROW_BOUND})")
    sweep = extra.get("sweep")
    if sweep:
        if sweep["seconds"] > SWEEP_SECONDS:
            found.append(
                f"sweep: {sweep['seconds']:.1f} s for {sweep['due']} due (target < {SWEEP_SECONDS:.0f} s)"
            )
        if sweep["moved"] < sweep["due"] or sweep["notifications"] < sweep["due"]:
            found.append(
                f"sweep: moved {sweep['moved']} and queued {sweep['notifications']} emails of {sweep['due']} due"
            )
        if sweep["runs"] > 1:
            found.append(f"sweep: needed {sweep['runs']} beat runs (target: one, no per-run cap)")
    emails = extra.get("emails")
    if emails and emails["per_second"] < EMAILS_PER_SECOND:
        found.append(f"emails: {emails['per_second']:.0f}/s (target ≥ {EMAILS_PER_SECOND:.0f}/s)")
    if emails and emails["sent"] < emails["expected"]:
        found.append(f"emails: {emails['sent']} of {emails['expected']} sent in time")
    checks = extra.get("checks")
    if checks and checks["p50_ms"] >= 50:
        found.append(f"automated checks: {checks['p50_ms']:.1f} ms a run (target < 50 ms)")
    if checks and len(checks["queries"]) > 1:
        found.append(f"automated checks: the query count varies between runs ({checks['queries']})")
    imported = extra.get("import")
    if imported and not imported["supported"]:
        found.append("import_mpn_profiles: no pmc_password_hash column (a registry export's hashes)")
    elif imported:
        if imported["seconds"] >= IMPORT_SECONDS:
            found.append(
                f"import_mpn_profiles: {imported['seconds']:.0f} s for {imported['rows']:,} rows (target < {IMPORT_SECONDS:.0f} s)"
            )
        if imported["loaded"] != imported["rows"]:
            found.append(
                f"import_mpn_profiles: loaded {imported['loaded']:,} of {imported['rows']:,} rows {imported['error']}"
            )
    for i, rss in enumerate(extra.get("rss", [])):
        if rss >= RSS_MIB:
            found.append(f"web worker {i + 1}: {rss:.0f} MiB RSS after the load (target < {RSS_MIB:.0f} MiB)")
    return found


def write(lines: list[str], path: Path = RESULTS) -> None:
    text = "\n".join(lines) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    print(text)
    print(f"bench: written to {path}")
