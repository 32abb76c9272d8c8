"""Customers and their resellers of record. Providers, resellers and invitations build on
these (the providers-and-resellers issue)."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrollment.models import Partner
from partnercenter.accounts.models import Tenant


class CustomerRole(models.TextChoices):
    DIRECT_BILL_PARTNER = "direct_bill_partner", _("Direct-bill partner")
    INDIRECT_RESELLER = "indirect_reseller", _("Indirect reseller")
    INDIRECT_PROVIDER = "indirect_provider", _("Indirect provider")


class Customer(models.Model):
    """A company with its own tenant that buys through CSP partners."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.OneToOneField(Tenant, on_delete=models.PROTECT, related_name="customer")
    company_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["company_name"]

    def __str__(self):
        return self.company_name


class CustomerRelationship(models.Model):
    """A partner is a reseller of record of a customer, in one role."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="relationships")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="customer_relationships")
    role = models.CharField(max_length=30, choices=CustomerRole.choices)
    established_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["established_at"]
        constraints = [models.UniqueConstraint(fields=["customer", "partner"], name="one_relationship_per_partner")]

    def __str__(self):
        return f"{self.partner} → {self.customer} ({self.role})"
