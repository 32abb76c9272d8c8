"""The customer page's form *Confirm customer acceptance of the Microsoft Customer
Agreement*. It shapes the input; ``services.customer_agreements`` holds the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from enrollment.rules import show_phone_example

# The service's error paths -> this form's fields.
ERROR_FIELDS = {
    "contact.first_name": "first_name",
    "contact.last_name": "last_name",
    "contact.email": "email",
    "contact.phone_number": "phone_number",
    "date_agreed": "date_agreed",
    "template_id": "__all__",  # hidden: the form's top says it
}


class CustomerAgreementForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=50)
    last_name = forms.CharField(label=_("Last name"), max_length=50)
    email = forms.CharField(
        label=_("Email address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    phone_number = forms.CharField(label=_("Phone number (optional)"), max_length=30, required=False)
    date_agreed = forms.DateField(
        label=_("Date the customer accepted"), widget=forms.DateInput(attrs={"type": "date"})
    )
    # The current template's id: the version the person at the customer saw and accepted.
    template_id = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, country: str, template_id="", **kwargs):
        super().__init__(*args, initial={"template_id": str(template_id or "")}, **kwargs)
        show_phone_example(self.fields["phone_number"], country)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "template_id": data["template_id"],
            "date_agreed": data["date_agreed"],
            "contact": {
                "first_name": data["first_name"],
                "last_name": data["last_name"],
                "email": data["email"],
                "phone_number": data["phone_number"],
            },
        }
