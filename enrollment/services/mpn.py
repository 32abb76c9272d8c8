"""The MPN ID's ownership: a Partner Membership Center sign-in proves the company profiles
it lists for ``PMC_PROOF_MAX_AGE`` seconds; an application submitted within them with one
of those IDs has its MPN ID linked through the PMC (proved), any other is typed. The
``mpn_ownership`` check (``services.checks``) reads what the submission recorded.

Domain errors raised: ``InvalidInput`` (400) for a wrong sign-in, ``NotPermitted`` (403).
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnercenter.audit.services import record_event
from partnercenter.core.errors import InvalidInput, NotPermitted

from .. import events
from ..models import MpnLinkedVia, PmcSignIn
from ..registry import MpnRecord, get_registry


def wrong_pmc_credentials() -> str:
    return _("The Partner Membership Center username or password is wrong. Check them and try again.")


def pmc_sign_in(*, actor, username: str, password: str) -> tuple[PmcSignIn, list[MpnRecord]]:
    """Sign in to the Partner Membership Center for ``actor``: the profiles it may use, and
    the record that this user signed in with an account listing them (one audit row)."""
    if not (getattr(actor, "is_authenticated", False) and actor.tenant_id):
        raise NotPermitted(_("Sign in with your work account first."))
    records = get_registry().sign_in(username, password)
    if records is None:
        raise InvalidInput({"non_field_errors": [wrong_pmc_credentials()]})
    with transaction.atomic():
        proof = PmcSignIn.objects.create(
            user=actor,
            pmc_username=username.strip(),
            profiles=[_profile(r) for r in records],
            signed_in_at=timezone.now(),
        )
        record_event(
            proof,
            events.PMC_SIGNED_IN,
            actor=actor,
            tenant=actor.tenant_id,
            pmc_username=proof.pmc_username,
            mpn_ids=[r.mpn_id for r in records],
        )
    return proof, records


def _profile(record: MpnRecord) -> dict:
    return {
        "mpn_id": record.mpn_id,
        "company_name": record.company_name,
        "country": record.country,
        "status": record.status,
    }


def mpn_proof(actor, mpn_id: str) -> PmcSignIn | None:
    """The latest sign-in of ``actor`` within ``PMC_PROOF_MAX_AGE`` that lists ``mpn_id``."""
    since = timezone.now() - timedelta(seconds=settings.PMC_PROOF_MAX_AGE)
    recent = PmcSignIn.objects.filter(user_id=actor.pk, signed_in_at__gte=since).order_by("-signed_in_at")
    return next((p for p in recent if any(r.get("mpn_id") == mpn_id for r in p.profiles)), None)


def mpn_link(actor, mpn_id: str) -> tuple[str, dict]:
    """How the application links ``mpn_id`` (``MpnLinkedVia``) and the evidence."""
    proof = mpn_proof(actor, mpn_id)
    if proof is None:
        return MpnLinkedVia.TYPED, {}
    return MpnLinkedVia.PMC, {
        "pmc_sign_in_id": proof.pk,
        "pmc_username": proof.pmc_username,
        "signed_in_at": proof.signed_in_at.isoformat(),
        "signed_in_by": actor.email,
    }
