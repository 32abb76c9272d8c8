"""The commerce part of ``seed_demo``: Adatum (the demo's indirect provider) and Trey Research
(its reseller) share a customer, Litware; Fourth Coffee (the active direct-bill partner) has
a direct customer, Alpine Ski House. Each gets orders from the price list, subscriptions
with licenses assigned to the customer's users, and last month's invoices.

Everything goes through the services a real partner uses. The only thing the demo does by
hand is to date its orders a month back (an order is placed today), so that the monthly
invoice run has a month to bill; then it runs that invoice run through its service. Safe to
run again: what exists is left as it is."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from enrollment.models import Partner
from partnercenter.accounts.models import Role, User
from partnercenter.notifications.models import Notification
from relationships.models import Customer, ProviderResellerRelationship

PROVIDER_ADMIN = "admin@adatumde.onmicrosoft.com"
RESELLER_ADMIN = "admin@treyde.onmicrosoft.com"
DIRECT_ADMIN = "admin@fourthcoffeenl.onmicrosoft.com"
# (domain prefix, company, country) of the demo's customers.
SHARED_CUSTOMER = ("litwarede", "Litware GmbH", "DE")
DIRECT_CUSTOMER = ("alpineskinl", "Alpine Ski House B.V.", "NL")

# Offers of demo/price_list.csv (the europe market, in EUR: Fourth Coffee and Adatum both).
BUSINESS_STANDARD = "CFQ7TTC0LDPB:0001"
BUSINESS_PREMIUM = "CFQ7TTC0LCHC:0002"
RESERVATION = "DZH318Z0BQ4D:0011"  # Reserved VM Instance, Dsv5 Series, D2s v5
WINDOWS_SERVER = "DG7GMGF0DVSV:0008"  # perpetual software, bought once
# The demo's orders' lines, and their idempotency keys: the same key again gives back the
# first order, so a second seed_demo places nothing.
ALPINE_ORDER = [
    {"offer_id": BUSINESS_STANDARD, "quantity": 5, "term": "P1Y", "billing": "monthly"},
    {"offer_id": RESERVATION, "quantity": 2, "term": "P1Y", "billing": "annual", "scope": "shared"},
    {"offer_id": WINDOWS_SERVER, "quantity": 1, "term": "none", "billing": "one_time"},
]
LITWARE_ORDER = [{"offer_id": BUSINESS_PREMIUM, "quantity": 10, "term": "P1Y", "billing": "monthly"}]
ALPINE_KEY = "seed-demo-alpine-ski-house-1"
LITWARE_KEY = "seed-demo-litware-1"
# The customers' users (first name, last name; the user name is first.last); each gets a
# license of the order's first line, assigned by the partner that manages the tenant.
ALPINE_USERS = [("Anouk", "de Vries"), ("Sem", "Jansen"), ("Lotte", "Bakker")]
LITWARE_USERS = [("Felix", "Wolf"), ("Mia", "Schneider"), ("Leon", "Koch"), ("Emma", "Richter")]
# The demo orders are dated this day of last month, so that last month's invoice prorates
# the monthly seats (from the 10th) and bills the reservation's year and the software once.
ORDER_DAY = 10
# Commerce's role sign-ins (the global admins are printed by seed_demo): email, role, what.
TRY = [
    "admin@fourthcoffeenl…: Customers > Alpine Ski House B.V.: its orders, subscriptions, Azure reservation and"
    " users with licenses; Add products to order more (within the credit line: Invoices > Billing and credit line).",
    "admin@fourthcoffeenl…: Invoices: last month's invoice, its PDF and reconciliation file (CSV).",
    "admin@adatumde…: Customers > Litware GmbH: order for Trey Research's customer; Invoices: what Adatum billed.",
    "admin@treyde…: Customers > Litware GmbH: Litware's users and licenses (Trey manages them; it does not order);"
    " Invoices: what was billed for its customers.",
    "billing@fourthcoffeenl…: Invoices and the credit line, but no Add products; helpdesk@treyde…: Litware's users only.",
]
ROLE_USERS = [
    (
        "billing@fourthcoffeenl.onmicrosoft.com",
        "fourthcoffeenl",
        ("Eva", "Smit"),
        Role.BILLING_ADMIN,
        "billing admin at Fourth Coffee (invoices and the credit line; may not order)",
    ),
    (
        "helpdesk@treyde.onmicrosoft.com",
        "treyde",
        ("Jan", "Hoffmann"),
        Role.HELPDESK_AGENT,
        "helpdesk agent at Trey Research (customers' users; may not assign licenses or order)",
    ),
]


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


def last_month_day(today: date) -> date:
    """The day of last month the demo's orders are dated."""
    first_of_this_month = today.replace(day=1)
    return (first_of_this_month - timedelta(days=1)).replace(day=ORDER_DAY)


