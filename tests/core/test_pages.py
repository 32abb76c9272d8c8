"""Domain errors reach pages in one place (issue 7, section 5; HOUSE_STYLE 7d):
``partnercenter.core.pages``. ``NotPermitted`` is the 403 page with the service's reason,
``NotFound`` the 404 page with its message, ``InvalidTransition`` after a button goes back
to the page it came from with the message (and the current status), on a GET it is the 409
page; ``InvalidInput`` that no form shows is the 400 page with its messages. The middleware
does the same for a view without the decorator; the API keeps its own JSON handler.

Driven through real portal views where one shows the case, and through the tiny views of
this module's URLconf (``pytestmark`` routes to it, with the portal's own URLs after
them, so that the pages' navigation still resolves) for the generic cases.
"""

import ast
import html
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from enrollment.models import Enrollment
from partnercenter import urls as portal_urls
from partnercenter.audit.models import Event
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from partnercenter.core.pages import DomainErrorMiddleware, domain_errors, error_messages
from relationships.models import ResellerInvitation
from relationships.services.common import hash_token
from tests.factories import (
    CustomerRelationshipFactory,
    EnrollmentFactory,
    IndirectProviderFactory,
    PartnerFactory,
    ProviderResellerRelationshipFactory,
    UserFactory,
    active_partner,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.core.test_pages"),
    pytest.mark.time_machine(datetime(2026, 3, 2, 10, 0, tzinfo=UTC), tick=False),
]

ROOT = Path(__file__).resolve().parents[2]

# --- The tiny views ----------------------------------------------------------------------------

ERRORS = {
    "not_permitted": lambda: NotPermitted("Only the treasurer may sign this."),
    "not_found": lambda: NotFound("This ledger was archived."),
    "transition": lambda: InvalidTransition("locked", "The ledger is locked.", label="Locked"),
    "transition_unlabelled": lambda: InvalidTransition("locked", "The ledger is locked."),
    "input": lambda: InvalidInput({"name": ["Enter a name."], "address": {"city": ["Enter the city."]}}),
}


def ledger(request, ledger_id):
    """Where the buttons come from: it says the messages it was given, one per line."""
    return HttpResponse("\n".join(str(m) for m in get_messages(request)), content_type="text/plain")


@domain_errors(back="test-ledger", title="The ledger cannot change now", back_label="Back to the ledger")
def decorated(request, ledger_id, error):
    raise ERRORS[error]()


@domain_errors(back="test-ledger", redirect_back=False)
def decorated_no_redirect(request, ledger_id, error):
    raise ERRORS[error]()


@domain_errors(back=lambda request, **kwargs: f"/test-pages/ledgers/{kwargs['ledger_id']}/?from=callable")
def decorated_callable_back(request, ledger_id, error):
    raise ERRORS[error]()


def undecorated(request, error):
    raise ERRORS[error]()


class RaisingApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request, error):
        raise ERRORS[error]()


urlpatterns = [
    path("test-pages/ledgers/<int:ledger_id>/", ledger, name="test-ledger"),
    path("test-pages/ledgers/<int:ledger_id>/<str:error>/", decorated),
    path("test-pages/ledgers/<int:ledger_id>/<str:error>/no-redirect/", decorated_no_redirect),
    path("test-pages/ledgers/<int:ledger_id>/<str:error>/callable/", decorated_callable_back),
    path("test-pages/plain/<str:error>/", undecorated),
    path("api/v1/test-pages/<str:error>/", RaisingApi.as_view()),
    *portal_urls.urlpatterns,
]
handler400 = portal_urls.handler400
handler403 = portal_urls.handler403
handler404 = portal_urls.handler404
handler500 = portal_urls.handler500


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def signed_in(client, admin):
    client.force_login(admin)
    return client


# --- The mapping, on the tiny views --------------------------------------------------------------


