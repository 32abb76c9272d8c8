"""Pages: customers, creating a customer tenant, customer invitations, orders.

Thin: they read through ``relationships.selectors`` (another partner's customer is 404) and
write through the services, whose ``NotPermitted`` becomes a 403 page with its reason.
"""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from billing import services as billing_services
from enrollment.models import Partner
from partnercenter.core.errors import InvalidInput, InvalidTransition, NotPermitted
from partnercenter.core.forms import add_errors

from .. import selectors
from ..forms_customers import CustomerAuthorizeForm, CustomerCreateForm, OrderForm
from ..models import CustomerRole, InvitationStatus
from ..permissions import acting_partner, is_direct_bill, is_indirect_provider
from ..services import customers as services

PAGE_SIZE = 50


def _acting_partner(user) -> Partner:
    """Only active partners act; anyone else gets a 403 page that says why."""
    try:
        return acting_partner(user)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc


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
    partner = _acting_partner(request.user)
    provider, direct_bill = is_indirect_provider(partner), is_direct_bill(partner)
    my_providers = list(selectors.customer_invitation_providers(partner))
    direct_count, reseller_counts = selectors.customer_counts_by_reseller(partner) if provider else (0, [])
    provider_id = _uuid_or_none(request.GET.get("provider"))
    reseller_param = request.GET.get("reseller", "")
    reseller_id = _uuid_or_none(reseller_param)
    direct_only = provider and reseller_param == "direct"
    queryset = selectors.customers_for(
        partner, provider_id=provider_id, reseller_id=reseller_id, direct_only=direct_only
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.customer_rows(partner, page.object_list)
    filtered_by = next((p for p in my_providers if p.pk == provider_id), None) or next(
        (r for r, _n in reseller_counts if r.pk == reseller_id), None
    )
    return render(
        request,
        "relationships/customers/list.html",
        {
            "partner": partner,
            "rows": rows,
            "page": page,
            "is_provider": provider,
            "can_create": provider or direct_bill,
            "my_providers": my_providers,
            "reseller_counts": reseller_counts,
            "direct_count": direct_count,
            "filtered_by": filtered_by,
            "direct_only": direct_only,
            "query": request.GET.copy(),
        },
    )


@never_cache
@login_required
def customer_create(request):
    """*Create customer*: the tenant, its global admin and the relationship. The temporary
    password is shown once, in the answer to the POST, and never stored in clear."""
    try:
        partner, role = services.customer_create_role(request.user)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
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
        try:
            created = services.customer_create(actor=request.user, **data)
        except InvalidInput as exc:
            add_errors(form, exc.errors)
        else:
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


def _detail(request, row, form, status=200):
    orders = list(selectors.customer_orders(row)[:PAGE_SIZE])
    return render(
        request,
        "relationships/customers/detail.html",
        {
            "row": row,
            "customer": row.customer,
            "orders": [
                {
                    "order": o,
                    "unit_price": billing_services.money(o.unit_price, o.currency),
                    "total": billing_services.money(o.total, o.currency),
                }
                for o in orders
            ],
            "form": form,
        },
        status=status,
    )


@login_required
def customer_detail(request, customer_id):
    """One customer: its tenant, its resellers of record as the partner may see them, who
    bills it, its orders and (for the partner that bills it) the order form."""
    row = selectors.customer_for(_acting_partner(request.user), customer_id)
    return _detail(request, row, OrderForm() if row.can_manage_products else None)


@login_required
@require_POST
def customer_order(request, customer_id):
    row = selectors.customer_for(_acting_partner(request.user), customer_id)
    form = OrderForm(request.POST)
    if form.is_valid():
        try:
            order = billing_services.order_submit(
                actor=request.user, customer=row.customer, **form.cleaned_data
            )
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        except InvalidInput as exc:
            add_errors(
                form,
                exc.errors,
                fields={"unit_price.amount": "unit_price", "unit_price.currency": "unit_price"},
            )
        else:
            messages.success(
                request,
                _("Your order of %(quantity)d × %(offer)s for %(customer)s was submitted.")
                % {"quantity": order.quantity, "offer": order.offer, "customer": row.customer.company_name},
            )
            return redirect("relationships:customer-detail", customer_id=row.customer.pk)
    return _detail(request, row, form, status=400)


# --- Customer invitations ----------------------------------------------------------------------------


@never_cache
@login_required
def customer_invite(request, provider_id):
    """*Invite new customers* for one of the reseller's providers: each visit makes a fresh
    single-use link (the token is shown here only; the database keeps its hash) and the draft
    email, ready to edit and copy. Unused links simply expire."""
    try:
        created = services.customer_invitation_create(actor=request.user, provider_id=provider_id)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except InvalidInput as exc:
        raise Http404 from exc  # not one of the reseller's providers
    return render(
        request,
        "relationships/customers/invite.html",
        {"created": created, "invitation": created.invitation, "provider": created.invitation.provider},
    )


@never_cache
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
            try:
                services.customer_invitation_accept(actor=user, token=token)
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from exc
            except InvalidTransition as exc:
                messages.error(request, exc.message)
            # Success shows on the page it redirects to (the invitation, now accepted).
            return redirect(request.path)
    accepted_here = bool(
        invitation.status == InvitationStatus.ACCEPTED
        and user.is_authenticated
        and invitation.customer
        and invitation.customer.tenant_id == user.tenant_id
    )
    closed = None if accepted_here else services.customer_invitation_refusal(invitation)
    refusal = None
    if user.is_authenticated and not (accepted_here or closed):
        refusal = services.customer_authorization_refusal(user, invitation)
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
    path("customers/<uuid:customer_id>/orders/", customer_order, name="customer-order"),
    path("customers/invite/<uuid:provider_id>/", customer_invite, name="customer-invite"),
    path("customer-invitations/<str:token>/", customer_invitation, name="customer-invitation"),
]
