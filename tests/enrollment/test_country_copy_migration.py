"""Enrollment 0017 copies the partners' countries onto the enrollments already there and
installs the triggers and the queue's index; going back removes them all, and forward
again fills the copies anew. Migrates its own database (commits), on one worker, and
leaves it at the latest."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from enrollment.models import Enrollment, Partner
from tests.factories import EnrollmentFactory, PartnerFactory

BEFORE = [("enrollment", "0016_incentives")]

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group(name="migrations")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def installed() -> dict:
    """The copy's triggers, the queue's index and the column, as the database has them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'enrollment_enrollment_country%'"
        )
        triggers = sorted(name for (name,) in cursor.fetchall())
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'enrollment_country_queue'")
        index = [definition for (definition,) in cursor.fetchall()]
        columns = [
            c.name for c in connection.introspection.get_table_description(cursor, "enrollment_enrollment")
        ]
    return {"triggers": triggers, "index": index, "column": "country" in columns}


def test_the_migration_fills_the_copies_and_goes_back_and_forth():
    german, french = PartnerFactory(country="DE"), PartnerFactory(country="FR")
    enrollments = [EnrollmentFactory(partner=german), EnrollmentFactory(partner=french, status="in_review")]
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    migrate(BEFORE)
    try:
        assert installed() == {"triggers": [], "index": [], "column": False}
        # A partner moves while there is no copy: the fill reads the countries of now.
        Partner.objects.filter(pk=german.pk).update(country="AT")
    finally:
        migrate(latest)
    found = installed()
    assert found["triggers"] == ["enrollment_enrollment_country_follow", "enrollment_enrollment_country_set"]
    (index,) = found["index"]
    assert "(country, due_at, submitted_at, id) WHERE" in index and "action_needed" in index
    copies = dict(Enrollment.objects.values_list("pk", "country"))
    assert copies == {enrollments[0].pk: "AT", enrollments[1].pk: "FR"}
