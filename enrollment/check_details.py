"""What the system says about a verification check, as a code with parameters, rendered at
read time in the reader's language (issue 8: nothing a system writes reaches a reader in
another language).

A check stores ``detail_code`` and ``detail_params`` (``VerificationCheck``); each code is
registered once here, or by an app above enrollment for its own checks (relationships:
the CSP-to-CSP restriction), with the function that renders its sentence from the
parameters. People's own words (a reviewer's note) and the text of rows written before the
codes are ``detail_text``, shown as written when a row has no code (or an unknown one).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from partnercenter.audit.kinds import listed
from partnercenter.core.countries import country_name
from partnercenter.core.l10n import format_money


@dataclass(frozen=True)
class Detail:
    """What a check answers besides its result: a registered code and its parameters."""

    code: str
    params: dict = field(default_factory=dict)


_DETAILS: dict[str, Callable[[Mapping], object]] = {}


def register_detail(code: str, sentence: Callable[[Mapping], object]) -> Callable[..., Detail]:
    """Declare a code and how it reads; returns a maker of its ``Detail``
    (``MPN_ACTIVE(mpn_id=..., company=...)``)."""
    if code in _DETAILS:
        raise ImproperlyConfigured(f"The check detail {code!r} is registered twice.")
    _DETAILS[code] = sentence

    def make(**params) -> Detail:
        return Detail(code, params)

    make.code = code
    return make


def is_registered(code: str) -> bool:
    return code in _DETAILS


def render(code: str, params: Mapping | None, fallback: str = "") -> str:
    """The sentence of ``code`` in the active language; ``fallback`` (the row's text as
    written) for no code, an unknown one or parameters it cannot read."""
    sentence = _DETAILS.get(code or "")
    if sentence is not None:
        try:
            return str(sentence(params or {}))
        except (KeyError, TypeError, ValueError, AttributeError):
            pass
    return fallback


def country(code) -> str:
    """A country's name in the reader's language (its code if unknown)."""
    return country_name(code)


# The names of the fields a detail may list, as readers read them.
FIELD_LABELS = {
    "line1": _("street address"),
    "line2": _("address line 2"),
    "city": _("city"),
    "state": _("state or province"),
    "postal_code": _("postal code"),
    "country": _("country or region"),
    "mpn_id": _("MPN ID"),
    "legal_name": _("legal name"),
}


def fields(names) -> str:
    return listed(names, FIELD_LABELS)


# --- The enrollment app's own details ----------------------------------------------------------

EMAIL_WAITING = register_detail(
    "email_waiting",
    lambda p: gettext("Waiting for %(email)s to follow the emailed link.") % {"email": p["email"]},
)
EMAIL_CONFIRMED = register_detail(
    "email_confirmed",
    lambda p: gettext("%(email)s confirmed by following the emailed link.") % {"email": p["email"]},
)
MPN_ACTIVE_AT_SUBMISSION = register_detail(
    "mpn_active_at_submission",
    lambda p: gettext("MPN ID %(mpn_id)s is active in the Partner Network.") % {"mpn_id": p["mpn_id"]},
)
MPN_COUNTRY_AT_SUBMISSION = register_detail(
    "mpn_country_at_submission",
    lambda p: (
        gettext("MPN ID country %(mpn_country)s matches the tenant's country %(tenant_country)s.")
        % {"mpn_country": country(p["mpn_country"]), "tenant_country": country(p["tenant_country"])}
    ),
)
BANK_WELL_FORMED = register_detail("bank_well_formed", lambda p: gettext("The bank details are well-formed."))
MPN_MISSING = register_detail(
    "mpn_missing",
    lambda p: (
        gettext("MPN ID %(mpn_id)s is no longer in the Partner Network. Link an active company profile.")
        % {"mpn_id": p["mpn_id"]}
    ),
)
MPN_ACTIVE = register_detail(
    "mpn_active",
    lambda p: (
        gettext("MPN ID %(mpn_id)s (%(company)s) is active.")
        % {"mpn_id": p["mpn_id"], "company": p["company"]}
    ),
)
MPN_INACTIVE = register_detail(
    "mpn_inactive",
    lambda p: (
        gettext("MPN ID %(mpn_id)s is inactive. Reactivate it in the Partner Membership Center.")
        % {"mpn_id": p["mpn_id"]}
    ),
)
MPN_COUNTRY_SAME = register_detail(
    "mpn_country_same",
    lambda p: (
        gettext("The MPN ID is located in %(country)s, as the tenant.") % {"country": country(p["country"])}
    ),
)
MPN_COUNTRY_DIFFERS = register_detail(
    "mpn_country_differs",
    lambda p: (
        gettext("The MPN ID is located in %(mpn_country)s, the tenant in %(tenant_country)s.")
        % {"mpn_country": country(p["mpn_country"]), "tenant_country": country(p["tenant_country"])}
    ),
)
DOMAIN_VERIFIED = register_detail(
    "domain_verified",
    lambda p: gettext("%(domain)s is a verified domain of the tenant.") % {"domain": p["domain"]},
)
DOMAIN_NOT_VERIFIED = register_detail(
    "domain_not_verified",
    lambda p: (
        gettext(
            "%(domain)s is not a verified domain of the tenant: a reviewer decides and may ask for proof of "
            "domain ownership."
        )
        % {"domain": p["domain"]}
    ),
)
ADDRESS_INCOMPLETE = register_detail(
    "address_incomplete",
    lambda p: gettext("The address is incomplete: %(fields)s.") % {"fields": fields(p["fields"])},
)
ADDRESS_OTHER_COUNTRY = register_detail(
    "address_other_country",
    lambda p: (
        gettext("The address is in %(country)s, the tenant in %(tenant_country)s: a reviewer decides.")
        % {"country": country(p["country"]), "tenant_country": country(p["tenant_country"])}
    ),
)
ADDRESS_COMPLETE = register_detail(
    "address_complete", lambda p: gettext("The address is complete and in the tenant's country.")
)
DUPLICATE_FOUND = register_detail(
    "duplicate_found",
    lambda p: (
        gettext(
            "Another enrolled partner has the same %(fields)s. A reviewer checks whether this is the same company."
        )
        % {"fields": fields(p["fields"])}
    ),
)
DUPLICATE_NONE = register_detail(
    "duplicate_none", lambda p: gettext("No other enrolled partner has this MPN ID or legal name.")
)
BUSINESS_TO_VERIFY = register_detail(
    "business_to_verify",
    lambda p: gettext("A reviewer verifies that the legal entity exists at the stated address."),
)
MPN_OWNERSHIP_PROVED = register_detail(
    "mpn_ownership_proved",
    lambda p: (
        gettext(
            "MPN ID %(mpn_id)s came from the Partner Membership Center sign-in %(pmc_username)s, and its company "
            "name %(registry_name)s matches the legal name."
        )
        % {"mpn_id": p["mpn_id"], "pmc_username": p["pmc_username"], "registry_name": p["registry_name"]}
    ),
)
MPN_OWNERSHIP_NAMES_DIFFER = register_detail(
    "mpn_ownership_names_differ",
    lambda p: (
        gettext(
            "MPN ID %(mpn_id)s came from the Partner Membership Center sign-in %(pmc_username)s, but its company "
            "name %(registry_name)s differs from the legal name %(legal_name)s: a reviewer decides."
        )
        % {
            "mpn_id": p["mpn_id"],
            "pmc_username": p["pmc_username"],
            "registry_name": p["registry_name"],
            "legal_name": p["legal_name"],
        }
    ),
)
MPN_OWNERSHIP_TYPED = register_detail(
    "mpn_ownership_typed",
    lambda p: (
        gettext(
            "MPN ID %(mpn_id)s was typed, not chosen through a Partner Membership Center sign-in; its company "
            "name is %(registry_name)s, the legal name %(legal_name)s: a reviewer decides."
        )
        % {"mpn_id": p["mpn_id"], "registry_name": p["registry_name"], "legal_name": p["legal_name"]}
    ),
)


# --- Direct bill: the questionnaire, the credit check, the support plan --------------------------


def money(amount, currency) -> str:
    """An amount stored as a decimal string, in the reader's locale."""
    return format_money(Decimal(str(amount)), currency)


