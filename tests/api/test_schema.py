"""The OpenAPI schema documents the error answers API.md promises, by rule, for every
operation (``partnercenter.core.schema.PortalAutoSchema``), and every enum of a query
parameter it documents is enforced: an unknown value is 400 naming the parameter
(``partnercenter.core.query``). Both read the whole schema, so an API view added later is
held to them without a line of its own."""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from ..authorization_world import api_key, build_world

pytestmark = pytest.mark.django_db

SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
OPERATIONS = [
    (method.upper(), path, operation)
    for path, item in SCHEMA["paths"].items()
    for method, operation in item.items()
    if method in ("get", "post", "put", "patch", "delete")
]


def _operation(method, path):
    return SCHEMA["paths"][path][method.lower()]


def _ref(response):
    return response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]


class TestErrorAnswers:
    def test_every_operation_documents_429_and_where_credentials_are_read_401(self):
        for method, path, operation in OPERATIONS:
            codes = ["429"] + (["401"] if any(operation.get("security", [])) else [])
            for code in codes:
                assert code in operation["responses"], f"{method} {path} documents no {code}"
                assert _ref(operation["responses"][code]) == "Error"
            assert "Retry-After" in operation["responses"]["429"]["headers"]

    def test_a_state_change_documents_400_403_404_and_409(self):
        responses = _operation("POST", "/api/v1/review/enrollments/{id}/claim/")["responses"]
        assert {"200", "400", "401", "403", "404", "409", "429"} <= set(responses)
        assert _ref(responses["409"]) == "Conflict"
        assert _ref(responses["400"]) == "ValidationError"

    def test_an_anonymous_read_documents_no_403(self):
        responses = _operation("GET", "/api/v1/markets/")["responses"]
        assert "403" not in responses and "409" not in responses

    def test_what_a_view_declares_itself_wins(self):
        # MpnDetailView says what its 404 means.
        assert (
            _operation("GET", "/api/v1/mpn/{mpn_id}/")["responses"]["404"]["description"] == "Unknown MPN ID"
        )

    def test_the_conflict_body_is_the_one_the_api_answers(self):
        conflict = SCHEMA["components"]["schemas"]["Conflict"]
        assert conflict["required"] == ["detail", "code", "status"]
        code = conflict["properties"]["code"]
        if "$ref" in code:  # drf-spectacular names the enums it finds
            code = SCHEMA["components"]["schemas"][code["$ref"].rsplit("/", 1)[-1]]
        assert code["enum"] == ["invalid_transition"]


def _enum_parameters():
    for method, path, operation in OPERATIONS:
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and "enum" in parameter.get("schema", {}):
                yield method, path, parameter["name"]


ENUMS = list(_enum_parameters())


def test_the_review_queue_documents_its_filters_as_enums():
    assert {name for method, path, name in ENUMS if path == "/api/v1/review/enrollments/"} >= {
        "status",
        "program",
        "assignee",
        "ordering",
    }


@pytest.mark.parametrize(("method", "path", "name"), ENUMS, ids=[f"{m} {p} {n}" for m, p, n in ENUMS])
def test_an_unknown_enum_value_is_400_naming_the_parameter(method, path, name):
    world = build_world()
    user = world.people["reviewer" if path.startswith("/api/v1/review/") else ("provider", "admin")]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_key(user)}")
    # An object the URL names is any id: the query is checked before any object is looked up.
    url = re.sub(r"\{\w+\}", "00000000-0000-4000-8000-000000000000", path)
    response = api.generic(method, f"{url}?{name}=not-a-choice")
    assert response.status_code == 400, (path, name, response.status_code)
    assert name in response.json(), response.json()


class TestReviewQueueFilters:
    URL = "/api/v1/review/enrollments/"

    @pytest.fixture
    def staff_api(self, reviewer):
        api = APIClient()
        api.force_authenticate(reviewer)
        return api

    def test_an_unknown_status_says_which_values_work(self, staff_api):
        response = staff_api.get(self.URL, {"status": "lost"})
        assert response.status_code == 400
        assert "in_review" in response.json()["status"][0]

    def test_an_unknown_ordering_says_which_values_work(self, staff_api):
        response = staff_api.get(self.URL, {"ordering": "name"})
        assert response.status_code == 400
        assert "-submitted_at" in response.json()["ordering"][0]

    @pytest.mark.parametrize(
        "query", [{}, {"status": ""}, {"overdue": "true"}, {"overdue": "0"}, {"ordering": "-due_at"}]
    )
    def test_known_values_and_empty_ones_are_no_error(self, staff_api, query):
        assert staff_api.get(self.URL, query).status_code == 200

    def test_overdue_is_true_or_false(self, staff_api):
        response = staff_api.get(self.URL, {"overdue": "maybe"})
        assert response.status_code == 400 and "overdue" in response.json()
