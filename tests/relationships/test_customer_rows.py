"""The customer list writes its rows in Python (``relationships.views.customer_rows``, issue
12): each row must be what the template's loop wrote, byte for byte, for every kind of row
(the provider's own and shared customers, a reseller's customer its provider bills or that
has no provider, every role), with people's words escaped, in each of the portal's languages."""

import uuid

import pytest
from django.template import engines
from django.utils import translation
from django.utils.safestring import mark_safe

from enrollment.models import Partner
from partnercenter.accounts.models import Tenant
from relationships.models import Customer, CustomerRole
from relationships.selectors import CustomerRow
from relationships.views.customer_rows import customer_rows_html

# The template's loop as it was (templates/relationships/customers/list.html), the apps'
# summaries given as their HTML (billing's own: tests/billing/test_subscriptions_customer_list.py).
TEMPLATE = (
    "{% load i18n %}"
    "{% translate 'Company' as l_company %}{% translate 'Domain' as l_domain %}"
    "{% translate 'Country or region' as l_country %}{% translate 'Your role' as l_role %}"
    "{% translate 'Billed by' as l_billed %}{% translate 'Shared with' as l_shared %}"
    "{% translate 'Products' as l_products %}{% translate \"You\" as you %}"
    '{% translate "No provider" as no_provider %}{% translate "Your direct customer" as your_direct %}'
    '{% translate "Add or view products" as add_products %}{% translate "Your provider orders" as provider_orders %}'
    """{% for row, summaries in listed %}
      {% url 'relationships:customer-detail' row.id as detail %}<tr>
        <td data-label="{{ l_company }}"><a href="{{ detail }}">{{ row.company_name }}</a></td>
        <td data-label="{{ l_domain }}">{{ row.tenant.domain }}</td>
        <td data-label="{{ l_country }}">{{ row.tenant.country.name }}</td>
        <td data-label="{{ l_role }}">{{ row.role_label }}</td>
        <td data-label="{{ l_billed }}">{% if row.billed_by %}{% if row.billed_by.pk == partner.pk %}{{ you }}"""
    """{% else %}{{ row.billed_by.legal_name }}{% endif %}{% else %}<span class="muted">{{ no_provider }}</span>"""
    """{% endif %}</td>
        {% if is_provider %}<td data-label="{{ l_shared }}">{% if row.counterpart %}{{ row.counterpart.legal_name }}"""
    """{% else %}<span class="muted">{{ your_direct }}</span>{% endif %}</td>{% endif %}
        <td data-label="{{ l_products }}">{% if row.can_manage_products %}<a href="{{ detail }}#order">"""
    """{{ add_products }}</a>{% else %}<span class="muted">{{ provider_orders }}</span>{% endif %}{{ summaries }}</td>
      </tr>
    {% endfor %}"""
)

VIEWER = Partner(pk=uuid.uuid4(), legal_name="Contoso <Distribution> & Co")
OTHER = Partner(pk=uuid.uuid4(), legal_name='Fabrikam "Cloud" GmbH')


def row(role, *, billed_by=None, counterpart=None, name="Alpine Ski House", country="DE") -> CustomerRow:
    tenant = Tenant(pk=uuid.uuid4(), domain=f"{uuid.uuid4().hex[:8]}.onmicrosoft.com", country=country)
    customer = Customer(pk=uuid.uuid4(), company_name=name, tenant=tenant)
    return CustomerRow(
        customer=customer,
        viewer_id=VIEWER.pk,
        role=role,
        relationships=[],
        billed_by=billed_by,
        counterpart=counterpart,
    )


ROWS = [
    # A provider's own direct customer, and the one it shares with a reseller.
    row(CustomerRole.INDIRECT_PROVIDER, billed_by=VIEWER, name="<b>Tailspin</b> & Toys"),
    row(CustomerRole.INDIRECT_PROVIDER, billed_by=VIEWER, counterpart=OTHER, country="JP"),
    # A reseller's customers: its provider bills one, the other has no provider (any more).
    row(CustomerRole.INDIRECT_RESELLER, billed_by=OTHER, counterpart=OTHER, country="DE"),
    row(CustomerRole.INDIRECT_RESELLER, name="O'Brien's"),
    # A direct-bill partner's customer.
    row(CustomerRole.DIRECT_BILL_PARTNER, billed_by=VIEWER, country="BR"),
]
SUMMARIES = [
    mark_safe('\n<div class="detail muted">2 &lt;x&gt;</div>\n'),
    mark_safe(""),
    *([mark_safe("")] * 3),
]


@pytest.mark.parametrize("language", ["en", "ru", "zh-hans", "zh-hant"])
@pytest.mark.parametrize("is_provider", [True, False])
def test_each_row_is_what_the_template_wrote(language, is_provider):
    listed = list(zip(ROWS, SUMMARIES, strict=True))
    with translation.override(language):
        written = (
            engines["django"]
            .from_string(TEMPLATE)
            .render({"listed": listed, "partner": VIEWER, "is_provider": is_provider})
        )
        html = customer_rows_html(listed, partner=VIEWER, is_provider=is_provider)
    assert html == written
    assert "&lt;b&gt;Tailspin&lt;/b&gt; &amp; Toys" in html and "<b>" not in html
    assert ("Fabrikam &quot;Cloud&quot; GmbH" in html) and ("O&#x27;Brien&#x27;s" in html)
    assert "2 &lt;x&gt;</div>" in html  # the apps' summaries as they wrote them


def test_no_rows_write_nothing():
    assert customer_rows_html([], partner=VIEWER, is_provider=True) == ""
