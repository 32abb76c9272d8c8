"""Load the price list from a CSV file (``billing.price_list`` says the format and the rules).

A bad row is reported with its line number and field, and nothing of the file is loaded;
running the same file again changes nothing and says so."""

from django.core.management.base import BaseCommand, CommandError

from billing.price_list import PriceListError, import_price_list


class Command(BaseCommand):
    help = (
        "Load the price list (products, offers and their prices per market, currency, term and "
        "billing frequency) from a CSV file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            rows, counts = import_price_list(options["file"])
        except PriceListError as exc:
            raise CommandError("Nothing was loaded:\n" + "\n".join(exc.errors)) from exc
        self.stdout.write(counts.summary(rows))
