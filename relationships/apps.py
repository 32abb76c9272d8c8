from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelationshipsConfig(AppConfig):
    name = "relationships"
    verbose_name = _("Providers, resellers and customers")

    def ready(self):
        # The audit event kinds, the CSP-to-CSP check in enrollment's verification, and the
        # Microsoft Customer Agreement's metadata for GET /v1/agreements (enrollment's).
        from enrollment.agreement_types import MICROSOFT_CUSTOMER_AGREEMENT, register_agreement_type

        from . import checks, events  # noqa: F401
        from .agreement_selectors import mca_metadata

        register_agreement_type(MICROSOFT_CUSTOMER_AGREEMENT, mca_metadata)
