"""Country names in the reader's language, and lists of them sorted for the reader's locale.

django-countries translates a name when it is read in the active language; a form field
that is given ``countries`` itself at import time keeps the list built then (English, in
English order). Fields take ``country_choices`` instead: a callable, so each form built
in a request lists the names of that request's language, collated by ICU for its locale
(stroke order in zh-Hant, pinyin in zh-Hans, the Russian alphabet in ru).
"""

from functools import lru_cache

import icu
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries

# The portal's languages as ICU locales (the collation of the place they are read in).
COLLATION_LOCALES = {"zh-hant": "zh_Hant_TW", "zh-hans": "zh_Hans_CN", "ru": "ru_RU", "en": "en_US"}


def country_name(code: str) -> str:
    """The country's short name in the active language (the code itself if unknown)."""
    return str(countries.name(code) or code)


@lru_cache(maxsize=8)
def _collator(language: str):
    return icu.Collator.createInstance(icu.Locale(COLLATION_LOCALES.get(language, "en_US")))


def sort_key_for_locale():
    """A sort key for text in the active language's collation order."""
    return _collator((get_language() or "en").lower()).getSortKey


@lru_cache(maxsize=8)
def _sorted_countries(language: str) -> tuple[tuple[str, str], ...]:
    key = _collator(language).getSortKey
    return tuple(sorted(((code, str(name)) for code, name in countries), key=lambda item: key(item[1])))


def country_choices() -> list[tuple[str, str]]:
    """Every country as ``(code, name)``, in the active language, sorted for its locale."""
    return list(_sorted_countries((get_language() or "en").lower()))


def country_choices_with_blank() -> list[tuple[str, str]]:
    """The same list after an empty first option, so that nothing is chosen for the reader."""
    return [("", str(_("Choose a country or region"))), *country_choices()]


@lru_cache(maxsize=8)
def _country_options(language: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (code, str(format_html('<option value="{}">{}</option>', code, name)))
        for code, name in _sorted_countries(language)
    )


def country_options_html(chosen: str = "") -> SafeString:
    """Every country's ``<option>`` in the active language and its order, ``chosen``
    selected: escaped once a language, not rendered one by one on every request (issue 12:
    a select of every country took a quarter of the review queue's time)."""
    options = _country_options((get_language() or "en").lower())
    return mark_safe(  # noqa: S308 - escaped by format_html above
        "".join(html.replace('">', '" selected>', 1) if code == chosen else html for code, html in options)
    )
