"""``manage.py import_price_list`` (billing.price_list): every rule names its line and field
and loads nothing of the file; a second run of the same file changes nothing and says so;
the demo's price list loads, in every market the demo uses."""

from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError

from billing.models import Offer, Price, Product
from billing.price_list import COLUMNS

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
BASIC = "CFQ7TTC0LH18,Microsoft 365 Business Basic,license,CFQ7TTC0LH18:0001,Microsoft 365 Business Basic"
GOOD = [
    f"{BASIC},europe,EUR,P1M,monthly,6.77,2026-01-01",
    f"{BASIC},europe,EUR,P1Y,annual,67.68,2026-01-01",
    f"{BASIC},japan,JPY,P1Y,monthly,900,2026-01-01",
    "DZH318Z0BPS6,Azure plan,azure_plan,DZH318Z0BPS6:0001,Azure plan,united_states,USD,P1M,monthly,0.00,2026-01-01",
]


def write(tmp_path, *rows, header=HEADER) -> str:
    path = tmp_path / "prices.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return str(path)


def run(path) -> str:
    out = StringIO()
    call_command("import_price_list", path, stdout=out)
    return out.getvalue()


def refused(path) -> str:
    with pytest.raises(CommandError) as raised:
        run(path)
    message = str(raised.value)
    assert message.startswith("Nothing was loaded")
    assert not Price.objects.exists() and not Offer.objects.exists() and not Product.objects.exists()
    return message


class TestLoading:
    def test_a_file_loads_products_offers_and_prices(self, tmp_path):
        out = run(write(tmp_path, *GOOD))
        assert "4 rows read." in out and "Prices: 4 created, 0 updated, 0 unchanged" in out
        assert "Products: 2 created" in out and "Offers: 2 created" in out
        price = Price.objects.get(market="japan")
        assert (price.offer.offer_id, price.currency, price.term, price.billing) == (
            "CFQ7TTC0LH18:0001",
            "JPY",
            "P1Y",
            "monthly",
        )
        assert price.unit_price == Decimal("900") and price.effective_from == date(2026, 1, 1)
        assert Product.objects.get(product_id="DZH318Z0BPS6").kind == "azure_plan"

    def test_a_second_run_changes_nothing_and_says_so(self, tmp_path):
        path = write(tmp_path, *GOOD)
        run(path)
        before = list(Price.objects.values_list("pk", "unit_price").order_by("pk"))
        out = run(path)
        assert "Prices: 0 created, 0 updated, 4 unchanged" in out
        assert "Products: 0 created, 0 updated, 2 unchanged" in out
        assert "Nothing changed" in out
        assert list(Price.objects.values_list("pk", "unit_price").order_by("pk")) == before

    def test_a_changed_price_and_name_are_updates_of_their_key(self, tmp_path):
        run(write(tmp_path, *GOOD))
        changed = GOOD[0].replace("6.77", "7.10")
        renamed = GOOD[3].replace("Azure plan,azure_plan", "Azure plan (new commerce),azure_plan")
        out = run(write(tmp_path, changed, *GOOD[1:3], renamed))
        assert "Prices: 0 created, 1 updated, 3 unchanged" in out
        assert "Products: 0 created, 1 updated, 1 unchanged" in out
        assert "Nothing changed" not in out
        assert Price.objects.get(market="europe", term="P1M").unit_price == Decimal("7.10")
        assert Price.objects.count() == 4

    def test_a_later_price_is_a_row_of_its_own(self, tmp_path):
        run(write(tmp_path, *GOOD, GOOD[0].replace("6.77,2026-01-01", "7.10,2027-01-01")))
        assert Price.objects.filter(market="europe", term="P1M").count() == 2

    def test_the_header_may_come_in_any_order_and_blank_lines_are_skipped(self, tmp_path):
        header = ",".join(reversed(COLUMNS))
        row = ",".join(reversed(GOOD[0].split(",")))
        run(write(tmp_path, row, "", header=header))
        assert Price.objects.get().unit_price == Decimal("6.77")


