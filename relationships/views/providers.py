"""Pages: Find a provider, the provider's listing, Indirect resellers (the provider's side)
and Indirect providers (the reseller's side).

Thin: selectors read (another partner's object is 404), services write. A service's
``InvalidInput`` goes back onto the form that was sent; every other domain error takes the
one page mapping (``partnercenter.core.pages``). Only active partners act
(``relationships.permissions.acting_partner``).
"""

from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_countries import countries

from partnercenter.core import generations
from partnercenter.core.forms import call_with_form

from .. import kept, list_selectors, selectors
from ..forms.providers import ProviderListingForm, ProviderSearchForm, ResellerInviteForm
from ..models import InvitationStatus, Offer
from ..permissions import acting_partner, acting_provider, has_roles, require_indirect_provider
from ..services import providers as services
from .relationship_rows import RelationshipRows, reseller_rows_html

PAGE_SIZE = 25
RESELLERS_PAGE = "relationships/providers/indirect_resellers.html"
OFFER_LABELS = dict(Offer.choices)


def country_names(codes) -> list[str]:
    return [countries.name(code) or code for code in codes]


def offer_labels(offers) -> list[str]:
    return [OFFER_LABELS.get(offer, offer) for offer in offers]


# --- Find a provider ------------------------------------------------------------------------------------


@login_required
@require_GET
def find_provider(request):
    """The official indirect providers, searchable by name, country served and offer."""
    form = ProviderSearchForm(request.GET or None)
    providers = selectors.provider_directory(**form.filters())
    page = Paginator(providers, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "provider": provider,
            "countries": country_names(provider.countries),
            "offers": offer_labels(provider.offers),
        }
        for provider in page.object_list
    ]
    return render(request, "relationships/providers/find.html", {"form": form, "page": page, "rows": rows})


# --- The provider's listing -----------------------------------------------------------------------------


@login_required
def provider_listing(request):
    """The provider's global admin or an admin agent edits its listing in *Find a provider*."""
    partner = acting_provider(request.user)
    listing = selectors.provider_listing_of(partner)
    initial = {
        "countries": listing.countries,
        "offers": listing.offers,
        "description": listing.description,
        "website": listing.website,
    }
    form = ProviderListingForm(request.POST if request.method == "POST" else None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_with_form(
            form, lambda: services.provider_listing_update(actor=request.user, data=form.cleaned_data)
        )
    ):
        messages.success(request, _("Your listing was saved. Resellers find you under Find a provider."))
        return redirect("relationships:provider-listing")
    return render(
        request,
        "relationships/providers/listing.html",
        {"form": form, "listing": listing, "partner": partner},
    )


# --- Indirect resellers: the provider's side -------------------------------------------------------------


def provider_partner(request):
    """The signed-in user's active, authorized indirect provider (403 otherwise)."""
    partner = acting_partner(request.user, related=("indirect_provider",))
    require_indirect_provider(partner)
    return partner


INVITE_FORM = "relationships/providers/_form.html"


@lru_cache(maxsize=8)
def blank_invite_form(language: str) -> SafeString:
    """The empty invitation form, written once a language (issue 12: its fields' widgets
    and labels, rendered on every request, were a tenth of the page's time)."""
    return render_to_string(INVITE_FORM, {"form": ResellerInviteForm(auto_id="id_invite_%s")})


def invite_form_html(form=None) -> SafeString:
    """The invitation form: the empty one, or one sent back with its errors."""
    return (
        blank_invite_form(get_language()) if form is None else render_to_string(INVITE_FORM, {"form": form})
    )


def resellers_page(request, partner, *, invite_form=None, status=200):
    """The page as computed: an invitation sent back with its errors (``status`` 400)."""
    context, _valid_until = _resellers_body(request, partner, invite_form)
    return render(request, RESELLERS_PAGE, context, status=status)


def _resellers_body(request, partner, invite_form=None):
    relationships = list_selectors.relationship_rows(partner, selectors.PROVIDER_OF)
    page = Paginator(relationships, PAGE_SIZE).get_page(request.GET.get("page"))
    list_selectors.with_granular_admin(page.object_list)
    can_act = has_roles(request.user)
    invitations = Paginator(
        selectors.reseller_invitations_of(partner, request.user, direction="sent"), PAGE_SIZE
    ).get_page(request.GET.get("invitations_page"))
    body = render_to_string(
        "relationships/providers/_indirect_resellers_body.html",
        {
            "partner": partner,
            "page": page,
            "rows": reseller_rows_html(request, page.object_list, can_act=can_act),
            "invitations": invitations,
            "invite_form": invite_form_html(invite_form) if can_act else "",
            "can_act": can_act,
            "ttl_days": settings.INVITATION_TTL_DAYS,
        },
        request=request,
    )
    # The page reads the same until the first of its open invitations expires.
    expiring = [invitation.expires_at for invitation in invitations.object_list if invitation.is_open]
    return {"body": mark_safe(body)}, min(expiring, default=None)  # noqa: S308 - rendered


@login_required
@require_GET
def indirect_resellers(request):
    """The provider's resellers, the invitation form and the invitations it sent: as they
    read a moment ago, until a table they read changes (``generations.cached_page``)."""
    return generations.cached_page(
        request,
        RESELLERS_PAGE,
        lambda: _resellers_body(request, provider_partner(request)),
        **kept.rows(request.user),
    )


# --- Indirect providers: the reseller's side --------------------------------------------------------------


@login_required
@require_GET
def indirect_providers(request):
    """The providers the reseller authorized: administrator access, GDAP approvals, and the
    invitations waiting for it."""
    partner = acting_partner(request.user)
    relationships = list_selectors.relationship_rows(partner, selectors.RESELLER_OF)
    page = Paginator(relationships, PAGE_SIZE).get_page(request.GET.get("page"))
    list_selectors.with_granular_admin(page.object_list)
    can_act = has_roles(request.user)
    rows = RelationshipRows(request, can_act=can_act)
    for relationship in page.object_list:
        relationship.gdap_html = rows.gdap(relationship, "reseller")
    waiting = selectors.reseller_invitations_of(
        partner, request.user, direction="received", status=InvitationStatus.SENT
    )[:PAGE_SIZE]
    authorized = selectors.active_provider_ids(partner)
    return render(
        request,
        "relationships/providers/indirect_providers.html",
        {
            "partner": partner,
            "page": page,
            # An invitation from a provider the reseller already authorized waits for nothing.
            "waiting": [
                invitation
                for invitation in waiting
                if invitation.is_open and invitation.provider_id not in authorized
            ],
            "can_act": can_act,
        },
    )


urlpatterns = [
    path("providers/", find_provider, name="find-provider"),
    path("partner/provider-listing/", provider_listing, name="provider-listing"),
    path("indirect-resellers/", indirect_resellers, name="indirect-resellers"),
    path("indirect-providers/", indirect_providers, name="indirect-providers"),
]
