"""The kept lists (``partnercenter.core.generations``): a result is given back only while
every table it read is unchanged and its moment has not passed; a write from anywhere (a
service, a queryset's update, a raw statement, a trigger's table, a COPY) retires it; in
production a token changes after the commit, never before; with the cache away every call
computes."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from enrollment.models import Enrollment, Partner
from partnercenter.core import generations
from tests.factories import EnrollmentFactory, PartnerFactory

pytestmark = pytest.mark.django_db

ENROLLMENTS = Enrollment._meta.db_table
PARTNERS = Partner._meta.db_table


class Counted:
    """A compute that counts its calls and reads the enrollments' legal names."""

    def __init__(self, valid_until=None):
        self.calls = 0
        self.valid_until = valid_until

    def __call__(self):
        self.calls += 1
        names = sorted(Partner.objects.filter(enrollments__isnull=False).values_list("legal_name", flat=True))
        return names, self.valid_until


def token(table):
    return cache.get(generations._coarse(table))


def test_a_result_is_kept_while_nothing_it_read_changes():
    EnrollmentFactory(partner=PartnerFactory(legal_name="Fabrikam"))
    compute = Counted()
    assert generations.cached(("k",), compute) == ["Fabrikam"]
    assert generations.cached(("k",), compute) == ["Fabrikam"]
    assert compute.calls == 1
    # Another key is another result.
    generations.cached(("other",), compute)
    assert compute.calls == 2


def test_a_write_to_a_table_it_read_retires_it_whoever_writes():
    enrollment = EnrollmentFactory(partner=PartnerFactory(legal_name="Fabrikam"))
    compute = Counted()
    generations.cached(("k",), compute)
    Partner.objects.filter(pk=enrollment.partner_id).update(legal_name="Contoso")  # no save(), no signal
    assert generations.cached(("k",), compute) == ["Contoso"]
    with connection.cursor() as cursor:  # a raw statement
        cursor.execute("UPDATE enrollment_partner SET legal_name = %s", ["Northwind"])
    assert generations.cached(("k",), compute) == ["Northwind"]
    assert compute.calls == 3


def test_a_write_to_a_table_it_did_not_read_keeps_it():
    EnrollmentFactory()
    compute = Counted()
    generations.cached(("k",), compute)
    from partnercenter.notifications.models import Notification

    Notification.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM notifications_notification")
    generations.cached(("k",), compute)
    assert compute.calls == 1


def test_a_trigger_s_table_changes_with_the_table_it_watches():
    """The partner's country is copied onto its enrollments by a trigger: a change of the
    partner's changes the enrollments' token too (``triggers.CopiedColumn``)."""
    partner = EnrollmentFactory().partner
    before = token(ENROLLMENTS)
    Partner.objects.filter(pk=partner.pk).update(country="FR")
    assert token(ENROLLMENTS) != before


def test_every_trigger_of_the_database_names_what_it_writes():
    """A trigger's writes pass no ``execute`` of Django's: each table with a trigger is
    declared (``generations.implies``, by the triggers' own declarations)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND n.nspname = 'public'"
        )
        watched = {name for (name,) in cursor.fetchall()}
    assert watched
    assert watched <= set(generations.IMPLIED)


def test_a_copy_says_what_it_wrote():
    """``seed_volume``'s COPY passes no ``execute``: it says what it wrote."""
    from enrollment.management.commands._copy import Table
    from partnercenter.accounts.models import Tenant

    def domains():
        return list(Tenant.objects.values_list("domain", flat=True)), None

    assert "copied.onmicrosoft.com" not in generations.cached(("k",), domains)
    tenants = Table(Tenant)
    tenants.add(id=uuid.uuid4(), name="Copied", domain="copied.onmicrosoft.com", country="US")
    tenants.flush()
    assert "copied.onmicrosoft.com" in generations.cached(("k",), domains)


def test_another_release_computes_afresh(monkeypatch):
    """A deploy never gives back what other code wrote (its templates, its translations)."""
    EnrollmentFactory()
    compute = Counted()
    generations.cached(("k",), compute)
    monkeypatch.setattr(generations, "RELEASE", "another")
    generations.cached(("k",), compute)
    assert compute.calls == 2


def test_retire_retires_every_kept_result():
    EnrollmentFactory()
    compute = Counted()
    generations.cached(("k",), compute)
    generations.retire()  # after a write Django did not see
    generations.cached(("k",), compute)
    assert compute.calls == 2


def test_a_result_is_kept_until_its_moment():
    EnrollmentFactory()
    now = timezone.now()
    compute = Counted(valid_until=now + timedelta(minutes=5))
    generations.cached(("k",), compute)
    with time_machine.travel(now + timedelta(minutes=4, seconds=59)):
        generations.cached(("k",), compute)
        assert compute.calls == 1
    with time_machine.travel(now + timedelta(minutes=5)):
        generations.cached(("k",), compute)
        assert compute.calls == 2


