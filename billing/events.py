"""The audit event kinds of billing, declared once."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partnercenter.audit.kinds import register
from partnercenter.core.l10n import format_money

from .periods import month_label


def _order_submitted(d: dict) -> str:
    # The price is stored as its amount and currency and written for the reader at read time.
    price = format_money(d["unit_price"], d["currency"])
    return gettext("%(quantity)d × %(offer)s for %(customer)s, at %(price)s each.") % {**d, "price": price}


ORDER_SUBMITTED = register("order_submitted", _("Order submitted"), _order_submitted)


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
