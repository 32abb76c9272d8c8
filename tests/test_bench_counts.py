"""The bench's counts (``benchmarks.middleware``): queries, rows returned and rows read per
request, as the bench reads them from the response headers. Never times anything."""

import pytest
from django.conf import settings
from django.test import override_settings

from benchmarks.middleware import rows_read
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db

BENCH = override_settings(
    ROOT_URLCONF="benchmarks.urls", MIDDLEWARE=["benchmarks.middleware.QueryCounter", *settings.MIDDLEWARE]
)


def test_rows_read_adds_up_every_scan_with_its_loops_and_what_filters_removed():
    plan = {
        "Node Type": "Nested Loop",
        "Actual Rows": 5,
        "Actual Loops": 1,
        "Plans": [
            {"Node Type": "Seq Scan", "Actual Rows": 5, "Rows Removed by Filter": 95, "Actual Loops": 1},
            {"Node Type": "Index Scan", "Actual Rows": 1, "Actual Loops": 5},
        ],
    }
    assert rows_read(plan) == 100 + 5


@BENCH
def test_the_floor_makes_one_query_and_says_so(client):
    response = client.get("/bench/floor/?mpn=123")
    assert response.status_code == 200
    assert response["X-Bench-Queries"] == "1"
    assert response["X-Bench-Rows"] == "0"
    assert "X-Bench-Rows-Read" not in response


@BENCH
def test_on_request_it_says_how_many_rows_postgresql_read(client):
    from enrollment.models import Partner

    tenant = TenantFactory()
    Partner.objects.create(
        tenant=tenant, mpn_id="123", legal_name="Fabrikam", address_line1="Main Street 1", city="Berlin",
        country="DE", contact_first_name="Jonas", contact_last_name="Becker", contact_email="j@fabrikam.de",
        contact_phone="+49 30 1234567", support_email="s@fabrikam.de", support_phone="+49 30 1234568",
    )  # fmt: skip
    response = client.get("/bench/floor/?mpn=123", HTTP_X_BENCH_EXPLAIN="1")
    assert response.content == b"Fabrikam"
    assert response["X-Bench-Queries"] == "1"
    assert response["X-Bench-Rows"] == "1"
    assert int(response["X-Bench-Rows-Read"]) >= 1
