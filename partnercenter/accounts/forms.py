from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField


class SignInForm(AuthenticationForm):
    username = forms.EmailField(label=_("Work email"), widget=forms.EmailInput(attrs={"autofocus": True}))


class SignupForm(forms.Form):
    company_name = forms.CharField(label=_("Organization name"), max_length=200)
    domain_prefix = forms.CharField(
        label=_("Domain name"),
        max_length=27,
        help_text=_("Your work account will be <prefix>.onmicrosoft.com. Letters and digits only."),
    )
    country = LazyTypedChoiceField(label=_("Country or region"), choices=countries)
    first_name = forms.CharField(label=_("First name"), max_length=50)
    last_name = forms.CharField(label=_("Last name"), max_length=50)
    email = forms.EmailField(label=_("Your email (you sign in with it)"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
