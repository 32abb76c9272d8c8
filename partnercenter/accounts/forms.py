from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from partnercenter.core.countries import country_choices_with_blank

from .models import Role


class SignInForm(AuthenticationForm):
    username = forms.EmailField(label=_("Work email"), widget=forms.EmailInput(attrs={"autofocus": True}))


class SignupForm(forms.Form):
    company_name = forms.CharField(label=_("Organization name"), max_length=200)
    domain_prefix = forms.CharField(
        label=_("Domain name"),
        max_length=27,
        help_text=_("Your work account will be <prefix>.onmicrosoft.com. Letters and digits only."),
    )
    # No country is preselected: the tenant's country is where the organization is, and
    # cannot be changed later (a callable, so the names are in the reader's language).
    country = forms.ChoiceField(
        label=_("Country or region"),
        choices=country_choices_with_blank,
        error_messages={"required": _("Choose the country or region where your organization is located.")},
    )
    first_name = forms.CharField(label=_("First name"), max_length=50)
    last_name = forms.CharField(label=_("Last name"), max_length=50)
    email = forms.EmailField(
        label=_("Your sign-in name"),
        help_text=_("On your new domain, for example admin@<prefix>.onmicrosoft.com."),
    )
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)


class UserAddForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=50)
    last_name = forms.CharField(label=_("Last name"), max_length=50)
    email = forms.EmailField(label=_("Work email"), help_text=_("The employee signs in with it."))
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role.")},
    )

    def __init__(self, *args, domains=(), **kwargs):
        super().__init__(*args, **kwargs)
        if domains:  # the tenant's verified domains, where its users' sign-in names are
            self.fields["email"].help_text = _(
                "The employee signs in with it. It is on a verified domain of your work account: %(domains)s."
            ) % {"domains": ", ".join(sorted(domains))}


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
        help_text=_("If you signed in with a temporary password, enter the one from the email."),
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not only digits, not a common password, not like your email."),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password2") != data.get("new_password1"):
            self.add_error("new_password2", _("The two new passwords differ. Type the same one twice."))
        return data


class AppRegisterForm(forms.Form):
    """App management: a new app's name (``oauth_apps.app_register`` checks it)."""

    name = forms.CharField(
        label=_("App name"),
        max_length=255,
        help_text=_("For you to tell the apps apart, for example “Billing automation”."),
    )
