"""``CompiledQuery``: a ``values()`` query compiled once per process, then run with each
call's parameter, gives what the ORM gives (converters included) in one query."""

import uuid

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext

from partnercenter.accounts.models import Tenant, User
from partnercenter.core.querysets import CompiledQuery, CompiledRecord
from tests.factories import TenantFactory, UserFactory

pytestmark = pytest.mark.django_db


def users_of(tenant_id):
    return (
        User.objects.filter(tenant_id=tenant_id)
        .annotate(
            has_peer=Exists(User.objects.filter(tenant_id=OuterRef("tenant_id")).exclude(pk=OuterRef("pk")))
        )
        .values("id", "email", "date_joined", "tenant_id", "has_peer")
        .order_by("email")
    )


def test_it_gives_what_the_orm_gives_for_each_parameter(django_assert_num_queries):
    first, second = TenantFactory(), TenantFactory()
    UserFactory.create_batch(2, tenant=first)
    UserFactory(tenant=second)
    built = []
    compiled = CompiledQuery(
        lambda tenant_id: built.append(tenant_id) or users_of(tenant_id), uuid.UUID(int=0)
    )
    for tenant in (first, second, first):
        with django_assert_num_queries(1):
            rows = compiled.rows(tenant.pk)
        assert rows == list(users_of(tenant.pk))  # the same dicts: ids, aware datetimes, UUIDs, booleans
    assert built == [uuid.UUID(int=0)]  # built and compiled once, with the marker
    assert compiled.first(first.pk) == users_of(first.pk).first()
    assert compiled.first(uuid.uuid4()) is None


def test_the_marker_must_reach_the_sql_and_each_place_takes_the_value():
    tenant, other = TenantFactory(), TenantFactory()
    UserFactory(tenant=tenant, email="a@fabrikam.example")
    UserFactory(tenant=other, email="b@contoso.example")
    absent = CompiledQuery(lambda tenant_id: User.objects.values("email"), uuid.UUID(int=0))
    with pytest.raises(ValueError, match="does not reach"):
        absent.rows(tenant.pk)
    twice = CompiledQuery(
        lambda tenant_id: User.objects.filter(
            Q(tenant_id=tenant_id) | Q(tenant__in=Tenant.objects.filter(pk=tenant_id))
        ).values("email"),
        uuid.UUID(int=0),
    )
    assert twice.rows(tenant.pk) == [{"email": "a@fabrikam.example"}]
    assert twice.rows(other.pk) == [{"email": "b@contoso.example"}]
    assert len(twice._compiled["default"][2]) == 2  # both places took each value


def _fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


def test_a_compiled_record_is_the_instance_select_related_reads():
    """Every concrete field of each instance (converters included: JSON, aware datetimes,
    UUIDs), the related ones cached as ``select_related`` caches them; a null foreign key
    reads as no related instance, and no row as None."""
    from partnercenter.accounts.models import ApiToken
    from partnercenter.accounts.services import api_token_issue

    user = UserFactory(roles=["global_admin", "billing_admin"])
    issued, _ = api_token_issue(user=user)
    orm = ApiToken.objects.select_related("user__tenant").get(pk=issued.pk)
    record = CompiledRecord(ApiToken, "pk", uuid.UUID(int=0), related=("user", "user__tenant"))
    with CaptureQueriesContext(connection) as queries:
        token = record.first(issued.pk)
        assert _fields(token) == _fields(orm)
        assert _fields(token.user) == _fields(orm.user) and token.user.roles == [
            "global_admin",
            "billing_admin",
        ]
        assert _fields(token.user.tenant) == _fields(orm.user.tenant)
        assert token._state.adding is False and token._state.db == "default"
    assert len(queries) == 1
    assert record.first(uuid.uuid4()) is None

    staff = UserFactory(tenant=None)
    users = CompiledRecord(User, "pk", uuid.UUID(int=0), related=("tenant",))
    with CaptureQueriesContext(connection) as queries:
        assert users.first(staff.pk) == staff and users.first(staff.pk).tenant is None
    assert len(queries) == 2


def test_on_postgresql_it_is_prepared_once_per_connection():
    """The server plans it once per connection: the first call prepares it, each call
    executes it; a rollback keeps it, a new connection prepares it again. Reads through it
    name their tables (``statement_sql``: a kept result depends on them)."""
    from django.db import transaction

    from partnercenter.core import querysets

    tenant = TenantFactory()
    UserFactory(tenant=tenant, email="a@fabrikam.example")
    compiled = CompiledQuery(lambda tenant_id: users_of(tenant_id), uuid.UUID(int=0))
    with CaptureQueriesContext(connection) as queries:
        assert [row["email"] for row in compiled.rows(tenant.pk)] == ["a@fabrikam.example"]
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            compiled.rows(tenant.pk)
            1 / 0  # noqa: B018 - rolls the block back
        assert [row["email"] for row in compiled.rows(tenant.pk)] == ["a@fabrikam.example"]
    executed = [query["sql"] for query in queries.captured_queries if "SAVEPOINT" not in query["sql"]]
    assert len(executed) == 3 and len(set(executed)) == 1 and executed[0].startswith("EXECUTE pc_compiled_")
    name = executed[0].split()[1]
    assert querysets._PREPARED_ON[connection.connection] >= {name}
    assert '"accounts_user"' in querysets.statement_sql(executed[0])
    assert querysets.statement_sql('SELECT 1 FROM "accounts_user"') == 'SELECT 1 FROM "accounts_user"'
    with connection.cursor() as cursor:  # a new session of the server knows no statement
        cursor.execute("DEALLOCATE ALL")
    querysets._PREPARED_ON.pop(connection.connection)
    assert [row["email"] for row in compiled.rows(tenant.pk)] == ["a@fabrikam.example"]
