"""The direct-bill application (issue 9; DOMAIN.md "Direct-bill enrollment"): the
qualification questionnaire, the credit line the credit check gives and the support plan
the global admin confirms, one ``DirectBillApplication`` per direct-bill enrollment.

Imported from ``models`` (where models are looked for). The predicates are defined once
here, on ``DirectBillPredicates``, which ``Enrollment`` inherits; the statuses they allow
come from ``states.MOVES``.
"""

from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from . import check_details
from .states import MOVES

DIRECT_BILL = "direct_bill"
# The steps the credit check waits for (DOMAIN.md: "a business review including a credit
# check follows" the shared verification steps and the questionnaire).
SHARED_STEPS = ("email_ownership", "email_domain", "business_verification", "questionnaire")
SETTLED = ("passed", "waived")


class SupportPlan(models.TextChoices):
    ASFP = "asfp", _("Advanced Support for Partners")
    PSFP = "psfp", _("Premier Support for Partners")


class ServiceKind(models.TextChoices):
    MANAGED_SERVICE = "managed_service", _("Managed service")
    IP_SERVICE = "ip_service", _("IP service")
    CUSTOMER_SOLUTION = "customer_solution", _("Customer solution")


class DirectBillApplicationQuerySet(models.QuerySet):
    def ready_for_credit_check(self):
        """Answered, never credit-checked, the enrollment in review with the shared steps
        and the questionnaire passed or waived (what the task claims and the sweep finds)."""
        checks = apps.get_model("enrollment", "VerificationCheck")  # models imports this module
        unsettled = checks.objects.filter(
            enrollment_id=OuterRef("enrollment_id"), kind__in=SHARED_STEPS
        ).exclude(result__in=SETTLED)
        return self.filter(
            answered_at__isnull=False,
            credit_check_started_at__isnull=True,
            enrollment__status__in=list(MOVES["run_credit_check"].sources),
        ).exclude(Exists(unsettled))


class DirectBillApplication(models.Model):
    """What a direct-bill applicant declared and what the review gave it."""

    enrollment = models.OneToOneField(
        "enrollment.Enrollment", on_delete=models.CASCADE, related_name="direct_bill"
    )
    # The questionnaire: one answer per minimum requirement (null: not answered yet).
    authority_to_sign = models.BooleanField(null=True)
    first_level_support = models.BooleanField(null=True)
    billing_infrastructure = models.BooleanField(null=True)
    # [{"kind": ServiceKind, "description": "as typed"}]
    managed_services = models.JSONField(default=list, blank=True)
    years_trading = models.PositiveIntegerField(null=True)
    annual_revenue = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    cloud_revenue_12m = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    currency = models.CharField(max_length=3, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Codes of the requirements a failing questionnaire missed (``check_details``).
    failed_requirements = models.JSONField(default=list, blank=True)
    # The credit check: claimed once (a task running twice does nothing the second time).
    credit_check_started_at = models.DateTimeField(null=True, blank=True)
    credit_line_amount = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    credit_line_currency = models.CharField(max_length=3, blank=True)
    credit_decided_at = models.DateTimeField(null=True, blank=True)
    # Null: the credit-check provider decided; else the staff member who overrode it.
    credit_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    support_plan = models.CharField(max_length=4, choices=SupportPlan.choices, blank=True)
    support_plan_confirmed_at = models.DateTimeField(null=True, blank=True)
    support_plan_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DirectBillApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("direct-bill application")
        verbose_name_plural = _("direct-bill applications")

    def __str__(self):
        return f"Direct-bill application of {self.enrollment_id}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def credit_line(self) -> tuple[Decimal, str] | None:
        """The approved credit line (amount, currency), or None (not decided, or declined)."""
        if self.credit_line_amount is None:
            return None
        return self.credit_line_amount, self.credit_line_currency


class DirectBillPredicates:
    """What a direct-bill enrollment allows now; ``Enrollment`` inherits them. Lists read
    the application with ``select_related("direct_bill")``."""

    @property
    def is_direct_bill(self) -> bool:
        return self.program == DIRECT_BILL

    @property
    def direct_bill_application(self) -> DirectBillApplication | None:
        if not self.is_direct_bill:
            return None
        try:
            return self.direct_bill
        except DirectBillApplication.DoesNotExist:
            return None

    @property
    def can_answer_questionnaire(self) -> bool:
        application = self.direct_bill_application
        return application is not None and not application.is_answered and self.can("answer_questionnaire")

    @property
    def can_confirm_support_plan(self) -> bool:
        application = self.direct_bill_application
        return (
            application is not None
            and application.credit_line is not None
            and self.can("confirm_support_plan")
        )

    @property
    def credit_line(self) -> tuple[Decimal, str] | None:
        """The approved credit line (amount, currency); None for indirect or undecided."""
        application = self.direct_bill_application
        return application.credit_line if application is not None else None

    @property
    def support_plan(self) -> str | None:
        application = self.direct_bill_application
        return (application.support_plan or None) if application is not None else None

    @property
    def questionnaire_refusal(self) -> str:
        """Why a failing questionnaire ended the application, in the reader's language
        ("" if it did not)."""
        application = self.direct_bill_application
        if application is None or not application.failed_requirements:
            return ""
        return check_details.render(
            check_details.QUESTIONNAIRE_FAILED.code, {"reasons": application.failed_requirements}
        )
