"""Money, people's names, dates and times as the reader's locale writes them
(partnercenter.core.l10n, partnercenter/formats)."""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import formats, translation
from django.utils.formats import date_format

from billing import events as billing_events
from billing.models import Order
from billing.services.orders import order_place
from partnercenter.core.l10n import format_money, join_sentences, person_name
from tests.billing.factories import line, sold
from tests.cast import share_customer

from .factories import UserFactory

NBSP = "\xa0"
LANGUAGES = ["en", "zh-hant", "zh-hans", "ru"]
MOMENT = dt.datetime(2026, 3, 9, 14, 30, tzinfo=dt.UTC)


# --- Money ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "€1,481,400.00"),
        ("ru", f"1{NBSP}481{NBSP}400,00{NBSP}€"),
        ("de", f"1.481.400,00{NBSP}€"),
        ("zh-hant", "€1,481,400.00"),
        ("zh-hans", "€1,481,400.00"),
    ],
)
def test_money_is_written_for_the_locale(language, expected):
    assert format_money(Decimal("1481400"), "EUR", language) == expected
    with translation.override(language):
        assert format_money("1481400.00", "EUR") == expected


def test_money_keeps_its_currencys_decimals():
    assert format_money(Decimal("1500"), "JPY", "en") == "¥1,500"
    assert format_money(Decimal("12.5"), "USD", "en") == "$12.50"


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_money_filter_takes_the_apis_money_or_an_amount(language):
    template = Template("{% load portal %}{{ price|money }} | {{ amount|money:'EUR' }}")
    with translation.override(language):
        html = template.render(
            Context({"price": {"amount": "32.40", "currency": "EUR"}, "amount": Decimal("5")})
        )
    assert html == f"{format_money('32.40', 'EUR', language)} | {format_money(5, 'EUR', language)}"


@pytest.mark.django_db
def test_the_orders_table_and_the_timeline_show_money_for_the_reader(
    client, provider, provider_admin, reseller, relationship
):
    customer = share_customer(provider, reseller, company_name="Alpine Ski House")
    price = sold(provider, name="Microsoft 365 E3", unit_price=Decimal("1481.40"))
    order_place(actor=provider_admin, customer=customer, lines=[line(price, 1000)])
    client.force_login(provider_admin)
    assert Order.objects.count() == 1
    html = client.get(
        reverse("relationships:customer-detail", args=[customer.pk]), HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    assert f"1{NBSP}481{NBSP}400,00{NBSP}€" in html
    assert "1481400.00" not in html
    params = {"lines": 1, "customer": "Alpine Ski House", "total": "1481400.00", "currency": "EUR"}
    with translation.override("ru"):
        assert f"1{NBSP}481{NBSP}400,00{NBSP}€" in billing_events.ORDER_PLACED.describe(params)
    with translation.override("en"):
        assert "€1,481,400.00" in billing_events.ORDER_PLACED.describe(params)


# --- Names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("美玲", "林", "林美玲"),
        ("志明", "欧阳", "欧阳志明"),
        ("Jonas", "Weber", "Jonas Weber"),
        ("Анна", "Иванова", "Анна Иванова"),
        ("Mei-Ling", "林", "Mei-Ling 林"),
        ("", "林", "林"),
        (" Jonas ", "", "Jonas"),
    ],
)
def test_a_full_name_is_in_the_order_of_its_language(first, last, expected):
    assert person_name(first, last) == expected


@pytest.mark.django_db
def test_users_and_contacts_use_the_one_name_helper(provider):
    user = UserFactory(first_name="美玲", last_name="林")
    assert user.get_full_name() == "林美玲"
    provider.contact_first_name, provider.contact_last_name = "美玲", "林"
    assert provider.contact_name == "林美玲"
    template = Template("{% load portal %}{% person_name first last %}")
    assert template.render(Context({"first": "美玲", "last": "林"})) == "林美玲"


# --- Dates and times -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"])
def test_a_date_and_time_says_its_zone(language, name):
    with translation.override(language):
        assert date_format(MOMENT, name).endswith(" UTC")
        rendered = Template("{% load portal %}{{ iso|iso_datetime }}").render(
            Context({"iso": MOMENT.isoformat()})
        )
        assert rendered == date_format(MOMENT, "DATETIME_FORMAT")
    assert rendered.count("UTC") == 1


def test_russian_dates_have_no_year_abbreviation_to_double_a_full_stop():
    with translation.override("ru"):
        assert date_format(MOMENT.date(), "DATE_FORMAT") == "9 марта 2026"
        assert date_format(MOMENT, "DATETIME_FORMAT") == "9 марта 2026, 14:30 UTC"
        assert "г." not in formats.get_format("YEAR_MONTH_FORMAT")
        sentence = translation.gettext("This link works once, until %(date)s.") % {
            "date": date_format(MOMENT, "DATETIME_FORMAT")
        }
    assert "г.." not in sentence and sentence.endswith("UTC.")


@pytest.mark.parametrize("language", ["zh-hant", "zh-hans"])
def test_chinese_dates_keep_djangos_format_with_the_zone(language):
    with translation.override(language):
        assert date_format(MOMENT, "DATETIME_FORMAT") == "2026年3月9日 14:30 UTC"


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "One. Two."), ("ru", "One. Two."), ("zh-hant", "一。二。")]
)
def test_sentences_follow_each_other_as_the_language_writes_them(language, expected):
    first, second = ("一。", "二。") if language.startswith("zh") else ("One.", "Two.")
    with translation.override(language):
        assert join_sentences(first, second) == expected


def test_templates_show_times_only_through_the_zoned_formats():
    """A time on a page or in an email goes through DATETIME_FORMAT or SHORT_DATETIME_FORMAT
    (which say the zone); a date alone through DATE_FORMAT; 'c' only for machine-readable
    attributes. A raw time format ("H:i", |time) would show a time without its zone."""
    allowed = {'"DATETIME_FORMAT"', '"SHORT_DATETIME_FORMAT"', '"DATE_FORMAT"', '"SHORT_DATE_FORMAT"', "'c'"}
    wrong = []
    for path in (Path(settings.BASE_DIR) / "templates").rglob("*.*"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"\|(date|time)(?::(\"[^\"]*\"|'[^']*'))?", text):
            if match.group(1) == "time" or match.group(2) not in allowed:
                wrong.append(f"{path.name}: {match.group(0)}")
    assert not wrong, wrong
