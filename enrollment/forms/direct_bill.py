"""Forms of the direct-bill application: the wizard's qualification questionnaire, the
support plan the global admin confirms, and the reviewer's credit-check override.

They render the fields and turn what was typed into the body the services take
(``enrollment.services.direct_bill``); the rules (a requirement answered "no" ends the
application, money in the market's currency, a note for an override...) live in the
services, whose ``InvalidInput`` the views put back on these forms.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from partnercenter.core.errors import flatten_messages
from partnercenter.core.form_html import Textarea
from partnercenter.core.markets import market_for_country

from ..direct_bill import ServiceKind, SupportPlan
from .application import StepForm

# The fixed number of rows for the services the partner offers: no script needed to add
# one, and an empty row is simply not sent.
SERVICE_ROWS = 3
AMOUNT_MAX_DIGITS = 18
DESCRIPTION_MAX = 500

YES_NO = [("yes", _("Yes")), ("no", _("No"))]

# Partner Center's minimum requirements for direct bill (the seeds' table), shown before
# anything is typed and asked one by one on the questionnaire step.
REQUIREMENTS = [
    _("An active MPN ID for the office location"),
    _("Authority to sign legal agreements for the company"),
    _(
        "The ability to give first-level support to customers, plus a Microsoft support plan "
        "(Advanced Support for Partners or Premier Support for Partners)"
    ),
    _("At least one managed service, IP service or customer solution"),
    _("An infrastructure for billing and provisioning customers"),
]


def _yes_no(label, help_text=""):
    return forms.ChoiceField(label=label, choices=YES_NO, widget=forms.RadioSelect, help_text=help_text)


def _amount(label):
    return forms.DecimalField(
        label=label,
        max_digits=AMOUNT_MAX_DIGITS,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class QuestionnaireForm(StepForm):
    """The qualification questionnaire: one answer per requirement, the services offered
    and the declared financials the credit check scores, in the market's currency (that of
    the country typed on the business step)."""

    title = _("Qualification questionnaire")
    authority_to_sign = _yes_no(_("Do you have the authority to sign legal agreements for the company?"))
    first_level_support = _yes_no(
        _(
            "Do you give first-level support to your customers, and will you buy a Microsoft support plan "
            "(Advanced Support for Partners or Premier Support for Partners)?"
        )
    )
    billing_infrastructure = _yes_no(
        _("Do you have an infrastructure for billing and provisioning customers?"),
    )
    years_trading = forms.IntegerField(
        label=_("Years in business"), min_value=0, max_value=1000, widget=forms.NumberInput(attrs={"min": 0})
    )
    annual_revenue = _amount(_("Annual revenue"))
    cloud_revenue_12m = _amount(_("Cloud revenue in the last 12 months"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = market_for_country(self.country).currency
        for name in ("annual_revenue", "cloud_revenue_12m"):
            field = self.fields[name]
            field.label = f"{field.label} ({self.currency})"
            field.help_text = _("In %(currency)s, your market's currency.") % {"currency": self.currency}
        for row in range(1, SERVICE_ROWS + 1):
            self.fields[f"service_{row}_kind"] = forms.ChoiceField(
                label=_("Service %(number)d: type") % {"number": row},
                choices=[("", _("Choose…")), *ServiceKind.choices],
                required=row == 1,
            )
            self.fields[f"service_{row}_description"] = forms.CharField(
                label=_("Service %(number)d: description") % {"number": row},
                max_length=DESCRIPTION_MAX,
                required=row == 1,
                widget=forms.Textarea(attrs={"rows": 2, "maxlength": DESCRIPTION_MAX}),
            )
        self.order_fields(
            [
                "authority_to_sign",
                "first_level_support",
                *(
                    f"service_{row}_{part}"
                    for row in range(1, SERVICE_ROWS + 1)
                    for part in ("kind", "description")
                ),
                "billing_infrastructure",
                "years_trading",
                "annual_revenue",
                "cloud_revenue_12m",
            ]
        )

    def service_rows(self):
        """The rows of services as (kind field, description field), for the template."""
        return [
            (self[f"service_{row}_kind"], self[f"service_{row}_description"])
            for row in range(1, SERVICE_ROWS + 1)
        ]

    def clean(self):
        data = super().clean()
        # A row is a kind with its description: half a row is a mistake, not an answer.
        for row in range(2, SERVICE_ROWS + 1):
            kind, description = f"service_{row}_kind", f"service_{row}_description"
            if data.get(kind) and not data.get(description) and description not in self.errors:
                self.add_error(description, _("Describe this service, or clear its type."))
            if data.get(description) and not data.get(kind) and kind not in self.errors:
                self.add_error(kind, _("Choose the type of this service."))
        return data

    def answers(self) -> dict:
        """The questionnaire's body as ``enrollment_answer_questionnaire`` and the API take it."""
        data = self.cleaned_data
        services = []
        for row in range(1, SERVICE_ROWS + 1):
            kind = data.get(f"service_{row}_kind")
            description = (data.get(f"service_{row}_description") or "").strip()
            if kind and description:
                services.append({"kind": kind, "description": description})
        return {
            "authority_to_sign": data.get("authority_to_sign") == "yes",
            "first_level_support": data.get("first_level_support") == "yes",
            "managed_services": services,
            "billing_infrastructure": data.get("billing_infrastructure") == "yes",
            "years_trading": data.get("years_trading"),
            "annual_revenue": _money(data.get("annual_revenue"), self.currency),
            "cloud_revenue_12m": _money(data.get("cloud_revenue_12m"), self.currency),
        }

    def summary(self) -> dict:
        """The answers as the Review step shows them: labels, not codes."""
        answers = self.answers()
        return {
            **answers,
            "managed_services": [
                {"kind": ServiceKind(s["kind"]).label, "description": s["description"]}
                for s in answers["managed_services"]
            ],
        }

    def add_service_errors(self, errors: dict) -> None:
        """Put the service's ``InvalidInput`` on the fields it names: money's amount and
        currency on the amount, a service row's error on that row."""
        for key, value in errors.items():
            if key == "managed_services":
                self._add_row_errors(value)
            elif key in self.fields:
                for message in flatten_messages(value):
                    self.add_error(key, message)
            else:
                for message in flatten_messages(value):
                    self.add_error(None, message)

    def _add_row_errors(self, value) -> None:
        rows = (
            value.items()
            if isinstance(value, dict)
            else enumerate(value if isinstance(value, list) else [value])
        )
        for index, item in rows:
            try:
                row = int(index) + 1
            except (TypeError, ValueError):
                row = 1
            row = row if 1 <= row <= SERVICE_ROWS else 1
            if isinstance(item, dict):
                for part, messages_ in item.items():
                    name = f"service_{row}_{'kind' if part == 'kind' else 'description'}"
                    for message in flatten_messages(messages_):
                        self.add_error(name, message)
            else:
                for message in flatten_messages(item):
                    self.add_error(f"service_{row}_description", message)


def _money(amount: Decimal | None, currency: str) -> dict:
    return {"amount": str(amount) if amount is not None else "", "currency": currency}


class SupportPlanForm(forms.Form):
    """The global admin confirms the support plan bought (with a credit line approved)."""

    plan = forms.ChoiceField(
        label=_("Which Microsoft support plan did you buy?"),
        choices=SupportPlan.choices,
        widget=forms.RadioSelect,
    )


class CreditOverrideForm(forms.Form):
    """The reviewer's override of the credit check: approve with a line, or decline. The
    result comes from the button pressed; the note is kept in the timeline."""

    amount = forms.CharField(
        label=_("Credit line"),
        required=False,
        max_length=AMOUNT_MAX_DIGITS + 2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        help_text=_("Required. Kept in the timeline."),
        widget=Textarea(attrs={"rows": 2, "maxlength": 1000}),
    )

    def __init__(self, *args, currency: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if currency:
            self.fields["amount"].label = f"{self.fields['amount'].label} ({currency})"
        self.fields["amount"].help_text = _("To approve: the amount of the credit line.")
