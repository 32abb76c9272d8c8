"""Whether each program takes applications, through the API (anyone), and program staff
opening and closing direct-bill applications through the API, the review page "Programs"
and the admin: each change goes through the service and writes its audit row; outsiders
and the anonymous get what the review API and pages give them today."""

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from enrollment.models import ProgramSetting
from enrollment.programs import applications_closed_message, program_availability, takes_applications
from enrollment.services.programs import program_set_applications_open
from partnercenter.audit.models import Event
from tests.conftest import api_as
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CLOSED_AT = datetime(2026, 10, 1, 9, 30, tzinfo=UTC)
REASON = "The program takes no new direct-bill partners this year."
URL = "/api/v1/review/programs/direct_bill/"


def program_events():
    return list(Event.objects.filter(object_type="enrollment.programsetting").order_by("id"))


@pytest.fixture
def closed(reviewer, settings, time_machine):
    settings.DIRECT_BILL_APPLICATIONS_OPEN = True
    time_machine.move_to(CLOSED_AT, tick=False)
    return program_set_applications_open(
        actor=reviewer, program="direct_bill", applications_open=False, reason=REASON
    )


# --- GET /api/v1/programs/: anyone --------------------------------------------------------------


class TestProgramList:
    def test_anyone_reads_whether_each_program_takes_applications(self, api, closed):
        response = api.get("/api/v1/programs/")
        assert response.status_code == 200
        rows = {row["program"]: row for row in response.json()}
        assert rows["indirect_reseller"] == {
            "program": "indirect_reseller",
            "name": "Indirect reseller",
            "applications_open": True,
            "closed_since": None,
            "reason": None,
            "message": None,
        }
        direct = rows["direct_bill"]
        assert (direct["applications_open"], direct["reason"]) == (False, REASON)
        assert direct["closed_since"] == "2026-10-01T09:30:00Z"
        assert direct["message"] == applications_closed_message(program_availability("direct_bill"))

    def test_a_fresh_database_shows_the_default(self, api, settings):
        settings.DIRECT_BILL_APPLICATIONS_OPEN = True
        rows = {row["program"]: row for row in api.get("/api/v1/programs/").json()}
        assert rows["direct_bill"]["applications_open"] is True
        settings.DIRECT_BILL_APPLICATIONS_OPEN = False
        rows = {row["program"]: row for row in api.get("/api/v1/programs/").json()}
        assert rows["direct_bill"]["applications_open"] is False
        assert rows["direct_bill"]["closed_since"] is None
        assert rows["direct_bill"]["message"].startswith("Direct-bill applications are closed.")

    def test_signed_in_users_and_the_readers_language(self, admin, outsider, closed):
        for user in (admin, outsider):
            assert api_as(user).get("/api/v1/programs/").status_code == 200
        response = api_as(admin).get("/api/v1/programs/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        direct = next(row for row in response.json() if row["program"] == "direct_bill")
        assert direct["name"] == "直接计费"
        assert "2026年10月1日" in direct["message"]

    def test_one_query(self, api, closed, django_assert_num_queries):
        with django_assert_num_queries(1):
            assert api.get("/api/v1/programs/").status_code == 200


# --- GET|PATCH /api/v1/review/programs/direct_bill/: staff ----------------------------------------


class TestReviewProgramApi:
    def test_only_program_staff_with_the_review_permission(self, api, admin, staff, outsider, settings):
        settings.DIRECT_BILL_APPLICATIONS_OPEN = True
        assert api.get(URL).status_code == 401
        assert (
            api.patch(URL, {"applications_open": False, "reason": REASON}, format="json").status_code == 401
        )
        for user in (admin, staff, outsider):
            client = api_as(user)
            assert client.get(URL).status_code == 403
            response = client.patch(URL, {"applications_open": False, "reason": REASON}, format="json")
            assert response.status_code == 403
        assert takes_applications("direct_bill") and not program_events()

    def test_other_programs_are_not_found(self, reviewer):
        client = api_as(reviewer)
        assert client.get("/api/v1/review/programs/indirect_reseller/").status_code == 404
        assert client.get("/api/v1/review/programs/premier/").status_code == 404
        body = {"applications_open": False, "reason": REASON}
        assert (
            client.patch("/api/v1/review/programs/indirect_reseller/", body, format="json").status_code == 404
        )

    def test_reads_the_state_with_who_and_when(self, reviewer, closed):
        data = api_as(reviewer).get(URL).json()
        assert (data["program"], data["applications_open"], data["reason"]) == ("direct_bill", False, REASON)
        assert data["changed_at"] == data["closed_since"] == "2026-10-01T09:30:00Z"
        assert data["changed_by"]["email"] == "riley@partners.test"
        assert data["message"]

    def test_close_then_open(self, reviewer, settings, time_machine):
        settings.DIRECT_BILL_APPLICATIONS_OPEN = True
        time_machine.move_to(CLOSED_AT, tick=False)
        client = api_as(reviewer)
        response = client.patch(URL, {"applications_open": False, "reason": REASON}, format="json")
        assert response.status_code == 200, response.data
        assert (response.data["applications_open"], response.data["reason"]) == (False, REASON)
        assert not takes_applications("direct_bill")
        response = client.patch(URL, {"applications_open": True}, format="json")
        assert response.status_code == 200
        assert response.data["applications_open"] is True and response.data["message"] is None
        assert [(e.kind, e.actor_id) for e in program_events()] == [
            ("program_applications_closed", reviewer.pk),
            ("program_applications_opened", reviewer.pk),
        ]

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"reason": REASON}, "applications_open"),
            ({"applications_open": "perhaps", "reason": REASON}, "applications_open"),
            ({"applications_open": None, "reason": REASON}, "applications_open"),
            ({"applications_open": False}, "reason"),
            ({"applications_open": False, "reason": "  "}, "reason"),
            ({"applications_open": False, "reason": None}, "reason"),
            ({"applications_open": False, "reason": "x" * 2001}, "reason"),
        ],
    )
    def test_bad_input_is_400_on_the_field(self, reviewer, settings, body, field):
        settings.DIRECT_BILL_APPLICATIONS_OPEN = True
        response = api_as(reviewer).patch(URL, body, format="json", HTTP_ACCEPT_LANGUAGE="ru")
        assert response.status_code == 400
        messages = response.json()[field]
        assert messages and all(isinstance(m, str) and m for m in messages)
        assert not program_events()

    def test_a_body_that_is_not_an_object_is_400(self, reviewer):
        for body in ([1, 2], "close", 3):
            response = api_as(reviewer).patch(URL, body, format="json")
            assert response.status_code == 400
        response = api_as(reviewer).generic("PATCH", URL, "{not json", content_type="application/json")
        assert response.status_code == 400

    def test_the_state_it_is_in_already_is_409(self, reviewer, closed):
        response = api_as(reviewer).patch(URL, {"applications_open": False, "reason": "Again"}, format="json")
        assert response.status_code == 409
        assert response.json()["status"] == "closed"
        assert "already closed" in response.json()["detail"]
        assert len(program_events()) == 1

    def test_in_the_openapi_schema(self, reviewer):
        paths = api_as(reviewer).get("/api/v1/schema/", {"format": "json"}).json()["paths"]
        assert "get" in paths["/api/v1/programs/"]
        operations = paths["/api/v1/review/programs/{program}/"]
        assert {"get", "patch"} <= set(operations)
        assert "requestBody" in operations["patch"] and operations["patch"]["description"]


