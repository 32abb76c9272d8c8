"""Reads of the lists of provider-reseller relationships (the Indirect resellers and
Indirect providers pages, the API's list): only the columns their rows show, and the GDAP
relationships of a page (issue 12). Scoped as ``selectors.relationships_of``: another
partner's relationships are not found."""

from django.db.models import QuerySet

from enrollment.models import Partner

from .models import GranularAdminRelationship, ProviderResellerRelationship
from .selectors import PROVIDER_OF, RESELLER_OF, relationships_of

# What a list of relationships shows: the relationship, and of the partner on the other side
# its name, MPN ID and country (the pages and the API's rows).
ROW_FIELDS = (
    "id",
    "provider",
    "reseller",
    "state",
    "admin_access",
    "admin_access_removed_at",
    "established_at",
)
OTHER_PARTNER_FIELDS = ("legal_name", "mpn_id", "country")


def relationship_rows(
    partner: Partner | None, relationship_type: str | None = None, *, state: str | None = None
) -> QuerySet[ProviderResellerRelationship]:
    """``relationships_of`` for a list: only the columns its rows show (issue 12: the other
    partner's twenty columns were read and converted on every row)."""
    others = {PROVIDER_OF: ("reseller",), RESELLER_OF: ("provider",)}.get(
        relationship_type, ("provider", "reseller")
    )
    return relationships_of(partner, relationship_type, state=state).only(
        *ROW_FIELDS, *(f"{other}__{field}" for other in others for field in OTHER_PARTNER_FIELDS)
    )


def with_granular_admin(relationships) -> list[ProviderResellerRelationship]:
    """The relationships (a page of them), each with ``gdaps``: its GDAP relationships, newest
    first. One more query, whatever the count; read by hand, not by ``prefetch_related``,
    whose machinery cost more than its query on a page of 25 (issue 12)."""
    relationships = list(relationships)
    gdaps: dict = {relationship.pk: [] for relationship in relationships}
    if gdaps:
        for gdap in GranularAdminRelationship.objects.filter(relationship_id__in=list(gdaps)).order_by(
            "-created_at", "pk"
        ):
            gdaps[gdap.relationship_id].append(gdap)
    for relationship in relationships:
        relationship.gdaps = gdaps[relationship.pk]
    return relationships
