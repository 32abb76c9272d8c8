"""What the database keeps for a big partner's lists (``relationships.counts``,
``relationships.names``): the counts stay equal to counting the relationships, and the
copied names to the customer's and the reseller's names, whoever writes (an ORM save, a
queryset update, a bulk insert, a cascade)."""

import pytest

from enrollment.models import Partner
from relationships import counts
from relationships.models import (
    Customer,
    CustomerRelationship,
    CustomerRole,
    ProviderResellerRelationship,
    RelationshipState,
)
from tests.cast import direct_customer, make_provider, make_reseller, share_customer

pytestmark = pytest.mark.django_db


def counted(partner) -> dict:
    """The counts the database keeps for ``partner``."""
    return {
        kind: model.of(partner.pk, kind)
        for model, kinds in (
            (counts.CustomerCount, counts.CUSTOMER_KINDS),
            (counts.ResellerCount, counts.RESELLER_KINDS),
        )
        for kind in kinds
    }


def recounted(partner) -> dict:
    """The same counts, counted from the relationships."""
    mine = CustomerRelationship.objects.filter(partner=partner, state=RelationshipState.ACTIVE)
    resellers = ProviderResellerRelationship.objects.filter(provider=partner)
    return {
        counts.CUSTOMERS: mine.count(),
        counts.DIRECT: mine.filter(role=CustomerRole.INDIRECT_PROVIDER, via_reseller__isnull=True).count(),
        counts.RESELLERS: resellers.count(),
        counts.ACTIVE_RESELLERS: resellers.filter(state=RelationshipState.ACTIVE).count(),
    }


def test_a_partner_read_with_its_counts_says_them_without_a_query(django_assert_num_queries):
    provider = make_provider()
    share_customer(provider, make_reseller(provider))
    direct_customer(provider, role="indirect_provider")
    stranger = make_provider()  # no relationship yet: no count row, read as 0
    kinds = list(counts.KEPT_IN)
    for partner in (provider, stranger):
        read = counts.with_counts(Partner.objects.filter(pk=partner.pk), *kinds).get()
        with django_assert_num_queries(0):
            known = {kind: counts.count_of(read, kind) for kind in kinds}
        assert known == {kind: counts.count_of(partner, kind) for kind in kinds} == recounted(partner)
    assert known == dict.fromkeys(kinds, 0)


def test_the_counts_follow_every_write_of_the_relationships():
    provider = make_provider()
    resellers = [make_reseller(provider) for _ in range(3)]
    shared = [share_customer(provider, reseller) for reseller in resellers for _ in range(2)]
    for _ in range(2):
        direct_customer(provider, role="indirect_provider")
    assert (
        counted(provider)
        == recounted(provider)
        == {
            counts.CUSTOMERS: 8,
            counts.DIRECT: 2,
            counts.RESELLERS: 3,
            counts.ACTIVE_RESELLERS: 3,
        }
    )
    assert counted(resellers[0])[counts.CUSTOMERS] == 2

    # An ended relationship (one saved, several in one UPDATE), a relationship's reseller
    # deleted (its via_reseller set to NULL: the customer becomes the provider's direct one),
    # a customer deleted (a cascade), a reseller relationship terminated.
    ended = CustomerRelationship.objects.get(customer=shared[0], partner=provider)
    ended.state = RelationshipState.TERMINATED
    ended.save()
    CustomerRelationship.objects.filter(customer=shared[1]).update(state=RelationshipState.TERMINATED)
    Customer.objects.filter(pk=shared[5].pk).delete()
    ProviderResellerRelationship.objects.filter(reseller=resellers[1]).update(
        state=RelationshipState.TERMINATED
    )
    Partner.objects.filter(pk=resellers[2].pk).delete()
    assert counted(provider) == recounted(provider)
    assert counted(provider)[counts.DIRECT] == 3  # the deleted reseller's customer
    assert counted(resellers[0]) == recounted(resellers[0])


def test_the_copied_names_follow_the_customer_and_the_reseller():
    provider = make_provider()
    reseller = make_reseller(provider, legal_name="Fabrikam Reseller GmbH")
    customer = share_customer(provider, reseller, company_name="Adatum AG")
    relationship = ProviderResellerRelationship.objects.get(reseller=reseller)
    assert (
        ProviderResellerRelationship.objects.get(pk=relationship.pk).reseller_name == "Fabrikam Reseller GmbH"
    )
    assert set(CustomerRelationship.objects.values_list("customer_name", flat=True)) == {"Adatum AG"}

    relationship.reseller_name = "stale"
    relationship.save()  # a full save sends a stale copy: the database keeps the name
    Customer.objects.filter(pk=customer.pk).update(company_name="Adatum Europe AG")
    reseller.legal_name = "Fabrikam Partners GmbH"
    reseller.save()
    assert set(CustomerRelationship.objects.values_list("customer_name", flat=True)) == {"Adatum Europe AG"}
    assert (
        ProviderResellerRelationship.objects.get(pk=relationship.pk).reseller_name == "Fabrikam Partners GmbH"
    )
