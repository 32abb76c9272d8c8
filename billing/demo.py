"""The commerce part of ``seed_demo``: Adatum (the demo's indirect provider) and Trey Research
(its reseller) share a customer, Litware; Fourth Coffee (the active direct-bill partner) has
a direct customer, Alpine Ski House. Each gets orders from the price list, subscriptions
with licenses assigned to the customer's users, and last month's invoices.

Everything goes through the services a real partner uses. The only thing the demo does by
hand is to date its orders a month back (an order is placed today), so that the monthly
invoice run has a month to bill; then it runs that invoice run through its service. Safe to
run again: what exists is left as it is."""

from django.db import transaction

from enrollment.models import Partner
from partnercenter.accounts.models import User
from partnercenter.notifications.models import Notification
from relationships.models import Customer, ProviderResellerRelationship

PROVIDER_ADMIN = "admin@adatumde.onmicrosoft.com"
RESELLER_ADMIN = "admin@treyde.onmicrosoft.com"
DIRECT_ADMIN = "admin@fourthcoffeenl.onmicrosoft.com"
# (domain prefix, company, country) of the demo's customers.
SHARED_CUSTOMER = ("litwarede", "Litware GmbH", "DE")
DIRECT_CUSTOMER = ("alpineskinl", "Alpine Ski House B.V.", "NL")


def _partner_of(email: str) -> tuple[User, Partner]:
    admin = User.objects.get(email=email)
    return admin, Partner.objects.get(tenant=admin.tenant)


def _link_reseller(provider_admin: User, provider: Partner, reseller_admin: User, reseller: Partner) -> None:
    """Adatum invites Trey Research by MPN ID and Trey accepts (the emailed link's token)."""
    from relationships.services.reseller_invitations import (
        reseller_invitation_accept,
        reseller_invitation_send,
    )

    if ProviderResellerRelationship.objects.filter(provider=provider, reseller=reseller).exists():
        return
    invitation = reseller_invitation_send(actor=provider_admin, mpn_id=reseller.mpn_id)
    link = (
        Notification.objects.filter(
            template="reseller_invitation", idempotency_key__contains=str(invitation.pk)
        )
        .latest("created_at")
        .context["accept_url"]
    )
    reseller_invitation_accept(actor=reseller_admin, token=link.rstrip("/").rsplit("/", 1)[1], authorize=True)


def _customer(actor: User, prefix: str, company: str, country: str, **kwargs) -> Customer:
    from relationships.services.customers import customer_create

    existing = Customer.objects.filter(tenant__domain=f"{prefix}.onmicrosoft.com").first()
    if existing is not None:
        return existing
    return customer_create(
        actor=actor, company_name=company, domain_prefix=prefix, country=country, **kwargs
    ).customer


def seed_commerce(stdout) -> None:
    provider_admin, provider = _partner_of(PROVIDER_ADMIN)
    reseller_admin, reseller = _partner_of(RESELLER_ADMIN)
    direct_admin, direct = _partner_of(DIRECT_ADMIN)
    with transaction.atomic():
        _link_reseller(provider_admin, provider, reseller_admin, reseller)
        shared = _customer(provider_admin, *SHARED_CUSTOMER, indirect_reseller_id=reseller.pk)
        alpine = _customer(direct_admin, *DIRECT_CUSTOMER)
    stdout.write("Commerce:")
    stdout.write(
        f"  {provider.legal_name} orders for {shared.company_name}; its reseller is {reseller.legal_name}"
    )
    stdout.write(f"  {direct.legal_name} orders for its direct customer {alpine.company_name}")
