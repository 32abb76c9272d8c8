"""Honest due dates: business days are the working days of the partner's country (its
weekend and public holidays from the ``holidays`` package, and China's adjusted working
Saturdays), for every deadline; the status page and the review queue show the same date.
Every test travels to fixed dates."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.utils.formats import date_format

from enrollment.business_days import add_business_days, business_days_between, is_business_day
from enrollment.models import Enrollment
from enrollment.services.review import enrollment_respond
from partnercenter.accounts.models import Role
from tests.conftest import api_as
from tests.factories import EnrollmentFactory, MpnProfileFactory, PartnerFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db

FRIDAY_BEFORE_LUNAR_NEW_YEAR = datetime(2026, 2, 13, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _real_days(settings):
    settings.BUSINESS_DAY_SECONDS = 0
    settings.REVIEW_BUSINESS_DAYS = 5


class TestAddBusinessDays:
    def test_lunar_new_year_in_taiwan_is_skipped(self):
        # 15-20 February 2026 are days off in Taiwan, 27 February (Peace Memorial Day, observed) too.
        due = add_business_days(FRIDAY_BEFORE_LUNAR_NEW_YEAR, 5, "TW")
        assert due == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def test_spring_festival_in_china_is_skipped_and_its_working_saturday_counts(self):
        # 16-20 and 23 February 2026 are days off in China; Saturday 14 February is a working day.
        due = add_business_days(FRIDAY_BEFORE_LUNAR_NEW_YEAR, 5, "CN")
        assert due == datetime(2026, 2, 27, 9, 0, tzinfo=UTC)

    def test_the_russian_new_year_holidays_are_skipped(self):
        due = add_business_days(datetime(2026, 12, 30, 10, 0, tzinfo=UTC), 5, "RU")
        assert due == datetime(2027, 1, 15, 10, 0, tzinfo=UTC)

    def test_the_same_days_in_germany_are_five_weekdays(self):
        assert add_business_days(FRIDAY_BEFORE_LUNAR_NEW_YEAR, 5, "DE") == datetime(
            2026, 2, 20, 9, 0, tzinfo=UTC
        )

    def test_a_public_holiday_of_the_partners_country_only(self):
        # Whit Monday (25 May 2026) is a holiday in Germany, a working day in Taiwan.
        friday = datetime(2026, 5, 22, 12, 0, tzinfo=UTC)
        assert add_business_days(friday, 1, "DE") == datetime(2026, 5, 26, 12, 0, tzinfo=UTC)
        assert add_business_days(friday, 1, "TW") == datetime(2026, 5, 25, 12, 0, tzinfo=UTC)

    def test_a_start_on_a_day_off_counts_from_the_next_working_day(self):
        new_years_day = datetime(2027, 1, 1, 8, 0, tzinfo=UTC)
        assert add_business_days(new_years_day, 1, "RU") == datetime(2027, 1, 12, 8, 0, tzinfo=UTC)

    def test_a_country_the_package_does_not_know_has_monday_to_friday(self):
        # (the package knows every ISO country: this is for a code it does not know, or none)
        for code in ("ZZ", ""):
            assert is_business_day(datetime(2026, 12, 25).date(), code)
            assert not is_business_day(datetime(2026, 12, 26).date(), code)  # a Saturday
            assert add_business_days(FRIDAY_BEFORE_LUNAR_NEW_YEAR, 5, code).day == 20

    def test_the_demo_day_ignores_calendars(self, settings):
        settings.BUSINESS_DAY_SECONDS = 60
        due = add_business_days(FRIDAY_BEFORE_LUNAR_NEW_YEAR, 5, "TW")
        assert (due - FRIDAY_BEFORE_LUNAR_NEW_YEAR).total_seconds() == 300


class TestBusinessDaysBetween:
    def test_holidays_do_not_age_a_file(self):
        start, end = datetime(2026, 2, 13, 12, 0, tzinfo=UTC), datetime(2026, 2, 24, 12, 0, tzinfo=UTC)
        assert business_days_between(start, end, "TW") == 2.0  # Friday afternoon, Monday 23, Tuesday morning
        assert business_days_between(start, end, "DE") == 7.0


@pytest.fixture
def taiwan_admin(db):
    tenant = TenantFactory(name="Contoso Taiwan Ltd.", domain="contosotw.onmicrosoft.com", country="TW")
    MpnProfileFactory(mpn_id="4810001", company_name="Contoso Taiwan Ltd.", country="TW")
    return UserFactory(email="mei@contosotw.onmicrosoft.com", tenant=tenant, roles=[Role.GLOBAL_ADMIN.value])


TAIWAN_APPLICATION = {
    "program": "indirect_reseller",
    "mpn_id": "4810001",
    "legal_business_profile": {
        "company_name": "Contoso Taiwan Ltd.",
        "address": {
            "line1": "信義路五段7號",
            "city": "信義區",
            "state": "台北市",
            "postal_code": "110",
            "country": "TW",
        },
    },
    "primary_contact": {
        "first_name": "Mei",
        "last_name": "Lin",
        "email": "mei.lin@contoso.com.tw",
        "phone": "+886 2 2345 6789",
    },
    "support_profile": {"email": "support@contoso.com.tw", "phone": "+886 2 2345 6790", "website": ""},
    "bank_account": {
        "holder_name": "Contoso Taiwan Ltd.",
        "account_number": "001234567890",
        "routing_number": "8120012",
    },
    "language": "en",
}


def test_a_taiwanese_decision_is_due_after_five_working_days_on_the_status_page_and_in_the_queue(
    client, taiwan_admin, reviewer, committed
):
    with time_machine.travel(FRIDAY_BEFORE_LUNAR_NEW_YEAR, tick=False):
        with committed():
            created = api_as(taiwan_admin).post("/api/v1/enrollments/", TAIWAN_APPLICATION, format="json")
        assert created.status_code == 201, created.data
        token = mail.outbox[-1].body.split("/verify-email/")[1].split("/")[0]
        with committed():
            confirmed = client.post("/api/v1/email-verifications/", {"token": token}, format="json")
        assert confirmed.status_code == 200, confirmed.content
        enrollment = Enrollment.objects.get(pk=created.data["id"])
        assert enrollment.due_at == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        assert (
            api_as(taiwan_admin)
            .get(f"/api/v1/enrollments/{enrollment.pk}/")
            .data["due_at"]
            .startswith("2026-03-02T09:00")
        )
        shown = date_format(enrollment.due_at, "DATE_FORMAT")  # "March 2, 2026"
        client.force_login(taiwan_admin)
        status_page = client.get(f"/enrollments/{enrollment.pk}/").content.decode()
        client.force_login(reviewer)
        queue = client.get("/review/").content.decode()
    assert shown in status_page
    assert shown in queue


def test_the_reminder_counts_the_partners_working_days(taiwan_admin, committed):
    with time_machine.travel(FRIDAY_BEFORE_LUNAR_NEW_YEAR, tick=False), committed():
        created = api_as(taiwan_admin).post("/api/v1/enrollments/", TAIWAN_APPLICATION, format="json")
    assert Enrollment.objects.get(pk=created.data["id"]).remind_at == datetime(2026, 2, 23, 9, 0, tzinfo=UTC)


@time_machine.travel(FRIDAY_BEFORE_LUNAR_NEW_YEAR, tick=False)
def test_an_answer_to_a_request_sets_a_due_date_in_working_days(taiwan_admin):
    enrollment = EnrollmentFactory(
        partner=PartnerFactory(tenant=taiwan_admin.tenant, country="TW"), status="action_needed"
    )
    enrollment = enrollment_respond(actor=taiwan_admin, enrollment=enrollment, message="Here is the proof.")
    assert enrollment.due_at == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