def test_a_token_the_cache_lost_never_matches():
    EnrollmentFactory(partner=PartnerFactory(legal_name="Fabrikam"))
    compute = Counted()
    generations.cached(("k",), compute)
    cache.delete(generations._coarse(PARTNERS))  # evicted
    generations.cached(("k",), compute)
    assert compute.calls == 2
    assert token(PARTNERS) is not None


def test_with_the_cache_away_every_call_computes():
    EnrollmentFactory(partner=PartnerFactory(legal_name="Fabrikam"))
    away = {
        "default": {
            "BACKEND": "partnercenter.core.cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "RETRY_AFTER": 0},
        }
    }
    compute = Counted()
    with override_settings(CACHES=away):
        assert generations.cached(("k",), compute) == ["Fabrikam"]
        Partner.objects.update(legal_name="Contoso")  # a write while away: no error
        assert generations.cached(("k",), compute) == ["Contoso"]
    assert compute.calls == 2


def test_a_compute_that_fails_keeps_nothing():
    def failing():
        Partner.objects.count()
        raise LookupError("no")

    with pytest.raises(LookupError):
        generations.cached(("k",), failing)
    compute = Counted()
    generations.cached(("k",), compute)
    assert compute.calls == 1


@pytest.mark.django_db(transaction=True)
class TestInProduction:
    """A token changes after the commit: a reader between the write and the commit keeps
    what it read with the old token, which the commit retires."""

    @pytest.fixture(autouse=True)
    def _after_commit(self, settings):
        settings.GENERATIONS_AFTER_COMMIT = True

    def test_the_token_changes_at_the_commit_not_before(self):
        partner = PartnerFactory(legal_name="Fabrikam")
        before = token(PARTNERS)
        with transaction.atomic():
            Partner.objects.filter(pk=partner.pk).update(legal_name="Contoso")
            Partner.objects.filter(pk=partner.pk).update(legal_name="Northwind")
            assert token(PARTNERS) == before
        assert token(PARTNERS) != before

    def test_a_rolled_back_write_changes_nothing(self):
        partner = PartnerFactory(legal_name="Fabrikam")
        before = token(PARTNERS)
        with pytest.raises(LookupError), transaction.atomic():
            Partner.objects.filter(pk=partner.pk).update(legal_name="Contoso")
            raise LookupError
        assert token(PARTNERS) == before

    def test_a_write_after_a_rolled_back_savepoint_still_counts(self):
        partner = PartnerFactory(legal_name="Fabrikam")
        before = token(PARTNERS)
        with transaction.atomic():
            with pytest.raises(LookupError), transaction.atomic():
                Partner.objects.filter(pk=partner.pk).update(legal_name="Contoso")
                raise LookupError
            Partner.objects.filter(pk=partner.pk).update(legal_name="Northwind")
        assert token(PARTNERS) != before

    def test_a_transaction_s_writes_change_the_tokens_once_at_its_commit(self, monkeypatch):
        partner = PartnerFactory(legal_name="Fabrikam")
        bumps = []
        bump = generations._bump
        monkeypatch.setattr(generations, "_bump", lambda keys: bumps.append(set(keys)) or bump(keys))
        with transaction.atomic():
            for name in ("Contoso", "Northwind", "Litware"):
                Partner.objects.filter(pk=partner.pk).update(legal_name=name)
            assert bumps == []
        assert len(bumps) == 1 and generations._coarse(PARTNERS) in bumps[0]  # one round trip

    def test_a_connection_opened_inside_another_wrapper_sees_its_writes(self):
        other = connection.copy()
        try:
            with other.execute_wrapper(lambda execute, *args: execute(*args)):
                other.ensure_connection()  # connection_created: inside the block
            assert generations._execute in other.execute_wrappers
            before = token(PARTNERS)
            with other.cursor() as cursor:
                cursor.execute('UPDATE "enrollment_partner" SET legal_name = legal_name WHERE false')
            assert token(PARTNERS) != before
        finally:
            other.close()

    def test_a_write_outside_a_transaction_changes_the_token_at_once(self):
        partner = PartnerFactory(legal_name="Fabrikam")
        before = token(PARTNERS)
        Partner.objects.filter(pk=partner.pk).update(legal_name="Contoso")
        assert token(PARTNERS) != before


# --- Owned rows: a result that reads only some rows of a table --------------------------------


@pytest.fixture
def partners_owned():
    assert "id" in generations.OWNERS[PARTNERS]  # declared by enrollment.kept


def name_of(partner_id):
    def compute():
        return Partner.objects.filter(pk=partner_id).values_list("legal_name", flat=True).get(), None

    return compute


