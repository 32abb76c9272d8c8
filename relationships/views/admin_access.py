"""Pages: the reseller removes its provider's administrator access; granular delegated
admin (GDAP): the provider asks for roles, the reseller approves, either side terminates.

Thin: selectors read, services write; a service's ``InvalidInput`` goes on the form that
was sent, every other domain error takes the one page mapping (``partnercenter.core.pages``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enrollment.selectors import partner_for
from partnercenter.core.errors import NotPermitted
from partnercenter.core.forms import call_with_form
from partnercenter.core.pages import domain_errors

from .. import selectors
from ..forms.providers import GdapProposeForm
from ..permissions import acting_partner, require_roles
from ..services import admin_access as services
from .providers import provider_partner


@login_required
@require_POST
@domain_errors(back="relationships:indirect-providers")
def remove_admin_access(request, relationship_id):
    partner = acting_partner(request.user)
    relationship = selectors.relationship_of(partner, relationship_id)
    services.relationship_remove_admin_access(actor=request.user, relationship=relationship)
    messages.success(
        request,
        _("%(name)s no longer has administrator access to your tenant. It stays your indirect provider.")
        % {"name": relationship.provider.legal_name},
    )
    return redirect("relationships:indirect-providers")


@login_required
@domain_errors(back="relationships:indirect-resellers")
def gdap_new(request, relationship_id):
    """The provider asks a reseller for granular admin roles."""
    partner = provider_partner(request)
    require_roles(request.user)
    relationship = selectors.relationship_of(partner, relationship_id)
    if relationship.provider_id != partner.pk:
        raise NotPermitted(_("Only the provider asks for granular admin roles; the reseller approves them."))
    form = GdapProposeForm(request.POST if request.method == "POST" else None)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_with_form(
            form,
            lambda: services.gdap_propose(actor=request.user, relationship=relationship, **form.cleaned_data),
        )
    ):
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


def _gdap_page(request, gdap_id) -> str:
    """Back to the side's own page: the reseller's Indirect providers, the provider's
    Indirect resellers."""
    partner = partner_for(request.user)
    gdap = selectors.granular_admin_of(partner, gdap_id)
    side = "indirect-providers" if gdap.relationship.reseller_id == partner.pk else "indirect-resellers"
    return reverse(f"relationships:{side}")


def _gdap_action(call, success):
    @login_required
    @require_POST
    @domain_errors(back=_gdap_page)
    def view(request, gdap_id):
        partner = acting_partner(request.user)
        gdap = selectors.granular_admin_of(partner, gdap_id)
        call(actor=request.user, gdap=gdap)
        messages.success(request, success())
        return redirect(_gdap_page(request, gdap_id))

    return view


gdap_approve = _gdap_action(
    services.gdap_approve, lambda: _("The granular admin roles are granted until the end of their duration.")
)
gdap_terminate = _gdap_action(
    services.gdap_terminate, lambda: _("Termination requested: the granular admin roles end shortly.")
)


urlpatterns = [
    path("indirect-resellers/<uuid:relationship_id>/granular-admin/", gdap_new, name="gdap-new"),
    path(
        "indirect-providers/<uuid:relationship_id>/remove-admin-access/",
        remove_admin_access,
        name="remove-admin-access",
    ),
    path("granular-admin/<uuid:gdap_id>/approve/", gdap_approve, name="gdap-approve"),
    path("granular-admin/<uuid:gdap_id>/terminate/", gdap_terminate, name="gdap-terminate"),
]
