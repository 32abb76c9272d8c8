"""`manage.py seed_volume` (the bench's volume) at tiny sizes: every status, 30 countries,
the counts asked for, the big provider, nothing due for a sweep, and a second run with the
same sizes does nothing."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from enrollment.management.commands._copy import Table
from enrollment.management.commands._volume import admin_email
from enrollment.models import Enrollment, EnrollmentStatus, Partner, VerificationCheck
from enrollment.tasks import enrollments_sweep
from partnercenter.accounts.models import User
from partnercenter.audit.models import Event
from partnercenter.notifications.models import Notification
from relationships.models import (
    Customer,
    CustomerRelationship,
    IndirectProvider,
    ProviderResellerRelationship,
)

SIZES = {"enrollments": 40, "providers": 3, "relationships": 10, "customers": 30}

pytestmark = pytest.mark.django_db


def seed(**sizes):
    call_command("seed_volume", **{**SIZES, **sizes}, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_sizes_hold_with_every_status_and_30_countries():
    seed()
    assert Enrollment.objects.count() == 40
    assert set(Enrollment.objects.values_list("status", flat=True)) == set(EnrollmentStatus.values)
    assert Partner.objects.values("country").distinct().count() == 30
    assert IndirectProvider.objects.count() == 3
    assert ProviderResellerRelationship.objects.count() == 10
    assert Customer.objects.count() == 30
    assert VerificationCheck.objects.count() == 4 * 40
    assert Notification.objects.count() == 8
    # Every enrollment has its timeline; one (the busy one) a long one.
    assert (
        Event.objects.filter(object_type="enrollment.enrollment").values("object_id").distinct().count() == 40
    )
    assert Event.objects.values("object_id").order_by().distinct().count() == 40


def test_one_provider_holds_the_big_share_of_resellers_and_customers():
    seed()
    big = Partner.objects.get(contact_email=admin_email(0))
    assert (
        ProviderResellerRelationship.objects.filter(provider=big).count() == 5
    )  # min(1000, relationships / 2)
    assert CustomerRelationship.objects.filter(partner=big).count() == 15  # min(10,000, customers / 2)
    assert User.objects.filter(is_staff=True, email="reviewer@bench.localhost").exists()


def test_nothing_is_due_for_the_sweep():
    seed()
    assert enrollments_sweep() == {
        "expired": 0,
        "reminded": 0,
        "checked": 0,
        "credit_checked": 0,
        "incentives_invited": 0,
        "transition_approved": 0,
    }


@pytest.mark.django_db(transaction=True)  # --replace empties the tables (TRUNCATE)
def test_a_second_run_with_the_same_sizes_does_nothing_and_other_sizes_need_replace():
    seed()
    seed()
    assert Enrollment.objects.count() == 40
    with pytest.raises(CommandError, match="--replace"):
        seed(enrollments=20)
    seed(enrollments=20, replace=True)
    assert Enrollment.objects.count() == 20


def test_a_row_missing_a_required_value_fails_loudly():
    with pytest.raises(ValueError, match="Partner.id needs a value"):
        Table(Partner).add(mpn_id="1")
