"""The kinds of verification check and their results (``models.VerificationCheck``), in
their own module so that ``models`` stays within the house's 500 lines; looked for in
``models``, which re-exports them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckKind(models.TextChoices):
    EMAIL_OWNERSHIP = "email_ownership", _("Email ownership")
    EMAIL_DOMAIN = "email_domain", _("Email domain and employment")
    BUSINESS_VERIFICATION = "business_verification", _("Business verification")
    MPN_STATUS = "mpn_status", _("MPN ID is active")
    MPN_COUNTRY = "mpn_country", _("MPN ID country matches the tenant")
    MPN_OWNERSHIP = "mpn_ownership", _("MPN ID belongs to the company")
    ADDRESS = "address", _("Address")
    BANK_ACCOUNT = "bank_account", _("Bank account")
    DUPLICATE = "duplicate", _("Not already enrolled")
    CSP_TENANT_RESTRICTION = "csp_tenant_restriction", _("Tenant is not another CSP partner's customer")
    QUESTIONNAIRE = "questionnaire", _("Qualification questionnaire")
    CREDIT_CHECK = "credit_check", _("Credit check")
    SUPPORT_PLAN = "support_plan", _("Support plan")


class CheckResult(models.TextChoices):
    PENDING = "pending", _("Pending")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    WAIVED = "waived", _("Waived")