class TestDecoratedView:
    @pytest.mark.parametrize("method", ["get", "post"])
    def test_not_permitted_is_the_403_page_with_the_services_reason(self, signed_in, method):
        response = getattr(signed_in, method)("/test-pages/ledgers/5/not_permitted/")
        assert response.status_code == 403
        assert "Only the treasurer may sign this." in text(response)
        assert response["Content-Type"].startswith("text/html")

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_not_found_is_the_404_page_with_its_message(self, signed_in, method):
        response = getattr(signed_in, method)("/test-pages/ledgers/5/not_found/")
        assert response.status_code == 404
        assert "This ledger was archived." in text(response)

    def test_a_conflict_after_a_button_goes_back_with_the_message_and_the_status(self, signed_in):
        response = signed_in.post("/test-pages/ledgers/5/transition/")
        assert response.status_code == 302 and response["Location"] == "/test-pages/ledgers/5/"
        said = signed_in.get(response["Location"]).content.decode()
        assert said == "The ledger is locked. Current status: Locked."

    def test_an_unlabelled_conflict_goes_back_with_the_message_alone(self, signed_in):
        response = signed_in.post("/test-pages/ledgers/5/transition_unlabelled/")
        assert response.status_code == 302
        assert signed_in.get(response["Location"]).content.decode() == "The ledger is locked."

    def test_a_conflict_on_a_get_is_the_409_refused_page(self, signed_in):
        response = signed_in.get("/test-pages/ledgers/5/transition/")
        assert response.status_code == 409
        content = text(response)
        assert "<h1>The ledger cannot change now</h1>" in content
        assert "The ledger is locked. Current status: Locked." in content
        assert '<a class="button" href="/test-pages/ledgers/5/">Back to the ledger</a>' in content

    def test_redirect_back_false_answers_a_button_with_the_409_page(self, signed_in):
        response = signed_in.post("/test-pages/ledgers/5/transition/no-redirect/")
        assert response.status_code == 409
        content = text(response)
        assert "The ledger is locked. Current status: Locked." in content
        assert 'href="/test-pages/ledgers/5/"' in content

    def test_a_callable_back(self, signed_in):
        response = signed_in.post("/test-pages/ledgers/7/transition/callable/")
        assert response.status_code == 302 and response["Location"] == "/test-pages/ledgers/7/?from=callable"

    def test_invalid_input_without_a_form_is_the_400_page_listing_the_messages(self, signed_in):
        response = signed_in.get("/test-pages/ledgers/5/input/")
        assert response.status_code == 400
        content = text(response)
        assert "Enter a name." in content and "Enter the city." in content

    def test_invalid_input_after_a_button_goes_back_with_every_message(self, signed_in):
        response = signed_in.post("/test-pages/ledgers/5/input/")
        assert response.status_code == 302
        assert signed_in.get(response["Location"]).content.decode().splitlines() == [
            "Enter a name.",
            "Enter the city.",
        ]


class TestMiddleware:
    """A view without the decorator: the middleware maps what escapes it."""

    def test_not_permitted(self, signed_in):
        response = signed_in.get("/test-pages/plain/not_permitted/")
        assert response.status_code == 403 and "Only the treasurer may sign this." in text(response)

    def test_not_found(self, signed_in):
        response = signed_in.get("/test-pages/plain/not_found/")
        assert response.status_code == 404 and "This ledger was archived." in text(response)

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_a_conflict_is_the_409_page_with_a_way_home(self, signed_in, method):
        # Without ``back`` there is no page to go back to: the refusal page says it.
        response = getattr(signed_in, method)("/test-pages/plain/transition/")
        assert response.status_code == 409
        content = text(response)
        assert "The ledger is locked. Current status: Locked." in content
        assert '<a class="button" href="/">' in content

    def test_invalid_input_is_the_400_page(self, signed_in):
        response = signed_in.get("/test-pages/plain/input/")
        assert response.status_code == 400
        content = text(response)
        assert "Enter a name." in content and "Enter the city." in content

    def test_it_leaves_other_exceptions_and_the_api_alone(self):
        middleware = DomainErrorMiddleware(lambda request: HttpResponse())
        factory = RequestFactory()
        assert middleware.process_exception(factory.get("/api/v1/anything/"), ERRORS["transition"]()) is None
        assert middleware.process_exception(factory.get("/anything/"), ValueError("not ours")) is None


class TestApi:
    """Under /api/ the API's own handler answers, in JSON."""

    def test_each_error_is_json(self, api):
        expected = {
            "not_permitted": (403, {"detail": "Only the treasurer may sign this."}),
            "not_found": (404, None),
            "transition": (
                409,
                {"detail": "The ledger is locked.", "code": "invalid_transition", "status": "locked"},
            ),
            "input": (400, {"name": ["Enter a name."], "address": {"city": ["Enter the city."]}}),
        }
        for error, (status, body) in expected.items():
            response = api.get(f"/api/v1/test-pages/{error}/")
            assert response.status_code == status, error
            assert response["Content-Type"] == "application/json", error
            if body is not None:
                assert response.json() == body, error


def test_error_messages_adds_the_status_only_when_labelled():
    assert error_messages(InvalidTransition("x", "Not now.", label="Closed")) == [
        "Not now. Current status: Closed."
    ]
    assert error_messages(InvalidTransition("x", "Not now.")) == ["Not now."]
    assert error_messages(NotPermitted("No.")) == ["No."]
    assert error_messages(InvalidInput({"a": ["One."], "b": {"c": ["Two."]}})) == ["One.", "Two."]


# --- Through the portal's own views -----------------------------------------------------------------


def test_withdrawing_a_withdrawn_enrollment_goes_back_with_the_reason_and_the_status(signed_in, admin):
    enrollment = EnrollmentFactory(partner=PartnerFactory(tenant=admin.tenant), status="withdrawn")
    before = Event.objects.count()
    response = signed_in.post(f"/enrollments/{enrollment.pk}/withdraw/", {"reason": "Again"})
    assert response.status_code == 302 and response["Location"] == f"/enrollments/{enrollment.pk}/"
    page = text(signed_in.get(response["Location"]))
    assert "Only an application without a decision can be withdrawn. Current status: Withdrawn." in page
    assert Enrollment.objects.get(pk=enrollment.pk).status == "withdrawn"
    assert Event.objects.count() == before


