"""The world of the authorization matrix (tests/test_authorization_matrix.py): the standard
cast (tests/cast.py) with one object of every kind a URL names, the actors who ask for them,
and the URL conf read as a list of routes.

Owners (whose objects a row's URL names; its ``admin`` and ``employee`` are the owner's
global admin and a sales agent):

- ``provider``: Contoso Distribution GmbH, an authorized indirect provider, with an active
  enrollment, a reseller invitation it sent, a granular admin (GDAP) request to its reseller;
- ``reseller``: Fabrikam Cloud GmbH, the provider's active reseller (admin access on);
- ``direct``: Adatum Direct GmbH, an active direct-bill partner with a relationship request;
- ``customer``: Contoso GmbH's tenant, a customer the reseller brought to the provider.

The other actors are the same for every row: ``outsider`` (the global admin of Northwind
Traders Inc, a partner related to no one here), ``customer`` (the global admin of Tailspin
Toys, a tenant that is no partner's and no one's customer here), ``reviewer`` (program
staff) and ``anonymous``.
"""

import re
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver

from enrollment.models import EnrollmentDocument
from partnercenter.accounts.models import Role
from partnercenter.accounts.services import api_token_issue
from relationships.models import ProviderResellerRelationship
from relationships.services.admin_access import gdap_propose
from relationships.services.relationship_requests import relationship_request_create

from .cast import (
    customer_token,
    invite_customer,
    invite_reseller,
    make_customer_admin,
    make_direct_bill,
    make_provider,
    make_reseller,
    make_reviewer,
    share_customer,
    user_of,
)
from .factories import (
    AgreementTemplateFactory,
    MpnProfileFactory,
    TenantFactory,
    UserFactory,
    VerificationCheckFactory,
)

ACTORS = ("admin", "employee", "outsider", "customer", "reviewer", "anonymous")
OWNERS = ("provider", "reseller", "direct", "customer")

# Each person's API key, issued when the world is built (only its hash is stored).
API_KEYS: dict = {}


def api_key(user) -> str:
    return API_KEYS[user.pk]


# --- The URL conf as routes -----------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def _normalize(route: str) -> str:
    """``api/v1/^enrollments/(?P<pk>[0-9a-f-]{36})/$`` -> ``/api/v1/enrollments/<pk>/``."""
    route = _PLACEHOLDER.sub(lambda m: f"<{m.group(1) or m.group(2)}>", route)
    return "/" + route.replace("^", "").replace("$", "")


@dataclass(frozen=True)
class Route:
    path: str  # normalized: /api/v1/enrollments/<pk>/
    methods: tuple[str, ...]  # what the view answers (pages: GET and POST)
    is_api: bool


def _api_methods(callback) -> tuple[str, ...]:
    actions = getattr(callback, "actions", None)
    if actions:
        return tuple(sorted(m.upper() for m in actions))
    cls = getattr(callback, "cls", None)
    return tuple(m.upper() for m in ("get", "post", "put", "patch", "delete") if hasattr(cls, m))


