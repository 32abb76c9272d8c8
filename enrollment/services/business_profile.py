"""The business profile customers are referred on, edited by the business profile admin
(or the global admin).

Domain errors raised: ``InvalidInput`` (400), ``NotPermitted`` (403),
``InvalidTransition`` (409).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from partnercenter.audit.services import record_event
from partnercenter.core.errors import InvalidInput, InvalidTransition

from .. import events, rules
from ..models import BusinessProfile, Partner
from ..permissions import require_business_profile_admin

DESCRIPTION_MAX = 2000
LIST_ITEM_MAX = 60
LIST_MAX_ITEMS = 20


@dataclass(frozen=True)
class ListSentences:
    """A list field's own sentences (never its name pasted into a shared one)."""

    not_a_list: Promise
    item_too_long: Promise  # ngettext_lazy on "max"
    too_many: Promise  # ngettext_lazy on "max"


INDUSTRIES = ListSentences(
    gettext_lazy("Give the industries as a list of short texts."),
    ngettext_lazy(
        "Shorten each industry to at most %(max)d character (“%(item)s…” is longer).",
        "Shorten each industry to at most %(max)d characters (“%(item)s…” is longer).",
        "max",
    ),
    ngettext_lazy(
        "Name at most %(max)d industry (you gave %(count)d).",
        "Name at most %(max)d industries (you gave %(count)d).",
        "max",
    ),
)
SERVICES = ListSentences(
    gettext_lazy("Give the services as a list of short texts."),
    ngettext_lazy(
        "Shorten each service to at most %(max)d character (“%(item)s…” is longer).",
        "Shorten each service to at most %(max)d characters (“%(item)s…” is longer).",
        "max",
    ),
    ngettext_lazy(
        "Name at most %(max)d service (you gave %(count)d).",
        "Name at most %(max)d services (you gave %(count)d).",
        "max",
    ),
)


def _short_strings(value, sentences: ListSentences) -> tuple[list[str], list[str]]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
        return [], [str(sentences.not_a_list)]
    items: list[str] = []
    for item in value:
        item = " ".join(item.split())
        if len(item) > LIST_ITEM_MAX:
            return [], [sentences.item_too_long % {"max": LIST_ITEM_MAX, "item": item[:20]}]
        if item and item.casefold() not in {i.casefold() for i in items}:
            items.append(item)
    if len(items) > LIST_MAX_ITEMS:
        return [], [sentences.too_many % {"max": LIST_MAX_ITEMS, "count": len(items)}]
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
            "industries": lambda v: _short_strings(v, INDUSTRIES),
            "services": lambda v: _short_strings(v, SERVICES),
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
