"""Pages: customers, one customer (with the sections apps above add, e.g. billing's
orders), creating a customer tenant, and customer invitations.

Thin: they read through ``relationships.selectors`` (another partner's customer is 404)
and write through the services; a service's ``InvalidInput`` goes on the form that was
sent, every other domain error takes the one page mapping (``partnercenter.core.pages``).
"""

import uuid
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache

from partnercenter.core import generations
from partnercenter.core.errors import NotFound
from partnercenter.core.forms import call_with_form
from partnercenter.core.pages import domain_errors

from .. import customer_list_selectors, kept, selectors
from ..forms.customers import CustomerAuthorizeForm, CustomerCreateForm
from ..models import CustomerRole, InvitationStatus
from ..panels import customer_row_summaries, customer_sections
from ..permissions import acting_partner, is_direct_bill, is_indirect_provider, require_roles
from ..services import customer_invitations
from ..services import customers as services
from .customer_rows import customer_rows_html

PAGE_SIZE = 50


def _uuid_or_none(value):
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


# --- Customers ---------------------------------------------------------------------------------------


@login_required
def customers(request):
    """*Customers*: the partner's customers and who bills each. A provider sees the customers
    it shares with each reseller (``?reseller=<id>``, or ``direct`` for its own); a reseller
    those it shares with one provider (``?provider=<id>``) and invites new customers."""
    return generations.cached_page(
        request,
        "relationships/customers/list.html",
        lambda: _customers_body(request),
        **kept.rows(request.user),
    )


