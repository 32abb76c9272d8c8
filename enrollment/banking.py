"""Bank accounts outside the IBAN countries, by country: the national account numbers a
maintained library checks (python-stdnum), the routing number where one is checked (the
ABA routing transit number of the United States), and otherwise digits of a plausible
length. Only data and checks of one number live here; the rule that checks a bank
account is ``rules.normalize_bank_account``.
"""

import re
from dataclasses import dataclass
from types import ModuleType

from stdnum.ar import cbu
from stdnum.exceptions import ValidationError
from stdnum.nz import bankaccount as nz_bankaccount
from stdnum.us import rtn

# Digits of an account number where no library knows the country's format: from Japan's
# 7 digits to China's 19-digit bank cards, with some room.
ACCOUNT_DIGITS_MIN = 5
ACCOUNT_DIGITS_MAX = 20
# A bank or branch code (routing number) elsewhere: India's IFSC has 11 letters and
# digits, China's CNAPS code 12 digits.
ROUTING_MAX = 20
SEPARATORS = re.compile(r"[\s.-]+")


@dataclass(frozen=True)
class NationalAccount:
    """An account number that carries its bank and branch (no routing number is asked)."""

    module: ModuleType
    example: str


NATIONAL_ACCOUNTS = {
    "AR": NationalAccount(cbu, "2850590940090418135201"),  # the CBU
    "NZ": NationalAccount(nz_bankaccount, "01-0242-0100194-00"),
}


def national_account(country: str) -> NationalAccount | None:
    return NATIONAL_ACCOUNTS.get(country)


def compact(text: str, country: str = "") -> str:
    """The number without separators (as the country's library writes it, where one does)."""
    if national := national_account(country):
        try:
            return national.module.compact(text)
        except ValidationError:
            return SEPARATORS.sub("", text)
    return SEPARATORS.sub("", text)


def needs_routing_number(country: str) -> bool:
    return country not in NATIONAL_ACCOUNTS


def account_number_valid(country: str, number: str) -> bool:
    """``number`` without separators."""
    if national := national_account(country):
        return national.module.is_valid(number)
    return bool(re.fullmatch(rf"\d{{{ACCOUNT_DIGITS_MIN},{ACCOUNT_DIGITS_MAX}}}", number))


def routing_number_valid(country: str, number: str) -> bool:
    """``number`` without separators: the ABA checksum in the United States."""
    if country == "US":
        return rtn.is_valid(number)
    return bool(re.fullmatch(rf"[0-9A-Za-z]{{3,{ROUTING_MAX}}}", number))