def test_an_insert_of_other_rows_keeps_a_result_that_owns_its_rows(partners_owned):
    partner = PartnerFactory(legal_name="Fabrikam")
    owned = {PARTNERS: {"id": [partner.pk]}}
    calls = []

    def compute():
        calls.append(1)
        return name_of(partner.pk)()

    generations.cached(("k",), compute, owned=owned)
    PartnerFactory(legal_name="Contoso")  # another partner's insert
    generations.cached(("k",), compute, owned=owned)
    assert len(calls) == 1
    Partner.objects.filter(pk=partner.pk).update(legal_name="Northwind")  # an update, whichever rows
    assert generations.cached(("k",), compute, owned=owned) == "Northwind"
    assert len(calls) == 2


def test_an_insert_of_its_own_rows_retires_it():
    """An enrollment's checks: a new check of it retires its page, another's does not."""
    from enrollment.kept import OWNED
    from enrollment.models import VerificationCheck
    from tests.factories import VerificationCheckFactory

    checks = VerificationCheck._meta.db_table
    assert "enrollment_id" in OWNED[checks]
    enrollment, other = EnrollmentFactory(), EnrollmentFactory()
    owned = {checks: {"enrollment_id": [enrollment.pk]}}

    def kinds():
        return sorted(
            VerificationCheck.objects.filter(enrollment=enrollment).values_list("kind", flat=True)
        ), None

    assert generations.cached(("k",), kinds, owned=owned) == []
    VerificationCheckFactory(enrollment=other, kind="email_domain")
    assert generations.cached(("k",), lambda: pytest.fail("computed again"), owned=owned) == []
    VerificationCheckFactory(enrollment=enrollment, kind="mpn_status")
    assert generations.cached(("k",), kinds, owned=owned) == ["mpn_status"]


def test_a_bulk_insert_names_each_row_it_adds():
    """``bulk_create`` (PostgreSQL's UNNEST of one array a column) names its rows too, and
    the counts a trigger keeps for them (``implies(keys=...)``)."""
    from partnercenter.audit.counts import EventCount
    from partnercenter.audit.models import Event

    enrollment, other = EnrollmentFactory(), EnrollmentFactory()
    counts = EventCount._meta.db_table
    keys = [
        generations._fine(Event._meta.db_table, "object_id", enrollment.pk),
        generations._fine(counts, "object_id", enrollment.pk),
    ]
    unrelated = generations._fine(counts, "object_id", other.pk)
    before = cache.get_many([*keys, unrelated])
    Event.objects.bulk_create(
        [
            Event(
                kind="enrollment_submitted", object_type="enrollment.enrollment", object_id=str(enrollment.pk)
            )
            for _ in range(3)
        ]
    )
    after = cache.get_many([*keys, unrelated])
    assert all(after.get(key) not in (None, before.get(key)) for key in keys)
    assert after.get(unrelated) == before.get(unrelated)


def test_a_read_that_does_not_name_the_rows_depends_on_the_whole_table(partners_owned):
    partner = PartnerFactory(legal_name="Fabrikam")
    owned = {PARTNERS: {"id": [partner.pk]}}
    calls = []

    def every_name():
        calls.append(1)
        return sorted(Partner.objects.values_list("legal_name", flat=True)), None

    generations.cached(("k",), every_name, owned=owned)
    PartnerFactory(legal_name="Contoso")
    assert generations.cached(("k",), every_name, owned=owned) == ["Contoso", "Fabrikam"]
    assert len(calls) == 2


def test_owned_rows_need_their_columns_declared():
    partner = PartnerFactory()
    with pytest.raises(ValueError, match="owned_by"):
        generations.cached(("k",), name_of(partner.pk), owned={PARTNERS: {"legal_name": ["Fabrikam"]}})


def test_a_joined_table_is_retired_by_an_update_not_by_an_insert():
    """``joined``: a table read only through the rows that point to it (the enrollments'
    partners): a new partner is no row they point to; a renamed one is."""
    EnrollmentFactory(partner=PartnerFactory(legal_name="Fabrikam"))
    calls = []

    def names():
        calls.append(1)
        return sorted(Enrollment.objects.values_list("partner__legal_name", flat=True)), None

    generations.cached(("k",), names, joined=[PARTNERS])
    PartnerFactory(legal_name="Contoso")  # no enrollment points to it
    assert generations.cached(("k",), names, joined=[PARTNERS]) == ["Fabrikam"]
    assert len(calls) == 1
    Partner.objects.update(legal_name="Northwind")
    assert generations.cached(("k",), names, joined=[PARTNERS]) == ["Northwind"]
    EnrollmentFactory(partner=PartnerFactory(legal_name="Adatum"))  # a row that points to one
    assert generations.cached(("k",), names, joined=[PARTNERS]) == ["Adatum", "Northwind"]