# Why a questionnaire fails, by the code stored in ``reasons`` (each with its parameters).
REQUIREMENT_MISSED = {
    "authority_to_sign": lambda r: gettext(
        "You do not have the authority to sign legal agreements for the company."
    ),
    "first_level_support": lambda r: gettext("You cannot give customers first-level support."),
    "managed_services": lambda r: gettext("You offer no managed service, IP service or customer solution."),
    "billing_infrastructure": lambda r: gettext(
        "You have no infrastructure for billing and provisioning customers."
    ),
    "indirect_months": lambda r: (
        ngettext(
            "The program asks for at least %(min)d month as an active indirect reseller; you have %(months)d.",
            "The program asks for at least %(min)d months as an active indirect reseller; you have %(months)d.",
            r["min"],
        )
        % {"min": r["min"], "months": r["months"]}
    ),
    "cloud_revenue": lambda r: (
        gettext("The program asks for cloud revenue of at least %(min)s in the last 12 months.")
        % {"min": money(r["min"], r["currency"])}
    ),
}


def _requirements_missed(p) -> str:
    return " ".join(str(REQUIREMENT_MISSED[r["code"]](r)) for r in p["reasons"])


QUESTIONNAIRE_WAITING = register_detail(
    "questionnaire_waiting",
    lambda p: gettext("Waiting for the global admin to answer the qualification questionnaire."),
)
QUESTIONNAIRE_PASSED = register_detail(
    "questionnaire_passed",
    lambda p: gettext("The answers meet every minimum requirement of the direct-bill program."),
)
QUESTIONNAIRE_FAILED = register_detail(
    "questionnaire_failed",
    lambda p: (
        gettext(
            "The answers do not meet the minimum requirements of the direct-bill program: %(missed)s You can "
            "enroll as an indirect reseller instead and work with an indirect provider."
        )
        % {"missed": _requirements_missed(p)}
    ),
)
CREDIT_WAITING = register_detail(
    "credit_waiting",
    lambda p: gettext(
        "The credit check runs once email ownership, the email domain, business verification and the "
        "questionnaire are settled."
    ),
)
CREDIT_APPROVED = register_detail(
    "credit_approved",
    lambda p: gettext("Credit line approved: %(amount)s.") % {"amount": money(p["amount"], p["currency"])},
)
# Why a credit check declines, by reason code (a provider's own code reads as the generic one).
DECLINE_REASONS = {
    "trading_history_short": lambda p: (
        ngettext(
            "The company has traded for less than %(min)d year.",
            "The company has traded for less than %(min)d years.",
            p.get("min_years", 0),
        )
        % {"min": p.get("min_years", 0)}
    ),
    "no_revenue": lambda p: gettext("The company declared no annual revenue."),
    "revenue_too_low": lambda p: gettext("The declared revenue is too low for a credit line."),
}


