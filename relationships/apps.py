from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelationshipsConfig(AppConfig):
    name = "relationships"
    verbose_name = _("Providers, resellers and customers")

    def ready(self):
        # The audit event kinds, and the CSP-to-CSP check in enrollment's verification.
        from . import checks, events  # noqa: F401
