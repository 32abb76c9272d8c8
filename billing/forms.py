"""Forms of the billing pages. They shape the input; ``billing.services`` holds the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import QUANTITY_MAX, QUANTITY_MIN, ProductKind
from .offers import SEARCH_MAX


class OrderForm(forms.Form):
    offer = forms.CharField(label=_("Offer"), max_length=200)
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=QUANTITY_MIN, max_value=QUANTITY_MAX, initial=1
    )
    unit_price = forms.DecimalField(label=_("Unit price"), min_value=0, max_digits=12, decimal_places=2)


# --- commerce: catalog ---


class PriceListFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Product type"), required=False, choices=[("", _("All product types")), *ProductKind.choices]
    )
    q = forms.CharField(
        label=_("Search by name or offer ID"),
        required=False,
        max_length=SEARCH_MAX,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