def test_a_sales_agent_opening_the_agreement_gets_the_403_page_with_the_reason(client, employee):
    client.force_login(employee)
    response = client.get("/partner/agreement/")
    assert response.status_code == 403
    assert "Only your organization's global admin can do this. Ask them to sign in and do it." in text(
        response
    )


def test_an_unknown_invitation_link_is_the_404_page_with_its_message(signed_in):
    response = signed_in.get("/reseller-invitations/no-such-token/")
    assert response.status_code == 404
    assert "This invitation link is not valid." in text(response)


def test_a_revoked_invitation_link_is_the_409_page_with_its_title_and_way_back(client):
    provider = active_partner(legal_name="Contoso Distribution GmbH")
    IndirectProviderFactory(partner=provider)
    reseller = active_partner(legal_name="Adatum Cloud GmbH")
    reseller_admin = UserFactory(tenant=reseller.tenant, email="lea@adatum.test")
    ResellerInvitation.objects.create(
        provider=provider,
        email="lea@adatum.test",
        status="revoked",
        token_hash=hash_token("a-revoked-token"),
        expires_at="2099-01-01T00:00:00Z",
    )
    client.force_login(reseller_admin)
    response = client.get("/reseller-invitations/a-revoked-token/")
    assert response.status_code == 409
    content = text(response)
    assert "<h1>This invitation cannot be used</h1>" in content
    assert "The provider revoked this invitation. Ask them for a new one. Current status: Revoked." in content
    assert ">Go to Indirect providers</a>" in content


def test_another_partners_relationship_is_the_404_page_with_the_not_found_message(client):
    """The selector's ``NotFound``: another partner's object is simply not found."""
    relationship = ProviderResellerRelationshipFactory()
    outsider = UserFactory(tenant=active_partner(legal_name="Northwind Traders Inc").tenant)
    client.force_login(outsider)
    response = client.post(f"/indirect-providers/{relationship.pk}/remove-admin-access/")
    assert response.status_code == 404
    assert "We could not find this. Check the address, or go back to the overview." in text(response)
    relationship.refresh_from_db()
    assert relationship.admin_access


def test_the_middleware_maps_a_real_undecorated_view(signed_in, admin):
    """``billing.views.customer_order`` has no decorator: the refusal of a partner that is
    not active yet (``acting_partner``'s ``NotPermitted``) reaches the middleware."""
    PartnerFactory(tenant=admin.tenant)
    customer = CustomerRelationshipFactory(role="direct_bill_partner").customer
    response = signed_in.post(
        f"/customers/{customer.pk}/orders/", {"offer": "x", "quantity": 1, "unit_price": "1"}
    )
    assert response.status_code == 403
    assert "Your organization can do this once its enrollment is active" in text(response)


# --- One mapping: nobody maps the errors again --------------------------------------------------------

MAPPED_HERE = {"NotPermitted", "NotFound", "InvalidTransition", "DomainError"}
HTTP_EXCEPTIONS = {"Http404", "PermissionDenied", "get_object_or_404", "get_list_or_404", "HttpResponse"}


def _python_files(*patterns):
    for pattern in patterns:
        for file in sorted(ROOT.glob(pattern)):
            if ".venv" not in file.parts and "migrations" not in file.parts:
                yield file


def _names_in(node) -> set[str]:
    return {
        n.id if isinstance(n, ast.Name) else n.attr
        for n in ast.walk(node)
        if isinstance(n, (ast.Name, ast.Attribute))
    }


def test_page_views_never_catch_a_domain_error():
    """Only ``partnercenter.core.pages`` turns them into pages (forms catch ``InvalidInput``
    through ``call_with_form``)."""
    found = []
    files = list(_python_files("*/views.py", "*/views/*.py", "*/*/views.py", "*/*/views/*.py"))
    assert ROOT / "enrollment" / "views" / "application.py" in files and len(files) > 8
    for file in files:
        for node in ast.walk(ast.parse(file.read_text())):
            if (
                isinstance(node, ast.ExceptHandler)
                and node.type is not None
                and _names_in(node.type) & MAPPED_HERE
            ):
                found.append(f"{file.relative_to(ROOT)}:{node.lineno}")
    assert not found, "Views that map domain errors themselves: " + ", ".join(found)


def test_services_never_raise_http_exceptions():
    found = []
    files = list(_python_files("*/services.py", "*/services/*.py", "*/*/services.py", "*/*/services/*.py"))
    assert {ROOT / "billing" / "services" / "orders.py", ROOT / "partnercenter" / "accounts" / "services.py"} <= set(
        files
    )
    for file in files:
        tree = ast.parse(file.read_text())
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                module = getattr(node, "module", "") or ""
                names = {a.name for a in node.names}
                if module.startswith(("django.http", "rest_framework")) or names & HTTP_EXCEPTIONS:
                    found.append(f"{file.relative_to(ROOT)}:{node.lineno}")
    assert not found, "Services that import HTTP exceptions (raise a domain error instead): " + ", ".join(
        found
    )
