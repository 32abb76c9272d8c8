from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self):
        # The audit event kinds, and the orders section of the customer page.
        from . import events  # noqa: F401
        from .views import (  # noqa: F401 (the customer page's sections, the customer list's summaries)
            customer_list,
            licenses,
            orders,
            subscriptions,
        )