def _customers_body(request):
    partner = acting_partner(request.user, customer_list_selectors.customer_list_partners())
    provider, direct_bill = is_indirect_provider(partner), is_direct_bill(partner)
    my_providers = list(selectors.customer_invitation_providers(partner))
    search = request.GET.get("reseller_q", "").strip()[:100]
    resellers = customer_list_selectors.customer_reseller_filter(partner, search=search) if provider else None
    provider_id = _uuid_or_none(request.GET.get("provider"))
    reseller_param = request.GET.get("reseller", "")
    reseller_id = _uuid_or_none(reseller_param)
    direct_only = provider and reseller_param == "direct"
    queryset = selectors.customers_for(
        partner, provider_id=provider_id, reseller_id=reseller_id, direct_only=direct_only
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.customer_rows(partner, page.object_list)
    filtered_by = next((p for p in my_providers if p.pk == provider_id), None)
    if provider and reseller_id:  # a reseller beyond the listed ones is found by its id
        filtered_by = selectors.customer_reseller_choices(partner).filter(pk=reseller_id).first()
    body = render_to_string(
        "relationships/customers/_list_body.html",
        {
            "partner": partner,
            "rows": rows,
            # Each row with what apps above add to it (billing: subscriptions, licenses, users).
            "rows_html": customer_rows_html(
                zip(rows, customer_row_summaries(request, rows), strict=True),
                partner=partner,
                is_provider=provider,
            ),
            "page": page,
            "is_provider": provider,
            "can_create": provider or direct_bill,
            "can_request": direct_bill,
            "my_providers": my_providers,
            "resellers": resellers,
            "filtered_by": filtered_by,
            "direct_only": direct_only,
            "query": request.GET.copy(),
        },
        request=request,
    )
    return {"body": mark_safe(body)}, None  # noqa: S308 - rendered


@never_cache
@login_required
def customer_create(request):
    """*Create customer*: the tenant, its global admin and the relationship. The temporary
    password is shown once, in the answer to the POST, and never stored in clear."""
    partner, role = services.customer_create_role(request.user)
    resellers = (
        list(selectors.customer_reseller_choices(partner)) if role == CustomerRole.INDIRECT_PROVIDER else None
    )
    form = CustomerCreateForm(
        request.POST if request.method == "POST" else None,
        market_code=partner.market.code,
        resellers=resellers,
        initial={"indirect_reseller_id": request.GET.get("reseller", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data}
        data["indirect_reseller_id"] = data.get("indirect_reseller_id") or None
        created = call_with_form(form, lambda: services.customer_create(actor=request.user, **data))
        if created:
            return render(
                request,
                "relationships/customers/created.html",
                {
                    "customer": created.customer,
                    "admin_email": created.admin.email,
                    "temporary_password": created.temporary_password,
                    "reseller": next(
                        (r for r in resellers or [] if str(r.pk) == str(data["indirect_reseller_id"])), None
                    ),
                },
            )
    return render(
        request,
        "relationships/customers/create.html",
        {"form": form, "partner": partner, "is_provider": role == CustomerRole.INDIRECT_PROVIDER},
    )


def customer_page(request, customer_id, *, status=200):
    """One customer: its tenant, its resellers of record as the partner may see them, who
    bills it, and the sections apps above relationships add (billing: orders and the order
    form, for the partner that bills it)."""
    row = selectors.customer_for(acting_partner(request.user), customer_id)
    return render(
        request,
        "relationships/customers/detail.html",
        {"row": row, "customer": row.customer, "sections": customer_sections(request, row)},
        status=status,
    )


@login_required
def customer_detail(request, customer_id):
    return customer_page(request, customer_id)


# --- Customer invitations ----------------------------------------------------------------------------


@never_cache
@login_required
def customer_invite(request, provider_id):
    """*Invite new customers* for one of the reseller's providers. A visit (GET) changes
    nothing: it explains the invitation and offers the button. The button (POST) makes a
    fresh single-use link (the token is shown in this answer only; the database keeps its
    hash) and the draft email, ready to edit and copy. Unused links simply expire."""
    require_roles(request.user)
    relationship = selectors.customer_invitation_relationship(acting_partner(request.user), provider_id)
    if relationship is None:
        raise NotFound()  # not one of the reseller's providers
    created = None
    if request.method == "POST":
        created = customer_invitations.customer_invitation_create(actor=request.user, provider_id=provider_id)
    return render(
        request,
        "relationships/customers/invite.html",
        {
            "created": created,
            "invitation": created.invitation if created else None,
            "provider": relationship.provider,
        },
    )


@never_cache
@domain_errors(back=lambda request, token: request.path)
def customer_invitation(request, token):
    """The customer's side: who invites, what authorizing means, and for the tenant's global
    admin the one step that authorizes both the reseller and its provider. Anyone holding the
    link sees who sent it; only a signed-in global admin of a non-CSP tenant authorizes."""
    invitation = selectors.customer_invitation_for_token(token)
    user = request.user
    if invitation is None:
        return render(request, "relationships/customers/accept.html", {"invalid": True}, status=404)
    form = CustomerAuthorizeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form.is_valid():
            # Success shows on the page it redirects to (the invitation, now accepted); a
            # refusal comes back there with its reason.
            customer_invitations.customer_invitation_accept(actor=user, token=token)
            return redirect(request.path)
    accepted_here = bool(
        invitation.status == InvitationStatus.ACCEPTED
        and user.is_authenticated
        and invitation.customer
        and invitation.customer.tenant_id == user.tenant_id
    )
    closed = None if accepted_here else customer_invitations.customer_invitation_refusal(invitation)
    refusal = None
    if user.is_authenticated and not (accepted_here or closed):
        refusal = customer_invitations.customer_authorization_refusal(user, invitation)
    return render(
        request,
        "relationships/customers/accept.html",
        {
            "invitation": invitation,
            "accepted_here": accepted_here,
            "closed": closed.message if closed else None,
            "refusal": refusal.message if refusal else None,
            "form": form,
            "sign_in_url": f"{reverse('login')}?{urlencode({'next': request.path})}",
        },
    )


urlpatterns = [
    path("customers/", customers, name="customers"),
    path("customers/new/", customer_create, name="customer-create"),
    path("customers/<uuid:customer_id>/", customer_detail, name="customer-detail"),
    path("customers/invite/<uuid:provider_id>/", customer_invite, name="customer-invite"),
    path("customer-invitations/<str:token>/", customer_invitation, name="customer-invitation"),
]
