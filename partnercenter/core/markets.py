"""Markets and currencies: a company's location decides its market and billing currency.

The program's examples (DOMAIN.md, "Markets and currencies") extended to the countries
the portal serves. A country not listed falls in the "International" market, in USD.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Market:
    code: str
    currency: str

    @property
    def name(self) -> str:
        """In the reader's language (translated when asked: a list of a thousand rows asks
        for the code and the currency only)."""
        return str(MARKET_NAMES[self.code])


EUROPE = "europe"
MARKET_NAMES = {
    "europe": _("Europe"),
    "united_states": _("United States"),
    "canada": _("Canada"),
    "australia": _("Australia"),
    "new_zealand": _("New Zealand"),
    "japan": _("Japan"),
    "korea": _("Korea"),
    "india": _("India"),
    "taiwan": _("Taiwan"),
    "china": _("China"),
    "russia": _("Russia"),
    "asia_pacific": _("Asia-Pacific"),
    "latin_america": _("Latin America"),
    "brazil": _("Brazil"),
    "africa": _("Africa"),
    "mea_cee": _("Middle East, Central & Eastern Europe"),
    "international": _("International"),
}

_EURO = "AT BE CY DE EE ES FI FR GR HR IE IT LT LU LV MT NL PT SI SK"
_TABLE: dict[str, tuple[str, str]] = {}
for _code in _EURO.split():
    _TABLE[_code] = ("europe", "EUR")
_TABLE.update(
    {
        "DK": ("europe", "DKK"),
        "NO": ("europe", "NOK"),
        "SE": ("europe", "SEK"),
        "CH": ("europe", "CHF"),
        "LI": ("europe", "CHF"),
        "GB": ("europe", "GBP"),
        "IS": ("europe", "EUR"),
        "US": ("united_states", "USD"),
        "GU": ("united_states", "USD"),
        "PR": ("united_states", "USD"),
        "CA": ("canada", "CAD"),
        "AU": ("australia", "AUD"),
        "FJ": ("australia", "AUD"),
        "NZ": ("new_zealand", "NZD"),
        "JP": ("japan", "JPY"),
        "KR": ("korea", "KRW"),
        "IN": ("india", "INR"),
        "TW": ("taiwan", "TWD"),
        "CN": ("china", "CNY"),
        "RU": ("russia", "RUB"),
        "BR": ("brazil", "USD"),
    }
)
for _code in ["SG", "VN", "MY", "TH", "ID", "PH", "HK", "MO", "BD", "LK", "NP", "PK"]:
    _TABLE[_code] = ("asia_pacific", "USD")
for _code in [
    "MX",
    "CL",
    "AR",
    "CO",
    "PE",
    "UY",
    "PY",
    "BO",
    "EC",
    "CR",
    "PA",
    "GT",
    "DO",
    "SV",
    "HN",
    "NI",
    "VE",
]:
    _TABLE[_code] = ("latin_america", "USD")
for _code in ["KE", "NG", "ZA", "EG", "MA", "GH", "TZ", "UG", "SN", "CI", "TN", "DZ"]:
    _TABLE[_code] = ("africa", "USD")
for _code in [
    "AE",
    "TR",
    "UA",
    "SA",
    "QA",
    "KW",
    "BH",
    "OM",
    "IL",
    "JO",
    "LB",
    "PL",
    "CZ",
    "HU",
    "RO",
    "BG",
    "RS",
    "KZ",
    "UZ",
    "AZ",
    "AM",
    "GE",
    "BY",
    "MD",
    "KG",
    "TJ",
]:
    _TABLE[_code] = ("mea_cee", "USD")


def market_for_country(country: str) -> Market:
    code, currency = _TABLE.get((country or "").upper(), ("international", "USD"))
    return Market(code=code, currency=currency)


def all_markets() -> list[tuple[str, Market]]:
    return [(country, market_for_country(country)) for country in sorted(_TABLE)]


def market_currencies(code: str) -> set[str]:
    """The currencies a market bills in (Europe: EUR and the DKK, NOK, SEK, CHF and GBP of its
    countries; International: USD); empty for an unknown market code."""
    if code not in MARKET_NAMES:
        return set()
    currencies = {currency for market, currency in _TABLE.values() if market == code}
    return currencies or {"USD"}  # International: every country not listed, in USD