def line3(tmp_path, bad: str) -> str:
    """The file with its second row (line 3) replaced: the error names line 3."""
    return refused(write(tmp_path, GOOD[0], bad, *GOOD[2:]))


class TestEveryRuleNamesItsLineAndFieldAndLoadsNothing:
    @pytest.mark.parametrize(
        ("bad", "says"),
        [
            (GOOD[1].replace("europe,EUR", "atlantis,EUR"), "line 3: market must be one of"),
            (
                GOOD[1].replace("europe,EUR", "europe,USD"),
                "line 3: currency must be one of the europe market's",
            ),
            (
                GOOD[1].replace("europe,EUR", "taiwan,EUR"),
                "line 3: currency must be one of the taiwan market's (TWD)",
            ),
            (GOOD[1].replace(",license,", ",seat,"), "line 3: product_kind must be one of"),
            (
                GOOD[1].replace("P1Y,annual", "P2Y,annual"),
                "line 3: term must be one of P1M, P1Y, P3Y, none, not 'P2Y'",
            ),
            (
                GOOD[1].replace("P1Y,annual", "none,annual"),
                "line 3: term must be one of P1M, P1Y, P3Y for a license",
            ),
            (
                GOOD[1].replace("P1Y,annual", "P1Y,weekly"),
                "line 3: billing must be one of annual, monthly, one_time",
            ),
            (
                GOOD[1].replace("P1Y,annual", "P1Y,one_time"),
                "line 3: billing must be one of annual, monthly for a license",
            ),
            (GOOD[1].replace("67.68", "-1.00"), "line 3: unit_price must not be negative"),
            (GOOD[1].replace("67.68", "12,50"), "line 3: expected 11 columns"),
            (GOOD[1].replace("67.68", "1e3"), "line 3: unit_price must be a decimal number"),
            (GOOD[1].replace("67.68", "NaN"), "line 3: unit_price must be a decimal number"),
            (GOOD[1].replace("67.68", ""), "line 3: unit_price must be a decimal number"),
            (GOOD[1].replace("67.68", "67.685"), "line 3: unit_price has at most 2 decimals in EUR"),
            (GOOD[2].replace("900", "900.5"), "line 3: unit_price has at most 0 decimals in JPY"),
            (GOOD[1].replace("67.68", "1000000000000"), "line 3: unit_price must be less than"),
            (
                GOOD[1].replace("2026-01-01", "2026-02-30"),
                "line 3: effective_from must be a date as YYYY-MM-DD",
            ),
            (
                GOOD[1].replace("2026-01-01", "20260101"),
                "line 3: effective_from must be a date as YYYY-MM-DD",
            ),
            (GOOD[1].replace("2026-01-01", "01/01/2026"), "line 3: effective_from must be a date"),
            (
                GOOD[1].replace("CFQ7TTC0LH18:0001", "CFQ7TTC0LDPB:0001"),
                "line 3: offer_id must be the product_id",
            ),
            (GOOD[1].replace("CFQ7TTC0LH18:0001", "CFQ7TTC0LH18"), "line 3: offer_id must be the product_id"),
            (GOOD[1].replace("CFQ7TTC0LH18,", ",", 1), "line 3: product_id is empty"),
            (
                GOOD[1].replace("Business Basic,license", "Business Basic (old),license"),
                "line 3: product CFQ7TTC0LH18 is named",
            ),
            (
                GOOD[1].replace(",license,", ",software,").replace("P1Y,annual", "none,one_time"),
                "line 3: product CFQ7TTC0LH18 is named",
            ),
            (
                GOOD[1].replace("0001,Microsoft 365 Business Basic,", "0001,Business Basic,"),
                "line 3: offer CFQ7TTC0LH18:0001 is named",
            ),
            (GOOD[0].replace("6.77", "6.99"), "already on line 2"),
        ],
    )
    def test_a_bad_row(self, tmp_path, bad, says):
        message = line3(tmp_path, bad)
        assert says in message, message

    def test_the_same_key_twice_names_both_lines(self, tmp_path):
        message = line3(tmp_path, GOOD[0])
        assert "line 3: the price of offer CFQ7TTC0LH18:0001 in europe EUR, P1M billed monthly" in message
        assert "is already on line 2" in message

    def test_every_bad_row_is_reported_at_once(self, tmp_path):
        message = refused(
            write(tmp_path, GOOD[0], GOOD[1].replace("EUR", "USD"), GOOD[2].replace("2026-01-01", "soon"))
        )
        assert "line 3: currency" in message and "line 4: effective_from" in message

    def test_a_bad_last_row_loads_nothing_of_what_came_before(self, tmp_path):
        refused(write(tmp_path, *GOOD, GOOD[3].replace("0.00", "free")))

    @pytest.mark.parametrize(
        ("header", "says"),
        [
            (HEADER.replace(",effective_from", ""), "line 1: missing column(s) effective_from"),
            (HEADER + ",discount", "line 1: unknown column(s) discount"),
            (HEADER.replace("unit_price", "price"), "missing column(s) unit_price; unknown column(s) price"),
            (HEADER + ",market", "column(s) market given twice"),
            ("", "line 1: missing column(s) product_id"),
        ],
    )
    def test_unknown_and_missing_columns(self, tmp_path, header, says):
        message = refused(write(tmp_path, *GOOD, header=header))
        assert says in message and HEADER in message

    def test_a_missing_file_and_a_file_that_is_not_text(self, tmp_path):
        assert "Cannot open" in refused(str(tmp_path / "missing.csv"))
        path = tmp_path / "binary.csv"
        path.write_bytes(b"\xff\xfe\x00\x81")
        assert "is not UTF-8 text" in refused(str(path))

    def test_nothing_already_loaded_changes_when_a_file_is_refused(self, tmp_path):
        run(write(tmp_path, *GOOD))
        with pytest.raises(CommandError):
            run(write(tmp_path, GOOD[0].replace("6.77", "8.00"), GOOD[1].replace("EUR", "TWD")))
        assert Price.objects.get(market="europe", term="P1M").unit_price == Decimal("6.77")


