"""The direct-bill qualification questionnaire's rules (issue 9): the shape of the answers
(400 naming the field), money in the partner's market currency, and the requirements an
answer misses (which end the application at once).

Minimum requirements (DOMAIN.md "Direct-bill enrollment"): "authority to sign legal
agreements for the company; the ability to give first-level support to customers, plus a
support plan (ASfP or PSfP); at least one managed service, IP service or customer
solution; an infrastructure for billing and provisioning customers". The thresholds the
program later added are settings, off by default (``DIRECT_BILL_MIN_INDIRECT_MONTHS``,
``DIRECT_BILL_MIN_CLOUD_REVENUE``).
"""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnercenter.core.errors import InvalidInput

from .direct_bill import ServiceKind
from .rules import Errors

REQUIREMENTS = ("authority_to_sign", "first_level_support", "billing_infrastructure")
SERVICES_MAX = 20
DESCRIPTION_MAX = 500
YEARS_MAX = 300
# DecimalField(max_digits=18, decimal_places=2)
AMOUNT_MAX = Decimal("9999999999999999.99")


def parse_amount(value) -> Decimal | None:
    """A non-negative amount with at most two decimals (a string or a JSON number), or None."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0 or amount > AMOUNT_MAX or amount.as_tuple().exponent < -2:
        return None
    return amount


def money_errors(value, field: str, currency: str, errors: Errors, *, positive=False) -> Decimal | None:
    """``{"amount", "currency"}`` in ``currency`` (the partner's market currency): the
    amount, or None with the errors added under ``field``."""
    if not isinstance(value, dict):
        errors.add(
            field,
            _("Give the amount and its currency (%(currency)s), as an object with amount and currency.")
            % {"currency": currency},
        )
        return None
    amount = parse_amount(value.get("amount"))
    if amount is None or (positive and amount == 0):
        errors.add(
            f"{field}.amount",
            _("Enter an amount greater than zero, with at most two decimals.")
            if positive
            else _("Enter an amount of zero or more, with at most two decimals."),
        )
    if value.get("currency") != currency:
        errors.add(
            f"{field}.currency",
            _("Give the amount in %(currency)s, the currency of your market.") % {"currency": currency},
        )
        return None
    return amount


def validate_answers(answers, currency: str) -> dict:
    """The questionnaire's answers (the API body) normalized; raises ``InvalidInput``
    field by field."""
    errors = Errors()
    if not isinstance(answers, dict):
        raise InvalidInput.on("non_field_errors", _("Send the answers of the questionnaire as an object."))
    clean: dict = {}
    for name in REQUIREMENTS:
        value = answers.get(name)
        if type(value) is not bool:
            errors.add(name, _("Answer yes or no (true or false)."))
        clean[name] = value
    clean["managed_services"] = _services(answers.get("managed_services"), errors)
    years = answers.get("years_trading")
    if type(years) is not int or not 0 <= years <= YEARS_MAX:
        errors.add("years_trading", _("Enter the number of whole years the company has traded (0 or more)."))
    clean["years_trading"] = years
    for name in ("annual_revenue", "cloud_revenue_12m"):
        clean[name] = money_errors(answers.get(name), name, currency, errors)
    if errors:
        raise InvalidInput(errors.tree)
    clean["currency"] = currency
    return clean


def _services(value, errors: Errors) -> list[dict]:
    if value is None:
        value = []
    if not isinstance(value, list):
        errors.add("managed_services", _("List the services you offer (it may be empty)."))
        return []
    if len(value) > SERVICES_MAX:
        errors.add(
            "managed_services",
            ngettext("List at most %(max)d service.", "List at most %(max)d services.", SERVICES_MAX)
            % {"max": SERVICES_MAX},
        )
        return []
    clean = []
    for index, service in enumerate(value):
        service = service if isinstance(service, dict) else {}
        kind, description = service.get("kind"), service.get("description")
        if kind not in ServiceKind.values:
            errors.add(
                f"managed_services.{index}.kind",
                _("Choose managed_service, ip_service or customer_solution."),
            )
        text = description.strip() if isinstance(description, str) else ""
        if not text:
            errors.add(f"managed_services.{index}.description", _("Describe the service."))
        elif len(text) > DESCRIPTION_MAX:
            errors.add(
                f"managed_services.{index}.description",
                ngettext(
                    "Shorten the text to at most %(max)d character.",
                    "Shorten the text to at most %(max)d characters.",
                    DESCRIPTION_MAX,
                )
                % {"max": DESCRIPTION_MAX},
            )
        clean.append({"kind": kind, "description": text})
    return clean


def months_between(start, end) -> int:
    """Whole calendar months from ``start`` to ``end``."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)


def requirements_missed(clean: dict, *, indirect_since) -> list[dict]:
    """The requirements the answers miss, each a code with its parameters (the
    ``check_details.REQUIREMENT_MISSED`` codes); empty when they qualify.
    ``indirect_since``: when the partner became an active indirect reseller (None if not)."""
    missed = [{"code": name} for name in ("authority_to_sign", "first_level_support") if not clean[name]]
    if not clean["managed_services"]:
        missed.append({"code": "managed_services"})
    if not clean["billing_infrastructure"]:
        missed.append({"code": "billing_infrastructure"})
    minimum = settings.DIRECT_BILL_MIN_INDIRECT_MONTHS
    if minimum > 0:
        months = months_between(indirect_since, timezone.now()) if indirect_since else 0
        if months < minimum:
            missed.append({"code": "indirect_months", "min": minimum, "months": max(months, 0)})
    cloud_minimum = settings.DIRECT_BILL_MIN_CLOUD_REVENUE.get(clean["currency"])
    if cloud_minimum is not None and clean["cloud_revenue_12m"] < cloud_minimum:
        missed.append({"code": "cloud_revenue", "min": str(cloud_minimum), "currency": clean["currency"]})
    return missed
