"""Load the Partner Network registry from a CSV file.

Header: mpn_id,company_name,country,status,pmc_username, then pmc_password,
pmc_password_hash or both. A registry export carries the sign-ins' password hashes
(``pmc_password_hash``, in Django's format: ``pbkdf2_sha256$...``, ``argon2$...``); plain
passwords (``pmc_password``) are hashed here, in parallel (``--workers``, one process per
core by default). Rows are matched by mpn_id, so a second run changes nothing. A bad row is
reported with its line number and nothing of the file is loaded: the file is written in
one transaction, a few bulk statements whatever its length.
"""

import csv
import os
from dataclasses import dataclass

from django.contrib.auth.hashers import identify_hasher, is_password_usable
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models.functions import Lower
from django_countries import countries

from enrollment.models import MpnProfile, PmcAccount
from enrollment.password_hashing import hash_one, in_parallel, matches

COLUMNS = ["mpn_id", "company_name", "country", "status", "pmc_username"]
SECRETS = [["pmc_password"], ["pmc_password_hash"], ["pmc_password", "pmc_password_hash"]]
HEADERS = [COLUMNS + secrets for secrets in SECRETS] + [COLUMNS + ["pmc_password_hash", "pmc_password"]]
BATCH = 2000
PROFILE_FIELDS = ["company_name", "country", "status", "pmc_account_id"]


@dataclass
class Row:
    line: int
    mpn_id: str
    company_name: str
    country: str
    status: str
    pmc_username: str
    pmc_password: str = ""
    pmc_password_hash: str = ""


def _valid_hash(encoded: str) -> bool:
    try:
        identify_hasher(encoded)
    except ValueError:
        return False
    return is_password_usable(encoded)


def _check_row(row: Row, errors: list, seen: dict, secrets: dict) -> None:
    number = row.line
    if not row.mpn_id.isdigit() or len(row.mpn_id) > 10:
        errors.append(f"line {number}: mpn_id must be 1 to 10 digits, not {row.mpn_id!r}")
    elif row.mpn_id in seen:
        errors.append(f"line {number}: mpn_id {row.mpn_id} is already on line {seen[row.mpn_id]}")
    seen.setdefault(row.mpn_id, number)
    if not row.company_name or len(row.company_name) > 200:
        errors.append(f"line {number}: company_name must be 1 to 200 characters")
    if row.country not in countries:
        errors.append(f"line {number}: country must be an ISO 3166-1 alpha-2 code, not {row.country!r}")
    if row.status not in MpnProfile.Status.values:
        errors.append(f"line {number}: status must be active or inactive, not {row.status!r}")
    secret = row.pmc_password or row.pmc_password_hash
    if row.pmc_password and row.pmc_password_hash:
        errors.append(f"line {number}: give pmc_password or pmc_password_hash, not both")
    elif bool(row.pmc_username) != bool(secret):
        errors.append(f"line {number}: give both pmc_username and pmc_password (or its hash), or neither")
    elif row.pmc_password_hash and not _valid_hash(row.pmc_password_hash):
        errors.append(
            f"line {number}: pmc_password_hash must be a password hash in Django's format "
            "(algorithm$...) of a hasher in PASSWORD_HASHERS"
        )
    elif row.pmc_username:
        key = row.pmc_username.lower()
        if key in secrets and secrets[key][1] != (row.pmc_password, row.pmc_password_hash):
            errors.append(
                f"line {number}: pmc_username {row.pmc_username} has another password on line {secrets[key][0]}"
            )
        secrets.setdefault(key, (number, (row.pmc_password, row.pmc_password_hash)))


def parse(path: str) -> tuple[list[Row], list[str]]:
    rows, errors, seen, secrets = [], [], {}, {}
    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise CommandError(f"Cannot open {path}: {exc.strerror}") from exc
    with handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader, None) or []]
        if header not in HEADERS:
            raise CommandError(
                f"line 1: the header must be {','.join(HEADERS[0])} (or pmc_password_hash instead of pmc_password)"
            )
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                errors.append(f"line {number}: expected {len(header)} columns, found {len(values)}")
                continue
            row = Row(number, **{name: value.strip() for name, value in zip(header, values, strict=True)})
            row.country = row.country.upper()
            _check_row(row, errors, seen, secrets)
            rows.append(row)
    return rows, errors


