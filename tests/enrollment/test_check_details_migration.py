"""Existing checks' English details become codes (enrollment 0005): a row whose text is one
of the system's former sentences gets its code and parameters and keeps its text as the
fallback; a reviewer's note stays as written; going back gives code-only rows their English
text. Migrates its own database (commits), on one worker, and leaves it at the latest."""

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from enrollment.models import VerificationCheck
from partnercenter.audit.models import Event
from tests.factories import EnrollmentFactory

BEFORE = [("enrollment", "0005_mpn_ownership_check_codes_refusal_link")]
AFTER = [("enrollment", "0006_check_details_to_codes")]
CYRILLIC = re.compile(r"[\u0400-\u04ff]")

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group(name="migrations")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.fixture
def at_0004():
    enrollment = EnrollmentFactory(status="in_review")
    migrate(BEFORE)
    try:
        yield enrollment
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_former_sentences_become_codes_and_notes_stay(at_0004):
    texts = {
        "mpn_country": "The MPN ID is located in TW, the tenant in DE.",
        "address": "The address is incomplete: city, postal_code.",
        "duplicate": "Another enrolled partner has the same legal_name and mpn_id. A reviewer checks whether "
        "this is the same company.",
        "business_verification": "The company exists; I called them.",
    }
    with connection.cursor() as cursor:
        for kind, text in texts.items():
            cursor.execute(
                "INSERT INTO enrollment_verificationcheck "
                "(enrollment_id, kind, result, detail_code, detail_params, detail_text, evidence) "
                "VALUES (%s, %s, 'pending', '', '{}', %s, '{}')",
                [at_0004.pk, kind, text],
            )
    migrate(AFTER)
    rows = {c.kind: c for c in VerificationCheck.objects.filter(enrollment_id=at_0004.pk)}
    assert (rows["mpn_country"].detail_code, rows["mpn_country"].detail_params) == (
        "mpn_country_differs",
        {"mpn_country": "TW", "tenant_country": "DE"},
    )
    assert rows["address"].detail_params == {"fields": ["city", "postal_code"]}
    assert rows["duplicate"].detail_params == {"fields": ["legal_name", "mpn_id"]}
    assert rows["mpn_country"].detail_text == texts["mpn_country"]  # the fallback stays
    with translation.override("ru"):
        assert "Тайвань" in rows["mpn_country"].detail
        assert "почтовый индекс" in rows["address"].detail
    assert (rows["business_verification"].detail_code, rows["business_verification"].detail) == (
        "",
        "The company exists; I called them.",
    )


def test_going_back_writes_the_english_text_of_code_only_rows(at_0004):
    migrate(AFTER)
    VerificationCheck.objects.create(
        enrollment_id=at_0004.pk, kind="bank_account", detail_code="bank_well_formed", detail_params={}
    )
    migrate(BEFORE)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT detail_text FROM enrollment_verificationcheck WHERE enrollment_id = %s", [at_0004.pk]
        )
        assert cursor.fetchall() == [("The bank details are well-formed.",)]


@pytest.fixture
def at_0005(at_0004):
    migrate([("enrollment", "0006_check_details_to_codes")])
    return at_0004


def copied_event(enrollment, kind, detail):
    """A timeline row as enrollment 0003 copied it: the system's text of then as ``detail``."""
    return Event.objects.create(
        kind=kind,
        actor_label="system",
        object_type="enrollment.enrollment",
        object_id=str(enrollment.pk),
        data={"detail": detail},
    )


def test_copied_timeline_rows_get_their_parameters_and_read_in_the_readers_language(at_0005):
    rows = {
        "checks_completed": copied_event(
            at_0005, "checks_completed", "5 passed, 1 failed, 2 left to a reviewer."
        ),
        "agreement_accepted": copied_event(
            at_0005, "agreement_accepted", "Microsoft Partner Agreement 2026-10 (ru), region europe"
        ),
        # written by a reviewer working in Simplified Chinese: the label then was Chinese
        "check_waived": copied_event(at_0005, "check_waived", "地址：已在电话中确认。"),
        "reminder_sent": copied_event(at_0005, "reminder_sent", "jonas@fabrikam.de"),
        "verification_email_sent": copied_event(at_0005, "verification_email_sent", "jonas@fabrikam.de"),
    }
    migrate([("enrollment", "0007_event_details_to_params")])
    for row in rows.values():
        row.refresh_from_db()
    assert rows["checks_completed"].data["passed"] == 5
    assert rows["agreement_accepted"].data["version"] == "2026-10"
    waived = rows["check_waived"]
    assert (waived.data["check"], waived.note) == ("address", "已在电话中确认。")
    assert rows["verification_email_sent"].data == {"detail": "jonas@fabrikam.de"}  # no sentence: as written
    with translation.override("ru"):
        assert rows["checks_completed"].detail.startswith("Пройдено: 5")
        assert waived.detail.startswith("Адрес") and waived.detail.endswith("已在电话中确认。")
        assert "jonas@fabrikam.de" in rows["reminder_sent"].detail and CYRILLIC.search(
            rows["reminder_sent"].detail
        )

    migrate([("enrollment", "0006_check_details_to_codes")])
    waived.refresh_from_db()
    assert (waived.data, waived.note) == ({"detail": "地址：已在电话中确认。"}, "")


def test_copied_listing_updates_list_their_fields_by_label(at_0004):
    migrate([("relationships", "0003_relationship_events_to_audit")])
    try:
        row = Event.objects.create(
            kind="provider_listing_updated",
            actor_label="system",
            object_type="relationships.indirectprovider",
            object_id="1",
            data={"detail": "description, website"},
        )
        migrate([("relationships", "0005_listing_event_fields")])
        row.refresh_from_db()
        assert row.data["changed"] == ["description", "website"]
        with translation.override("ru"):
            assert row.detail == "Изменено: Описание и Веб-сайт."
        migrate([("relationships", "0003_relationship_events_to_audit")])
        row.refresh_from_db()
        assert row.data == {"detail": "description, website"}
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
