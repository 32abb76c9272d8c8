"""The regression guard of issue 12, timing nothing: the review queue (page and API), a
partner's status page and a provider's customers (page and API) read a bounded number of
rows and keep a constant number of queries as their tables grow. Each is measured at two
sizes that both pass the page size: the queries, and the rows the database hands back
(``cursor.rowcount`` of every statement), are the same at both; and the list's own query
carries a LIMIT. One country's queue is measured by the rows PostgreSQL reads too (EXPLAIN
ANALYZE, as the bench counts them): a page of its index, not the country's every file."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.pagination import PageNumberPagination

from benchmarks.middleware import rows_read
from enrollment import events
from enrollment import selectors as enrollment_selectors
from enrollment.models import Enrollment
from enrollment.services.common import record
from enrollment.views import review as review_views
from relationships import customer_list_selectors
from relationships import selectors as relationship_selectors
from relationships.views import customers as customer_views
from tests.cast import make_reseller, share_customer
from tests.conftest import api_as
from tests.factories import EnrollmentFactory, PartnerFactory

pytestmark = pytest.mark.django_db

PAGE = 5  # every list's page, made small so that a few rows pass it
SIZES = (8, 20)


@pytest.fixture(autouse=True)
def _small_pages(monkeypatch, settings):
    monkeypatch.setattr(review_views, "PAGE_SIZE", PAGE)
    monkeypatch.setattr(customer_views, "PAGE_SIZE", PAGE)
    monkeypatch.setattr(PageNumberPagination, "page_size", PAGE)
    monkeypatch.setattr(customer_list_selectors, "RESELLER_FILTER_MAX", PAGE)
    settings.TIMELINE_PAGE_SIZE = PAGE
    settings.GENERATIONS_CACHE = False  # each list as computed: a kept one reads no table


@contextmanager
def reads():
    """Every statement run inside, with the rows it returned."""
    statements = []

    def count(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        statements.append((sql, context["cursor"].rowcount))
        return result

    with connection.execute_wrapper(count):
        yield statements


def measure(fetch, grow) -> list:
    """``fetch`` after ``grow`` to each size: its statements and rows at each."""
    measured = []
    for size in SIZES:
        grow(size)
        fetch()  # sessions, caches and the like settle on a first request
        with reads() as statements:
            response = fetch()
        assert response.status_code == 200
        measured.append(statements)
    return measured


def assert_bounded(measured, table: str, most: int = max(PAGE, 8)):
    small, large = measured
    assert len(small) == len(large), "the number of queries grows with the table"
    assert [rows for _sql, rows in small] == [rows for _sql, rows in large], (
        "the rows read grow with the table"
    )
    assert max(rows for _sql, rows in large) <= most  # a page (or the statuses' counts)
    listing = [sql for sql, _rows in large if f'FROM "{table}"' in sql and "ORDER BY" in sql]
    assert listing and all(" LIMIT " in sql for sql in listing), "a list is read without a LIMIT"


def grow_queue(size):
    submitted = timezone.now() - timedelta(days=2)
    while EnrollmentFactory._meta.model.objects.count() < size:
        EnrollmentFactory(
            status="in_review", submitted_at=submitted, due_at=submitted, partner=PartnerFactory(country="FR")
        )


@pytest.mark.parametrize(
    "url",
    [
        "/review/",
        "/review/?country=FR",
        "/review/?country=FR&overdue=on",
        "/api/v1/review/enrollments/",
        "/api/v1/review/enrollments/?country=FR",
    ],
)
def test_the_review_queue(client, reviewer, url):
    client.force_login(reviewer)
    assert_bounded(measure(lambda: client.get(url), grow_queue), "enrollment_enrollment")


@contextmanager
def filtering_on(column_test: str):
    """The statements inside whose SQL holds ``column_test``, with their parameters."""
    statements = []

    def keep(execute, sql, params, many, context):
        if column_test in sql:
            statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        yield statements


def assert_a_page_of_its_index(client, url, grow, column_test: str, what: str) -> None:
    """The statements of ``url`` that filter with ``column_test`` (the list and its capped
    count) read no more rows at the larger of ``SIZES`` (``grow(size)``), and about a page."""
    measured = []
    for size in SIZES:
        grow(size)
        with connection.cursor() as cursor:
            # The planner's estimates from the rows there are, not from a table that the
            # tests before (rolled back) left several times its size.
            cursor.execute("ANALYZE enrollment_enrollment")
        with filtering_on(column_test) as statements:
            assert client.get(url).status_code == 200
        measured.append([read_by_postgresql(sql, params) for sql, params in statements])
    small, large = measured
    assert len(large) == 2, "the list and its count"
    # No more at the larger size (at the smaller one the planner may read its few rows whole).
    assert all(at_large <= at_small for at_small, at_large in zip(small, large, strict=True)), (
        f"the rows read grow with {what}: {small} -> {large}"
    )
    assert max(large) <= 2 * (PAGE + 1)  # a page of files and their partners


def read_by_postgresql(sql, params) -> int:
    """The rows PostgreSQL's scans read for ``sql`` (``benchmarks.middleware.rows_read``).
    Sequential and bitmap scans are priced out: the tables here are a few pages, which
    PostgreSQL reads whole whatever their indexes; at volume it prices them out itself."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_bitmapscan")
    return rows_read(plan[0]["Plan"])


