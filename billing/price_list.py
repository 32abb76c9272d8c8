"""Loading the price list from a CSV file (``manage.py import_price_list FILE.csv``).

Header (any order, no column more or less)::

    product_id,product_name,product_kind,offer_id,offer_name,market,currency,term,billing,
    unit_price,effective_from

A row is the unit price of one offer in one market and currency, for one term and billing
frequency, from ``effective_from``: that key names a ``Price``. A product and an offer are
named by their IDs, so a second run of the same file changes nothing (every row is
"unchanged"), and a changed price of a key already loaded is an update. A file adds to the
price list and corrects it; it removes nothing (a price ends where a later one of its key
begins, as Partner Center's monthly price lists do).

Every row is checked before anything is written, and the file is written in one
transaction: a bad row is reported with its line number and the field, and nothing of the
file is loaded (as ``import_mpn_profiles`` does for the registry). Operator output, in
English."""

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from partnercenter.core.markets import MARKET_NAMES, market_currencies

from .models import (
    KIND_BILLING,
    KIND_TERMS,
    MONEY_DIGITS,
    MONEY_PLACES,
    Offer,
    Price,
    Product,
    ProductKind,
    Term,
)
from .models import BillingFrequency as Billing
from .money import currency_decimals

COLUMNS = [
    "product_id",
    "product_name",
    "product_kind",
    "offer_id",
    "offer_name",
    "market",
    "currency",
    "term",
    "billing",
    "unit_price",
    "effective_from",
]
BATCH = 1000
MAX_PRICE = Decimal(10) ** (MONEY_DIGITS - MONEY_PLACES)  # the column's range, exclusive
_PLAIN_NUMBER = re.compile(r"^\d+(\.\d+)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ID = re.compile(r"^[A-Za-z0-9_-]+$")


class PriceListError(Exception):
    """The file cannot be loaded; ``errors`` says why, a line each ("line 7: currency ...")."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Row:
    line: int
    product_id: str
    product_name: str
    product_kind: str
    offer_id: str
    offer_name: str
    market: str
    currency: str
    term: str
    billing: str
    unit_price: str
    effective_from: str
    price: Decimal | None = None
    day: date | None = None

    @property
    def key(self) -> tuple:
        return (self.offer_id, self.market, self.currency, self.term, self.billing, self.effective_from)


@dataclass
class Counts:
    """What a load did, per kind of row: created, updated, unchanged."""

    prices: dict = field(default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0})
    products: dict = field(default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0})
    offers: dict = field(default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0})

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] for c in (self.prices, self.products, self.offers))

    def summary(self, rows: int) -> str:
        def part(name, c):
            return f"{name}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"

        lines = [
            f"{rows} rows read.",
            part("Prices", self.prices),
            part("Products", self.products),
            part("Offers", self.offers),
        ]
        if not self.changed:
            lines.append("Nothing changed: the price list was already loaded.")
        return "\n".join(lines)


# --- Reading and checking ---------------------------------------------------------------------


def _choices(values) -> str:
    return ", ".join(sorted(str(v) for v in values))


def _check_text(row: Row, errors: list) -> None:
    at = f"line {row.line}"
    for name, most in (("product_id", 40), ("offer_id", 60), ("product_name", 200), ("offer_name", 200)):
        value = getattr(row, name)
        if not value:
            errors.append(f"{at}: {name} is empty")
        elif len(value) > most:
            errors.append(f"{at}: {name} must be at most {most} characters")
    if row.product_id and not _ID.match(row.product_id):
        errors.append(f"{at}: product_id may hold letters, digits, - and _ only, not {row.product_id!r}")
    if row.offer_id and row.product_id:
        product_part, _colon, sku = row.offer_id.partition(":")
        if product_part != row.product_id or not sku:
            errors.append(
                f"{at}: offer_id must be the product_id, a colon and the offer's SKU "
                f"({row.product_id}:0001), not {row.offer_id!r}"
            )


def _check_market(row: Row, errors: list) -> None:
    at = f"line {row.line}"
    if row.market not in MARKET_NAMES:
        errors.append(f"{at}: market must be one of {_choices(MARKET_NAMES)}, not {row.market!r}")
    elif row.currency not in market_currencies(row.market):
        errors.append(
            f"{at}: currency must be one of the {row.market} market's ({_choices(market_currencies(row.market))}), "
            f"not {row.currency!r}"
        )


def _check_choice(row: Row, errors: list, name: str, every, allowed, kind: str) -> None:
    value = getattr(row, name)
    if value not in every:
        errors.append(f"line {row.line}: {name} must be one of {_choices(every)}, not {value!r}")
    elif value not in allowed:
        errors.append(
            f"line {row.line}: {name} must be one of {_choices(allowed)} for a {kind} product, not {value!r}"
        )


def _check_kind(row: Row, errors: list) -> None:
    if row.product_kind not in ProductKind.values:
        errors.append(
            f"line {row.line}: product_kind must be one of {_choices(ProductKind.values)}, not {row.product_kind!r}"
        )
        return
    kind = ProductKind(row.product_kind)
    _check_choice(row, errors, "term", Term.values, KIND_TERMS[kind], kind.value)
    _check_choice(row, errors, "billing", Billing.values, KIND_BILLING[kind], kind.value)


def _check_price(row: Row, errors: list) -> None:
    at = f"line {row.line}"
    text = row.unit_price
    if text.startswith("-") and _PLAIN_NUMBER.match(text[1:]):
        errors.append(f"{at}: unit_price must not be negative, not {text!r}")
        return
    if not _PLAIN_NUMBER.match(text):
        errors.append(f"{at}: unit_price must be a decimal number such as 12.50, not {text!r}")
        return
    try:
        price = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain numbers
        errors.append(f"{at}: unit_price must be a decimal number such as 12.50, not {text!r}")
        return
    if price >= MAX_PRICE:
        errors.append(f"{at}: unit_price must be less than {MAX_PRICE}, not {text}")
        return
    if row.currency and row.market in MARKET_NAMES and row.currency in market_currencies(row.market):
        places = currency_decimals(row.currency)
        if price != price.quantize(Decimal(1).scaleb(-places)):
            errors.append(f"{at}: unit_price has at most {places} decimals in {row.currency}, not {text}")
            return
    row.price = price


def _check_day(row: Row, errors: list) -> None:
    try:
        if not _ISO_DATE.match(row.effective_from):
            raise ValueError
        row.day = date.fromisoformat(row.effective_from)
    except ValueError:
        errors.append(
            f"line {row.line}: effective_from must be a date as YYYY-MM-DD (ISO 8601), not {row.effective_from!r}"
        )


def _check_consistency(row: Row, errors: list, seen: dict) -> None:
    """A product, an offer and a key are each named one way in one file."""
    at = f"line {row.line}"
    product = (row.product_name, row.product_kind)
    first = seen["products"].setdefault(row.product_id, (row.line, product))
    if first[1] != product:
        errors.append(
            f"{at}: product {row.product_id} is named {product[0]!r} ({product[1]}) here and "
            f"{first[1][0]!r} ({first[1][1]}) on line {first[0]}"
        )
    offer = (row.offer_name, row.product_id)
    first = seen["offers"].setdefault(row.offer_id, (row.line, offer))
    if first[1] != offer:
        errors.append(
            f"{at}: offer {row.offer_id} is named {row.offer_name!r} here and {first[1][0]!r} on line {first[0]}"
        )
    first_line = seen["keys"].setdefault(row.key, row.line)
    if first_line != row.line:
        errors.append(
            f"{at}: the price of offer {row.offer_id} in {row.market} {row.currency}, {row.term} billed "
            f"{row.billing}, from {row.effective_from} is already on line {first_line}"
        )


def check_row(row: Row, errors: list, seen: dict) -> None:
    _check_text(row, errors)
    _check_market(row, errors)
    _check_kind(row, errors)
    _check_price(row, errors)
    _check_day(row, errors)
    _check_consistency(row, errors, seen)


def read(handle) -> list[Row]:
    """The rows of an open CSV file, every one checked (``PriceListError`` with every bad
    row's line and field)."""
    reader = csv.reader(handle)
    header = [h.strip() for h in next(reader, None) or []]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    twice = sorted({h for h in header if header.count(h) > 1})
    if missing or unknown or twice:
        problems = (
            ([f"missing column(s) {', '.join(missing)}"] if missing else [])
            + ([f"unknown column(s) {', '.join(unknown)}"] if unknown else [])
            + ([f"column(s) {', '.join(twice)} given twice"] if twice else [])
        )
        raise PriceListError([f"line 1: {'; '.join(problems)}. The header is {','.join(COLUMNS)}"])
    rows, errors, seen = [], [], {"products": {}, "offers": {}, "keys": {}}
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            errors.append(f"line {number}: expected {len(header)} columns, found {len(values)}")
            continue
        row = Row(number, **{name: value.strip() for name, value in zip(header, values, strict=True)})
        check_row(row, errors, seen)
        rows.append(row)
    if errors:
        raise PriceListError(errors)
    return rows


def read_file(path: str) -> list[Row]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            return read(handle)
    except OSError as exc:
        raise PriceListError([f"Cannot open {path}: {exc.strerror}"]) from exc
    except UnicodeDecodeError as exc:
        raise PriceListError([f"{path} is not UTF-8 text (byte {exc.start})"]) from exc


# --- Writing ----------------------------------------------------------------------------------


def _save_products(rows: list[Row], counts: Counts) -> dict[str, Product]:
    wanted = {row.product_id: {"name": row.product_name, "kind": row.product_kind} for row in rows}
    existing = {
        p.product_id: p for p in Product.objects.select_for_update().filter(product_id__in=list(wanted))
    }
    changed = []
    for product_id, fields in wanted.items():
        product = existing.get(product_id)
        if product is None:
            continue
        if (product.name, product.kind) == (fields["name"], fields["kind"]):
            counts.products["unchanged"] += 1
        else:
            product.name, product.kind = fields["name"], fields["kind"]
            changed.append(product)
    new = [Product(product_id=pid, **fields) for pid, fields in wanted.items() if pid not in existing]
    Product.objects.bulk_create(new, batch_size=BATCH)
    Product.objects.bulk_update(changed, ["name", "kind"], batch_size=BATCH)
    counts.products["created"] += len(new)
    counts.products["updated"] += len(changed)
    return {**existing, **{p.product_id: p for p in new}}


def _save_offers(rows: list[Row], products: dict, counts: Counts) -> dict[str, Offer]:
    wanted = {row.offer_id: (row.offer_name, products[row.product_id]) for row in rows}
    existing = {o.offer_id: o for o in Offer.objects.select_for_update().filter(offer_id__in=list(wanted))}
    changed = []
    for offer_id, (name, product) in wanted.items():
        offer = existing.get(offer_id)
        if offer is None:
            continue
        if (offer.name, offer.product_id) == (name, product.pk):
            counts.offers["unchanged"] += 1
        else:
            offer.name, offer.product = name, product
            changed.append(offer)
    new = [
        Offer(offer_id=oid, name=name, product=product)
        for oid, (name, product) in wanted.items()
        if oid not in existing
    ]
    Offer.objects.bulk_create(new, batch_size=BATCH)
    Offer.objects.bulk_update(changed, ["name", "product"], batch_size=BATCH)
    counts.offers["created"] += len(new)
    counts.offers["updated"] += len(changed)
    return {**existing, **{o.offer_id: o for o in new}}


def _save_prices(rows: list[Row], offers: dict, counts: Counts) -> None:
    by_pk = {offer.pk: offer_id for offer_id, offer in offers.items()}
    existing = {
        (by_pk[p.offer_id], p.market, p.currency, p.term, p.billing, p.effective_from.isoformat()): p
        for p in Price.objects.select_for_update().filter(offer__in=list(offers.values()))
    }
    new, changed = [], []
    for row in rows:
        price = existing.get(row.key)
        if price is None:
            new.append(
                Price(
                    offer=offers[row.offer_id],
                    market=row.market,
                    currency=row.currency,
                    term=row.term,
                    billing=row.billing,
                    unit_price=row.price,
                    effective_from=row.day,
                )
            )
        elif price.unit_price == row.price:
            counts.prices["unchanged"] += 1
        else:
            price.unit_price = row.price
            changed.append(price)
    Price.objects.bulk_create(new, batch_size=BATCH)
    Price.objects.bulk_update(changed, ["unit_price"], batch_size=BATCH)
    counts.prices["created"] += len(new)
    counts.prices["updated"] += len(changed)


def load(rows: list[Row]) -> Counts:
    """Write checked rows in one transaction; the rows already loaded are locked, so two
    loads at once write one after the other."""
    counts = Counts()
    with transaction.atomic():
        products = _save_products(rows, counts)
        offers = _save_offers(rows, products, counts)
        _save_prices(rows, offers, counts)
    return counts


def import_price_list(path: str) -> tuple[int, Counts]:
    """Check every row of the file at ``path``, then load it (``PriceListError``: nothing
    was loaded). Returns the number of rows and what the load did."""
    rows = read_file(path)
    try:
        return len(rows), load(rows)
    except IntegrityError as exc:
        # Two loads of new rows at once: the rows they both create are the one conflict the
        # locks cannot prevent (they lock what exists). The later one is rolled back whole.
        raise PriceListError(
            [
                "Another load wrote the same prices at the same time; nothing of this file was loaded. Run it again."
            ]
        ) from exc
