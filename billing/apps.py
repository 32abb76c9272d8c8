from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self):
        # The audit event kinds; the tasks, so that a web process finds them in Celery's
        # registry by name (Celery's autodiscovery only runs in a worker); the customer page's
        # sections.
        from . import events, tasks  # noqa: F401
        from .views import (  # noqa: F401 (the customer page's sections, the customer list's summaries)
            customer_list,
            licenses,
            orders,
            subscriptions,
        )

        _register_revenue()


def _register_revenue():
    """The revenue of the direct-bill continuing obligations (``enrollment.restrictions``
    reads it; enrollment may not import billing)."""
    from enrollment.restrictions import register_revenue_source

    from .revenue import invoiced_revenue

    register_revenue_source(invoiced_revenue)