# --- The review page "Programs" ------------------------------------------------------------------------


class TestReviewPage:
    def test_reachable_from_the_review_navigation(self, client, reviewer):
        client.force_login(reviewer)
        assert 'href="/review/programs/"' in client.get("/review/").content.decode()

    def test_only_program_staff(self, client, admin, staff, outsider):
        response = client.get("/review/programs/")
        assert response.status_code == 302 and "/sign-in/" in response["Location"]
        for user in (admin, staff, outsider):
            client.force_login(user)
            assert client.get("/review/programs/").status_code == 403
            response = client.post(
                "/review/programs/direct_bill/", {"applications_open": "false", "reason": REASON}
            )
            assert response.status_code == 403
        assert not program_events()

    def test_shows_each_program_and_closes_with_a_reason(self, client, reviewer, settings, time_machine):
        settings.DIRECT_BILL_APPLICATIONS_OPEN = True
        time_machine.move_to(CLOSED_AT, tick=False)
        client.force_login(reviewer)
        page = client.get("/review/programs/").content.decode()
        assert "Indirect reseller" in page and "Direct bill" in page
        assert "Never: the default of this installation." in page
        assert 'action="/review/programs/direct_bill/"' in page
        assert "/review/programs/indirect_reseller/" not in page
        response = client.post(
            "/review/programs/direct_bill/", {"applications_open": "false", "reason": REASON}
        )
        assert response.status_code == 302 and response["Location"] == "/review/programs/"
        assert not takes_applications("direct_bill")
        page = client.get("/review/programs/").content.decode()
        assert "Applications are closed. New applications are refused; those submitted continue." in page
        assert "have been closed since Oct. 1, 2026" in page
        # The history: who, when, why.
        assert "Applications closed" in page and "Riley Reviewer" in page and REASON in page
        assert "Open applications" in page
        assert "Note (optional)" in page  # no reason is asked to open
        response = client.post("/review/programs/direct_bill/", {"applications_open": "true", "reason": ""})
        assert response.status_code == 302 and takes_applications("direct_bill")
        assert [e.kind for e in program_events()] == [
            "program_applications_closed",
            "program_applications_opened",
        ]

    def test_closing_without_a_reason_shows_the_error_on_the_form(self, client, reviewer, settings):
        settings.DIRECT_BILL_APPLICATIONS_OPEN = True
        client.force_login(reviewer)
        response = client.post("/review/programs/direct_bill/", {"applications_open": "false", "reason": ""})
        assert response.status_code == 200
        assert "applicants read it" in response.content.decode()
        assert takes_applications("direct_bill") and not program_events()

    def test_a_stale_page_comes_back_with_the_conflict(self, client, reviewer, closed):
        client.force_login(reviewer)
        response = client.post(
            "/review/programs/direct_bill/", {"applications_open": "false", "reason": "Again"}, follow=True
        )
        assert "already closed" in response.content.decode()
        assert len(program_events()) == 1

    def test_bad_posts_never_fail(self, client, reviewer):
        client.force_login(reviewer)
        assert client.post("/review/programs/premier/", {"applications_open": "true"}).status_code == 404
        assert (
            client.post("/review/programs/indirect_reseller/", {"applications_open": "false"}).status_code
            == 404
        )
        response = client.post("/review/programs/direct_bill/", {"applications_open": "maybe"})
        assert response.status_code == 200 and not program_events()
        assert client.get("/review/programs/direct_bill/").status_code == 405

    def test_in_the_readers_language(self, client, reviewer, closed):
        client.force_login(reviewer)
        page = client.get("/review/programs/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
        with translation.override("ru"):
            assert applications_closed_message(program_availability("direct_bill")) in page
        assert "Программы" in page


# --- The admin ----------------------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return UserFactory(tenant=None, roles=[], email="ops@partners.test", is_staff=True, is_superuser=True)


class TestAdmin:
    def test_adding_a_closed_setting_goes_through_the_service(self, client, superuser, settings):
        settings.DIRECT_BILL_APPLICATIONS_OPEN = True
        client.force_login(superuser)
        response = client.post(
            "/admin/enrollment/programsetting/add/", {"program": "direct_bill", "reason": REASON}
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        setting = ProgramSetting.objects.get()
        assert (setting.applications_open, setting.reason, setting.changed_by) == (False, REASON, superuser)
        [event] = program_events()
        assert (event.kind, event.actor_id, event.note) == (
            "program_applications_closed",
            superuser.pk,
            REASON,
        )

    def test_changing_it_goes_through_the_service(self, client, superuser, closed):
        client.force_login(superuser)
        url = "/admin/enrollment/programsetting/direct_bill/change/"
        assert client.get(url).status_code == 200
        response = client.post(url, {"applications_open": "on", "reason": ""})
        assert response.status_code == 302
        assert takes_applications("direct_bill")
        assert [e.kind for e in program_events()] == [
            "program_applications_closed",
            "program_applications_opened",
        ]

    def test_errors_stay_on_the_form_and_write_nothing(self, client, superuser, settings, closed):
        client.force_login(superuser)
        url = "/admin/enrollment/programsetting/direct_bill/change/"
        # The state it is in already.
        response = client.post(url, {"reason": "Another reason"})
        assert response.status_code == 200 and "already closed" in response.content.decode()
        # Closing without a reason.
        settings.DIRECT_BILL_APPLICATIONS_OPEN = False
        ProgramSetting.objects.all().delete()
        settings.DIRECT_BILL_APPLICATIONS_OPEN = True
        response = client.post(
            "/admin/enrollment/programsetting/add/", {"program": "direct_bill", "reason": ""}
        )
        assert response.status_code == 200 and "applicants read it" in response.content.decode()
        # Not a program that closes.
        response = client.post(
            "/admin/enrollment/programsetting/add/", {"program": "indirect_reseller", "reason": REASON}
        )
        assert response.status_code == 200
        assert not ProgramSetting.objects.exists() and len(program_events()) == 1

    def test_no_delete_and_staff_without_the_review_permission_only_read(self, client, closed):
        from django.contrib.auth.models import Permission

        clerk = UserFactory(tenant=None, roles=[], email="clerk@partners.test", is_staff=True)
        clerk.user_permissions.add(
            *Permission.objects.filter(
                codename__in=["view_programsetting", "change_programsetting", "add_programsetting"]
            )
        )
        client.force_login(clerk)
        url = "/admin/enrollment/programsetting/direct_bill/change/"
        assert client.get(url).status_code == 200
        assert client.post(url, {"applications_open": "on"}).status_code == 403
        assert client.get("/admin/enrollment/programsetting/add/").status_code == 403
        assert (
            client.post("/admin/enrollment/programsetting/direct_bill/delete/", {"post": "yes"}).status_code
            == 403
        )
        assert not takes_applications("direct_bill") and len(program_events()) == 1


# --- The demo ---------------------------------------------------------------------------------------------


def test_seed_demo_opens_direct_bill_through_the_service_once(settings):
    settings.DEBUG = True
    settings.DIRECT_BILL_APPLICATIONS_OPEN = False
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "Direct-bill applications: open" in out.getvalue()
    assert takes_applications("direct_bill")
    [event] = program_events()
    assert (event.kind, event.actor.email) == ("program_applications_opened", "reviewer@partners.localhost")
    call_command("seed_demo", stdout=StringIO())
    assert len(program_events()) == 1