def routes(excluded_prefixes=()) -> list[Route]:
    """Every route of the URL conf, but those under ``excluded_prefixes`` (normalized)."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
                continue
            assert isinstance(pattern, URLPattern)
            path = _normalize(prefix + str(pattern.pattern))
            if any(path.startswith(p) and path != p for p in excluded_prefixes):
                continue
            is_api = hasattr(pattern.callback, "cls")
            methods = _api_methods(pattern.callback) if is_api else ("GET", "POST")
            found.append(Route(path, methods, is_api))

    walk(get_resolver().url_patterns, "")
    return found


# --- The world ------------------------------------------------------------------------------------


@dataclass
class World:
    people: dict = field(default_factory=dict)  # (owner, "admin"|"employee") or actor -> user
    objects: dict = field(default_factory=dict)  # (owner, URL argument) or URL argument -> value

    def actor(self, owner: str, actor: str):
        if actor in ("admin", "employee"):
            return self.people[(owner, actor)]
        return self.people.get(actor)

    def value(self, path: str, owner: str, name: str) -> str:
        """The object a URL argument names: the owner's for this path, this path's, the
        owner's, anyone's."""
        for key in ((owner, path, name), (path, name), (owner, name), name):
            if key in self.objects:
                return str(self.objects[key])
        raise KeyError(f"The world has no {name!r} for {path} (owner {owner}): add it to build_world()")

    def url(self, path: str, owner: str) -> str:
        return re.sub(r"<(\w+)>", lambda match: self.value(path, owner, match.group(1)), path)


def build_world() -> World:
    world = World()
    provider = make_provider("Contoso Distribution GmbH", mpn_id="4820100")
    reseller = make_reseller(provider=provider, legal_name="Fabrikam Cloud GmbH", mpn_id="4820777")
    direct = make_direct_bill(legal_name="Adatum Direct GmbH")
    northwind = make_direct_bill(
        tenant=TenantFactory(name="Northwind Traders", domain="northwindus.onmicrosoft.com", country="US"),
        legal_name="Northwind Traders Inc",
        country="US",
    )
    for owner, partner in (("provider", provider), ("reseller", reseller), ("direct", direct)):
        world.people[(owner, "admin")] = user_of(partner)
        world.people[(owner, "employee")] = user_of(partner, Role.SALES_AGENT)
    customer = share_customer(provider, reseller)
    world.people[("customer", "admin")] = UserFactory(
        tenant=customer.tenant, email=f"admin@{customer.tenant.domain}", roles=[Role.GLOBAL_ADMIN.value]
    )
    world.people[("customer", "employee")] = UserFactory(
        tenant=customer.tenant, email=f"sales@{customer.tenant.domain}", roles=[Role.SALES_AGENT.value]
    )
    world.people["outsider"] = user_of(northwind, email="admin@northwindus.onmicrosoft.com")
    world.people["customer"] = make_customer_admin(
        domain="tailspintoys.onmicrosoft.com", name="Tailspin Toys"
    )
    world.people["reviewer"] = make_reviewer()
    tokens = {}
    for user in list(world.people.values()):
        tokens[user.pk], API_KEYS[user.pk] = api_token_issue(user=user)

    provider_admin = world.people[("provider", "admin")]
    reseller_admin = world.people[("reseller", "admin")]
    relationship = ProviderResellerRelationship.objects.get(provider=provider, reseller=reseller)
    invitation, reseller_link_token = invite_reseller(provider_admin, email="jonas@tailwind.test")
    gdap = gdap_propose(
        actor=provider_admin,
        relationship=relationship,
        name="Helpdesk for Fabrikam",
        roles=["Helpdesk Administrator"],
        duration_days=90,
    )
    request = relationship_request_create(actor=world.people[("direct", "admin")])
    enrollments = {
        owner: partner.enrollments.order_by("submitted_at").first()
        for owner, partner in (("provider", provider), ("reseller", reseller), ("direct", direct))
    }
    check = VerificationCheckFactory(enrollment=enrollments["provider"], kind="mpn_status", result="pending")
    document = EnrollmentDocument.objects.create(
        enrollment=enrollments["provider"],
        verification_check=check,
        document_type="domain_ownership",
        file=ContentFile(b"%PDF-1.4 proof", name="proof.pdf"),
        original_name="proof.pdf",
        content_type="application/pdf",
        size=14,
    )
    template = AgreementTemplateFactory()
    MpnProfileFactory(mpn_id=provider.mpn_id, company_name=provider.legal_name)

    objects = world.objects
    for owner in ("provider", "reseller", "direct"):
        objects[(owner, "enrollment_id")] = objects[(owner, "pk")] = enrollments[owner].pk
        objects[(owner, "user_id")] = world.people[(owner, "employee")].pk
        objects[(owner, "mpn_id")] = {"provider": provider, "reseller": reseller, "direct": direct}[
            owner
        ].mpn_id
    objects[("customer", "user_id")] = world.people[("customer", "employee")].pk
    for owner in ("provider", "reseller", "direct", "customer"):  # one's own API token
        objects[(owner, "token_id")] = tokens[world.people[(owner, "admin")].pk].pk
    # Customers: the provider's and the reseller's (and the direct-bill partner's) customer.
    for path in ("/customers/<customer_id>/", "/customers/<customer_id>/orders/"):
        objects[(path, "customer_id")] = customer.pk
    for path in ("/api/v1/customers/<pk>/", "/api/v1/customers/<pk>/orders/"):
        objects[(path, "pk")] = customer.pk
    objects[("/api/v1/customers/relationship-requests/<pk>/", "pk")] = request.request.pk
    objects["relationship_id"] = relationship.pk
    objects["invitation_id"] = invitation.pk
    objects["gdap_id"] = gdap.pk
    objects["provider_id"] = provider.pk
    objects[("customer", "partner_id")] = reseller.pk  # the customer's reseller of record
    objects["partner_id"] = provider.pk  # staff authorize the provider
    objects["template_id"] = template.pk
    objects["document_id"] = document.pk
    objects["program"] = "direct_bill"
    objects["kind"] = "mpn_status"
    objects["step"] = "program"
    objects["prefix"] = "contosonew"
    objects["country"] = "DE"
    objects["mpn_id"] = provider.mpn_id
    objects["enrollment_id"] = objects["pk"] = enrollments["provider"].pk
    objects[("/reseller-invitations/<token>/", "token")] = reseller_link_token
    objects[("/customer-invitations/<token>/", "token")] = customer_token(
        invite_customer(reseller_admin, provider)
    )
    objects[("/relationship-requests/<token>/", "token")] = request.link.rstrip("/").rsplit("/", 1)[-1]
    objects["token"] = "not-a-valid-token"
    # --- commerce: orders ---
    from tests.billing.factories import OrderFactory

    order = OrderFactory(partner=provider, customer=customer, reseller=reseller, status="pending")
    objects["order_id"] = order.pk
    for path in ("/api/v1/orders/<pk>/", "/api/v1/orders/<pk>/cancel/"):
        objects[(path, "pk")] = order.pk
    # --- commerce: catalog ---
    # An offer sold in Europe (EUR) only: the German partners find it, the outsider (US) does not.
    from .billing.factories import PriceFactory

    objects["offer_id"] = PriceFactory().offer.offer_id
    # --- commerce: licenses --- the customer's tenant user and a license-based subscription
    # (the provider bills it, the reseller manages the tenant: owner "reseller").
    from .billing.factories import CustomerUserFactory, subscription_of

    tenant_user = CustomerUserFactory(customer=customer)
    seats = subscription_of(provider, customer, reseller=reseller)
    for path in (
        "/customers/<customer_id>/users/",
        "/customers/<customer_id>/users/<user_id>/reset-password/",
        "/customers/<customer_id>/users/<user_id>/delete/",
        "/customers/<customer_id>/users/<user_id>/licenses/",
        "/customers/<customer_id>/users/<user_id>/licenses/<subscription_id>/remove/",
        "/api/v1/customers/<pk>/users/",
        "/api/v1/customers/<pk>/users/<user_id>/",
        "/api/v1/customers/<pk>/users/<user_id>/reset-password/",
        "/api/v1/customers/<pk>/users/<user_id>/licenses/",
        "/api/v1/customers/<pk>/users/<user_id>/licenses/<subscription_id>/",
        "/api/v1/customers/<pk>/licenses/",
    ):
        objects[(path, "customer_id")] = objects[(path, "pk")] = customer.pk
        objects[(path, "user_id")] = tenant_user.pk
        objects[(path, "subscription_id")] = seats.pk
    # --- commerce: subs --- the provider's subscription for a customer its reseller brought.
    from .billing.factories import subscription_of

    # (Another customer of theirs, so that the world's customer keeps no order of the new shape.)
    subscribed = share_customer(provider, reseller, company_name="Wingtip Toys")
    subscription = subscription_of(provider, subscribed, reseller=reseller)
    objects["subscription_id"] = subscription.pk
    for path in ("/api/v1/subscriptions/<pk>/", "/api/v1/subscriptions/<pk>/cancel/"):
        objects[(path, "pk")] = subscription.pk
    objects[("/api/v1/customers/<pk>/subscriptions/", "pk")] = subscribed.pk

    # --- commerce: invoices ---
    # The provider's February invoice to the customer its reseller brought (the reseller
    # reads it too, the customer's global admin on the customer's side).
    from datetime import date as _date

    from .billing.factories import InvoiceFactory

    invoice = InvoiceFactory(
        partner=provider,
        customer=customer,
        reseller=reseller,
        period_start=_date(2026, 2, 1),
        period_end=_date(2026, 3, 1),
        currency=provider.market.currency,
    )
    for owner in ("provider", "reseller", "customer"):
        objects[(owner, "invoice_id")] = invoice.pk
    objects["invoice_id"] = invoice.pk
    for path in (
        "/api/v1/invoices/<pk>/",
        "/api/v1/invoices/<pk>/pdf/",
        "/api/v1/invoices/<pk>/reconciliation/",
        "/api/v1/customer/invoices/<pk>/",
        "/api/v1/customer/invoices/<pk>/pdf/",
        "/api/v1/review/invoices/<pk>/payment/",
    ):
        objects[(path, "pk")] = invoice.pk
    # --- transition ---
    from enrollment.services.transition import transition_flag

    transition_flag(actor=make_reviewer(email="offboarding@partners.test"), partner=direct, note="")
    objects[("/review/partners/<partner_id>/offboarding/", "partner_id")] = direct.pk
    objects[("/api/v1/review/partners/<pk>/offboarding/", "pk")] = direct.pk
    # --- Partner Center's API (/v1/) ---
    objects["unknown"] = "no/such/resource"
    # --- agreements: the customer's acceptance of the Microsoft Customer Agreement ---
    from .relationships.agreements_helpers import mca_template

    mca_template()
    for path in ("/customers/<customer_id>/agreements/", "/v1/customers/<customer_id>/agreements"):
        objects[(path, "customer_id")] = customer.pk
    objects[("/api/v1/customers/<pk>/agreements/", "pk")] = customer.pk
    # --- commerce (Partner Center's API, /v1/) --- the world's order, subscription and
    # invoice, under the customers they are for; an invoice's line items of one provider.
    for path in ("/v1/customers/<customer_id>/orders", "/v1/customers/<customer_id>/orders/<order_id>"):
        objects[(path, "customer_id")] = customer.pk
    for path in (
        "/v1/customers/<customer_id>/subscriptions",
        "/v1/customers/<customer_id>/subscriptions/<subscription_id>",
    ):
        objects[(path, "customer_id")] = subscribed.pk
    objects["provider"] = "Office"
    objects["invoicelineitemtype"] = "BillingLineItems"
    # --- customers ---
    for path in ("/v1/customers/<customer_id>", "/v1/customers/<customer_id>/relationships"):
        objects[(path, "customer_id")] = customer.pk
    objects[("/v1/validations/checkdomainavailability/<prefix>", "prefix")] = "contosonew"
    # --- oauth: an app the provider's global admin registered ---
    from partnercenter.accounts.oauth_apps import app_register

    app, _secret = app_register(actor=provider_admin, name="Contoso automation")
    objects["app_id"] = app.pk
    return world
