"""Staff open and close direct-bill applications (issue 9, "Staff open and close it"): the
service (who, lock, reason, one audit row, no-op refused), the default of a fresh database
read at call time, the message that says why and since when in the reader's language, the
wizard and the API's 400 that say it, and an application already submitted that a closing
does not touch. The API, the review page and the admin: test_programs_staff.py."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from enrollment.models import Enrollment, Program, ProgramSetting
from enrollment.programs import (
    applications_closed_message,
    program_availabilities,
    program_availability,
    takes_applications,
)
from enrollment.selectors import agreement_template_for
from enrollment.services.agreements import agreement_accept
from enrollment.services.application import enrollment_submit
from enrollment.services.checks import enrollment_checks_run
from enrollment.services.confirmation import email_verification_confirm
from enrollment.services.direct_bill import (
    STEPS_OF_THEIR_OWN,
    enrollment_answer_questionnaire,
    enrollment_confirm_support_plan,
)
from enrollment.services.programs import program_set_applications_open
from enrollment.services.review import check_decide, enrollment_approve
from partnercenter.audit.models import Event
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotPermitted
from partnercenter.notifications.models import Notification
from tests.conftest import api_as
from tests.enrollment.direct_bill import ANSWERS
from tests.factories import AgreementTemplateFactory

pytestmark = pytest.mark.django_db

CLOSED_AT = datetime(2026, 10, 1, 9, 30, tzinfo=UTC)
REASON = "The program takes no new direct-bill partners this year."


def close(reviewer, reason=REASON, **kwargs):
    return program_set_applications_open(
        actor=reviewer, program="direct_bill", applications_open=False, reason=reason, **kwargs
    )


def open_(reviewer, reason=""):
    return program_set_applications_open(
        actor=reviewer, program="direct_bill", applications_open=True, reason=reason
    )


def program_events():
    return list(Event.objects.filter(object_type="enrollment.programsetting").order_by("id"))


@pytest.fixture
def closed(reviewer, settings, time_machine):
    """Direct bill opened by default (the setting), then closed by staff on 1 October 2026."""
    settings.DIRECT_BILL_APPLICATIONS_OPEN = True
    time_machine.move_to(CLOSED_AT, tick=False)
    return close(reviewer)


# --- The default: DIRECT_BILL_APPLICATIONS_OPEN, read at call time ------------------------------


class TestDefault:
    def test_a_fresh_database_reads_the_setting_at_call_time(self, settings):
        settings.DIRECT_BILL_APPLICATIONS_OPEN = False
        assert not takes_applications("direct_bill")
        settings.DIRECT_BILL_APPLICATIONS_OPEN = True
        assert takes_applications("direct_bill")
        # The indirect reseller path is always open: a closed direct bill steers there.
        settings.DIRECT_BILL_APPLICATIONS_OPEN = False
        assert takes_applications("indirect_reseller")
        # Reading writes nothing: no data migration, no row until staff change it.
        assert not ProgramSetting.objects.exists()
        default = program_availability("direct_bill")
        assert default._state.adding and default.changed_at is None and default.reason == ""

    def test_once_staff_changed_it_the_setting_no_longer_counts(self, closed, settings):
        settings.DIRECT_BILL_APPLICATIONS_OPEN = True
        assert not takes_applications("direct_bill")

    def test_every_program_in_one_query(self, closed, django_assert_num_queries):
        with django_assert_num_queries(1):
            rows = program_availabilities()
            assert [(s.program, s.applications_open) for s in rows] == [
                ("indirect_reseller", True),
                ("direct_bill", False),
            ]
            assert rows[1].changed_by.email == "riley@partners.test"


# --- The service ---------------------------------------------------------------------------------


class TestOpenAndClose:
    def test_closing_records_who_when_and_why_on_one_audit_row(self, closed, reviewer):
        setting = ProgramSetting.objects.get(program="direct_bill")
        assert not setting.applications_open
        assert (setting.reason, setting.changed_at, setting.changed_by) == (REASON, CLOSED_AT, reviewer)
        [event] = program_events()
        assert (event.kind, event.object_id, event.from_state, event.to_state) == (
            "program_applications_closed",
            "direct_bill",
            "open",
            "closed",
        )
        assert (event.actor, event.at, event.note, event.tenant_id) == (reviewer, CLOSED_AT, REASON, None)
        assert event.data == {"program": "direct_bill"}
        assert event.label == "Applications closed"
        assert "those submitted continue" in event.sentence

    def test_opening_again_clears_the_reason_and_keeps_the_note(self, closed, reviewer):
        setting = open_(reviewer, reason="New partners are welcome again.")
        assert setting.applications_open and setting.reason == ""
        assert applications_closed_message(setting) == ""
        assert takes_applications("direct_bill")
        assert [(e.kind, e.from_state, e.to_state, e.note) for e in program_events()] == [
            ("program_applications_closed", "open", "closed", REASON),
            ("program_applications_opened", "closed", "open", "New partners are welcome again."),
        ]

    def test_the_row_is_locked_before_it_changes(self, reviewer, settings):
        settings.DIRECT_BILL_APPLICATIONS_OPEN = True
        with CaptureQueriesContext(connection) as queries:
            close(reviewer)
        sql = [q["sql"] for q in queries.captured_queries]
        locked = next(i for i, s in enumerate(sql) if "FOR UPDATE" in s and "programsetting" in s)
        updated = next(i for i, s in enumerate(sql) if s.startswith("UPDATE") and "programsetting" in s)
        assert locked < updated

    @pytest.mark.parametrize("reason", ["", "   \n "])
    def test_a_reason_is_required_to_close(self, reviewer, settings, reason):
        settings.DIRECT_BILL_APPLICATIONS_OPEN = True
        with pytest.raises(InvalidInput) as exc:
            close(reviewer, reason=reason)
        assert list(exc.value.errors) == ["reason"]
        assert "applicants read it" in exc.value.errors["reason"][0]
        assert takes_applications("direct_bill") and not ProgramSetting.objects.exists()
        assert not program_events()

    def test_a_reason_too_long_is_refused(self, reviewer, settings):
        settings.DIRECT_BILL_APPLICATIONS_OPEN = True
        with pytest.raises(InvalidInput) as exc:
            close(reviewer, reason="x" * 2001)
        assert list(exc.value.errors) == ["reason"]

    @pytest.mark.parametrize(
        ("program", "applications_open", "field"),
        [
            ("indirect_reseller", False, "program"),
            ("premier", False, "program"),
            (None, True, "program"),
            ("direct_bill", "no", "applications_open"),
            ("direct_bill", None, "applications_open"),
        ],
    )
    def test_bad_input_names_the_field(self, reviewer, program, applications_open, field):
        with pytest.raises(InvalidInput) as exc:
            program_set_applications_open(
                actor=reviewer, program=program, applications_open=applications_open, reason=REASON
            )
        assert field in exc.value.errors
        assert not ProgramSetting.objects.exists() and not program_events()

    def test_the_same_state_again_is_refused_and_writes_nothing(self, closed, reviewer, settings):
        with pytest.raises(InvalidTransition) as exc:
            close(reviewer, reason="Another reason")
        assert exc.value.status == "closed"
        assert str(exc.value.message) == "Direct bill applications are already closed. Nothing was changed."
        assert ProgramSetting.objects.get().reason == REASON
        assert len(program_events()) == 1

    def test_opening_an_open_default_is_refused_and_creates_no_row(self, reviewer, settings):
        settings.DIRECT_BILL_APPLICATIONS_OPEN = True
        with pytest.raises(InvalidTransition):
            open_(reviewer)
        assert not ProgramSetting.objects.exists() and not program_events()

    def test_only_program_staff_with_the_review_permission(self, admin, staff, outsider, settings):
        settings.DIRECT_BILL_APPLICATIONS_OPEN = True
        for actor in (None, admin, staff, outsider):
            with pytest.raises(NotPermitted):
                close(actor)
        assert takes_applications("direct_bill") and not program_events()


# --- What applicants read --------------------------------------------------------------------------


class TestTheMessage:
    @pytest.mark.parametrize(
        ("language", "words"),
        [
            ("en", ["Direct-bill applications have been closed since Oct. 1, 2026.", f"“{REASON[:-1]}”."]),
            ("ru", ["1 октября 2026", f"«{REASON[:-1]}».", "непрямой торговый посредник"]),
            ("zh-hant", ["2026年10月1日", f"「{REASON[:-1]}」。", "間接經銷商"]),
            ("zh-hans", ["2026年10月1日", f"“{REASON[:-1]}”。", "间接经销商"]),
        ],
    )
    def test_why_and_since_when_in_the_readers_language(self, closed, language, words):
        with translation.override(language):
            message = applications_closed_message(program_availability("direct_bill"))
        for word in words:
            assert word in message, (language, message)

    def test_steers_to_the_indirect_reseller_path(self, closed):
        message = applications_closed_message(program_availability("direct_bill"))
        assert message.endswith("Enroll as an indirect reseller and work with an indirect provider.")

    def test_closed_by_default_says_so_without_a_date(self, settings):
        settings.DIRECT_BILL_APPLICATIONS_OPEN = False
        assert applications_closed_message(program_availability("direct_bill")) == (
            "Direct-bill applications are closed. "
            "Enroll as an indirect reseller and work with an indirect provider."
        )

    def test_open_says_nothing(self, settings):
        settings.DIRECT_BILL_APPLICATIONS_OPEN = True
        assert applications_closed_message(program_availability("direct_bill")) == ""


# --- New applications refused, the same words everywhere --------------------------------------------


def _message():
    return applications_closed_message(program_availability("direct_bill"))


class TestNewApplications:
    def test_the_service_refuses_on_program_with_the_message(self, closed, admin, application):
        application["program"] = "direct_bill"
        with pytest.raises(InvalidInput) as exc:
            enrollment_submit(actor=admin, application=application)
        assert exc.value.errors["program"] == [_message()]
        assert not Enrollment.objects.exists()

    def test_the_api_answers_400_on_program_with_the_same_message(self, closed, admin, application):
        application["program"] = "direct_bill"
        response = api_as(admin).post(
            "/api/v1/enrollments/", application, format="json", HTTP_ACCEPT_LANGUAGE="ru"
        )
        assert response.status_code == 400
        with translation.override("ru"):
            assert response.json()["program"] == [_message()]
        assert "1 октября 2026" in response.json()["program"][0]

    def test_opened_by_staff_the_application_is_taken(self, reviewer, admin, application, settings):
        settings.DIRECT_BILL_APPLICATIONS_OPEN = False
        open_(reviewer)
        application["program"] = "direct_bill"
        response = api_as(admin).post("/api/v1/enrollments/", application, format="json")
        assert response.status_code == 201, response.data
        assert response.data["program"] == "direct_bill"

    def test_the_indirect_reseller_path_stays_open(self, closed, admin, application):
        response = api_as(admin).post("/api/v1/enrollments/", application, format="json")
        assert response.status_code == 201, response.data


class TestTheWizard:
    def test_closed_the_wizard_says_why_and_since_when_and_refuses(self, closed, client, admin):
        client.force_login(admin)
        client.get("/enroll/apply/")
        page = client.get("/enroll/apply/program/").content.decode()
        assert 'value="direct_bill" disabled' in page
        assert "have been closed since Oct. 1, 2026" in page
        assert REASON[:-1] in page
        assert "Enroll as an indirect reseller" in page
        response = client.post(
            "/enroll/apply/program/",
            {"enrollment_wizard-current_step": "program", "program-program": "direct_bill"},
        )
        assert response.context["form"].errors["program"] == [_message()]

    def test_in_the_readers_language(self, closed, client, admin):
        admin.language = "zh-hant"
        client.force_login(admin)
        page = client.get("/enroll/apply/program/", HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
        with translation.override("zh-hant"):
            assert _message() in page

    def test_opened_direct_bill_may_be_chosen(self, reviewer, client, admin, settings):
        settings.DIRECT_BILL_APPLICATIONS_OPEN = False
        open_(reviewer)
        client.force_login(admin)
        client.get("/enroll/apply/")
        page = client.get("/enroll/apply/program/").content.decode()
        assert 'value="direct_bill" disabled' not in page
        assert "Bill your customers yourself." in page
        response = client.post(
            "/enroll/apply/program/",
            {"enrollment_wizard-current_step": "program", "program-program": "direct_bill"},
        )
        assert response.status_code == 302


# --- A closing never touches applications already submitted -------------------------------------------


def test_an_open_direct_bill_application_continues_through_its_moves_after_a_closing(
    reviewer, admin, application, settings, django_capture_on_commit_callbacks
):
    settings.DIRECT_BILL_APPLICATIONS_OPEN = True
    application["program"] = "direct_bill"
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = enrollment_submit(actor=admin, application=application)
    close(reviewer)
    assert not takes_applications("direct_bill")

    with django_capture_on_commit_callbacks(execute=True):
        enrollment_answer_questionnaire(actor=admin, enrollment=enrollment, answers=ANSWERS)
    contact = application["primary_contact"]
    link = Notification.objects.filter(template="enrollment_verify_email").latest("created_at").context
    with django_capture_on_commit_callbacks(execute=True):
        email_verification_confirm(token=link["verify_url"].rstrip("/").rsplit("/", 1)[1])
    enrollment_checks_run(enrollment_id=enrollment.pk)
    enrollment.refresh_from_db()
    assert enrollment.status == "in_review"
    for check in enrollment.checks.exclude(result__in=["passed", "waived"]).exclude(
        kind__in=STEPS_OF_THEIR_OWN
    ):
        with django_capture_on_commit_callbacks(execute=True):
            check_decide(
                actor=reviewer, enrollment=enrollment, kind=check.kind, result="waived", note="Seen."
            )
    assert enrollment.credit_line is not None  # the credit check ran after the shared steps
    enrollment_confirm_support_plan(actor=admin, enrollment=enrollment, plan="asfp")
    enrollment_approve(actor=reviewer, enrollment=enrollment, note="Verified.")
    AgreementTemplateFactory(program="direct_bill", language="en", name="Direct-bill terms")
    template = agreement_template_for(Program.DIRECT_BILL, ["en"])
    agreement_accept(actor=admin, template_id=template.pk, primary_contact=contact)
    enrollment.refresh_from_db()
    assert enrollment.status == "active"
    # Still closed for new applications.
    assert not takes_applications("direct_bill")
