"""How the portal writes money, lists and people's names for a reader: one home for each, used by
the pages, the emails and the timelines (dates and times: ``partnercenter/formats``)."""

import unicodedata
from decimal import Decimal

from babel import Locale
from babel.lists import format_list as babel_format_list
from babel.numbers import format_currency
from django.conf import settings
from django.utils import translation


def babel_locale(language: str | None = None) -> str:
    """The Babel locale of a Django language code (``zh-hant`` -> ``zh_Hant``); the active
    language when none is given."""
    return translation.to_locale(language or translation.get_language() or settings.LANGUAGE_CODE)


def format_money(amount, currency: str, language: str | None = None) -> str:
    """An amount in its currency as the reader's locale writes it, with the currency's own
    decimals (CLDR, through Babel): ``€1,481,400.00`` in English, ``1 481 400,00 €`` in
    Russian."""
    return format_currency(Decimal(str(amount)), currency, locale=babel_locale(language))


def format_list(items, conjunction: bool = True) -> str:
    """Items joined as the reader's language lists them in a sentence: "A, B, and C",
    "A、B和C", "A, B и C"; without the conjunction, as a table cell lists its values:
    "A, B, C", "A、B、C" (never ", " pasted between words of another language)."""
    texts = [str(item) for item in items]
    if not texts:
        return ""
    locale = babel_locale()
    if conjunction:
        return babel_format_list(texts, locale=locale)
    middle = Locale.parse(locale).list_patterns["standard"]["middle"]
    joined = texts[0]
    for text in texts[1:]:
        joined = middle.format(joined, text)
    return joined


def join_sentences(*sentences) -> str:
    """Whole sentences one after the other: a space between them, none in Chinese (its full
    stop 。 is the break)."""
    separator = "" if babel_locale().startswith(("zh", "ja")) else " "
    return separator.join(str(sentence) for sentence in sentences if sentence)


def _is_cjk(text: str) -> bool:
    return bool(text) and all(
        unicodedata.name(char, "").startswith(
            ("CJK UNIFIED", "CJK COMPATIBILITY", "HANGUL", "HIRAGANA", "KATAKANA")
        )
        or char in "·・"
        for char in text
        if not char.isspace()
    )


def person_name(first_name: str, last_name: str) -> str:
    """A person's full name in the order of its own language: a Chinese, Japanese or Korean
    name is the family name first, without a space (林美玲); any other is the given name
    first (Jonas Weber)."""
    first, last = (first_name or "").strip(), (last_name or "").strip()
    if not first or not last:
        return first or last
    if _is_cjk(first) and _is_cjk(last):
        return f"{last}{first}"
    return f"{first} {last}"
