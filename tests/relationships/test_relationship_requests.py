"""Relationship requests (issue 9, "What it unlocks"; Partner Center's
``customers/relationshiprequests``): only an active direct-bill partner's admin makes the
single-use link and draft email; the customer's global admin accepts it and becomes the
partner's direct customer; used, expired, CSP-tenant and existing-relationship acceptances
are refused and change nothing. Services and API (the pages: test_relationship_requests_pages.py)."""

import re
import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from partnercenter.accounts.models import Role
from partnercenter.audit.models import Event
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotPermitted
from relationships import selectors
from relationships.models import Customer, CustomerRelationship, RelationshipRequest
from relationships.services.relationship_requests import (
    relationship_request_accept,
    relationship_request_create,
)
from tests.cast import (
    direct_customer,
    events_of,
    make_customer_admin,
    make_direct_bill,
    share_customer,
    user_of,
)
from tests.conftest import api_as
from tests.factories import EnrollmentFactory, PartnerFactory

pytestmark = pytest.mark.django_db

REQUESTS = "/api/v1/customers/relationship-requests/"
ACCEPT = "/api/v1/customers/relationship-requests/accept/"
TOKEN = re.compile(r"/relationship-requests/([A-Za-z0-9_-]+)/")


def token_of(created) -> str:
    return TOKEN.search(created.link).group(1)


def request_token(direct_admin) -> str:
    return token_of(relationship_request_create(actor=direct_admin))


def state() -> tuple:
    """What an acceptance changes: customers, relationships and the requests' statuses."""
    return (
        Customer.objects.count(),
        sorted(CustomerRelationship.objects.values_list("partner_id", "role", "state", "admin_access")),
        sorted(RelationshipRequest.objects.values_list("status", flat=True)),
        Event.objects.filter(kind="relationship_request_accepted").count(),
    )


# --- Making a request -------------------------------------------------------------------------------