@pytest.mark.parametrize("url", ["/review/?country=DE", "/api/v1/review/enrollments/?country=DE"])
def test_one_countrys_queue_reads_a_page_of_its_index(client, monkeypatch, reviewer, url):
    """Its list and its capped count read as many rows with 8 files of the country as with
    20 (and as many of another country): before the copy, the join to the partners read
    every file of the country to sort them."""
    monkeypatch.setattr(enrollment_selectors, "QUEUE_COUNT_MAX", PAGE)
    client.force_login(reviewer)
    submitted = timezone.now() - timedelta(days=2)

    def grow(size):
        while Enrollment.objects.filter(country="DE").count() < size:
            for country, hours in (("DE", size), ("FR", 0)):
                EnrollmentFactory(
                    status="in_review",
                    submitted_at=submitted,
                    due_at=submitted + timedelta(hours=hours),
                    partner=PartnerFactory(country=country),
                )

    assert_a_page_of_its_index(
        client, url, grow, '"enrollment_enrollment"."country" =', "the country's queue"
    )


@pytest.mark.parametrize("url", ["/review/?overdue=on", "/api/v1/review/enrollments/?overdue=true"])
def test_the_overdue_queue_reads_a_page_of_its_index(client, monkeypatch, reviewer, url):
    """Its list and its capped count read as many rows with 8 overdue files as with 20 (and
    as many files in review not due yet): before its partial index, the count read every
    file in review and every past due date."""
    monkeypatch.setattr(enrollment_selectors, "QUEUE_COUNT_MAX", PAGE)
    client.force_login(reviewer)
    now = timezone.now()

    def grow(size):
        while Enrollment.objects.filter(due_at__lt=now).count() < size:
            for hours in (-size, size):
                EnrollmentFactory(
                    status="in_review",
                    submitted_at=now - timedelta(days=9),
                    due_at=now + timedelta(hours=hours),
                )

    assert_a_page_of_its_index(client, url, grow, '"enrollment_enrollment"."due_at" <', "the overdue files")


def _reminder(enrollment, i):
    record(enrollment, events.REMINDER_SENT, email=f"e{i}@x.de", at=timezone.now() - timedelta(minutes=i))


def _decision(enrollment, i):
    """A check decided again and again (and appealed): only its latest decision is read."""
    kind = events.APPEAL_SUBMITTED if i % 3 == 0 else events.CHECK_DECIDED["waived"]
    record(
        enrollment, kind, note=f"Seen {i}.", check="email_domain", at=timezone.now() - timedelta(minutes=i)
    )


@pytest.mark.parametrize("history", [_reminder, _decision], ids=["reminders", "decisions"])
@pytest.mark.parametrize("where", ["page", "api"])
def test_the_status_page_and_the_enrollment(client, admin, where, history):
    enrollment = EnrollmentFactory(partner=PartnerFactory(tenant=admin.tenant), status="in_review")
    client.force_login(admin)

    def grow(size):
        for i in range(len(enrollment.events), size):
            history(enrollment, i)

    url = f"/enrollments/{enrollment.pk}/" if where == "page" else f"/api/v1/enrollments/{enrollment.pk}/"
    measured = measure(lambda: client.get(url), grow)
    small, large = measured
    assert len(small) == len(large)
    assert [rows for _sql, rows in small] == [rows for _sql, rows in large]
    assert max(rows for _sql, rows in large) <= PAGE


