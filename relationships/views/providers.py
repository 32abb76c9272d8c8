"""Pages: Find a provider, the provider listing, Indirect resellers (the provider's side),
Indirect providers (the reseller's side), granular admin (GDAP), and the reseller
invitation's acceptance page.

Thin: selectors read (another partner's object is 404), services write. A service's
``InvalidInput`` goes back onto the form that was sent; ``InvalidTransition`` (someone
moved it first) becomes a message naming the current status; ``NotPermitted`` is a 403
page that says why. Only active partners act (``relationships.permissions.acting_partner``).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_countries import countries

from partnercenter.core.errors import InvalidInput, InvalidTransition, NotPermitted, flatten_messages
from partnercenter.core.forms import add_errors

from .. import selectors
from ..forms_providers import (
    GdapProposeForm,
    InvitationAcceptForm,
    ProviderListingForm,
    ProviderSearchForm,
    ResellerInviteForm,
)
from ..models import GdapStatus, InvitationStatus, Offer, RelationshipState
from ..permissions import ADMIN_ROLES, acting_partner, require_indirect_provider, require_roles
from ..services import providers as services

PAGE_SIZE = 25
STATUS_LABELS = {
    **dict(RelationshipState.choices),
    **dict(InvitationStatus.choices),
    **dict(GdapStatus.choices),
}
OFFER_LABELS = dict(Offer.choices)


def _allowed(check, *args):
    """Run a permission check of the services; a page answers 403 with its message."""
    try:
        return check(*args)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc


def _conflict(exc: InvalidTransition) -> str:
    """A 409 as a message: what happened, and where the object stands now."""
    label = STATUS_LABELS.get(exc.status, exc.status)
    return _("%(message)s Current status: %(status)s.") % {"message": exc.message, "status": label}


def _act(request, call, success: str) -> bool:
    """Run a service from a button; say how it went. True when it landed."""
    try:
        call()
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except InvalidTransition as exc:
        messages.error(request, _conflict(exc))
    except InvalidInput as exc:
        for message in flatten_messages(exc.errors):
            messages.error(request, message)
    else:
        messages.success(request, success)
        return True
    return False


def _is_admin(user) -> bool:
    return any(user.has_role(role) for role in ADMIN_ROLES)


def _label_roles(relationships) -> None:
    """Each GDAP relationship's roles as the pages show them (in the reader's language)."""
    for relationship in relationships:
        for gdap in relationship.granular_admin.all():
            gdap.role_labels = [str(services.GDAP_ROLES.get(role, role)) for role in gdap.roles]


def _country_names(codes) -> list[str]:
    return [countries.name(code) or code for code in codes]


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
            "countries": _country_names(provider.countries),
            "offers": [OFFER_LABELS.get(offer, offer) for offer in provider.offers],
        }
        for provider in page.object_list
    ]
    return render(request, "relationships/providers/find.html", {"form": form, "page": page, "rows": rows})


# --- The provider's listing -----------------------------------------------------------------------------


@login_required
def provider_listing(request):
    """The provider's global admin or an admin agent edits its listing in *Find a provider*."""
    _allowed(require_roles, request.user)
    partner = _allowed(acting_partner, request.user)
    _allowed(require_indirect_provider, partner)
    listing = selectors.provider_listing_of(partner)
    initial = {
        "countries": listing.countries,
        "offers": listing.offers,
        "description": listing.description,
        "website": listing.website,
    }
    form = ProviderListingForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_listing_update(actor=request.user, data=form.cleaned_data)
        except InvalidInput as exc:
            add_errors(form, exc.errors)
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        else:
            messages.success(request, _("Your listing was saved. Resellers find you under Find a provider."))
            return redirect("relationships:provider-listing")
    return render(
        request,
        "relationships/providers/listing.html",
        {"form": form, "listing": listing, "partner": partner},
    )


# --- Indirect resellers: the provider's side -------------------------------------------------------------


def _provider_partner(request):
    partner = _allowed(acting_partner, request.user)
    _allowed(require_indirect_provider, partner)
    return partner


def _invitation_rows(invitations) -> list[dict]:
    return [
        {"invitation": invitation, "status": services.invitation_status_now(invitation)}
        for invitation in invitations
    ]


