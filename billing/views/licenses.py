"""Pages of the customer tenant's users and licenses: the *Users* and *Licenses* sections of
a customer's page (registered with ``relationships.panels``) and their buttons.

For the partner that manages the tenant (the reseller, or the direct-bill partner); a role
that may not act reads why. After *Add user* or *Reset password* the temporary password is
shown once, in the answer to that button (never in a URL, a message or the session), and
that answer is not cached.

Thin: selectors read, services write; a service's ``InvalidInput`` goes on the form that was
sent, every other domain error takes the one page mapping (``partnercenter.core.pages``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from partnercenter.core.errors import NotFound
from partnercenter.core.forms import call_with_form
from partnercenter.core.pages import domain_errors
from relationships import selectors as relationship_selectors
from relationships.panels import Section, customer_section
from relationships.permissions import acting_partner
from relationships.views.customers import customer_page

from .. import license_selectors as selectors
from ..forms import CustomerUserForm
from ..permissions import Action, may, require, require_manages_tenant
from ..services import licenses as services
from . import orders  # noqa: F401 (its section of the customer page comes first)

USERS_PAGE_SIZE = 25


def _domains(row) -> list[str]:
    tenant = row.tenant
    return [tenant.domain, *sorted(tenant.verified_domain_names() - {tenant.domain})]


@customer_section
def users_section(request, row) -> Section:
    """The customer's users with their licenses and, per license-based subscription, the
    licenses assigned of those bought; the forms for the roles that may use them."""
    refusal = selectors.tenant_refusal(request.user, row)
    if refusal:
        return Section("billing/licenses/_section.html", {"refusal": refusal})
    may_users = may(request.user, Action.MANAGE_USERS)
    may_licenses = may(request.user, Action.MANAGE_LICENSES)
    subscriptions = list(selectors.license_subscriptions(row)[: selectors.SUBSCRIPTIONS_SHOWN])
    for subscription in subscriptions:
        subscription.available = max(subscription.quantity - subscription.assigned, 0)
    page = Paginator(selectors.customer_users(row), USERS_PAGE_SIZE).get_page(request.GET.get("users_page"))
    users = []
    for user in page.object_list:
        held = {license.subscription_id for license in user.licenses.all()}
        users.append(
            {
                "user": user,
                "licenses": list(user.licenses.all()),
                "assignable": [s for s in subscriptions if s.pk not in held and s.available],
            }
        )
    form = None
    if may_users:
        form = getattr(request, "customer_user_form", None) or CustomerUserForm(
            domains=_domains(row), initial={"usage_location": row.tenant.country.code}
        )
    return Section(
        "billing/licenses/_section.html",
        {
            "users": users,
            "page": page,
            "subscriptions": subscriptions,
            "form": form,
            "may_users": may_users,
            "may_licenses": may_licenses,
            "licenses_refusal": ""
            if may_licenses
            else selectors.tenant_refusal(request.user, row, Action.MANAGE_LICENSES),
            "created": getattr(request, "customer_user_password", None),
        },
    )


def _row(request, customer_id, action):
    """The customer (404 if not the partner's), once the viewer may ``action`` on its tenant."""
    row = relationship_selectors.customer_for(acting_partner(request.user), customer_id)
    require(request.user, action)
    require_manages_tenant(row.own_relationship)
    return row


def _back(request, customer_id, **kwargs) -> str:
    return reverse("relationships:customer-detail", args=[customer_id]) + "#users"


def _with_password(request, customer_id, created):
    """The customer's page with the temporary password shown this once; never cached."""
    request.customer_user_password = created
    response = customer_page(request, customer_id)
    add_never_cache_headers(response)
    response["Cache-Control"] += ", no-store"
    return response


@never_cache
@login_required
@require_POST
@domain_errors(back=_back)
def customer_user_create(request, customer_id):
    row = _row(request, customer_id, Action.MANAGE_USERS)
    form = CustomerUserForm(request.POST, domains=_domains(row))
    created = form.is_valid() and call_with_form(
        form,
        lambda: services.customer_user_create(actor=request.user, customer=row.customer, **form.cleaned_data),
    )
    if not created:
        request.customer_user_form = form
        return customer_page(request, customer_id, status=400)
    return _with_password(request, customer_id, created)


@never_cache
@login_required
@require_POST
@domain_errors(back=_back)
def customer_user_reset_password(request, customer_id, user_id):
    row = _row(request, customer_id, Action.MANAGE_USERS)
    user = selectors.customer_user(row, user_id)
    created = services.customer_user_reset_password(actor=request.user, user=user)
    return _with_password(request, customer_id, created)


@login_required
@domain_errors(back=_back)
def customer_user_delete(request, customer_id, user_id):
    """*Delete user*: a confirmation (GET), then the deletion (POST)."""
    row = _row(request, customer_id, Action.MANAGE_USERS)
    user = selectors.customer_user(row, user_id)
    if request.method != "POST":
        return render(
            request,
            "billing/licenses/delete.html",
            {"row": row, "customer": row.customer, "user": user, "licenses": list(user.licenses.all())},
        )
    services.customer_user_delete(actor=request.user, user=user)
    messages.success(
        request, _("%(upn)s was deleted; its licenses are free again.") % {"upn": user.user_principal_name}
    )
    return redirect(_back(request, customer_id))


def _subscription(row, subscription_id):
    subscription = selectors.license_subscription(row, subscription_id)
    if subscription is None:
        raise NotFound()
    return subscription


@login_required
@require_POST
@domain_errors(back=_back)
def license_assign(request, customer_id, user_id):
    row = _row(request, customer_id, Action.MANAGE_LICENSES)
    user = selectors.customer_user(row, user_id)
    subscription = selectors.license_subscription(row, request.POST.get("subscription_id", ""))
    if subscription is None:
        messages.error(request, _("Choose one of this customer's subscriptions."))
        return redirect(_back(request, customer_id))
    services.license_assign(actor=request.user, subscription=subscription, user=user)
    messages.success(
        request,
        _("A license of %(product)s is assigned to %(upn)s.")
        % {"product": subscription.friendly_name, "upn": user.user_principal_name},
    )
    return redirect(_back(request, customer_id))


@login_required
@require_POST
@domain_errors(back=_back)
def license_unassign(request, customer_id, user_id, subscription_id):
    row = _row(request, customer_id, Action.MANAGE_LICENSES)
    user = selectors.customer_user(row, user_id)
    subscription = _subscription(row, subscription_id)
    services.license_unassign(actor=request.user, subscription=subscription, user=user)
    messages.success(
        request,
        _("The license of %(product)s of %(upn)s was removed.")
        % {"product": subscription.friendly_name, "upn": user.user_principal_name},
    )
    return redirect(_back(request, customer_id))
