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


# --- Licenses and users: a user of the customer's tenant (billing.services.licenses checks it) ---
class CustomerUserForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=200)
    last_name = forms.CharField(label=_("Last name"), max_length=200)
    username = forms.CharField(
        label=_("User name"), max_length=200, help_text=_("The part before the @, for example kim.akers.")
    )
    domain = forms.ChoiceField(label=_("Domain"))
    usage_location = forms.CharField(
        label=_("Usage location"),
        max_length=2,
        required=False,
        help_text=_(
            "The two-letter code of the country or region where the user works; the customer's country if left empty."
        ),
    )

    def __init__(self, *args, domains=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = [(d, "@" + d) for d in domains]