def _resellers_page(request, partner, *, invite_form=None, status=200):
    relationships = selectors.with_granular_admin(selectors.relationships_of(partner, selectors.PROVIDER_OF))
    page = Paginator(relationships, PAGE_SIZE).get_page(request.GET.get("page"))
    _label_roles(page.object_list)
    invitations = Paginator(
        selectors.reseller_invitations_of(partner, request.user, direction="sent"), PAGE_SIZE
    ).get_page(request.GET.get("invitations_page"))
    return render(
        request,
        "relationships/providers/indirect_resellers.html",
        {
            "partner": partner,
            "page": page,
            "invitations": invitations,
            "invitation_rows": _invitation_rows(invitations.object_list),
            "invite_form": invite_form or ResellerInviteForm(auto_id="id_invite_%s"),
            "can_act": _is_admin(request.user),
            "terminable": services.GDAP_TERMINABLE,
            "ttl_days": settings.INVITATION_TTL_DAYS,
        },
        status=status,
    )


@login_required
@require_GET
def indirect_resellers(request):
    """The provider's resellers, the invitation form and the invitations it sent."""
    return _resellers_page(request, _provider_partner(request))


@login_required
@require_POST
def reseller_invite(request):
    partner = _provider_partner(request)
    _allowed(require_roles, request.user)
    form = ResellerInviteForm(request.POST, auto_id="id_invite_%s")
    if form.is_valid():
        try:
            invitation = services.reseller_invitation_send(actor=request.user, **form.cleaned_data)
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        except InvalidInput as exc:
            add_errors(form, exc.errors)
        else:
            messages.success(
                request,
                _("The invitation was sent to %(who)s. The link works until %(date)s.")
                % {
                    "who": invitation.email
                    or _("the partner with MPN ID %(mpn_id)s") % {"mpn_id": invitation.mpn_id},
                    "date": date_format(invitation.expires_at, "DATE_FORMAT"),
                },
            )
            return redirect("relationships:indirect-resellers")
    return _resellers_page(request, partner, invite_form=form, status=400)


def _invitation_action(call, success):
    @login_required
    @require_POST
    def view(request, invitation_id):
        partner = _allowed(acting_partner, request.user)
        invitation = selectors.reseller_invitation_of(partner, request.user, invitation_id)
        _act(request, lambda: call(actor=request.user, invitation=invitation), success())
        return redirect("relationships:indirect-resellers")

    return view


invitation_resend = _invitation_action(
    services.reseller_invitation_resend,
    lambda: _("The invitation was sent again with a new link. The old link no longer works."),
)
invitation_revoke = _invitation_action(
    services.reseller_invitation_revoke, lambda: _("The invitation was revoked. Its link no longer works.")
)


@login_required
def gdap_new(request, relationship_id):
    """The provider asks a reseller for granular admin roles."""
    partner = _provider_partner(request)
    _allowed(require_roles, request.user)
    relationship = selectors.relationship_of(partner, relationship_id)
    if relationship.provider_id != partner.pk:
        raise PermissionDenied(
            _("Only the provider asks for granular admin roles; the reseller approves them.")
        )
    form = GdapProposeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.gdap_propose(actor=request.user, relationship=relationship, **form.cleaned_data)
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        except InvalidInput as exc:
            add_errors(form, exc.errors)
        except InvalidTransition as exc:
            messages.error(request, _conflict(exc))
            return redirect("relationships:indirect-resellers")
        else:
            messages.success(
                request,
                _("Your request was sent to %(name)s. The roles apply once the reseller approves them.")
                % {"name": relationship.reseller.legal_name},
            )
            return redirect("relationships:indirect-resellers")
    return render(
        request,
        "relationships/providers/gdap_new.html",
        {"form": form, "relationship": relationship},
        status=400 if form.is_bound and form.errors else 200,
    )


# --- Indirect providers: the reseller's side --------------------------------------------------------------


@login_required
@require_GET
def indirect_providers(request):
    """The providers the reseller authorized: administrator access, GDAP approvals, and the
    invitations waiting for it."""
    partner = _allowed(acting_partner, request.user)
    relationships = selectors.with_granular_admin(selectors.relationships_of(partner, selectors.RESELLER_OF))
    page = Paginator(relationships, PAGE_SIZE).get_page(request.GET.get("page"))
    _label_roles(page.object_list)
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
                row
                for row in _invitation_rows(waiting)
                if row["status"] == InvitationStatus.SENT and row["invitation"].provider_id not in authorized
            ],
            "can_act": _is_admin(request.user),
            "terminable": services.GDAP_TERMINABLE,
        },
    )


