"""The program at its real size, for `make bench` (``_volume`` says what it builds).

    manage.py seed_volume --enrollments 100000 --providers 2000 --relationships 20000 --customers 200000

Loaded with COPY in one transaction, in minutes. Run again with the same sizes, it does
nothing (a marker row holds the sizes); with other sizes it needs --replace, which empties
the database first and only on a bench or test database (its name ends in ``_bench`` or
starts with ``test_``). PostgreSQL only.
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from partnercenter.accounts.models import Tenant

from ._volume import Sizes, build, seeded_sizes


class Command(BaseCommand):
    help = "Build the program's real volume (bench data) with COPY; skipped when already built."

    def add_arguments(self, parser):
        parser.add_argument("--enrollments", type=int, default=100_000)
        parser.add_argument("--providers", type=int, default=2000)
        parser.add_argument("--relationships", type=int, default=20_000)
        parser.add_argument("--customers", type=int, default=200_000)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Empty the (bench) database first when it holds other data.",
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_volume loads with PostgreSQL's COPY: point DATABASE_URL at PostgreSQL.")
        sizes = Sizes(
            enrollments=options["enrollments"],
            providers=options["providers"],
            relationships=options["relationships"],
            customers=options["customers"],
        )
        if min(sizes.enrollments, sizes.providers, sizes.relationships, sizes.customers) < 0:
            raise CommandError("Sizes cannot be negative.")
        found = seeded_sizes()
        if found == sizes.label():
            self.stdout.write(f"seed_volume: already seeded ({found}); nothing to do.")
            return
        if found is not None or Tenant.objects.exists():
            name = connection.settings_dict["NAME"]
            if not options["replace"]:
                raise CommandError(
                    f"The database holds other data ({found or 'not a volume seed'}); use --replace."
                )
            if not (name.endswith("_bench") or name.startswith("test_")):
                raise CommandError(f"Refusing to empty {name!r}: only a *_bench or test_* database.")
            self.stdout.write(f"seed_volume: emptying {name} ({found or 'other data'})")
            call_command("flush", interactive=False, verbosity=0)
        started = time.perf_counter()
        self.stdout.write(f"seed_volume: {sizes.label()}")
        with transaction.atomic():
            written = build(sizes, out=self.stdout.write)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            f"seed_volume: done in {time.perf_counter() - started:.0f} s: "
            + ", ".join(f"{count} {name}" for name, count in written.items())
        )
