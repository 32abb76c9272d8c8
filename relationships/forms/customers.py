"""Forms of the customer pages. They shape the input; the services
(``relationships.services.customers``) hold the rules, and the views put the services'
errors back on these forms."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partnercenter.core.countries import country_choices
from partnercenter.core.markets import market_for_country

from ..services.customers import REGISTRATION_NUMBER_COUNTRIES


def market_countries(market_code: str) -> list[tuple[str, str]]:
    """The countries of a market, by name: a partner creates customers in its market only."""
    return [(code, name) for code, name in country_choices() if market_for_country(code).code == market_code]


class CustomerCreateForm(forms.Form):
    company_name = forms.CharField(label=_("Company name"), max_length=200)
    domain_prefix = forms.CharField(
        label=_("Domain name"),
        max_length=27,
        help_text=_("The customer's work account will be <prefix>.onmicrosoft.com. Letters and digits only."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    country = forms.ChoiceField(label=_("Country or region"))
    organization_registration_number = forms.CharField(
        label=_("Organization registration number"),
        max_length=50,
        required=False,
    )
    indirect_reseller_id = forms.ChoiceField(
        label=_("Indirect reseller"),
        required=False,
        help_text=_(
            "Name the reseller the customer buys through, so that it appears in the reseller's list."
        ),
    )

    def __init__(self, *args, market_code: str, resellers=None, **kwargs):
        """``resellers``: the provider's resellers to choose from; None for a direct-bill
        partner (it names no reseller, and the field is left out)."""
        super().__init__(*args, **kwargs)
        self.fields["organization_registration_number"].help_text = gettext(
            "Required for customers in these countries: %(countries)s."
        ) % {"countries": ", ".join(sorted(REGISTRATION_NUMBER_COUNTRIES))}
        self.fields["country"].choices = [
            ("", _("Choose a country or region")),
            *market_countries(market_code),
        ]
        if resellers is None:
            del self.fields["indirect_reseller_id"]
        else:
            self.fields["indirect_reseller_id"].choices = [
                ("", _("None: my own direct customer")),
                *((str(r.pk), f"{r.legal_name} ({r.mpn_id})") for r in resellers),
            ]

    def clean_domain_prefix(self):
        return self.cleaned_data["domain_prefix"].strip().lower()


class CustomerAuthorizeForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I authorize both partners as resellers of record of my organization."),
        error_messages={"required": _("Tick the box to authorize both partners.")},
    )


class CustomerPartnerConfirmForm(forms.Form):
    """The confirmation step of removing a partner's access or ending a relationship: the
    confirmation page's button sends ``confirm=true`` (the service refuses anything else)."""

    confirm = forms.BooleanField(required=False)


class RelationshipRequestAcceptForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I accept this partner as the direct-bill partner of my organization."),
        error_messages={"required": _("Tick the box to accept the partner.")},
    )
