"""Forms of the partner's account pages (agreement, business profile). Shapes only: the
rules are the services' (``enrollment.services.agreements``, ``.business_profile``), whose errors the views put
back on these forms."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from ..rules import NAME_MAX, show_phone_example
from ..services.business_profile import DESCRIPTION_MAX


class AgreementAcceptForm(forms.Form):
    template_id = forms.UUIDField(widget=forms.HiddenInput)
    first_name = forms.CharField(label=_("First name"), max_length=NAME_MAX)
    last_name = forms.CharField(label=_("Last name"), max_length=NAME_MAX)
    email = forms.CharField(label=_("Work email"), max_length=254, widget=forms.EmailInput)
    phone = forms.CharField(label=_("Phone"), max_length=32)
    accept = forms.BooleanField(
        label=_("I have read the agreement and accept it on behalf of my organization."),
        error_messages={"required": _("Tick the box to accept the agreement.")},
    )

    # Where the service's nested errors go on this form (the template is a hidden field:
    # its error is shown above the form).
    ERROR_FIELDS = {
        "template_id": "__all__",
        "primary_contact.first_name": "first_name",
        "primary_contact.last_name": "last_name",
        "primary_contact.email": "email",
        "primary_contact.phone": "phone",
    }

    def __init__(self, *args, country: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        show_phone_example(self.fields["phone"], country)  # the partner's country

    def primary_contact(self) -> dict:
        return {key: self.cleaned_data[key] for key in ("first_name", "last_name", "email", "phone")}


def _split(text: str) -> list[str]:
    return [item.strip() for item in re.split(r"[,\n;，、；]", text or "") if item.strip()]


class BusinessProfileForm(forms.Form):
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What your company does and for whom; customers read it when they are referred to you."),
    )
    website = forms.CharField(
        label=_("Website"),
        max_length=200,
        required=False,
        widget=forms.URLInput,
        help_text=_("A full address starting with https://."),
    )
    industries = forms.CharField(
        label=_("Industries"),
        required=False,
        help_text=_("Separate them with commas, for example: Retail, Healthcare, Manufacturing."),
    )
    services = forms.CharField(
        label=_("Services"),
        required=False,
        help_text=_("Separate them with commas, for example: Migration, Managed security, Training."),
    )

    def clean_industries(self):
        return _split(self.cleaned_data["industries"])

    def clean_services(self):
        return _split(self.cleaned_data["services"])
