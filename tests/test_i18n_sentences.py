"""Sentences a translator can translate: no field name pasted into a shared sentence, a
number of things is a plural (ngettext), a list is written in the reader's language, and
script fills a placeholder in a whole translated sentence."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from enrollment import rules
from enrollment.services.business_profile import validate_business_profile
from partnercenter.core.l10n import format_list
from relationships import events as relationship_events

CATALOG = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES" / "django.po"
# A count followed (at most one word between) by what it counts.
COUNTED = re.compile(
    r"%\(\w+\)[ds]\s+(?:\w+\s+)?"
    r"(?:days?|characters?|items?|hours?|minutes?|weeks?|months?|years?|seconds?|versions?|documents?|files?)\b"
)


def _entries():
    return [entry for entry in polib.pofile(str(CATALOG)) if not entry.obsolete and entry.msgid]


def test_no_sentence_takes_a_field_label_as_a_parameter():
    pasted = [e.msgid for e in _entries() if re.search(r"%\((label|field_label|field_name)\)s", e.msgid)]
    assert not pasted, f"give each field its own sentence: {pasted}"


def test_a_number_of_things_is_a_plural():
    singular_only = [e.msgid for e in _entries() if not e.msgid_plural and COUNTED.search(e.msgid)]
    assert not singular_only, f"use ngettext (blocktranslate count): {singular_only}"


@pytest.mark.parametrize(
    ("text_field", "value", "expected"),
    [
        (rules.FIRST_NAME, "", "Введите имя."),
        (rules.LAST_NAME, "x" * 51, "Сократите фамилию до 50 символов (сейчас 51)."),
        (rules.CITY, "  ", "Введите город."),
        (rules.COMPANY_NAME, "", "Введите официальное название компании."),
        (rules.HOLDER_NAME, "", "Введите имя владельца счета."),
    ],
)
def test_each_field_says_its_own_sentence(text_field, value, expected):
    with translation.override("ru"):
        assert rules.name_errors(value, text_field) == [expected]


def test_the_contact_and_the_address_name_their_fields():
    with translation.override("zh-hant"):
        _clean, errors = rules.normalize_contact({}, "DE")
        assert errors["first_name"] == ["請輸入名字。"] and errors["last_name"] == ["請輸入姓氏。"]
        assert rules.address_errors({"country": "DE"})["city"] == ["請輸入城市。"]


def test_a_list_fields_limits_are_plurals_in_russian():
    with translation.override("ru"):
        _clean, errors = validate_business_profile({"industries": [f"i{n}" for n in range(25)]})
    assert errors["industries"] == ["Укажите не более 20 отраслей (указано: 25)."]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "A, B, and C"), ("zh-hans", "A、B和C"), ("ru", "A, B и C")],
)
def test_a_list_is_written_in_the_readers_language(language, expected):
    with translation.override(language):
        assert format_list(["A", "B", "C"]) == expected


@pytest.mark.parametrize(("days", "word"), [(1, "день"), (3, "дня"), (30, "дней")])
def test_a_timeline_counts_days_with_the_right_russian_form(days, word):
    data = {"name": "Helpdesk", "roles": ["Helpdesk Agent", "User Administrator"], "duration_days": days}
    with translation.override("ru"):
        sentence = relationship_events.GDAP_PROPOSED.describe(data)
    assert sentence == f"Helpdesk: Helpdesk Agent и User Administrator на {days} {word}."


@pytest.mark.django_db
@pytest.mark.parametrize(("days", "word"), [(1, "день"), (14, "дней"), (22, "дня")])
def test_the_invitation_help_counts_its_days(client, provider_admin, relationship, settings, days, word):
    settings.INVITATION_TTL_DAYS = days
    client.force_login(provider_admin)
    html = client.get("/indirect-resellers/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert f"она действует {days} {word}." in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hant", "ru"])
def test_the_domain_check_gets_whole_sentences_with_a_place_for_the_domain(client, provider_admin, language):
    client.force_login(provider_admin)
    html = client.get("/customers/new/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    with translation.override(language):
        available = translation.gettext("%(domain)s is available.") % {"domain": "{domain}"}
        taken = translation.gettext("%(domain)s is already taken. Choose another prefix.") % {
            "domain": "{domain}"
        }
    assert f'data-available="{available}"' in html
    assert f'data-taken="{taken}"' in html
    assert "js/portal.js" in html
    script = (Path(settings.BASE_DIR) / "static" / "js" / "portal.js").read_text()
    assert 'replace("{domain}", result.data.domain)' in script


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "A, B, C"), ("zh-hant", "A、B、C"), ("ru", "A, B, C")]
)
def test_a_table_cell_lists_its_values_with_the_languages_separator(language, expected):
    with translation.override(language):
        assert format_list(["A", "B", "C"], conjunction=False) == expected
        assert (
            Template("{% load portal %}{{ items|as_list }}").render(Context({"items": ["A", "B", "C"]}))
            == expected
        )
