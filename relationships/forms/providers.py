"""Forms of the provider and reseller pages. Shapes only: the rules are the services'
(``relationships.services``), whose errors the views put back on these forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partnercenter.core.countries import country_choices

from ..models import Offer
from ..services.admin_access import GDAP_MAX_DAYS, GDAP_MIN_DAYS, GDAP_NAME_MAX, GDAP_ROLES
from ..services.providers import DESCRIPTION_MAX
from ..services.reseller_invitations import MESSAGE_MAX


def _country_choices():
    return country_choices()


class ProviderSearchForm(forms.Form):
    """The filters of *Find a provider*."""

    name = forms.CharField(label=_("Name"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country or region served"), required=False)
    offer = forms.ChoiceField(label=_("Offer"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country"))] + _country_choices()
        self.fields["offer"].choices = [("", _("Any offer"))] + list(Offer.choices)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "name": data["name"].strip(),
            "country": data["country"],
            "offers": [data["offer"]] if data["offer"] else [],
        }


class ProviderListingForm(forms.Form):
    countries = forms.MultipleChoiceField(
        label=_("Countries and regions you serve"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    offers = forms.MultipleChoiceField(
        label=_("What you offer resellers"),
        required=False,
        choices=Offer.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you offer resellers and where; at most 2000 characters."),
    )
    website = forms.CharField(
        label=_("Website"),
        required=False,
        max_length=200,
        widget=forms.URLInput,
        help_text=_("A full address starting with https://."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].choices = _country_choices()


class ResellerInviteForm(forms.Form):
    email = forms.CharField(
        label=_("Reseller's email address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput,
        help_text=_("Or leave it empty and give the reseller's MPN ID."),
    )
    mpn_id = forms.CharField(
        label=_("Reseller's MPN ID"),
        required=False,
        max_length=10,
        help_text=_(
            "The invitation then goes to the primary contact of the enrolled partner with this MPN ID."
        ),
    )
    message = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InvitationAcceptForm(forms.Form):
    authorize = forms.BooleanField(
        label=_(
            "I authorize this indirect provider: it gets administrator access to our tenant and may place "
            "orders for our customers."
        ),
        error_messages={"required": _("Tick the box to authorize the indirect provider.")},
    )


class GdapProposeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=GDAP_NAME_MAX, help_text=_("At most 50 characters."))
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=list(GDAP_ROLES.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role.")},
    )
    duration_days = forms.IntegerField(
        label=_("Duration in days"),
        min_value=GDAP_MIN_DAYS,
        max_value=GDAP_MAX_DAYS,
        initial=365,
        help_text=_("From 1 day to 730 days (two years)."),
    )
    auto_extend = forms.BooleanField(label=_("Extend automatically by 180 days when it ends"), required=False)
