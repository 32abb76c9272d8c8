from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrollmentConfig(AppConfig):
    name = "enrollment"
    verbose_name = _("Enrollment")

    def ready(self):
        # Declare the audit event kinds and the automated checks before any app above
        # registers its own (their order is the order the checks run and are listed in),
        # and the tasks the services queue by name (``services.direct_bill.CREDIT_TASK``:
        # the tasks module imports the services, so they cannot import it).
        from . import country_copy, events, kept, tasks  # noqa: F401 (country_copy: its trigger, core.generations)
        from .services import checks  # noqa: F401

        kept.declare()  # which rows an insert names (core.generations), in every process