def test_the_partner_gets_a_single_use_link_and_a_draft_email(direct, direct_admin):
    created = relationship_request_create(actor=direct_admin)
    request = created.request
    assert created.link.startswith("http://testserver/relationship-requests/")
    token = token_of(created)
    assert len(token) >= 40  # 256 bits, unguessable
    assert request.token_hash != token and token not in request.token_hash
    assert selectors.relationship_request_for_token(token) == request
    assert (request.partner, request.status, request.created_by) == (direct, "sent", direct_admin)
    assert abs(request.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    assert "Adatum Direct GmbH" in created.subject
    assert created.link in created.body and "Adatum Direct GmbH" in created.body
    assert "administrator permissions" in created.body and "bills you" in created.body
    [event] = events_of(request)
    assert (event.kind, event.actor, event.tenant, event.to_state) == (
        "relationship_request_created",
        direct_admin,
        direct.tenant,
        "sent",
    )
    assert event.sentence == "For Adatum Direct GmbH as direct-bill partner."
    assert relationship_request_create(actor=direct_admin).link != created.link


def test_an_admin_agent_requests_too(direct):
    agent = user_of(direct, role=Role.ADMIN_AGENT)
    assert relationship_request_create(actor=agent).request.created_by == agent


def test_the_expiry_is_a_setting(settings, direct_admin):
    settings.INVITATION_TTL_DAYS = 7
    request = relationship_request_create(actor=direct_admin).request
    assert abs(request.expires_at - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)


def test_the_draft_is_in_the_partners_language_and_not_escaped(direct, direct_admin):
    type(direct).objects.filter(pk=direct.pk).update(language="ru", legal_name="Smith & O'Brien Ltd")
    created = relationship_request_create(actor=direct_admin)
    assert "Smith & O'Brien Ltd" in created.subject and "Smith & O'Brien Ltd" in created.body
    assert "Hello" not in created.body


def test_the_api_creates_a_request(direct, direct_admin):
    response = api_as(direct_admin).post(REQUESTS, format="json")
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert set(data) == {"id", "link", "expires_at", "draft_email"}
    assert set(data["draft_email"]) == {"subject", "body"}
    assert data["link"] in data["draft_email"]["body"]
    assert str(RelationshipRequest.objects.get().pk) == data["id"]


@pytest.mark.parametrize("who", ["reseller", "provider", "sales_agent", "not_active", "reseller_applying"])
def test_only_an_active_direct_bill_partners_admin_requests(who, request):
    if who in ("reseller", "provider"):
        actor = request.getfixturevalue(f"{who}_admin")
    elif who == "sales_agent":
        actor = user_of(request.getfixturevalue("direct"), role=Role.SALES_AGENT)
    elif who == "not_active":  # its direct-bill enrollment is approved, the agreement not accepted yet
        partner = PartnerFactory()
        EnrollmentFactory(partner=partner, program="direct_bill", status="approved")
        actor = user_of(partner)
    else:  # an active indirect reseller whose direct-bill application is in review
        partner = request.getfixturevalue("reseller")
        EnrollmentFactory(partner=partner, program="direct_bill", status="in_review")
        actor = user_of(partner, email="admin2@fabrikam.test")
    with pytest.raises(NotPermitted):
        relationship_request_create(actor=actor)
    response = api_as(actor).post(REQUESTS, format="json")
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not RelationshipRequest.objects.exists()


def test_anonymous_gets_401():
    assert APIClient().post(REQUESTS).status_code == 401
    assert APIClient().get(REQUESTS).status_code == 401
    assert APIClient().post(ACCEPT, {"token": "x"}, format="json").status_code == 401


# --- Creating customer tenants: only an active direct-bill partner as direct partner ----------------


CUSTOMER = {"company_name": "Litware GmbH", "domain_prefix": "litwarede", "country": "DE"}


def test_a_direct_bill_partner_whose_enrollment_is_not_active_cannot_create_customers(reseller):
    for status in ("in_review", "approved"):
        partner = PartnerFactory()
        EnrollmentFactory(partner=partner, program="direct_bill", status=status)
        assert api_as(user_of(partner)).post("/api/v1/customers/", CUSTOMER, format="json").status_code == 403
    # An active indirect reseller applying for direct bill is still only a reseller.
    EnrollmentFactory(partner=reseller, program="direct_bill", status="approved")
    response = api_as(user_of(reseller)).post("/api/v1/customers/", CUSTOMER, format="json")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Indirect resellers cannot create customer tenants")
    assert not Customer.objects.exists()


# --- The list -------------------------------------------------------------------------------------------


def test_the_partner_lists_its_requests_and_an_outsider_gets_404(
    direct, direct_admin, outsider, customer_admin
):
    accepted = relationship_request_create(actor=direct_admin)
    relationship_request_accept(actor=customer_admin, token=token_of(accepted))
    expired = relationship_request_create(actor=direct_admin).request
    RelationshipRequest.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    sent = relationship_request_create(actor=direct_admin).request
    data = api_as(direct_admin).get(REQUESTS).json()
    assert [(r["id"], r["status"]) for r in data["results"]] == [
        (str(sent.pk), "sent"),
        (str(expired.pk), "expired"),
        (str(accepted.request.pk), "accepted"),
    ]
    customer = Customer.objects.get()
    assert data["results"][2]["customer"] == {
        "id": str(customer.pk),
        "company_name": "Contoso GmbH",
        "domain": "contosode.onmicrosoft.com",
    }
    assert data["results"][0]["created_by"] == direct_admin.email
    # Another partner's requests are not found.
    client = api_as(outsider)
    assert client.get(REQUESTS).json()["results"] == []
    assert client.get(f"{REQUESTS}{sent.pk}/").status_code == 404
    assert api_as(direct_admin).get(f"{REQUESTS}{sent.pk}/").json()["status"] == "sent"


def test_the_list_keeps_its_number_of_queries(direct_admin, customer_admin):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api_as(direct_admin).get(REQUESTS).status_code == 200
        return len(captured)

    relationship_request_create(actor=direct_admin)
    few = queries()
    for n in range(4):
        created = relationship_request_create(actor=direct_admin)
        relationship_request_accept(
            actor=make_customer_admin(f"tailspin{n}.onmicrosoft.com", f"Tailspin {n}"),
            token=token_of(created),
        )
    assert queries() == few


# --- The customer accepts -------------------------------------------------------------------------------


def test_the_customer_accepts_and_becomes_a_direct_customer(direct, direct_admin, customer_admin, committed):
    token = request_token(direct_admin)
    with committed():
        response = api_as(customer_admin).post(ACCEPT, {"token": token}, format="json")
    assert response.status_code == 200
    customer = Customer.objects.get(tenant=customer_admin.tenant)
    assert response.json() == {
        "id": str(customer.pk),
        "company_name": "Contoso GmbH",
        "tenant": {"id": str(customer.tenant_id), "domain": "contosode.onmicrosoft.com", "country": "DE"},
        "relationships": [
            {"partner_id": str(direct.pk), "name": "Adatum Direct GmbH", "role": "direct_bill_partner"}
        ],
    }
    relationship = customer.relationships.get()
    assert (relationship.partner, relationship.role, relationship.admin_access, relationship.is_active) == (
        direct,
        "direct_bill_partner",
        True,
        True,
    )
    request = RelationshipRequest.objects.get()
    assert (request.status, request.customer, request.accepted_by) == ("accepted", customer, customer_admin)
    [event] = events_of(request, "relationship_request_accepted")
    assert (event.actor, event.tenant, event.from_state, event.to_state) == (
        customer_admin,
        direct.tenant,
        "sent",
        "accepted",
    )
    assert "accepted Adatum Direct GmbH as its direct-bill partner" in event.sentence
    # The partner is emailed, and the customer is in its list as a direct customer it bills.
    [email] = mail.outbox
    assert email.to == [direct.contact_email]
    assert "Contoso GmbH accepted your relationship request" in email.subject
    assert "http://testserver/customers/" in email.body
    [row] = api_as(direct_admin).get("/api/v1/customers/").json()["results"]
    assert row["id"] == str(customer.pk)
    assert (row["billed_by"], row["can_manage_products"]) == (str(direct.pk), True)
    assert row["relationships"] == [{"partner_id": str(direct.pk), "role": "direct_bill_partner"}]


def test_an_existing_customer_keeps_its_other_partners(
    direct, direct_admin, provider, reseller, customer_admin, relationship
):
    customer = share_customer(provider, reseller, tenant=customer_admin.tenant, company_name="Contoso GmbH")
    relationship_request_accept(actor=customer_admin, token=request_token(direct_admin))
    assert Customer.objects.get() == customer
    assert {(r.partner, r.role) for r in customer.relationships.all()} == {
        (reseller, "indirect_reseller"),
        (provider, "indirect_provider"),
        (direct, "direct_bill_partner"),
    }


@pytest.mark.django_db(transaction=True)
def test_two_acceptances_at_once_make_one_relationship():
    """Two threads, two PostgreSQL connections, the same link at the same moment."""
    assert connection.vendor == "postgresql"
    direct_admin = user_of(make_direct_bill())
    admins = [make_customer_admin("racea.onmicrosoft.com"), make_customer_admin("raceb.onmicrosoft.com")]
    for _round in range(3):
        token = request_token(direct_admin)
        barrier, outcomes = threading.Barrier(2), []

        def accept(actor, token=token, barrier=barrier, outcomes=outcomes):
            from django.db import connection as thread_connection

            try:
                barrier.wait()
                relationship_request_accept(actor=actor, token=token)
                outcomes.append("landed")
            except InvalidTransition as exc:
                outcomes.append(f"409:{exc.status}")
            finally:
                thread_connection.close()

        threads = [threading.Thread(target=accept, args=(actor,)) for actor in admins]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert sorted(outcomes) == ["409:accepted", "landed"], outcomes
        assert CustomerRelationship.objects.count() == 1
        assert Event.objects.filter(kind="relationship_request_accepted").count() == _round + 1
        Customer.objects.all().delete()  # the next round starts with neither tenant a customer


def test_a_link_works_once(direct_admin, customer_admin):
    token = request_token(direct_admin)
    relationship_request_accept(actor=customer_admin, token=token)
    before = state()
    for actor in (customer_admin, make_customer_admin("tailspinde.onmicrosoft.com", "Tailspin")):
        with pytest.raises(InvalidTransition) as exc:
            relationship_request_accept(actor=actor, token=token)
        assert "already used" in exc.value.message
        response = api_as(actor).post(ACCEPT, {"token": token}, format="json")
        assert response.status_code == 409 and "already used" in str(response.json())
    assert state() == before


def test_an_expired_link_is_refused(direct_admin, customer_admin):
    token = request_token(direct_admin)
    before = state()
    with time_machine.travel(timezone.now() + timedelta(days=30, minutes=1)):
        response = api_as(customer_admin).post(ACCEPT, {"token": token}, format="json")
    assert response.status_code == 409
    assert "expired on" in str(response.json())
    assert state() == before


def test_a_csp_partners_own_tenant_cannot_become_its_customer(direct, direct_admin, outsider, reseller_admin):
    """ "A partner's CSP transaction tenant ... cannot become a customer of another CSP
    partner" (DOMAIN.md), nor of itself."""
    token = request_token(direct_admin)
    before = state()
    for actor in (outsider, reseller_admin, direct_admin):
        response = api_as(actor).post(ACCEPT, {"token": token}, format="json")
        assert response.status_code == 403
        assert "different, non-CSP tenant" in response.json()["detail"]
    assert state() == before


def test_only_the_customers_global_admin_accepts(direct_admin, customer_admin):
    token = request_token(direct_admin)
    agent = make_customer_admin("tailspinde.onmicrosoft.com", "Tailspin", roles=(Role.ADMIN_AGENT,))
    before = state()
    response = api_as(agent).post(ACCEPT, {"token": token}, format="json")
    assert response.status_code == 403 and "global admin" in response.json()["detail"]
    assert state() == before


@pytest.mark.parametrize(
    "body", [{}, {"token": ""}, {"token": "nope"}, {"token": ["x"]}, {"token": "x" * 300}]
)
def test_a_bad_token_is_400_on_token(customer_admin, body):
    response = api_as(customer_admin).post(ACCEPT, body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["token"]


def test_an_existing_relationship_is_not_replaced(direct, direct_admin, customer_admin):
    customer = direct_customer(direct, role="indirect_provider", tenant=customer_admin.tenant)
    token = request_token(direct_admin)
    before = state()
    response = api_as(customer_admin).post(ACCEPT, {"token": token}, format="json")
    assert response.status_code == 409
    assert "already a partner of your organization (Indirect provider)" in str(response.json())
    assert state() == before
    assert customer.relationships.get().role == "indirect_provider"


def test_a_relationship_the_customer_ended_is_renewed(direct, direct_admin, customer_admin):
    customer = direct_customer(direct, tenant=customer_admin.tenant)
    CustomerRelationship.objects.update(state="terminated", ended_at=timezone.now(), admin_access=False)
    relationship_request_accept(actor=customer_admin, token=request_token(direct_admin))
    relationship = customer.relationships.get()
    assert (relationship.state, relationship.ended_at, relationship.admin_access) == ("active", None, True)
    assert events_of(RelationshipRequest.objects.get(), "relationship_request_accepted").get().data["renewed"]


def test_a_partner_no_longer_direct_bill_cannot_be_accepted(direct, direct_admin, customer_admin):
    token = request_token(direct_admin)
    direct.enrollments.update(status="withdrawn")
    before = state()
    response = api_as(customer_admin).post(ACCEPT, {"token": token}, format="json")
    assert response.status_code == 409
    assert "no longer an active direct-bill partner" in str(response.json())
    assert state() == before


def test_a_second_request_of_the_same_partner_is_refused(direct_admin, customer_admin):
    first, second = request_token(direct_admin), request_token(direct_admin)
    relationship_request_accept(actor=customer_admin, token=first)
    with pytest.raises(InvalidTransition):
        relationship_request_accept(actor=customer_admin, token=second)
    assert RelationshipRequest.objects.filter(status="sent").count() == 1


def test_an_unknown_token_raises_invalid_input(customer_admin):
    with pytest.raises(InvalidInput) as exc:
        relationship_request_accept(actor=customer_admin, token="nope")
    assert list(exc.value.errors) == ["token"]


# --- The schema and the email -------------------------------------------------------------------------


def test_the_endpoints_are_in_the_openapi_schema(direct_admin):
    paths = api_as(direct_admin).get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/customers/relationship-requests/"])
    assert "get" in paths["/api/v1/customers/relationship-requests/{id}/"]
    accept = paths["/api/v1/customers/relationship-requests/accept/"]["post"]
    assert accept["description"] and "requestBody" in accept


@pytest.mark.parametrize("language", ["en", "ru", "zh-hans", "zh-hant"])
def test_the_accepted_email_renders_in_every_language(language):
    from partnercenter.notifications.delivery import render
    from partnercenter.notifications.models import Notification

    context = {
        "first_name": "Jonas",
        "partner": "O'Brien & Partners",
        "customer": "Contoso GmbH",
        "domain": "contosode.onmicrosoft.com",
        "accepted_by": "Ada Admin",
        "customers_url": "http://testserver/customers/",
    }
    subject, text, html = render(
        Notification(template="relationship_request_accepted", language=language, context=context)
    )
    assert subject and "\n" not in subject
    assert "O'Brien & Partners" in text and "O&#x27;Brien &amp; Partners" in html
    assert context["customers_url"] in text and context["customers_url"] in html
