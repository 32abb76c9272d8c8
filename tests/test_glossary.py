"""The catalogs use the program's own words (locale/glossary.toml): Partner Center's terms in
each language, never a forbidden variant."""

import functools
import re
import tomllib
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
LOCALES = ["zh_Hant", "zh_Hans", "ru"]

# Left out of a source string before the terms are looked for: placeholders (%(reseller)s),
# identifiers (indirect_reseller) and addresses (name@reseller.com).
NOT_WORDS = re.compile(r"%\(\w+\)[sd]|\w*_\w+|\S+@\S+")


@functools.cache
def glossary() -> list[dict]:
    return tomllib.loads((LOCALE_DIR / "glossary.toml").read_text(encoding="utf-8"))["term"]


@functools.cache
def _catalog(locale: str) -> list[tuple[str, str]]:
    """(source, translation) of every live entry; plural forms joined."""
    po = polib.pofile(str(LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"))
    pairs = []
    for entry in po:
        if entry.obsolete or not entry.msgid:
            continue
        source = " ".join(filter(None, [entry.msgid, entry.msgid_plural]))
        target = " ".join(entry.msgstr_plural.values()) if entry.msgid_plural else entry.msgstr
        pairs.append((source, target))
    return pairs


def glossary_faults(locale: str, pairs, terms=None) -> list[str]:
    """Every way ``pairs`` (source, translation) break the glossary in ``locale``."""
    faults = []
    for term in terms or glossary():
        rules = term.get(locale, {})
        english = re.compile(term["en"], re.IGNORECASE)
        unless = re.compile(term["unless"], re.IGNORECASE) if "unless" in term else None
        for source, target in pairs:
            if not target:
                continue
            for variant in rules.get("forbidden", []):
                if re.search(variant, target, re.IGNORECASE):
                    faults.append(f"{term['id']}: forbidden {variant!r} in {target!r}")
            words = NOT_WORDS.sub(" ", source)
            if not english.search(words):
                continue
            if "required" in rules and not re.search(rules["required"], target, re.IGNORECASE):
                faults.append(f"{term['id']}: {rules['required']!r} missing from {target!r} ({source!r})")
            if unless is None or not unless.search(words):
                for variant in rules.get("forbidden_in_entry", []):
                    if re.search(variant, target, re.IGNORECASE):
                        faults.append(f"{term['id']}: {variant!r} in {target!r} ({source!r})")
    return faults


def test_the_glossary_names_every_language():
    for term in glossary():
        assert set(LOCALES) <= set(term), f"{term['id']} lacks a language"
        re.compile(term["en"])
        for locale in LOCALES:
            assert term[locale].get("required"), f"{term['id']} has no required word in {locale}"


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_uses_the_glossary(locale):
    faults = glossary_faults(locale, _catalog(locale))
    assert not faults, f"{locale} breaks locale/glossary.toml:\n" + "\n".join(faults)


@pytest.mark.parametrize(
    ("locale", "source", "target"),
    [
        ("zh_Hant", "Enroll as an indirect reseller", "註冊成為間接轉售商"),
        ("zh_Hant", "The global admin signs in", "全域管理員登入"),
        ("zh_Hans", "The global admin signs in", "全球管理员登录"),
        ("ru", "Become an indirect reseller", "Станьте непрямым реселлером"),
        ("ru", "Create a customer", "Создать клиента"),
        ("ru", "Your work account is your tenant", "Ваша рабочая учетная запись — ваш заказчик"),
    ],
)
def test_a_forbidden_or_missing_term_is_caught(locale, source, target):
    assert glossary_faults(locale, [(source, target)])


@pytest.mark.parametrize(
    ("locale", "source", "target"),
    [
        ("zh_Hant", "Enroll as an indirect reseller", "註冊成為間接經銷商"),
        ("ru", "Create a customer", "Создать заказчика"),
        ("ru", "Customer tenants", "Клиенты заказчиков"),
        ("ru", "Ask %(reseller)s for a new link.", "Попросите новую ссылку у компании %(reseller)s."),
    ],
)
def test_the_right_terms_pass(locale, source, target):
    assert glossary_faults(locale, [(source, target)]) == []
