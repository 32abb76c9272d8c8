"""Pages: inviting a reseller, resending or revoking an invitation (on Indirect resellers),
and the reseller's acceptance page, where it authorizes the provider.

Thin: selectors read, services write; a service's ``InvalidInput`` goes on the form that
was sent, every other domain error takes the one page mapping (``partnercenter.core.pages``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from partnercenter.core.errors import NotFound
from partnercenter.core.forms import call_with_form
from partnercenter.core.pages import domain_errors

from .. import selectors
from ..forms.providers import InvitationAcceptForm, ResellerInviteForm
from ..permissions import acting_partner, require_roles
from ..services import reseller_invitations as services
from .providers import country_names, offer_labels, provider_partner, resellers_page


@login_required
@require_POST
def reseller_invite(request):
    partner = provider_partner(request)
    require_roles(request.user)
    form = ResellerInviteForm(request.POST, auto_id="id_invite_%s")
    invitation = form.is_valid() and call_with_form(
        form, lambda: services.reseller_invitation_send(actor=request.user, **form.cleaned_data)
    )
    if not invitation:
        return resellers_page(request, partner, invite_form=form, status=400)
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


def _invitation_action(call, success):
    @login_required
    @require_POST
    @domain_errors(back="relationships:indirect-resellers")
    def view(request, invitation_id):
        partner = acting_partner(request.user)
        invitation = selectors.reseller_invitation_of(partner, request.user, invitation_id)
        call(actor=request.user, invitation=invitation)
        messages.success(request, success())
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
@domain_errors(
    back="relationships:indirect-providers",
    title=gettext_lazy("This invitation cannot be used"),
    back_label=gettext_lazy("Go to Indirect providers"),
    redirect_back=False,
)
def invitation_accept(request, token):
    """The reseller's global admin or admin agent follows the emailed link, reads who the
    provider is and what authorizing means, ticks the box and selects **Authorize indirect
    provider**. A link that is used, revoked or expired is a 409 page that says so."""
    if selectors.reseller_invitation_for_token(token) is None:
        raise NotFound(services.UNKNOWN_LINK)
    invitation = services.reseller_invitation_check(actor=request.user, token=token)
    form = InvitationAcceptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        relationship = call_with_form(
            form, lambda: services.reseller_invitation_accept(actor=request.user, token=token, authorize=True)
        )
        if relationship:
            messages.success(
                request,
                _("%(name)s is now your indirect provider, with administrator access to your tenant.")
                % {"name": relationship.provider.legal_name},
            )
            return redirect("relationships:indirect-providers")
    listing = selectors.provider_listing_of(invitation.provider)
    return render(
        request,
        "relationships/providers/accept.html",
        {
            "invitation": invitation,
            "provider": invitation.provider,
            "listing": listing,
            "countries_served": country_names(listing.countries) if listing else [],
            "offers": offer_labels(listing.offers) if listing else [],
            "form": form,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


urlpatterns = [
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
    path("reseller-invitations/<str:token>/", invitation_accept, name="reseller-invitation-accept"),
]
