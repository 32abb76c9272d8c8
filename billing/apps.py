from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self):
        # The audit event kinds, and the orders section of the customer page.
        from . import events  # noqa: F401
        from .views import licenses as _licenses  # noqa: F401 (the Users and Licenses sections)
        from .views import orders  # noqa: F401
