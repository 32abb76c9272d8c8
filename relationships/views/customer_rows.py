"""The customer list's rows as HTML, written here and not in the template (issue 12: fifty
rows of a dozen template variables each were most of the page's time). Every value is
escaped as the template's autoescape did (``partnercenter.core.markup.escaped``); the
words are translated once for the page, a country's name once for the page's rows.
``tests/relationships/test_customer_rows.py`` holds it equal to what the template wrote."""

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from partnercenter.core.countries import country_choices
from partnercenter.core.markup import address_of_each, escaped

from ..models import CustomerRole

ROW = (
    "\n      <tr>"
    '\n        <td data-label="{l_company}"><a href="{url}">{company}</a></td>'
    '\n        <td data-label="{l_domain}">{domain}</td>'
    '\n        <td data-label="{l_country}">{country}</td>'
    '\n        <td data-label="{l_role}">{role}</td>'
    '\n        <td data-label="{l_billed}">{billed_by}</td>'
    "\n        {shared}"
    '\n        <td data-label="{l_products}">{products}{summaries}</td>'
    "\n      </tr>\n    "
)


def _muted(text) -> str:
    return f'<span class="muted">{escaped(text)}</span>'


def customer_rows_html(listed, *, partner, is_provider: bool) -> SafeString:
    """The ``<tr>`` of each customer of a page of the list, as ``partner`` sees it: ``listed``
    pairs each ``selectors.CustomerRow`` with the HTML the apps above add to it
    (``panels.customer_row_summaries``); a provider's rows say whom it shares each with."""
    words = {
        key: escaped(word)
        for key, word in {
            "l_company": _("Company"),
            "l_domain": _("Domain"),
            "l_country": _("Country or region"),
            "l_role": _("Your role"),
            "l_billed": _("Billed by"),
            "l_products": _("Products"),
        }.items()
    }
    you, no_provider = escaped(_("You")), _muted(_("No provider"))
    shared_label, your_direct = escaped(_("Shared with")), _muted(_("Your direct customer"))
    add_products, provider_orders = escaped(_("Add or view products")), _muted(_("Your provider orders"))
    roles = {value: escaped(label) for value, label in CustomerRole.choices}
    address, countries, names = address_of_each("relationships:customer-detail"), {}, dict(country_choices())

    def row(row, summaries) -> str:
        url = escaped(address(row.id))
        tenant, billed_by, counterpart = row.tenant, row.billed_by, row.counterpart
        country = tenant.country
        if country.code not in countries:
            countries[country.code] = escaped(names.get(country.code) or country.name)
        if billed_by is None:
            billed = no_provider
        else:
            billed = you if billed_by.pk == partner.pk else escaped(billed_by.legal_name)
        shared = ""
        if is_provider:
            shared = escaped(counterpart.legal_name) if counterpart else your_direct
            shared = f'<td data-label="{shared_label}">{shared}</td>'
        products = f'<a href="{url}#order">{add_products}</a>' if row.can_manage_products else provider_orders
        return ROW.format(
            **words,
            url=url,
            company=escaped(row.company_name),
            domain=escaped(tenant.domain),
            country=countries[country.code],
            role=roles[row.role],
            billed_by=billed,
            shared=shared,
            products=products,
            summaries=escaped(summaries),
        )

    return mark_safe("".join(row(r, summaries) for r, summaries in listed))  # noqa: S308 - every value escaped
