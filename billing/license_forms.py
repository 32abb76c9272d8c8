"""Forms of the customer tenant's users and licenses. They shape the input;
``billing.services.licenses`` holds the rules (and its messages)."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
