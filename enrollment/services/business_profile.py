"""The business profile customers are referred on, edited by the business profile admin
(or the global admin).

Domain errors raised: ``InvalidInput`` (400), ``NotPermitted`` (403),
``InvalidTransition`` (409).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from partnercenter.audit.services import record_event
from partnercenter.core.errors import InvalidInput, InvalidTransition

from .. import events, rules
from ..models import BusinessProfile, Partner
from ..permissions import require_business_profile_admin

DESCRIPTION_MAX = 2000
LIST_ITEM_MAX = 60
LIST_MAX_ITEMS = 20


def _short_strings(value, label) -> tuple[list[str], list[str]]:
    if not isinstance(value, (list, tuple)):
        return [], [_("Give the %(label)s as a list of short texts.") % {"label": label}]
    items: list[str] = []
    for item in value:
        if not isinstance(item, str):
            return [], [_("Give the %(label)s as a list of short texts.") % {"label": label}]
        item = " ".join(item.split())
        if len(item) > LIST_ITEM_MAX:
            return [], [
                _("Shorten each of the %(label)s to at most %(max)d characters (“%(item)s…” is longer).")
                % {"label": label, "max": LIST_ITEM_MAX, "item": item[:20]}
            ]
        if item and item.casefold() not in {i.casefold() for i in items}:
            items.append(item)
    if len(items) > LIST_MAX_ITEMS:
        return [], [
            _("Name at most %(max)d %(label)s (you gave %(count)d).")
            % {"max": LIST_MAX_ITEMS, "label": label, "count": len(items)}
        ]
    return items, []


def validate_business_profile(data: dict) -> tuple[dict, dict]:
    """Only the fields given are checked and returned (a partial update)."""
    return rules.normalize_given(
        data,
        {
            "description": lambda v: rules.normalize_description(
                v, DESCRIPTION_MAX, _("Describe your company in plain text.")
            ),
            "website": rules.normalize_website,
            "industries": lambda v: _short_strings(v, _("industries")),
            "services": lambda v: _short_strings(v, _("services")),
        },
    )


def business_profile_update(*, actor, data: dict) -> BusinessProfile:
    """Edit the profile customers are referred on; only the fields given change, and a
    change writes one audit row naming the fields."""
    require_business_profile_admin(actor)
    partner = Partner.objects.filter(tenant_id=actor.tenant_id).first()
    if partner is None:
        raise InvalidTransition(
            "none",
            _("Your organization has not enrolled yet. Enroll first, then set up the business profile."),
        )
    clean, errors = validate_business_profile(data)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        # Lock the partner row: the profile may not exist yet, and two editors must not
        # both create it.
        Partner.objects.select_for_update().get(pk=partner.pk)
        profile, created = BusinessProfile.objects.get_or_create(partner=partner)
        changed = [name for name, value in clean.items() if created or getattr(profile, name) != value]
        if not changed:
            return profile
        for name in changed:
            setattr(profile, name, clean[name])
        profile.updated_by = actor
        profile.save(update_fields=[*changed, "updated_by", "updated_at"])
        record_event(
            profile,
            events.BUSINESS_PROFILE_UPDATED,
            actor=actor,
            tenant=partner.tenant_id,
            changed=changed,
        )
    return profile
