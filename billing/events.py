"""The audit event kinds of billing, declared once."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partnercenter.audit.kinds import register
from partnercenter.core.l10n import format_money


def _order_submitted(d: dict) -> str:
    # The price is stored as its amount and currency and written for the reader at read time.
    price = format_money(d["unit_price"], d["currency"])
    return gettext("%(quantity)d × %(offer)s for %(customer)s, at %(price)s each.") % {**d, "price": price}


ORDER_SUBMITTED = register("order_submitted", _("Order submitted"), _order_submitted)
