"""Forms of the billing pages. They shape the input; ``billing.services`` holds the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partnercenter.core.l10n import format_money

from .invoice_selectors import InvoiceFilter
from .models import LINES_MAX, QUANTITY_MAX, QUANTITY_MIN, OrderStatus, ProductKind, ReservationScope
from .offers import SEARCH_MAX
from .periods import parse_period

# Blank lines the *Add products* form offers (a blank one is left out of the order).
LINES_OFFERED = 3


def price_choice(price) -> str:
    """A line's choice of the price list: offer, term and billing frequency."""
    return f"{price.offer.offer_id}|{price.term}|{price.billing}"


def price_label(price) -> str:
    return _("%(offer)s · %(term)s · %(billing)s · %(price)s") % {
        "offer": price.offer.name,
        "term": price.get_term_display(),
        "billing": price.get_billing_display(),
        "price": format_money(price.unit_price, price.currency),
    }


class OrderLineForm(forms.Form):
    item = forms.ChoiceField(label=_("Offer, term and billing"), required=False)
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=QUANTITY_MIN, max_value=QUANTITY_MAX, required=False
    )
    auto_renew = forms.BooleanField(label=_("Renew automatically"), required=False, initial=True)
    scope = forms.ChoiceField(
        label=_("Scope (Azure reservations)"),
        choices=[("", _("Not a reservation")), *ReservationScope.choices],
        required=False,
    )

    def __init__(self, *args, prices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [
            ("", _("Choose an offer")),
            *((price_choice(p), price_label(p)) for p in prices),
        ]

    @property
    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("item") or self.cleaned_data.get("quantity"))

    def clean(self):
        data = super().clean()
        if data.get("item") and not data.get("quantity"):
            self.add_error("quantity", _("Enter how many to order."))
        if data.get("quantity") and not data.get("item"):
            self.add_error("item", _("Choose an offer for this line, or clear its quantity."))
        return data

    def as_line(self) -> dict:
        offer_id, term, billing = self.cleaned_data["item"].split("|")
        line = {
            "offer_id": offer_id,
            "term": term,
            "billing": billing,
            "quantity": self.cleaned_data["quantity"],
            "auto_renew": bool(self.cleaned_data["auto_renew"]),
        }
        if self.cleaned_data.get("scope"):
            line["scope"] = self.cleaned_data["scope"]
        return line


OrderLineFormSet = forms.formset_factory(
    OrderLineForm, extra=LINES_OFFERED, max_num=LINES_MAX, absolute_max=LINES_MAX, validate_max=True
)


# The service's field of a line -> the form's field that shows its error.
LINE_FIELDS = {
    "offer_id": "item",
    "term": "item",
    "billing": "item",
    "quantity": "quantity",
    "scope": "scope",
}


class OrdersFilterForm(forms.Form):
    customer = forms.UUIDField(label=_("Customer"), required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *OrderStatus.choices]
    )
    created_after = forms.DateField(
        label=_("Placed on or after"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    created_before = forms.DateField(
        label=_("Placed on or before"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


# --- commerce: catalog ---


class PriceListFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Product type"), required=False, choices=[("", _("All product types")), *ProductKind.choices]
    )
    q = forms.CharField(
        label=_("Search by name or offer ID"),
        required=False,
        max_length=SEARCH_MAX,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


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


# --- Invoices: the list's filters ----------------------------------------------------------------


class InvoiceFilterForm(forms.Form):
    period = forms.CharField(label=_("Billing period"), required=False, max_length=7)
    customer = forms.UUIDField(label=_("Customer"), required=False)

    def clean_period(self):
        value = self.cleaned_data["period"].strip()
        if value and parse_period(value) is None:
            raise forms.ValidationError(
                _("Give the billing period as a year and month, for example 2026-02.")
            )
        return parse_period(value) if value else None

    def filters(self) -> InvoiceFilter | None:
        if not self.is_valid():
            return None
        return InvoiceFilter(
            period_start=self.cleaned_data["period"], customer_id=self.cleaned_data["customer"]
        )