@login_required
@require_POST
def remove_admin_access(request, relationship_id):
    partner = _allowed(acting_partner, request.user)
    relationship = selectors.relationship_of(partner, relationship_id)
    _act(
        request,
        lambda: services.relationship_remove_admin_access(actor=request.user, relationship=relationship),
        _("%(name)s no longer has administrator access to your tenant. It stays your indirect provider.")
        % {"name": relationship.provider.legal_name},
    )
    return redirect("relationships:indirect-providers")


def _gdap_action(call, success):
    @login_required
    @require_POST
    def view(request, gdap_id):
        partner = _allowed(acting_partner, request.user)
        gdap = selectors.granular_admin_of(partner, gdap_id)
        _act(request, lambda: call(actor=request.user, gdap=gdap), success())
        if gdap.relationship.reseller_id == partner.pk:
            return redirect("relationships:indirect-providers")
        return redirect("relationships:indirect-resellers")

    return view


gdap_approve = _gdap_action(
    services.gdap_approve, lambda: _("The granular admin roles are granted until the end of their duration.")
)
gdap_terminate = _gdap_action(
    services.gdap_terminate, lambda: _("Termination requested: the granular admin roles end shortly.")
)


# --- Accepting an invitation ---------------------------------------------------------------------------------


def _accept_page(request, *, invitation=None, form=None, problem="", status=200):
    listing = None
    if invitation is not None:
        listing = selectors.provider_listing_of(invitation.provider)
    return render(
        request,
        "relationships/providers/accept.html",
        {
            "invitation": invitation,
            "provider": invitation.provider if invitation else None,
            "listing": listing,
            "countries_served": _country_names(listing.countries) if listing else [],
            "offers": [OFFER_LABELS.get(o, o) for o in listing.offers] if listing else [],
            "form": form,
            "problem": problem,
        },
        status=status,
    )


@login_required
def invitation_accept(request, token):
    """The reseller's global admin or admin agent follows the emailed link, reads who the
    provider is and what authorizing means, ticks the box and selects **Authorize indirect
    provider**."""
    try:
        invitation = services.reseller_invitation_check(actor=request.user, token=token)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except InvalidInput as exc:
        return _accept_page(request, problem=" ".join(flatten_messages(exc.errors)), status=404)
    except InvalidTransition as exc:
        return _accept_page(request, problem=_conflict(exc), status=409)
    form = InvitationAcceptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            relationship = services.reseller_invitation_accept(
                actor=request.user, token=token, authorize=True
            )
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        except InvalidTransition as exc:
            return _accept_page(request, problem=_conflict(exc), status=409)
        except InvalidInput as exc:
            add_errors(form, exc.errors)
        else:
            messages.success(
                request,
                _("%(name)s is now your indirect provider, with administrator access to your tenant.")
                % {"name": relationship.provider.legal_name},
            )
            return redirect("relationships:indirect-providers")
    return _accept_page(
        request, invitation=invitation, form=form, status=400 if form.is_bound and form.errors else 200
    )


urlpatterns = [
    path("providers/", find_provider, name="find-provider"),
    path("partner/provider-listing/", provider_listing, name="provider-listing"),
    path("indirect-resellers/", indirect_resellers, name="indirect-resellers"),
    path("indirect-resellers/invite/", reseller_invite, name="reseller-invite"),
    path(
        "indirect-resellers/invitations/<uuid:invitation_id>/resend/",
        invitation_resend,
        name="reseller-invitation-resend",
    ),
    path(
        "indirect-resellers/invitations/<uuid:invitation_id>/revoke/",
        invitation_revoke,
        name="reseller-invitation-revoke",
    ),
    path("indirect-resellers/<uuid:relationship_id>/granular-admin/", gdap_new, name="gdap-new"),
    path("indirect-providers/", indirect_providers, name="indirect-providers"),
    path(
        "indirect-providers/<uuid:relationship_id>/remove-admin-access/",
        remove_admin_access,
        name="remove-admin-access",
    ),
    path("granular-admin/<uuid:gdap_id>/approve/", gdap_approve, name="gdap-approve"),
    path("granular-admin/<uuid:gdap_id>/terminate/", gdap_terminate, name="gdap-terminate"),
    path("reseller-invitations/<str:token>/", invitation_accept, name="reseller-invitation-accept"),
]
