"""A provider's lists as they read a moment ago (issue 12, ``core.generations``): the
customers and the resellers (API) are given back until a table they read changes, and a
change shows on the next request, whoever made it (a service, a factory's insert, a rename
that a trigger copies onto the relationships)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enrollment.models import Partner
from relationships.models import Customer, ResellerInvitation
from tests.cast import invite_reseller, make_provider, make_reseller, share_customer, user_of
from tests.conftest import api_as
from tests.factories import EnrollmentFactory, PartnerFactory

pytestmark = pytest.mark.django_db

CUSTOMERS = "/api/v1/customers/"
RESELLERS = "/api/v1/relationships/?relationship_type=IsIndirectCloudSolutionProviderOf"


def names(response, field) -> list[str]:
    assert response.status_code == 200
    return sorted(row[field] for row in response.json()["results"])


def test_the_customers_show_each_change(provider, provider_admin):
    reseller = make_reseller(provider, legal_name="Fabrikam Reseller GmbH")
    first = share_customer(provider, reseller, company_name="Adatum AG")
    client = api_as(provider_admin)
    assert names(client.get(CUSTOMERS), "company_name") == ["Adatum AG"]
    with CaptureQueriesContext(connection) as again:
        assert names(client.get(CUSTOMERS), "company_name") == ["Adatum AG"]
    assert not any("relationships_customer" in query["sql"] for query in again.captured_queries)
    share_customer(provider, reseller, company_name="Bellows College")
    assert names(client.get(CUSTOMERS), "company_name") == ["Adatum AG", "Bellows College"]
    Customer.objects.filter(pk=first.pk).update(company_name="Alpine Ski House")  # copied by a trigger
    assert names(client.get(CUSTOMERS), "company_name") == ["Alpine Ski House", "Bellows College"]


def test_the_resellers_show_each_change(provider, provider_admin):
    reseller = make_reseller(provider, legal_name="Fabrikam Reseller GmbH")
    client = api_as(provider_admin)
    assert names(client.get(RESELLERS), "name") == ["Fabrikam Reseller GmbH"]
    make_reseller(provider, legal_name="Contoso Reseller GmbH")
    assert names(client.get(RESELLERS), "name") == ["Contoso Reseller GmbH", "Fabrikam Reseller GmbH"]
    Partner.objects.filter(pk=reseller.pk).update(legal_name="Northwind Reseller GmbH")
    assert names(client.get(RESELLERS), "name") == ["Contoso Reseller GmbH", "Northwind Reseller GmbH"]


def test_each_partner_reads_its_own(provider, provider_admin):
    share_customer(provider, make_reseller(provider), company_name="Adatum AG")
    other = make_provider("Litware Distribution GmbH", mpn_id="4820199")
    share_customer(other, make_reseller(other), company_name="Bellows College")
    assert names(api_as(provider_admin).get(CUSTOMERS), "company_name") == ["Adatum AG"]
    assert names(api_as(user_of(other)).get(CUSTOMERS), "company_name") == ["Bellows College"]


# --- The pages ----------------------------------------------------------------------------------

RESELLERS_PAGE = "/indirect-resellers/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_kept_page_carries_each_reader_s_own_csrf_token(provider, provider_admin):
    """Two browsers of one admin: the second is given the kept page, with its own token,
    and its form goes through (a kept token of the first browser's would be refused)."""
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for client in (first, second):
        client.force_login(provider_admin)
    first.get(RESELLERS_PAGE)
    with CaptureQueriesContext(connection) as kept:
        page = second.get(RESELLERS_PAGE).content.decode()
    assert not any("relationships_providerresellerrelationship" in q["sql"] for q in kept.captured_queries)
    secret = second.cookies[settings.CSRF_COOKIE_NAME].value
    tokens = TOKEN.findall(page)
    assert len(tokens) == page.count('name="csrfmiddlewaretoken"') >= 2  # the page's forms, the navigation's
    assert {_unmask_cipher_token(token) for token in tokens} == {secret}
    sent = second.post(
        "/indirect-resellers/invite/", {"email": "admin@litware.example", "csrfmiddlewaretoken": tokens[-1]}
    )
    assert sent.status_code != 403


def test_an_invitation_expires_on_the_kept_page(client, provider, provider_admin):
    invitation, _token = invite_reseller(provider_admin, email="admin@litware.example")
    now = timezone.now()
    ResellerInvitation.objects.filter(pk=invitation.pk).update(expires_at=now + timedelta(seconds=30))
    client.force_login(provider_admin)
    for moment, expired in ((0, False), (29, False), (31, True)):
        with time_machine.travel(now + timedelta(seconds=moment), tick=False):
            assert ("status-rejected" in client.get(RESELLERS_PAGE).content.decode()) is expired  # "Expired"


def test_a_new_customer_shows_on_the_kept_page(client, provider, provider_admin):
    reseller = make_reseller(provider)
    share_customer(provider, reseller, company_name="Adatum AG")
    client.force_login(provider_admin)
    assert "Bellows College" not in client.get("/customers/").content.decode()
    share_customer(provider, reseller, company_name="Bellows College")
    assert "Bellows College" in client.get("/customers/").content.decode()


def test_another_company_s_sign_up_keeps_the_lists(client, provider, provider_admin):
    """A new partner with its work account and enrollment is none of the lists' rows."""
    share_customer(provider, make_reseller(provider), company_name="Adatum AG")
    api = api_as(provider_admin)
    client.force_login(provider_admin)
    customers, resellers = "relationships_customerrelationship", "relationships_providerresellerrelationship"
    fetches = [
        (lambda: api.get(CUSTOMERS), customers),
        (lambda: api.get(RESELLERS), resellers),
        (lambda: client.get("/customers/"), customers),
        (lambda: client.get(RESELLERS_PAGE), resellers),
    ]
    for fetch, _table in fetches:
        fetch()
    EnrollmentFactory(partner=PartnerFactory(legal_name="Litware GmbH"))
    for fetch, table in fetches:
        with CaptureQueriesContext(connection) as kept:
            assert fetch().status_code == 200
        assert not any(table in q["sql"] for q in kept.captured_queries)
