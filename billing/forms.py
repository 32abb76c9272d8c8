"""Forms of the billing pages. They shape the input; ``billing.services`` holds the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .invoice_selectors import InvoiceFilter
from .models import QUANTITY_MAX, QUANTITY_MIN
from .periods import parse_period


class OrderForm(forms.Form):
    offer = forms.CharField(label=_("Offer"), max_length=200)
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=QUANTITY_MIN, max_value=QUANTITY_MAX, initial=1
    )
    unit_price = forms.DecimalField(label=_("Unit price"), min_value=0, max_digits=12, decimal_places=2)


# --- Invoices: the list's filters ----------------------------------------------------------------


class InvoiceFilterForm(forms.Form):
    period = forms.CharField(label=_("Billing period"), required=False, max_length=7)
    customer = forms.UUIDField(label=_("Customer"), required=False)

    def clean_period(self):
        value = self.cleaned_data["period"].strip()
        if value and parse_period(value) is None:
            raise forms.ValidationError(
                _("Give the billing period as a year and month, for example 2026-02.")
            )
        return parse_period(value) if value else None

    def filters(self) -> InvoiceFilter | None:
        if not self.is_valid():
            return None
        return InvoiceFilter(
            period_start=self.cleaned_data["period"], customer_id=self.cleaned_data["customer"]
        )
