"""Whether a partner signed the partner agreement, asked by its MPN ID or its tenant (Partner
Center's "agreement status": a provider verifies a reseller before it transacts for it).

The rule is the enrollment's: a partner signed once an enrollment of it is active, because
accepting the agreement is the only move into ``active`` (``states.MOVES["accept_agreement"]``,
``services.agreements.agreement_accept``) and an active enrollment stays active
(``Partner.is_active_in``, ``PartnerQuerySet.with_is_active``). The agreement is accepted per
region, the partner's market: it is signed for the regions of that market only.
"""

import uuid
from dataclasses import dataclass

from .models import Partner
from .registry import MpnRecord, get_registry


@dataclass(frozen=True)
class AgreementSignature:
    """What the portal knows of a partner's agreement: the partner found (None: none is
    enrolled with the MPN ID or on the tenant), its region and whether it signed there.
    ``mpn_record`` is the Partner Network's profile of an MPN ID asked (None if unknown)."""

    partner: Partner | None
    signed: bool
    region: str | None
    mpn_record: MpnRecord | None = None


def _signature(partner: Partner | None, **extra) -> AgreementSignature:
    if partner is None:
        return AgreementSignature(partner=None, signed=False, region=None, **extra)
    return AgreementSignature(partner=partner, signed=partner.is_active, region=partner.market.code, **extra)


def agreement_signature_of_mpn_id(mpn_id: str) -> AgreementSignature:
    """The partner enrolled with ``mpn_id`` (an active one first: an MPN ID belongs to one
    company, and an earlier tenant's ended enrollment may still name it) and whether it
    signed, with the Partner Network's profile of the ID. Two queries."""
    partner = (
        Partner.objects.filter(mpn_id=mpn_id)
        .with_is_active()
        .order_by("-is_active", "created_at", "pk")
        .first()
    )
    return _signature(partner, mpn_record=get_registry().lookup(mpn_id))


def agreement_signature_of_tenant(tenant_id: uuid.UUID) -> AgreementSignature:
    """The partner whose CSP tenant is ``tenant_id`` and whether it signed. One query."""
    return _signature(Partner.objects.filter(tenant_id=tenant_id).with_is_active().first())