class TestTheDemoPriceList:
    CSV = Path(settings.BASE_DIR) / "demo" / "price_list.csv"

    def test_it_loads_in_every_market_of_the_demo_and_again_changes_nothing(self):
        out = run(str(self.CSV))
        assert "Nothing changed" not in out
        pairs = set(Price.objects.values_list("market", "currency").distinct())
        assert {
            ("europe", "EUR"),
            ("europe", "GBP"),
            ("united_states", "USD"),
            ("taiwan", "TWD"),
            ("china", "CNY"),
            ("russia", "RUB"),
            ("japan", "JPY"),
            ("international", "USD"),
        } <= pairs
        kinds = set(Product.objects.values_list("kind", flat=True))
        assert kinds == {"license", "azure_plan", "azure_reservation", "software"}
        # Every offer has a price in every market and currency of the file.
        for market, currency in pairs:
            assert Price.objects.filter(market=market, currency=currency).values(
                "offer"
            ).distinct().count() == (Offer.objects.count())
        # One later price change, so that a renewal "at the price list of that day" shows it.
        assert Price.objects.filter(effective_from=date(2027, 1, 1)).exists()
        assert "Nothing changed" in run(str(self.CSV))

    def test_seed_demo_loads_it_and_again_changes_nothing(self, settings):
        settings.DEBUG = True
        call_command("seed_demo", stdout=StringIO())
        count = Price.objects.count()
        assert count == len(self.CSV.read_text().splitlines()) - 1
        again = StringIO()
        call_command("seed_demo", stdout=again)
        assert "Nothing changed: the price list was already loaded." in again.getvalue()
        assert Price.objects.count() == count


def test_a_load_that_meets_another_at_once_loads_nothing_and_says_so(tmp_path, monkeypatch):
    from billing import price_list

    def racing(rows):
        # What the database answers when another load created the same product first.
        raise IntegrityError(
            'duplicate key value violates unique constraint "billing_product_product_id_key"'
        )

    monkeypatch.setattr(price_list, "load", racing)
    message = refused(write(tmp_path, *GOOD))
    assert "Another load wrote the same prices at the same time" in message
