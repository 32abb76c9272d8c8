"""Load the Partner Network registry from a CSV file.

Header: mpn_id,company_name,country,status,pmc_username,pmc_password. Rows are matched
by mpn_id, so a second run changes nothing. A bad row is reported with its line number
and nothing of the file is loaded.
"""

import csv
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_countries import countries

from enrollment.models import MpnProfile, PmcAccount

HEADER = ["mpn_id", "company_name", "country", "status", "pmc_username", "pmc_password"]


@dataclass
class Row:
    line: int
    mpn_id: str
    company_name: str
    country: str
    status: str
    pmc_username: str
    pmc_password: str


def parse(path: str) -> tuple[list[Row], list[str]]:
    rows, errors, seen, passwords = [], [], {}, {}
    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise CommandError(f"Cannot open {path}: {exc.strerror}") from exc
    with handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if [h.strip() for h in header or []] != HEADER:
            raise CommandError(f"line 1: the header must be {','.join(HEADER)}")
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(HEADER):
                errors.append(f"line {number}: expected {len(HEADER)} columns, found {len(values)}")
                continue
            row = Row(number, *(v.strip() for v in values))
            row.country = row.country.upper()
            if not row.mpn_id.isdigit() or len(row.mpn_id) > 10:
                errors.append(f"line {number}: mpn_id must be 1 to 10 digits, not {row.mpn_id!r}")
            elif row.mpn_id in seen:
                errors.append(f"line {number}: mpn_id {row.mpn_id} is already on line {seen[row.mpn_id]}")
            seen.setdefault(row.mpn_id, number)
            if not row.company_name or len(row.company_name) > 200:
                errors.append(f"line {number}: company_name must be 1 to 200 characters")
            if row.country not in countries:
                errors.append(
                    f"line {number}: country must be an ISO 3166-1 alpha-2 code, not {row.country!r}"
                )
            if row.status not in MpnProfile.Status.values:
                errors.append(f"line {number}: status must be active or inactive, not {row.status!r}")
            if bool(row.pmc_username) != bool(row.pmc_password):
                errors.append(f"line {number}: give both pmc_username and pmc_password, or neither")
            elif row.pmc_username:
                key = row.pmc_username.lower()
                if key in passwords and passwords[key][1] != row.pmc_password:
                    errors.append(
                        f"line {number}: pmc_username {row.pmc_username} has another password on line {passwords[key][0]}"
                    )
                passwords.setdefault(key, (number, row.pmc_password))
            rows.append(row)
    return rows, errors


class Command(BaseCommand):
    help = "Load the Partner Network registry (MPN profiles and PMC sign-ins) from a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        rows, errors = parse(options["file"])
        if errors:
            raise CommandError("Nothing was loaded:\n" + "\n".join(errors))
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        with transaction.atomic():
            accounts = {}
            for row in rows:
                if row.pmc_username and row.pmc_username.lower() not in accounts:
                    accounts[row.pmc_username.lower()] = self._account(row.pmc_username, row.pmc_password)
                account = accounts.get(row.pmc_username.lower()) if row.pmc_username else None
                wanted = {
                    "company_name": row.company_name,
                    "country": row.country,
                    "status": row.status,
                    "pmc_account_id": account.pk if account else None,
                }
                profile = MpnProfile.objects.filter(mpn_id=row.mpn_id).first()
                if profile is None:
                    MpnProfile.objects.create(mpn_id=row.mpn_id, **wanted)
                    counts["created"] += 1
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
                profile.save()
                counts["updated"] += 1
        self.stdout.write(
            f"{len(rows)} rows: {counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged"
        )

    @staticmethod
    def _account(username: str, password: str) -> PmcAccount:
        account = PmcAccount.objects.filter(username__iexact=username).first()
        if account is None:
            return PmcAccount.objects.create(username=username, password=make_password(password))
        if not account.check_password(password):
            # Only a changed password is hashed again, so a second run changes nothing.
            account.password = make_password(password)
            account.save(update_fields=["password"])
        return account
