"""The audit event kinds of billing, declared once."""

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from partnercenter.audit.kinds import register
from partnercenter.core.l10n import format_money


def _order_submitted(d: dict) -> str:
    # The price is stored as its amount and currency and written for the reader at read time.
    price = format_money(d["unit_price"], d["currency"])
    return gettext("%(quantity)d × %(offer)s for %(customer)s, at %(price)s each.") % {**d, "price": price}


ORDER_SUBMITTED = register("order_submitted", _("Order submitted"), _order_submitted)


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
