"""The invoice pages: the list (filters, who sees it), one invoice with its line items, the
PDF (in the reader's language, Chinese included) and the reconciliation file, *Billing*,
the customer's side and the navigation."""

import csv
import io

import pytest

from billing.invoice_documents import RECONCILIATION_COLUMNS
from tests.billing.invoicing import billed_world

pytestmark = pytest.mark.django_db

REASON = "Only your global admin or a billing admin can see invoices, credits and the credit line."


@pytest.fixture
def w():
    return billed_world()


def as_user(client, user):
    client.force_login(user)
    return client


def test_the_billing_admin_sees_the_list_and_the_invoice(client, w):
    as_user(client, w.billing_admin)
    page = client.get("/invoices/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "G000000001" in page and "Wingtip Toys" in page and "€561.25" in page
    detail = client.get(f"/invoices/{w.invoice.pk}/").content.decode()
    for text in ("Microsoft 365 Business Standard", "Dynamics 365 Sales Professional", "€71.25", "-€50.00"):
        assert text in detail
    assert (
        f"/invoices/{w.invoice.pk}/pdf/" in detail
        and f"/invoices/{w.invoice.pk}/reconciliation.csv" in detail
    )


@pytest.mark.parametrize("who", ["admin_agent", "sales_agent"])
def test_other_roles_get_403_with_the_reason(client, w, who):
    as_user(client, getattr(w, who))
    for url in ("/invoices/", f"/invoices/{w.invoice.pk}/", f"/invoices/{w.invoice.pk}/pdf/", "/billing/"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 403, url
        assert REASON in response.content.decode()


def test_filters_and_a_bad_period(client, w):
    as_user(client, w.provider_admin)
    assert "G000000001" in client.get("/invoices/?period=2026-02").content.decode()
    assert "G000000001" not in client.get("/invoices/?period=2026-01").content.decode()
    assert "G000000001" in client.get(f"/invoices/?customer={w.customer.pk}").content.decode()
    bad = client.get("/invoices/?period=13-2026", HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400
    assert "for example 2026-02" in bad.content.decode()


def test_the_reseller_reads_what_was_billed_for_its_customer(client, w):
    as_user(client, w.reseller_admin)
    assert "G000000001" in client.get("/invoices/").content.decode()
    assert client.get(f"/invoices/{w.invoice.pk}/").status_code == 200


def test_another_partners_invoice_is_404(client, w):
    as_user(client, w.direct_admin)
    for suffix in ("", "pdf/", "reconciliation.csv"):
        assert client.get(f"/invoices/{w.invoice.pk}/{suffix}").status_code == 404


def test_the_pdf_is_a_pdf_in_the_readers_language(client, w):
    as_user(client, w.billing_admin)
    for language in ("en", "zh-hant", "ru"):
        response = client.get(f"/invoices/{w.invoice.pk}/pdf/", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF") and b"G000000001" in response.content


def test_the_pdf_page_renders_chinese_names_and_money_for_the_reader(w):
    from django.utils import translation

    from billing.invoice_documents import invoice_context
    from billing.invoice_selectors import invoice_lines

    w.customer.company_name = "翼尖玩具有限公司"
    w.customer.save(update_fields=["company_name"])
    from django.template.loader import render_to_string

    with translation.override("ru"):
        html = render_to_string(
            "billing/invoices/pdf.html",
            {**invoice_context(w.invoice, invoice_lines(w.invoice)), "language": "ru"},
        )
    assert "翼尖玩具有限公司" in html
    assert "561,25\xa0€" in html  # format_money in Russian
    # The Chinese name is set in a Noto CJK font (the file's fonts, not their metrics).
    from weasyprint import CSS, HTML

    from billing.invoice_documents import STYLESHEET

    pdf = HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))], uncompressed_pdf=True)
    assert b"Noto-Sans-CJK" in pdf


def test_the_reconciliation_file(client, w):
    as_user(client, w.billing_admin)
    response = client.get(f"/invoices/{w.invoice.pk}/reconciliation.csv")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    reader = csv.reader(io.StringIO(response.content.decode()))
    header, *rows = list(reader)
    assert tuple(header) == RECONCILIATION_COLUMNS
    as_dicts = [dict(zip(header, row, strict=True)) for row in rows]
    assert [r["Amount"] for r in as_dicts] == ["240.00", "71.25", "300.00", "-50.00"]
    monthly = as_dicts[1]
    assert monthly["InvoiceNumber"] == "G000000001"
    assert monthly["CustomerId"] == str(w.customer.tenant_id)
    assert monthly["CustomerName"] == "Wingtip Toys"
    assert (monthly["ChargeStartDate"], monthly["ChargeEndDate"]) == ("2026-02-10", "2026-02-28")
    assert (monthly["Quantity"], monthly["UnitPrice"], monthly["Currency"]) == ("10", "10.50", "EUR")
    assert monthly["OfferName"] == "Microsoft 365 Business Standard"
    assert [r["ChargeType"] for r in as_dicts] == ["cycleCharge", "cycleCharge", "purchase", "customerCredit"]


def test_the_billing_page_shows_the_credit_line_and_the_credits(client, w):
    as_user(client, w.billing_admin)
    page = client.get("/billing/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "no credit line" in page  # a provider
    assert "€50.00" in page and "G000000001" in page  # the credit, taken by the invoice
    as_user(client, w.direct_admin)
    page = client.get("/billing/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "€10,000.00" in page and "€71.25" in page  # the line, the unpaid invoice
    assert "Available" in page


def test_the_customers_global_admin_reads_its_invoices(client, w):
    as_user(client, w.customer_admin)
    assert "G000000001" in client.get("/customer/invoices/").content.decode()
    assert client.get(f"/customer/invoices/{w.invoice.pk}/").status_code == 200
    assert client.get(f"/customer/invoices/{w.invoice.pk}/pdf/").content.startswith(b"%PDF")
    assert client.get(f"/customer/invoices/{w.direct_invoice.pk}/").status_code == 404
    as_user(client, w.customer_employee)
    assert client.get("/customer/invoices/").status_code == 403


def test_the_navigation_links_those_who_may_see(client, w):
    as_user(client, w.billing_admin)
    assert 'href="/invoices/"' in client.get("/").content.decode()
    as_user(client, w.admin_agent)
    assert 'href="/invoices/"' not in client.get("/").content.decode()
    as_user(client, w.customer_admin)
    home = client.get("/").content.decode()
    assert 'href="/customer/invoices/"' in home and 'href="/invoices/"' not in home
