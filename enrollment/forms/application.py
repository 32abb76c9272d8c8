"""The enrollment wizard's step forms. Each step's ``clean`` calls the same rule
functions the service runs, so a person sees an error on the step that caused it."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partnercenter.core.countries import country_choices

from .. import banking, rules
from ..models import Language, Program
from ..programs import applications_closed_message, program_availability
from ..rules import (
    CITY_MAX,
    COMPANY_NAME_MAX,
    HOLDER_NAME_MAX,
    LINE_MAX,
    NAME_MAX,
    POSTAL_CODE_MAX,
    STATE_MAX,
)
from ..services.application import program_errors


class StepForm(forms.Form):
    """A step that knows the tenant and the country typed on the business step. A phone
    field shows an example number of that country (as placeholder and help)."""

    title = ""

    def __init__(self, *args, tenant=None, country="", **kwargs):
        self.tenant = tenant
        self.country = country
        super().__init__(*args, **kwargs)
        if "phone" in self.fields:
            rules.show_phone_example(self.fields["phone"], country)

    def add_messages(self, field: str, messages_: list) -> None:
        for message in messages_:
            self.add_error(field, message)


class ProgramForm(StepForm):
    title = _("Program")
    program = forms.ChoiceField(
        label=_("Which program do you want to join?"),
        choices=Program.choices,
        widget=forms.RadioSelect,
        initial=Program.INDIRECT_RESELLER,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Closed: the page says why and since when, and steers to the indirect reseller path.
        availability = program_availability(Program.DIRECT_BILL)
        self.direct_bill_open = availability.applications_open
        self.direct_bill_closed_message = applications_closed_message(availability)

    def clean_program(self):
        program = self.cleaned_data["program"]
        self.add_messages("program", program_errors(self.tenant, program))
        return program


class MpnForm(StepForm):
    title = _("MPN ID")
    mpn_id = forms.CharField(
        label=_("MPN ID (Partner Network ID)"),
        max_length=10,
        help_text=_("The numeric ID of your company profile in the Partner Network, for example 4812345."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_mpn_id(self):
        mpn_id = self.cleaned_data["mpn_id"].strip()
        self.record, errors = rules.mpn_errors(mpn_id, self.tenant)
        self.add_messages("mpn_id", errors)
        return mpn_id


class BusinessForm(StepForm):
    """The legal business profile. The address fields are those of the chosen country
    (``addresses``): their names there, a list of states or provinces where the data has
    one, the postal code's example. A field the country does not use stays in the page,
    marked ``data-address-unused`` (hidden by the style sheet), so that the script
    (static/js/address.js) can show it when the country changes."""

    title = _("Legal business profile")
    company_name = forms.CharField(
        label=_("Legal company name"),
        max_length=COMPANY_NAME_MAX,
        help_text=_("Exactly as in your business registration."),
    )
    line1 = forms.CharField(label=_("Street address"), max_length=LINE_MAX)
    line2 = forms.CharField(label=_("Address line 2 (optional)"), max_length=LINE_MAX, required=False)
    city = forms.CharField(label=_("City"), max_length=CITY_MAX, required=False)
    state = forms.CharField(label=_("State or province"), max_length=STATE_MAX, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=POSTAL_CODE_MAX, required=False)
    country = forms.ChoiceField(label=_("Country or region"), choices=country_choices)

    ADDRESS_FIELDS = ("city", "state", "postal_code")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = self.data.get(self.add_prefix("country")) if self.is_bound else None
        self.address_country = str(chosen or self.initial.get("country") or "").upper()
        form = rules.address_form(self.address_country)
        self.fields["country"].widget.attrs.update(
            {
                "data-address-format-url": reverse("api-address-format", kwargs={"country": "ZZ"}),
                "autocomplete": "country",
            }
        )
        if form["states"]:
            choices = [("", _("Choose…")), *((s["value"], s["name"]) for s in form["states"])]
            self.fields["state"].widget = forms.Select(choices=choices)
        for name in self.ADDRESS_FIELDS:
            field = self.fields[name]
            field.label = form["labels"][name]
            field.widget.attrs["data-address-field"] = name
            if name not in form["fields"]:
                field.widget.attrs["data-address-unused"] = ""
            if name in form["required"]:
                field.widget.attrs["aria-required"] = "true"
        self.fields["postal_code"].help_text = form["postal_code_help"]

    def clean(self):
        data = super().clean()
        address = {
            key: data.get(key, "") for key in ("line1", "line2", "city", "state", "postal_code", "country")
        }
        clean, errors = rules.normalize_address(address)
        for field, messages_ in errors.items():
            if field not in self.errors:
                self.add_messages(field, messages_)
        if not errors:
            data.update(clean)
        return data


class ContactForm(StepForm):
    title = _("Primary contact")
    first_name = forms.CharField(label=_("First name"), max_length=NAME_MAX)
    last_name = forms.CharField(label=_("Last name"), max_length=NAME_MAX)
    email = forms.CharField(
        label=_("Work email"),
        max_length=254,
        help_text=_(
            "We send a confirmation link here. Web-based mail services such as Gmail or Outlook.com are not accepted."
        ),
        widget=forms.EmailInput,
    )
    phone = forms.CharField(label=_("Phone"), max_length=32)
    language = forms.ChoiceField(
        label=_("Preferred language for emails"), choices=Language.choices, initial=Language.EN
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        self.add_messages("email", rules.business_email_errors(email))
        return email

    def clean_phone(self):
        phone, errors = rules.normalize_phone(self.cleaned_data["phone"], self.country)
        self.add_messages("phone", errors)
        return phone


class SupportForm(StepForm):
    title = _("Support profile")
    email = forms.EmailField(
        label=_("Support email"), max_length=254, help_text=_("Where your customers reach your support team.")
    )
    phone = forms.CharField(label=_("Support phone"), max_length=32)
    website = forms.CharField(
        label=_("Support website (optional)"),
        max_length=200,
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    def clean_phone(self):
        phone, errors = rules.normalize_phone(self.cleaned_data["phone"], self.country)
        self.add_messages("phone", errors)
        return phone

    def clean_website(self):
        website = self.cleaned_data["website"].strip()
        self.add_messages("website", rules.website_errors(website))
        return website


class BankForm(StepForm):
    title = _("Bank information")
    holder_name = forms.CharField(label=_("Account holder"), max_length=HOLDER_NAME_MAX)
    iban = forms.CharField(label=_("IBAN"), max_length=42, required=False)
    bic = forms.CharField(label=_("BIC (SWIFT code)"), max_length=14, required=False)
    account_number = forms.CharField(label=_("Account number"), max_length=40, required=False)
    routing_number = forms.CharField(label=_("Routing number or bank code"), max_length=24, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Show the fields the partner's country uses: IBAN and BIC, or account and routing number.
        self.uses_iban = rules.uses_iban(self.country)
        hidden = ("account_number", "routing_number") if self.uses_iban else ("iban", "bic")
        if not self.uses_iban and not banking.needs_routing_number(self.country):
            hidden += ("routing_number",)  # the national account number carries the bank
        for name in hidden:
            del self.fields[name]

    def clean(self):
        data = super().clean()
        self.normalized, errors = rules.normalize_bank_account(data, self.country)
        for field, messages_ in errors.items():
            if field in self.fields and field not in self.errors:
                self.add_messages(field, messages_)
        return data


class ReviewForm(StepForm):
    title = _("Review")
    confirm = forms.BooleanField(
        label=_("I confirm that these details are correct and that I am authorized to enroll my company."),
    )


STEPS = [
    ("program", ProgramForm),
    ("mpn", MpnForm),
    ("business", BusinessForm),
    ("contact", ContactForm),
    ("support", SupportForm),
    ("bank", BankForm),
    ("review", ReviewForm),
]


class PmcSignInForm(forms.Form):
    username = forms.CharField(label=_("Partner Membership Center username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False, max_length=256)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing? (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
