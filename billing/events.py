"""The audit event kinds of billing, declared once."""

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from partnercenter.audit.kinds import register
from partnercenter.core.l10n import format_money

from .models import OrderFailure


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