def _backdate(order, day: date) -> None:
    """HAND-MADE DATA, the only piece of it: an order is placed and completed today, so the
    demo moves its own order, subscriptions and their first terms back to ``day`` of last
    month (start, term start, end a term later, when the renewal sweep looks next), so that
    last month's invoice run has something to bill. Nothing else is written by hand."""
    from .charges import add_months
    from .models import TERM_MONTHS, Subscription, SubscriptionTerm
    from .renewals import next_due_at

    moment = timezone.make_aware(datetime.combine(day, time(10, 0)))
    type(order).objects.filter(pk=order.pk).update(created_at=moment, completed_at=moment)
    for subscription in Subscription.objects.filter(order_line__order=order):
        months = TERM_MONTHS[subscription.term]
        subscription.start_date = subscription.term_started_on = day
        subscription.end_date = add_months(day, months) if months else None
        subscription.reminded_for = None
        subscription.created_at = moment
        subscription.due_at = next_due_at(subscription)
        subscription.save(
            update_fields=[
                "start_date",
                "term_started_on",
                "end_date",
                "reminded_for",
                "created_at",
                "due_at",
            ]
        )
        SubscriptionTerm.objects.filter(subscription=subscription, number=1).update(
            start_date=day, end_date=subscription.end_date, created_at=moment
        )


def _order(actor: User, customer: Customer, lines: list, key: str, day: date):
    """The demo's order through the services: placed (the key makes it once), completed at
    once rather than by the task, then dated back (``_backdate``) the first time only."""
    from .services.orders import order_complete, order_place

    order = order_place(actor=actor, customer=customer, lines=lines, idempotency_key=key)
    if not order.replayed:
        order = order_complete(order=order)
        _backdate(order, day)
    return order


def _users_with_licenses(actor: User, customer: Customer, names: list, subscription) -> list:
    """The customer's users, created by the partner that manages its tenant (once: an
    existing user name is kept), each with a license of ``subscription``."""
    from .models import CustomerUser
    from .services.licenses import customer_user_create, license_assign

    users = []
    for first, last in names:
        username = f"{first}.{last.replace(' ', '')}".lower()
        user = CustomerUser.objects.filter(
            customer=customer, user_principal_name=f"{username}@{customer.tenant.domain}"
        ).first()
        if user is None:
            user = customer_user_create(
                actor=actor, customer=customer, first_name=first, last_name=last, username=username
            ).user
        license_assign(actor=actor, subscription=subscription, user=user)  # twice changes nothing
        users.append(user)
    return users


def _role_users(password: str) -> list[tuple[str, str, str]]:
    logins = []
    for email, prefix, (first, last), role, what in ROLE_USERS:
        if not User.objects.filter(email__iexact=email).exists():
            tenant = User.objects.get(email=f"admin@{prefix}.onmicrosoft.com").tenant
            User.objects.create_user(
                email, password, first_name=first, last_name=last, tenant=tenant, roles=[role.value]
            )
        logins.append((email, what))
    return logins


def seed_commerce(stdout, password: str = "") -> None:
    """Links the reseller, makes the customers, then orders, subscriptions, users with
    licenses and last month's invoices (once); prints the commerce sign-ins and what to try."""
    from .charges import month_start
    from .models import Invoice, Subscription
    from .services.invoices import invoice_run

    provider_admin, provider = _partner_of(PROVIDER_ADMIN)
    reseller_admin, reseller = _partner_of(RESELLER_ADMIN)
    direct_admin, direct = _partner_of(DIRECT_ADMIN)
    day = last_month_day(timezone.localdate())
    with transaction.atomic():
        _link_reseller(provider_admin, provider, reseller_admin, reseller)
        shared = _customer(provider_admin, *SHARED_CUSTOMER, indirect_reseller_id=reseller.pk)
        alpine = _customer(direct_admin, *DIRECT_CUSTOMER)
        logins = _role_users(password) if password else []
        alpine_order = _order(direct_admin, alpine, ALPINE_ORDER, ALPINE_KEY, day)
        litware_order = _order(provider_admin, shared, LITWARE_ORDER, LITWARE_KEY, day)
        seats = {
            order.pk: Subscription.objects.get(order_line__order=order, order_line__line_number=1)
            for order in (alpine_order, litware_order)
        }
        # Fourth Coffee manages its direct customer's tenant; Trey Research (the reseller, with
        # administrator access) manages Litware's, with the seats its provider Adatum bought.
        _users_with_licenses(direct_admin, alpine, ALPINE_USERS, seats[alpine_order.pk])
        _users_with_licenses(reseller_admin, shared, LITWARE_USERS, seats[litware_order.pk])
    # The month the demo's orders are dated in, billed once through the run's service (which
    # takes its own locks, one transaction per invoice); a second seed_demo bills nothing.
    dated = seats[alpine_order.pk].start_date
    period = month_start(dated)
    issued = invoice_run(period_start=period)
    invoices = Invoice.objects.filter(period_start=period, partner__in=[direct, provider]).order_by("number")
    stdout.write("Commerce:")
    stdout.write(
        f"  {provider.legal_name} orders for {shared.company_name}; its reseller is {reseller.legal_name}"
    )
    stdout.write(f"  {direct.legal_name} orders for its direct customer {alpine.company_name}")
    stdout.write(
        f"  Orders dated {dated.isoformat()}; invoices of {period:%B %Y}: {len(issued)} new; "
        + ", ".join(
            f"{i.number} ({i.partner.legal_name}, {i.customer.company_name})"
            for i in invoices.select_related("partner", "customer")
        )
    )
    if logins:
        stdout.write("\nCommerce sign-ins (password as above):")
        for email, what in logins:
            stdout.write(f"  {email:<40} {what}")
    stdout.write("\nCommerce, what to try:")
    for line in TRY:
        stdout.write(f"  {line}")
