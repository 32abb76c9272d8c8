"""Forms of the billing pages. They shape the input; ``billing.services`` holds the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import QUANTITY_MAX, QUANTITY_MIN


class OrderForm(forms.Form):
    offer = forms.CharField(label=_("Offer"), max_length=200)
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=QUANTITY_MIN, max_value=QUANTITY_MAX, initial=1
    )
    unit_price = forms.DecimalField(label=_("Unit price"), min_value=0, max_digits=12, decimal_places=2)
