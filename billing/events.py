"""The audit event kinds of billing, declared once."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partnercenter.audit.kinds import register

ORDER_SUBMITTED = register(
    "order_submitted",
    _("Order submitted"),
    lambda d: gettext("%(quantity)d × %(offer)s for %(customer)s, at %(unit_price)s %(currency)s each.") % d,
)
