"""The planner's settings every PostgreSQL connection carries (issue 12): with its default
random_page_cost (4, for spinning disks) PostgreSQL read all 200,000 customers to list 50
of a provider's, and all 60,000 partners to list 20 resellers."""

import pytest
from django.db import connection

from partnercenter.settings.database import DATABASE_RANDOM_PAGE_COST, tuned


@pytest.mark.django_db
def test_the_suites_connection_plans_for_ssd_storage():
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        (value,) = cursor.fetchone()
    assert float(value) == DATABASE_RANDOM_PAGE_COST == 1.1


def test_tuned_adds_to_the_options_of_postgresql_only():
    postgres = tuned(
        {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"options": "-c statement_timeout=5000"}}
    )
    assert postgres["OPTIONS"]["options"] == "-c statement_timeout=5000 -c random_page_cost=1.1"
    assert tuned({"ENGINE": "django.db.backends.postgresql"})["OPTIONS"] == {
        "options": "-c random_page_cost=1.1"
    }
    assert "OPTIONS" not in tuned({"ENGINE": "django.db.backends.sqlite3"})