class Command(BaseCommand):
    help = "Load the Partner Network registry (MPN profiles and PMC sign-ins) from a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--workers", type=int, default=os.cpu_count() or 1, help="processes that hash passwords"
        )

    def handle(self, *args, **options):
        rows, errors = parse(options["file"])
        if errors:
            raise CommandError("Nothing was loaded:\n" + "\n".join(errors))
        wanted = self._passwords(rows, options["workers"])
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        with transaction.atomic():
            accounts = self._save_accounts(wanted)
            self._save_profiles(rows, accounts, counts)
        self.stdout.write(
            f"{len(rows)} rows: {counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged"
        )

    @staticmethod
    def _passwords(rows: list[Row], workers: int) -> dict[str, tuple[str, str | None]]:
        """Per sign-in (by lower-case username): its username and the hash to store, or None
        when the stored one already holds (so a second run changes nothing)."""
        first = {}
        for row in rows:
            if row.pmc_username:
                first.setdefault(row.pmc_username.lower(), row)
        stored = dict(
            PmcAccount.objects.annotate(key=Lower("username"))
            .filter(key__in=list(first))
            .values_list("key", "password")
        )
        wanted = {}
        for key, row in first.items():
            if row.pmc_password_hash:
                wanted[key] = (
                    row.pmc_username,
                    None if stored.get(key) == row.pmc_password_hash else row.pmc_password_hash,
                )
        plain = [key for key, row in first.items() if not row.pmc_password_hash]
        known = [key for key in plain if key in stored]
        holds = in_parallel(matches, [(first[key].pmc_password, stored[key]) for key in known], workers)
        unchanged = {key for key, match in zip(known, holds, strict=True) if match}
        to_hash = [key for key in plain if key not in unchanged]
        hashes = in_parallel(hash_one, [first[key].pmc_password for key in to_hash], workers)
        wanted.update({key: (first[key].pmc_username, None) for key in unchanged})
        wanted.update({key: (first[key].pmc_username, h) for key, h in zip(to_hash, hashes, strict=True)})
        return wanted

    @staticmethod
    def _save_accounts(wanted: dict) -> dict[str, int]:
        """Create or update the sign-ins in bulk; their ids by lower-case username."""
        existing = {
            a.key: a for a in PmcAccount.objects.annotate(key=Lower("username")).filter(key__in=list(wanted))
        }
        changed = []
        for key, (_username, password) in wanted.items():
            if key in existing and password is not None:
                existing[key].password = password
                changed.append(existing[key])
        PmcAccount.objects.bulk_update(changed, ["password"], batch_size=BATCH)
        new = [
            PmcAccount(username=username, password=password)
            for key, (username, password) in wanted.items()
            if key not in existing
        ]
        PmcAccount.objects.bulk_create(new, batch_size=BATCH)
        return {**{key: a.pk for key, a in existing.items()}, **{a.username.lower(): a.pk for a in new}}

    @staticmethod
    def _save_profiles(rows: list[Row], accounts: dict, counts: dict) -> None:
        existing = {p.mpn_id: p for p in MpnProfile.objects.filter(mpn_id__in=[row.mpn_id for row in rows])}
        new, changed = [], []
        for row in rows:
            wanted = {
                "company_name": row.company_name,
                "country": row.country,
                "status": row.status,
                "pmc_account_id": accounts[row.pmc_username.lower()] if row.pmc_username else None,
            }
            profile = existing.get(row.mpn_id)
            if profile is None:
                new.append(MpnProfile(mpn_id=row.mpn_id, **wanted))
                continue
            current = {
                "company_name": profile.company_name,
                "country": profile.country.code,
                "status": profile.status,
                "pmc_account_id": profile.pmc_account_id,
            }
            if current == wanted:
                counts["unchanged"] += 1
                continue
            for key, value in wanted.items():
                setattr(profile, key, value)
            changed.append(profile)
        MpnProfile.objects.bulk_create(new, batch_size=BATCH)
        MpnProfile.objects.bulk_update(changed, PROFILE_FIELDS, batch_size=BATCH)
        counts["created"] += len(new)
        counts["updated"] += len(changed)
