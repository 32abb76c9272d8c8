"""Thin tasks: take ids, call a service. Invitation expiry and the GDAP lifecycle are
``expires_at``/``ends_at`` columns swept here, never countdowns (HOUSE_STYLE 10). Each
service re-checks its row under a lock or claims it with a conditional update, so two
sweeps at once do each thing once."""

import logging

from celery import shared_task

from .services import admin_access, reseller_invitations

logger = logging.getLogger(__name__)


@shared_task
def relationships_sweep() -> dict:
    """Every few minutes: expire reseller invitations whose link ran out; move granular
    admin relationships (terminate requested ones, mark expiring, expire, auto-extend)."""
    done = {"invitations_expired": 0}
    for invitation_id in reseller_invitations.reseller_invitations_due():
        try:
            done["invitations_expired"] += reseller_invitations.reseller_invitation_expire(
                invitation_id=invitation_id
            )
        except Exception:  # one bad row must not stop the sweep; it is retried next time
            logger.exception("Expiring reseller invitation %s failed", invitation_id)
    for step, ids in admin_access.gdap_due().items():
        done[f"gdap_{step}"] = 0
        for gdap_id in ids:
            try:
                done[f"gdap_{step}"] += admin_access.gdap_sweep_step(gdap_id=gdap_id, step=step)
            except Exception:
                logger.exception("GDAP sweep step %s failed for %s", step, gdap_id)
    return done
