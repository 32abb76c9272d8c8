"""The partner's country the database copies onto its enrollments (``enrollment.
country_copy``): the copy is the partner's whoever writes (an ORM save of a stale
object, a queryset update, a bulk insert, an enrollment moved to another partner, a change
of the partner's country), and the queue's country filter on it holds the rows the filter
on the partner's country held, in the same order."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enrollment import selectors
from enrollment.models import Enrollment, Partner
from tests.factories import EnrollmentFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def copied(enrollment) -> str:
    return Enrollment.objects.values_list("country", flat=True).get(pk=enrollment.pk)


def test_the_copy_is_the_partners_country_whatever_the_writer_sent():
    german = PartnerFactory(country="DE")
    saved = EnrollmentFactory(partner=german, country="FR")
    (bulk,) = Enrollment.objects.bulk_create(
        [Enrollment(partner=german, program="direct_bill", status="in_review", country="US")]
    )
    assert copied(saved) == copied(bulk) == "DE"

    saved.country = "FR"
    saved.save()  # a full save sends a stale copy: the database keeps the partner's
    Enrollment.objects.filter(pk=bulk.pk).update(country="US", status="action_needed")
    assert copied(saved) == copied(bulk) == "DE"


def test_the_copy_follows_the_partners_country_and_a_move_to_another_partner():
    partner, other = PartnerFactory(country="DE"), PartnerFactory(country="AT")
    first = EnrollmentFactory(partner=partner, status="rejected")  # not open: it may move
    second = EnrollmentFactory(partner=partner, program="direct_bill")
    untouched = EnrollmentFactory(partner=other)

    partner.country = "CH"
    partner.save()
    assert copied(first) == copied(second) == "CH"
    Partner.objects.filter(pk=partner.pk).update(country="FR")
    assert copied(first) == copied(second) == "FR"
    assert copied(untouched) == "AT"

    Enrollment.objects.filter(pk=second.pk).update(partner=other)
    assert copied(second) == "AT"
    first.partner = other
    first.save()
    assert copied(first) == "AT"
    Partner.objects.filter(pk=other.pk).update(legal_name="Renamed GmbH")  # not its country
    assert set(Enrollment.objects.values_list("country", flat=True)) == {"AT"}


def test_the_queues_country_filter_holds_the_rows_of_the_partners_country(reviewer):
    now = timezone.now()
    for i, (country, status) in enumerate(
        [("DE", "in_review"), ("FR", "in_review"), ("DE", "action_needed"), ("DE", "approved")] * 3
        + [("DE", "pending_email_verification"), ("AT", "in_review")]
    ):
        due = None if i % 4 == 1 else now + timedelta(hours=i % 3)
        EnrollmentFactory(
            partner=PartnerFactory(country=country),
            status=status,
            due_at=due,
            submitted_at=now - timedelta(days=i % 2),
        )

    def ids(rows):
        return list(rows.values_list("id", flat=True))

    for status in (None, "in_review", "approved"):
        queue = selectors.review_queue(user=reviewer, status=status)
        by_copy = selectors.review_queue(user=reviewer, status=status, country="DE")
        assert ids(by_copy) == ids(queue.filter(partner__country="DE")), status
    assert len(ids(selectors.review_queue(user=reviewer, country="DE"))) == 7
    assert ids(selectors.review_queue(user=reviewer, country="US")) == []
