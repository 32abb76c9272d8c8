"""Reads of the customers page beyond its rows (``selectors.customers_for``): the partner that
views it with what the page asks of it, and a provider's reseller filter; each in one query."""

from dataclasses import dataclass
from functools import cache

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from enrollment.models import Partner, Program

from . import counts as kept
from .models import CustomerRelationship, CustomerRole, ProviderResellerRelationship, RelationshipState
from .selectors import customer_reseller_choices


def partners_with_customer_count() -> QuerySet[Partner]:
    """Partners with their kept count of customers, read with them: a page of a partner's
    customers (``selectors.customers_for``) then asks no count query."""
    return _partners_with_customer_count().all()


def customer_list_partners() -> QuerySet[Partner]:
    """Partners with what the customers page asks of the one that views it, read with it in
    one query (``permissions.acting_partner``): whether it is an authorized provider
    (``is_indirect_provider``), whether its direct-bill enrollment is active, whether it
    resells for a provider (``customer_invitation_providers``) and its kept counts."""
    return _customer_list_partners().all()


# Built once a process, each caller given its own copy (``all()``): building the subqueries
# took ~2 ms of CPU on every request, more than the page's query for the partner (issue 12).


@cache
def _partners_with_customer_count() -> QuerySet[Partner]:
    return kept.with_counts(Partner.objects.all(), kept.CUSTOMERS)


@cache
def _customer_list_partners() -> QuerySet[Partner]:
    resells = ProviderResellerRelationship.objects.filter(
        reseller=OuterRef("pk"), state=RelationshipState.ACTIVE
    )
    partners = (
        _partners_with_customer_count()
        .select_related("indirect_provider")
        .with_is_active(Program.DIRECT_BILL, name="direct_bill_active")
        .annotate(resells=Exists(resells))
    )
    return kept.with_counts(partners, kept.DIRECT, kept.ACTIVE_RESELLERS)


# How many resellers the customers page lists with their counts (the others: by name).
RESELLER_FILTER_MAX = 20


@dataclass
class ResellerFilter:
    """The customers page's reseller filter: how many direct customers the provider has, and
    at most ``RESELLER_FILTER_MAX`` of its resellers (the first by name, or those whose name
    holds ``search``), each with how many customers they share; ``total`` resellers in all."""

    direct_count: int
    resellers: list  # [(Partner, int)]
    total: int
    search: str = ""

    @property
    def more(self) -> bool:
        return self.total > len(self.resellers) and not self.search


def customer_reseller_filter(provider: Partner, *, search: str = "") -> ResellerFilter:
    """For a provider, in one query that reads only the resellers listed (not its 1,000
    resellers with their counts on every request): the first by name from the relationships'
    copy of the reseller's name, each with its count of shared customers; the totals kept by
    the database (``relationships.counts``, read with the provider: ``customer_list_partners``)."""
    shared = (
        CustomerRelationship.objects.active()
        .filter(partner=provider, role=CustomerRole.INDIRECT_PROVIDER, via_reseller=OuterRef("pk"))
        .order_by()
        .values("via_reseller")
        .annotate(n=Count("*"))
        .values("n")
    )
    choices = customer_reseller_choices(provider)
    listed = choices.filter(legal_name__icontains=search) if search else choices
    # The page names each reseller and links to its customers: nothing more of it is read.
    listed = listed.only("pk", "legal_name").annotate(shared_customers=Coalesce(Subquery(shared), 0))
    resellers = list(listed[:RESELLER_FILTER_MAX])
    return ResellerFilter(
        direct_count=kept.count_of(provider, kept.DIRECT),
        resellers=[(reseller, reseller.shared_customers) for reseller in resellers],
        total=kept.count_of(provider, kept.ACTIVE_RESELLERS),
        search=search,
    )
