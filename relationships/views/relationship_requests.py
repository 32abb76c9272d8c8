"""Pages: a direct-bill partner's relationship requests (the link and draft email, and the
requests it made), and the customer's acceptance page.

Thin, as the customer invitations' pages (``views.customers``): reads through
``relationships.selectors``, writes through ``services.relationship_requests``; every
domain error takes the one page mapping (``partnercenter.core.pages``).
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache

from partnercenter.core.pages import domain_errors

from .. import selectors
from ..forms.customers import RelationshipRequestAcceptForm
from ..models import InvitationStatus
from ..permissions import acting_direct_bill
from ..services import relationship_requests as services

PAGE_SIZE = 50


@never_cache
@login_required
def relationship_requests(request):
    """*Request a reseller relationship*: a visit (GET) changes nothing and lists the
    partner's requests; the button (POST) makes a fresh single-use link (the token is shown
    in this answer only; the database keeps its hash) and the draft email to copy."""
    partner = acting_direct_bill(request.user)
    created = services.relationship_request_create(actor=request.user) if request.method == "POST" else None
    page = Paginator(selectors.relationship_requests_of(partner), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "relationships/relationship_requests/list.html",
        {"partner": partner, "created": created, "requests": page.object_list, "page": page},
    )


@never_cache
@domain_errors(back=lambda request, token: request.path)
def relationship_request(request, token):
    """The customer's side: who asks and what accepting grants (anyone holding the link sees
    it; a visit changes nothing), and for the tenant's global admin the one step that
    accepts. Anonymous visitors sign in and come back here."""
    relationship_request_ = selectors.relationship_request_for_token(token)
    user = request.user
    if relationship_request_ is None:
        return render(
            request, "relationships/relationship_requests/accept.html", {"invalid": True}, status=404
        )
    form = RelationshipRequestAcceptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form.is_valid():
            # Success shows on the page it redirects to (the request, now accepted); a
            # refusal comes back there with its reason.
            services.relationship_request_accept(actor=user, token=token)
            return redirect(request.path)
    accepted_here = bool(
        relationship_request_.status == InvitationStatus.ACCEPTED
        and user.is_authenticated
        and relationship_request_.customer
        and relationship_request_.customer.tenant_id == user.tenant_id
    )
    closed = None if accepted_here else services.relationship_request_refusal(relationship_request_)
    refusal = None
    if user.is_authenticated and not (accepted_here or closed):
        refusal = services.relationship_request_authorization_refusal(
            user, relationship_request_
        ) or services.relationship_request_existing_refusal(relationship_request_, user)
    return render(
        request,
        "relationships/relationship_requests/accept.html",
        {
            "request_": relationship_request_,
            "accepted_here": accepted_here,
            "closed": closed.message if closed else None,
            "refusal": refusal.message if refusal else None,
            "form": form,
            "sign_in_url": f"{reverse('login')}?{urlencode({'next': request.path})}",
        },
    )


urlpatterns = [
    path("customers/relationship-requests/", relationship_requests, name="relationship-requests"),
    path("relationship-requests/<str:token>/", relationship_request, name="relationship-request"),
]
