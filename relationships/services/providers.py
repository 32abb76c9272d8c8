"""Indirect providers (DOMAIN.md, "Providers and resellers"): staff authorize a partner as
indirect provider (``provider_authorize``); the provider edits its listing in *Find a
provider* (``provider_listing_update``).

Every function checks the actor's right, locks the row it changes, re-checks the state
after the lock, writes one audit row and emails after commit. Domain errors raised:
``InvalidInput`` (400), ``NotPermitted`` (403), ``InvalidTransition`` (409).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from enrollment import rules
from enrollment.models import Enrollment, EnrollmentStatus, Partner
from enrollment.permissions import require_reviewer
from partnercenter.core.errors import InvalidInput, InvalidTransition

from .. import events
from ..models import IndirectProvider, Offer
from ..permissions import acting_provider
from .common import notify, page_url, record

DESCRIPTION_MAX = 2000


def _latest_enrollment_status(partner: Partner) -> str:
    latest = Enrollment.objects.filter(partner=partner).order_by("-submitted_at").first()
    return latest.status if latest else "none"


def _status_label(status: str):
    return dict(EnrollmentStatus.choices).get(status)


# --- Staff: authorize an indirect provider ------------------------------------------------------


def provider_authorize(*, actor, partner: Partner, authorized: bool) -> IndirectProvider | None:
    """Staff with the review permission authorize an active partner as indirect provider
    (it is then listed in *Find a provider* and may invite resellers), or withdraw the
    authorization. Setting the state it already has changes nothing.

    "A partner acts in a program only once its enrollment there is active": authorizing a
    partner without an active enrollment is a 409.
    """
    require_reviewer(actor)
    if not isinstance(authorized, bool):
        raise InvalidInput.on("authorized", _("Say true to authorize the partner, false to withdraw it."))
    with transaction.atomic():
        # Two staff members at once serialize on the partner row: the provider row may
        # not exist yet, and only one of them may create it.
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        provider = IndirectProvider.objects.filter(partner=partner).first()
        if not authorized:
            if provider is None or not provider.authorized:
                return provider
            provider.authorized = False
            provider.save(update_fields=["authorized", "updated_at"])
            record(
                provider,
                events.PROVIDER_WITHDRAWN,
                actor=actor,
                partner=partner,
                from_state="authorized",
                to_state="withdrawn",
            )
            notify(
                template="provider_withdrawn",
                recipient=partner.contact_email,
                partner=partner,
                context={"first_name": partner.contact_first_name, "legal_name": partner.legal_name},
                key=f"indirect-provider:{provider.pk}:withdrawn:{timezone.now().isoformat()}",
            )
            return provider
        if not partner.is_active_in():
            status = _latest_enrollment_status(partner)
            raise InvalidTransition(
                status,
                _(
                    "%(name)s has no active enrollment. A partner can be authorized as indirect provider "
                    "once its enrollment is active (the agreement accepted)."
                )
                % {"name": partner.legal_name},
                label=_status_label(status),
            )
        if provider is not None and provider.authorized:
            return provider
        now = timezone.now()
        from_state = "withdrawn" if provider is not None else ""
        if provider is None:
            provider = IndirectProvider.objects.create(
                partner=partner, authorized=True, authorized_at=now, authorized_by=actor
            )
        else:
            provider.authorized, provider.authorized_at, provider.authorized_by = True, now, actor
            provider.save(update_fields=["authorized", "authorized_at", "authorized_by", "updated_at"])
        record(
            provider,
            events.PROVIDER_AUTHORIZED,
            actor=actor,
            partner=partner,
            from_state=from_state,
            to_state="authorized",
        )
        notify(
            template="provider_authorized",
            recipient=partner.contact_email,
            partner=partner,
            context={
                "first_name": partner.contact_first_name,
                "legal_name": partner.legal_name,
                "listing_url": page_url("/partner/provider-listing/"),
            },
            key=f"indirect-provider:{provider.pk}:authorized:{now.isoformat()}",
        )
    return provider


# --- The provider's listing -----------------------------------------------------------------------


def _country_codes(value) -> tuple[list[str], list[str]]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        return [], [_('Give the countries as a list of ISO codes, for example ["DE", "FR"].')]
    codes: list[str] = []
    for raw in value:
        code = raw.strip().upper()
        if not countries.alpha2(code):
            return [], [
                _("“%(code)s” is not a country code. Use ISO 3166-1 codes such as DE or FR.") % {"code": raw}
            ]
        if code not in codes:
            codes.append(code)
    return codes, []


def _offers(value) -> tuple[list[str], list[str]]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        return [], [_("Give the offers as a list.")]
    unknown = [v for v in value if v not in Offer.values]
    if unknown:
        return [], [
            _("“%(offer)s” is not an offer. Choose from: %(choices)s.")
            % {"offer": unknown[0], "choices": ", ".join(Offer.values)}
        ]
    return [o for o in Offer.values if o in value], []


def validate_listing(data) -> tuple[dict, dict]:
    """Only the fields given are checked and returned (a partial update)."""
    return rules.normalize_given(
        data,
        {
            "countries": _country_codes,
            "offers": _offers,
            "description": lambda v: rules.normalize_description(
                v, DESCRIPTION_MAX, _("Describe what you offer resellers in plain text.")
            ),
            "website": rules.normalize_website,
        },
    )


def provider_listing_update(*, actor, data: dict) -> IndirectProvider:
    """The provider edits its listing in *Find a provider*: the countries it serves (ISO
    codes), what it offers, a description (at most 2000 characters) and its website. Only
    the fields given change."""
    partner = acting_provider(actor)
    clean, errors = validate_listing(data)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        provider = IndirectProvider.objects.select_for_update().get(partner=partner)
        changed = [name for name, value in clean.items() if getattr(provider, name) != value]
        for name in changed:
            setattr(provider, name, clean[name])
        if changed:
            provider.save(update_fields=[*changed, "updated_at"])
            record(provider, events.LISTING_UPDATED, actor=actor, partner=partner, changed=changed)
    return provider
