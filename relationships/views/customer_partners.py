"""Pages of the customer's side: its global admin sees its partners (resellers of record and
indirect providers, their roles, who bills, who has administrator access) and, each after a
confirmation page, removes a partner's administrator access or ends the relationship.

Thin: ``relationships.selectors`` read (another customer's or a partner's relationship is
404), ``services.customer_partners`` write; a refusal goes back to the list with its reason.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from partnercenter.core.forms import call_with_form
from partnercenter.core.pages import domain_errors

from .. import selectors
from ..forms.customers import CustomerPartnerConfirmForm
from ..permissions import require_customer_admin
from ..services import customer_partners as services

PAGE_SIZE = 50
LIST = "relationships:customer-partners"


@login_required
def customer_partners(request):
    """*Partner relationships*: the customer's resellers of record, active ones first."""
    require_customer_admin(request.user)
    customer = selectors.customer_of_user(request.user)
    page = Paginator(selectors.customer_partners(customer), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "relationships/customers/partners.html", {"customer": customer, "page": page})


# The two changes: (service, what the list says afterwards).
ACTIONS = {
    "remove-admin-access": (
        services.customer_relationship_remove_admin_access,
        lambda name: (
            _("%(name)s no longer has administrator access to your organization. It stays your partner.")
            % {"name": name}
        ),
    ),
    "end": (
        services.customer_relationship_end,
        lambda name: _("Your organization's relationship with %(name)s has ended.") % {"name": name},
    ),
}


def _confirm_view(action: str):
    service, success = ACTIONS[action]

    @never_cache
    @login_required
    @domain_errors(back=LIST, back_label=gettext_lazy("Back to your partners"))
    def view(request, partner_id):
        """GET asks for the confirmation (and changes nothing); the page's button (POST) acts."""
        require_customer_admin(request.user)
        relationship = selectors.customer_partner_of(request.user, partner_id)
        if request.method != "POST" and (
            refusal := services.customer_relationship_refusal(
                relationship, removing_access=action == "remove-admin-access"
            )
        ):
            raise refusal  # no button for what cannot be done: the reason, and a way back
        form = CustomerPartnerConfirmForm(request.POST if request.method == "POST" else None)
        if (
            request.method == "POST"
            and form.is_valid()
            and call_with_form(
                form,
                lambda: service(
                    actor=request.user, relationship=relationship, confirm=form.cleaned_data["confirm"]
                ),
            )
        ):
            messages.success(request, success(relationship.partner.legal_name))
            return redirect(LIST)
        return render(
            request,
            "relationships/customers/partner_confirm.html",
            {"relationship": relationship, "action": action, "form": form},
            status=400 if form.is_bound and form.errors else 200,
        )

    view.__name__ = view.__qualname__ = f"customer_partner_{action.replace('-', '_')}"
    return view


urlpatterns = [
    path("customer/partners/", customer_partners, name="customer-partners"),
    path(
        "customer/partners/<uuid:partner_id>/remove-admin-access/",
        _confirm_view("remove-admin-access"),
        name="customer-partner-remove-admin-access",
    ),
    path(
        "customer/partners/<uuid:partner_id>/end/",
        _confirm_view("end"),
        name="customer-partner-end",
    ),
]