def decline_reason(p) -> str:
    reason = DECLINE_REASONS.get(p.get("reason", ""))
    return str(reason(p)) if reason else gettext("The credit check declined the application.")


CREDIT_DECLINED = register_detail(
    "credit_declined",
    lambda p: gettext("Credit line declined: %(reason)s") % {"reason": decline_reason(p)},
)
CREDIT_OVERRIDDEN_APPROVED = register_detail(
    "credit_overridden_approved",
    lambda p: (
        gettext("Credit line approved by program staff: %(amount)s.")
        % {"amount": money(p["amount"], p["currency"])}
    ),
)
CREDIT_OVERRIDDEN_DECLINED = register_detail(
    "credit_overridden_declined", lambda p: gettext("Credit line declined by program staff.")
)
SUPPORT_PLAN_WAITING = register_detail(
    "support_plan_waiting",
    lambda p: gettext(
        "Once the credit line is approved, the global admin confirms the purchase of Advanced Support for "
        "Partners or Premier Support for Partners."
    ),
)
SUPPORT_PLAN_CONFIRMED = register_detail(
    "support_plan_confirmed",
    lambda p: gettext("The global admin confirmed %(plan)s.") % {"plan": support_plan_name(p["plan"])},
)


# As ``direct_bill.SupportPlan`` names them (that module imports this one).
SUPPORT_PLAN_NAMES = {"asfp": _("Advanced Support for Partners"), "psfp": _("Premier Support for Partners")}


def support_plan_name(plan: str) -> str:
    return str(SUPPORT_PLAN_NAMES[plan])
