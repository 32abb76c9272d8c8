"""The system's words about a check are a code with parameters, rendered when read in the
reader's language (issue 8): whoever wrote the check in whichever language, a Russian
reader reads Russian, on the page and in the API; people's words stay as written."""

import re
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.utils import translation

from enrollment import check_details
from enrollment.models import CheckKind, VerificationCheck
from enrollment.services.business_profile import business_profile_update
from enrollment.services.checks import enrollment_checks_run
from enrollment.services.review import check_decide
from partnercenter.audit.models import Event
from tests.cast import make_reviewer
from tests.factories import EnrollmentFactory, PartnerFactory, VerificationCheckFactory

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CJK = re.compile(r"[\u3400-\u9fff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


@pytest.fixture
def russian_partner(admin, mpn):
    """The admin's partner, reading Russian, with an enrollment in review whose MPN ID has
    become inactive (a failed check with its reason)."""
    mpn.status = "inactive"
    mpn.save()
    partner = PartnerFactory(tenant=admin.tenant, mpn_id=mpn.mpn_id, language="ru")
    return EnrollmentFactory(partner=partner, status="in_review")


def run_checks_in(language, enrollment):
    with translation.override(language):
        assert enrollment_checks_run(enrollment_id=enrollment.pk)
    return {c.kind: c for c in VerificationCheck.objects.filter(enrollment=enrollment)}


class TestStoredAsCodes:
    def test_a_check_written_in_zh_hans_reads_in_russian_for_a_russian_reader(self, russian_partner):
        check = run_checks_in("zh-hans", russian_partner)["mpn_status"]
        assert (check.detail_code, check.detail_params) == ("mpn_inactive", {"mpn_id": "4820001"})
        assert check.detail_text == ""
        with translation.override("ru"):
            russian = check.detail
        with translation.override("zh-hans"):
            chinese = check.detail
        assert "4820001" in russian and CYRILLIC.search(russian) and not CJK.search(russian)
        assert CJK.search(chinese) and russian != chinese

    def test_countries_and_field_names_read_in_the_readers_language(self, russian_partner):
        check = VerificationCheckFactory(
            enrollment=russian_partner,
            kind=CheckKind.ADDRESS,
            detail=check_details.ADDRESS_OTHER_COUNTRY(country="TW", tenant_country="DE"),
        )
        with translation.override("ru"):
            assert "Германи" in check.detail and "DE" not in check.detail
        with translation.override("en"):
            assert check.detail == "The address is in Taiwan, the tenant in Germany: a reviewer decides."

    def test_unknown_codes_fall_back_to_the_text_as_written(self, russian_partner):
        check = VerificationCheckFactory(
            enrollment=russian_partner, detail_code="retired_code", detail_text="Old words."
        )
        assert check.detail == "Old words."

    def test_every_check_of_a_run_has_a_registered_code(self, russian_partner):
        found = run_checks_in("en", russian_partner)
        assert found and all(check_details.is_registered(c.detail_code) for c in found.values())


class TestReaders:
    def test_status_page_in_russian_after_a_run_in_chinese(self, client, admin, russian_partner):
        run_checks_in("zh-hans", russian_partner)
        client.force_login(admin)
        page = client.get(f"/enrollments/{russian_partner.pk}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
        with translation.override("ru"):
            reason = check_details.MPN_INACTIVE(mpn_id="4820001")
            expected = check_details.render(reason.code, reason.params)
        main = page[page.index("<main") : page.index("</main>")]  # the language switcher aside
        assert expected in main and not CJK.search(main)

    def test_api_checks_in_the_callers_language(self, api, admin, russian_partner):
        run_checks_in("zh-hans", russian_partner)
        api.force_authenticate(admin)
        body = api.get(f"/api/v1/enrollments/{russian_partner.pk}/", HTTP_ACCEPT_LANGUAGE="ru").json()
        check = next(c for c in body["checks"] if c["kind"] == "mpn_status")
        assert check["detail_code"] == "mpn_inactive"
        assert CYRILLIC.search(check["detail"]) and not CJK.search(check["detail"])

    def test_a_reviewers_note_stays_as_written(self, russian_partner):
        reviewer_check = run_checks_in("en", russian_partner)["business_verification"]
        reviewer = make_reviewer()
        with translation.override("zh-hans"):
            check_decide(
                actor=reviewer,
                enrollment=russian_partner,
                kind=reviewer_check.kind,
                result="failed",
                note="公司不存在。",
            )
        reviewer_check.refresh_from_db()
        with translation.override("ru"):
            assert (reviewer_check.detail, reviewer_check.detail_code) == ("公司不存在。", "")


def test_the_changed_fields_of_a_timeline_entry_read_in_the_readers_language(admin):
    partner = PartnerFactory(tenant=admin.tenant)
    EnrollmentFactory(partner=partner, status="active")
    with translation.override("zh-hans"):
        business_profile_update(actor=admin, data={"description": "云服务", "website": "https://fabrikam.de"})
    event = Event.objects.get(kind="business_profile_updated")
    assert event.data["changed"] == ["description", "website"]
    with translation.override("ru"):
        assert event.detail == "Изменено: Описание и Веб-сайт."
    with translation.override("zh-hans"):
        assert "描述和网站" in event.detail


def test_a_reviewer_in_zh_hans_leaves_no_chinese_on_the_russian_partners_page(client, admin, russian_partner):
    run_checks_in("ru", russian_partner)
    staff = Client()  # the reviewer's own browser
    staff.force_login(make_reviewer())
    for kind in ("email_domain", "business_verification"):
        answer = staff.post(
            f"/review/{russian_partner.pk}/checks/{kind}/",
            {"result": "passed"},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
        assert answer.status_code == 302
    client.force_login(admin)
    page = client.get(f"/enrollments/{russian_partner.pk}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    assert main.count("Проверка пройдена") == 2  # the timeline, in the reader's language
    assert not CJK.search(main)
    with translation.override("ru"):
        assert CYRILLIC.search(russian_partner.checks.get(kind="email_domain").detail)
