"""The audit event kinds of billing, declared once."""

from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from partnercenter.audit.kinds import register
from partnercenter.core.l10n import format_money

from .models import OrderFailure
from .periods import month_label


def _order_submitted(d: dict) -> str:
    # The price is stored as its amount and currency and written for the reader at read time.
    price = format_money(d["unit_price"], d["currency"])
    return gettext("%(quantity)d × %(offer)s for %(customer)s, at %(price)s each.") % {**d, "price": price}


ORDER_SUBMITTED = register("order_submitted", _("Order submitted"), _order_submitted)


# --- Orders (issue 10) ---------------------------------------------------------------------------


def _order_placed(d: dict) -> str:
    total = format_money(d["total"], d["currency"])
    return ngettext(
        "%(lines)d line for %(customer)s, %(total)s for the first billing period.",
        "%(lines)d lines for %(customer)s, %(total)s for the first billing period.",
        d["lines"],
    ) % {**d, "total": total}


def _order_completed(d: dict) -> str:
    return ngettext(
        "%(count)d subscription was created.", "%(count)d subscriptions were created.", d["subscriptions"]
    ) % {"count": d["subscriptions"]}


def _order_failed(d: dict) -> str:
    try:
        return str(OrderFailure(d["reason"]).label)
    except ValueError:
        return d["reason"]


ORDER_PLACED = register("order_placed", _("Order placed"), _order_placed)
ORDER_COMPLETED = register("order_completed", _("Order completed"), _order_completed)
ORDER_FAILED = register("order_failed", _("Order failed"), _order_failed)
ORDER_CANCELLED = register("order_cancelled", _("Order cancelled"))
# --- Licenses and users (the customer tenant's users and their licenses) -------------------------

CUSTOMER_USER_CREATED = register(
    "customer_user_created",
    _("Customer user created"),
    lambda d: gettext("%(user_principal_name)s, a user of %(customer)s.") % d,
)
CUSTOMER_USER_PASSWORD_RESET = register(
    "customer_user_password_reset",
    _("Customer user's password reset"),
    lambda d: gettext("A new temporary password for %(user_principal_name)s.") % d,
)
CUSTOMER_USER_DELETED = register(
    "customer_user_deleted",
    _("Customer user deleted"),
    lambda d: (
        ngettext(
            "%(user_principal_name)s of %(customer)s; %(licenses_released)d license released.",
            "%(user_principal_name)s of %(customer)s; %(licenses_released)d licenses released.",
            d["licenses_released"],
        )
        % d
    ),
)
LICENSE_ASSIGNED = register(
    "license_assigned",
    _("License assigned"),
    lambda d: gettext("A license of %(product)s to %(user_principal_name)s.") % d,
)
LICENSE_UNASSIGNED = register(
    "license_unassigned",
    _("License removed"),
    lambda d: gettext("The license of %(product)s of %(user_principal_name)s.") % d,
)
# --- Subscriptions and Azure reservations (services.subscriptions) ---------------------------------

# Why a subscription expired (``reason`` of ``subscription_expired``).
EXPIRY_REASONS = {
    "auto_renew_off": _("Auto-renew was off at the end of its term."),
    "suspended": _("It was suspended at the end of its term."),
    "no_price": _("The offer had no price on the price list on the day the term ended."),
}


def _date(value: str) -> str:
    return date_format(parse_date(value), "SHORT_DATE_FORMAT") if value else ""


def _auto_renew_changed(d: dict) -> str:
    if d["auto_renew"]:
        return gettext("Auto-renew turned on: %(name)s renews on %(end)s.") % {
            "name": d["name"],
            "end": _date(d["end_date"]),
        }
    return gettext("Auto-renew turned off: %(name)s expires on %(end)s.") % {
        "name": d["name"],
        "end": _date(d["end_date"]),
    }


def _cancelled(d: dict) -> str:
    if d.get("credit_amount"):
        return gettext("%(name)s was cancelled. Credit: %(credit)s.") % {
            "name": d["name"],
            "credit": format_money(d["credit_amount"], d["currency"]),
        }
    return gettext("%(name)s was cancelled. No credit: nothing was billed in advance.") % {"name": d["name"]}


def _reminded(d: dict) -> str:
    return gettext("The renewal reminder for the term ending on %(end)s was emailed.") % {
        "end": _date(d["end_date"])
    }


def _renewed(d: dict) -> str:
    return gettext("Renewed until %(end)s at %(price)s each, the price on the price list that day.") % {
        "end": _date(d["end_date"]),
        "price": format_money(d["unit_price"], d["currency"]),
    }


def _expired(d: dict) -> str:
    reason = EXPIRY_REASONS.get(d.get("reason", ""))
    return str(reason) if reason else ""


SUBSCRIPTION_AUTO_RENEW_CHANGED = register(
    "subscription_auto_renew_changed", _("Auto-renew changed"), _auto_renew_changed
)
SUBSCRIPTION_SUSPENDED = register("subscription_suspended", _("Subscription suspended"))
SUBSCRIPTION_REACTIVATED = register("subscription_reactivated", _("Subscription reactivated"))
SUBSCRIPTION_CANCELLED = register("subscription_cancelled", _("Subscription cancelled"), _cancelled)
SUBSCRIPTION_REMINDED = register("subscription_reminded", _("Renewal reminder sent"), _reminded)
SUBSCRIPTION_RENEWED = register("subscription_renewed", _("Subscription renewed"), _renewed)
SUBSCRIPTION_EXPIRED = register("subscription_expired", _("Subscription expired"), _expired)
# --- Invoices ------------------------------------------------------------------------------------


def _invoice_issued(d: dict) -> str:
    # The month and the total are stored as codes and written for the reader at read time.
    values = {**d, "total": format_money(d["total"], d["currency"]), "period": month_label(d["period"])}
    return gettext("Invoice %(number)s to %(customer)s for %(period)s: %(total)s.") % values


def _invoice_paid(d: dict) -> str:
    total = format_money(d["total"], d["currency"])
    return gettext("Invoice %(number)s of %(total)s was recorded as paid.") % {**d, "total": total}


INVOICE_ISSUED = register("invoice_issued", _("Invoice issued"), _invoice_issued)
INVOICE_PAID = register("invoice_paid", _("Invoice paid"), _invoice_paid)