@pytest.mark.parametrize("url", ["/customers/", "/customers/?reseller_q=Reseller", "/api/v1/customers/"])
def test_the_customers_list(client, provider, provider_admin, url):
    client.force_login(provider_admin)
    resellers = []

    def grow(size):
        while len(resellers) < size:
            resellers.append(make_reseller(provider, legal_name=f"Reseller {len(resellers)} GmbH"))
            share_customer(provider, resellers[-1])

    fetch = (
        (lambda: api_as(provider_admin).get(url)) if url.startswith("/api/") else (lambda: client.get(url))
    )
    # A page of customers, each with its two relationships (the reseller's and the provider's).
    measured = measure(fetch, grow)
    assert_bounded(measured, "relationships_customer", most=2 * PAGE)
    assert_counts_kept(measured[-1])
    # In name order from the provider's relationships (their index), not the customers table's.
    (listing,) = [
        sql for sql, _rows in measured[-1] if 'FROM "relationships_customer"' in sql and "ORDER BY" in sql
    ]
    assert 'ORDER BY "relationships_customerrelationship"."customer_name"' in listing


def assert_counts_kept(statements):
    """No statement counts a partner's relationships: their counts are the database's
    (``relationships.counts``); only a page's own rows are counted (GROUP BY)."""
    tables = ('"relationships_customerrelationship"', '"relationships_providerresellerrelationship"')
    counting = [
        sql
        for sql, _rows in statements
        if "COUNT(" in sql and "GROUP BY" not in sql and any(t in sql for t in tables)
    ]
    assert not counting, counting


@pytest.mark.parametrize(
    "url",
    ["/indirect-resellers/", "/api/v1/relationships/?relationship_type=IsIndirectCloudSolutionProviderOf"],
)
def test_the_indirect_resellers_list(client, monkeypatch, provider, provider_admin, url):
    from rest_framework.pagination import PageNumberPagination

    from relationships.views import providers as provider_views

    monkeypatch.setattr(provider_views, "PAGE_SIZE", PAGE)
    client.force_login(provider_admin)
    resellers = []

    def grow(size):
        while len(resellers) < size:
            resellers.append(make_reseller(provider, legal_name=f"Reseller {len(resellers)} GmbH"))

    assert PageNumberPagination.page_size == PAGE
    fetch = (
        (lambda: api_as(provider_admin).get(url)) if url.startswith("/api/") else (lambda: client.get(url))
    )
    measured = measure(fetch, grow)
    assert_bounded(measured, "relationships_providerresellerrelationship")
    assert_counts_kept(measured[-1])


# --- commerce: orders ---


@pytest.mark.parametrize("url", ["/orders/", "/orders/?status=completed", "/api/v1/orders/", "customer"])
def test_the_order_lists(client, monkeypatch, direct, direct_admin, url):
    from billing.models import Order
    from billing.views import orders as order_views
    from tests.billing.factories import OrderFactory, sold, subscription_of
    from tests.cast import direct_customer

    monkeypatch.setattr(order_views, "PAGE_SIZE", PAGE)
    customer = direct_customer(direct)
    price = sold(direct)
    client.force_login(direct_admin)
    if url == "customer":
        url = f"/api/v1/customers/{customer.pk}/orders/"

    def grow(size):
        while Order.objects.count() < size:  # half of them completed, with a line and its subscription
            if Order.objects.count() % 2:
                subscription_of(direct, customer, price=price)
            else:
                OrderFactory(partner=direct, customer=customer)

    fetch = (lambda: api_as(direct_admin).get(url)) if url.startswith("/api/") else (lambda: client.get(url))
    assert_bounded(measure(fetch, grow), "billing_order")


def test_a_partners_customers_are_counted_from_its_relationships_alone():
    """The customers list's count reads the partner's relationships (an index), never the
    customers table: 200,000 customers were counted for a provider's 10,000 (issue 12)."""
    from django.test.utils import CaptureQueriesContext

    from tests.cast import make_provider

    provider = make_provider()
    reseller = make_reseller(provider=provider)
    for _ in range(3):
        share_customer(provider, reseller)
    customers = relationship_selectors.customers_for(reseller)
    with CaptureQueriesContext(connection) as queries:
        counted = customers.count()
    assert counted == len(list(customers)) == 3
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert '"relationships_customer"' not in sql.split("WHERE")[0]
    narrower = customers.filter(company_name__startswith="nobody")
    assert narrower.count() == 0  # a filter after drops the relationships' count
