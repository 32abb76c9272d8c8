"""Customers' acceptance of the Microsoft Customer Agreement (Partner Center's *Confirm
customer acceptance of the Microsoft Customer Agreement*): the agreement's templates that
partners confirm, and each confirmation a partner recorded for a customer.

Imported at the end of ``relationships.models`` (the app's models are loaded from there);
it names the customer model by its label, so that the two modules import one way."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AgreementType(models.TextChoices):
    """Partner Center's agreement types; the portal records the Microsoft Customer Agreement
    only (it replaced the Microsoft Cloud Agreement)."""

    MICROSOFT_CUSTOMER_AGREEMENT = "MicrosoftCustomerAgreement", _("Microsoft Customer Agreement")


class CustomerAgreementTemplateQuerySet(models.QuerySet):
    def current(self, agreement_type: str = AgreementType.MICROSOFT_CUSTOMER_AGREEMENT):
        """The templates partners confirm now (an older version is kept for the confirmations
        that name it, and no longer confirmed)."""
        return self.filter(agreement_type=agreement_type, is_current=True)


class CustomerAgreementTemplate(models.Model):
    """A version of an agreement a customer accepts (Partner Center's agreement metadata:
    ``templateId``, ``agreementType``, ``agreementLink``, ``versionRank``)."""

    template_id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agreement_type = models.CharField(
        max_length=40, choices=AgreementType.choices, default=AgreementType.MICROSOFT_CUSTOMER_AGREEMENT
    )
    agreement_link = models.URLField()
    # Higher is newer (Partner Center's ``versionRank``).
    version_rank = models.PositiveIntegerField(default=1)
    # The language the template is written in (its link serves the others).
    language = models.CharField(max_length=10, default="en")
    # No customer accepted this version before it was published: the earliest ``dateAgreed``.
    published_on = models.DateField()
    is_current = models.BooleanField(default=True)

    objects = CustomerAgreementTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer agreement template")
        verbose_name_plural = _("customer agreement templates")
        ordering = ["agreement_type", "-version_rank"]

    def __str__(self):
        return f"{self.get_agreement_type_display()} ({self.template_id})"


class CustomerAgreementAcceptance(models.Model):
    """A partner confirmed that the customer accepted an agreement: who at the customer
    accepted it (the primary contact, as Partner Center names them) and when. Every
    confirmation is kept (Partner Center "confirms or reconfirms"); the latest is the
    customer's current one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    customer = models.ForeignKey(
        "relationships.Customer", on_delete=models.CASCADE, related_name="agreement_acceptances"
    )
    template = models.ForeignKey(CustomerAgreementTemplate, on_delete=models.PROTECT, related_name="+")
    contact_first_name = models.CharField(_("first name"), max_length=50)
    contact_last_name = models.CharField(_("last name"), max_length=50)
    contact_email = models.EmailField(_("email"), max_length=254)
    contact_phone = models.CharField(_("phone number"), max_length=20, blank=True)
    date_agreed = models.DateField(_("date the customer accepted"))
    recorded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    # The partner whose user confirmed it (the user's tenant may leave; the record stays).
    recorded_by_partner = models.ForeignKey(
        "enrollment.Partner", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("customer agreement acceptance")
        verbose_name_plural = _("customer agreement acceptances")
        ordering = ["-recorded_at", "id"]
        indexes = [models.Index(fields=["customer", "-recorded_at", "id"], name="acceptance_customer_recent")]

    def __str__(self):
        return f"{self.customer} accepted {self.template} on {self.date_agreed}"

    @property
    def contact_name(self) -> str:
        return f"{self.contact_first_name} {self.contact_last_name}".strip()

    @property
    def agreement_type(self) -> str:
        return self.template.agreement_type
