"""The audit table's cases of providers, resellers, customers and orders (see
``tests.audit.table``)."""

from datetime import timedelta

from relationships.models import (
    ResellerInvitation,
)
from relationships.services import (
    admin_access,
    customer_invitations,
    customer_partners,
    customers,
    providers,
    reseller_invitations,
)
from tests.audit.table import (
    NOW,
    Run,
    case,
    gdap,
    provider_world,
    reseller_invitation_token,
    sent_invitation,
)
from tests.cast import make_reviewer, user_of
from tests.factories import (
    CustomerFactory,
    CustomerRelationshipFactory,
    IndirectProviderFactory,
    TenantFactory,
    UserFactory,
    active_partner,
)


@case(providers.provider_authorize, "authorize")
def _(w):
    partner, staff = active_partner(legal_name="Contoso Distribution GmbH"), make_reviewer()
    return Run(
        kwargs={"actor": staff, "partner": partner, "authorized": True},
        kind="provider_authorized",
        obj=lambda provider: provider,
        tenant=partner.tenant,
        actor=staff,
        from_state="",
        to_state="authorized",
    )


@case(providers.provider_authorize, "withdraw")
def _(w):
    provider, staff = IndirectProviderFactory(), make_reviewer()
    return Run(
        kwargs={"actor": staff, "partner": provider.partner, "authorized": False},
        kind="provider_withdrawn",
        obj=provider,
        tenant=provider.partner.tenant,
        actor=staff,
        from_state="authorized",
        to_state="withdrawn",
    )


@case(providers.provider_listing_update)
def _(w):
    p = provider_world()
    return Run(
        kwargs={"actor": p.provider_admin, "data": {"description": "Training and credit for resellers."}},
        kind="provider_listing_updated",
        obj=p.provider.indirect_provider,
        tenant=p.provider.tenant,
        actor=p.provider_admin,
        from_state="",
        to_state="",
        data={"changed": ["description"]},
    )


# relationships.services.reseller_invitations


@case(reseller_invitations.reseller_invitation_send)
def _(w):
    p = provider_world()
    return Run(
        kwargs={"actor": p.provider_admin, "email": "lea@northwind.test", "message": "Join us."},
        kind="reseller_invitation_sent",
        obj=lambda invitation: invitation,
        tenant=p.provider.tenant,
        actor=p.provider_admin,
        from_state="",
        to_state="sent",
        data={"email": "lea@northwind.test", "mpn_id": ""},
    )


@case(reseller_invitations.reseller_invitation_resend)
def _(w):
    p = provider_world()
    invitation = sent_invitation(p)
    return Run(
        kwargs={"actor": p.provider_admin, "invitation": invitation},
        kind="reseller_invitation_resent",
        obj=invitation,
        tenant=p.provider.tenant,
        actor=p.provider_admin,
        from_state="sent",
        to_state="sent",
    )


@case(reseller_invitations.reseller_invitation_revoke)
def _(w):
    p = provider_world()
    invitation = sent_invitation(p)
    return Run(
        kwargs={"actor": p.provider_admin, "invitation": invitation},
        kind="reseller_invitation_revoked",
        obj=invitation,
        tenant=p.provider.tenant,
        actor=p.provider_admin,
        from_state="sent",
        to_state="revoked",
    )


@case(reseller_invitations.reseller_invitation_expire)
def _(w):
    p = provider_world()
    invitation = sent_invitation(p)
    ResellerInvitation.objects.filter(pk=invitation.pk).update(expires_at=NOW - timedelta(seconds=1))
    return Run(
        kwargs={"invitation_id": invitation.pk},
        kind="reseller_invitation_expired",
        obj=invitation,
        tenant=p.provider.tenant,
        from_state="sent",
        to_state="expired",
    )


@case(reseller_invitations.reseller_invitation_accept)
def _(w):
    p = provider_world()
    newcomer = active_partner(legal_name="Northwind Cloud GmbH")
    newcomer_admin = user_of(newcomer, email="lea@northwind.test")
    invitation = sent_invitation(p)
    return Run(
        kwargs={"actor": newcomer_admin, "token": reseller_invitation_token(invitation), "authorize": True},
        kind="reseller_authorized_provider",
        obj=lambda relationship: relationship,
        tenant=newcomer.tenant,
        actor=newcomer_admin,
        from_state="",
        to_state="active",
        data={
            "invitation_id": str(invitation.pk),
            "provider": "Contoso Distribution GmbH",
            "reseller": "Northwind Cloud GmbH",
        },
    )


# relationships.services.admin_access


@case(admin_access.relationship_remove_admin_access)
def _(w):
    p = provider_world()
    return Run(
        kwargs={"actor": p.reseller_admin, "relationship": p.relationship},
        kind="admin_access_removed",
        obj=p.relationship,
        tenant=p.reseller.tenant,
        actor=p.reseller_admin,
        from_state="admin_access",
        to_state="no_admin_access",
        data={"provider": "Contoso Distribution GmbH", "reseller": "Adatum Cloud GmbH"},
    )


@case(admin_access.gdap_propose)
def _(w):
    p = provider_world()
    return Run(
        kwargs={
            "actor": p.provider_admin,
            "relationship": p.relationship,
            "name": "Helpdesk for Adatum",
            "roles": ["Helpdesk Administrator"],
            "duration_days": 90,
        },
        kind="gdap_proposed",
        obj=lambda gdap: gdap,
        tenant=p.provider.tenant,
        actor=p.provider_admin,
        from_state="created",
        to_state="approval_pending",
        data={"name": "Helpdesk for Adatum", "roles": ["Helpdesk Administrator"], "duration_days": 90},
    )


@case(admin_access.gdap_approve)
def _(w):
    p = provider_world()
    pending = gdap(p, "approval_pending")
    return Run(
        kwargs={"actor": p.reseller_admin, "gdap": pending},
        kind="gdap_approved",
        obj=pending,
        tenant=p.reseller.tenant,
        actor=p.reseller_admin,
        from_state="approval_pending",
        to_state="active",
    )


@case(admin_access.gdap_terminate)
def _(w):
    p = provider_world()
    running = gdap(p, "active", activated_at=NOW, ends_at=NOW + timedelta(days=30))
    return Run(
        kwargs={"actor": p.provider_admin, "gdap": running},
        kind="gdap_termination_requested",
        obj=running,
        tenant=p.provider.tenant,
        actor=p.provider_admin,
        from_state="active",
        to_state="termination_requested",
    )


SWEEP_STEPS = {
    # step: (the row's state, what the sweep writes)
    "terminate": (
        {"status": "termination_requested"},
        "gdap_terminated",
        "termination_requested",
        "terminated",
    ),
    "extend": (
        {"status": "active", "auto_extend": True, "ends_at": NOW - timedelta(hours=1)},
        "gdap_extended",
        "active",
        "active",
    ),
    "expire": (
        {"status": "active", "ends_at": NOW - timedelta(hours=1)},
        "gdap_expired",
        "active",
        "expired",
    ),
    "expiring": (
        {"status": "active", "ends_at": NOW + timedelta(days=10)},
        "gdap_expiring",
        "active",
        "expiring",
    ),
}


def _sweep_case(step):
    fields, kind, from_state, to_state = SWEEP_STEPS[step]

    def build(w):
        p = provider_world()
        row = gdap(p, **fields)
        return Run(
            kwargs={"gdap_id": row.pk, "step": step},
            kind=kind,
            obj=row,
            tenant=p.provider.tenant,
            from_state=from_state,
            to_state=to_state,
        )

    return build


for _step in SWEEP_STEPS:
    case(admin_access.gdap_sweep_step, _step)(_sweep_case(_step))


# relationships.services.customers, .customer_invitations


@case(customers.customer_create)
def _(w):
    p = provider_world()
    return Run(
        kwargs={
            "actor": p.provider_admin,
            "company_name": "Contoso Retail GmbH",
            "domain_prefix": "contosoretail",
            "country": "DE",
            "indirect_reseller_id": p.reseller.pk,
        },
        kind="customer_created",
        obj=lambda created: created.customer,
        tenant=p.provider.tenant,
        actor=p.provider_admin,
        from_state="",
        to_state="indirect_provider",
        data={
            "domain": "contosoretail.onmicrosoft.com",
            "relationships": [
                {
                    "partner_id": str(p.provider.pk),
                    "partner": "Contoso Distribution GmbH",
                    "role": "indirect_provider",
                },
                {
                    "partner_id": str(p.reseller.pk),
                    "partner": "Adatum Cloud GmbH",
                    "role": "indirect_reseller",
                },
            ],
        },
    )


@case(customer_invitations.customer_invitation_create)
def _(w):
    p = provider_world()
    return Run(
        kwargs={"actor": p.reseller_admin, "provider_id": p.provider.pk},
        kind="customer_invitation_created",
        obj=lambda created: created.invitation,
        tenant=p.reseller.tenant,
        actor=p.reseller_admin,
        from_state="",
        to_state="sent",
        data={"provider": "Contoso Distribution GmbH", "reseller": "Adatum Cloud GmbH"},
    )


@case(customer_invitations.customer_invitation_accept)
def _(w):
    p = provider_world()
    created = customer_invitations.customer_invitation_create(
        actor=p.reseller_admin, provider_id=p.provider.pk
    )
    customer_tenant = TenantFactory(name="Contoso GmbH", domain="contosode.onmicrosoft.com")
    customer_admin = UserFactory(tenant=customer_tenant, email="admin@contosode.onmicrosoft.com")
    return Run(
        kwargs={"actor": customer_admin, "token": created.link.rstrip("/").rsplit("/", 1)[-1]},
        kind="customer_invitation_accepted",
        obj=created.invitation,
        tenant=p.reseller.tenant,
        actor=customer_admin,
        from_state="sent",
        to_state="accepted",
        data={
            "customer": "Contoso GmbH",
            "domain": "contosode.onmicrosoft.com",
            "relationships": [
                {
                    "partner_id": str(p.reseller.pk),
                    "partner": "Adatum Cloud GmbH",
                    "role": "indirect_reseller",
                    "role_before": "",
                },
                {
                    "partner_id": str(p.provider.pk),
                    "partner": "Contoso Distribution GmbH",
                    "role": "indirect_provider",
                    "role_before": "",
                },
            ],
        },
    )


# relationships.services.customer_partners: the customer's global admin and its partners


def customer_world():
    """A customer that authorized a reseller and its provider, and the customer's global admin."""
    p = provider_world()
    customer_tenant = TenantFactory(name="Contoso GmbH", domain="contosode.onmicrosoft.com")
    p.customer_admin = user_of_tenant(customer_tenant)
    p.customer = CustomerFactory(tenant=customer_tenant, company_name="Contoso GmbH")
    p.reseller_of_record = CustomerRelationshipFactory(
        customer=p.customer, partner=p.reseller, role="indirect_reseller"
    )
    return p


def user_of_tenant(tenant):
    return UserFactory(tenant=tenant, email=f"admin@{tenant.domain}", roles=["global_admin"])


CUSTOMER_FACTS = {
    "customer": "Contoso GmbH",
    "domain": "contosode.onmicrosoft.com",
    "partner": "Adatum Cloud GmbH",
    "role": "indirect_reseller",
}


def _customer_case(kind, from_state, to_state, **data):
    def build(w):
        c = customer_world()
        return Run(
            kwargs={"actor": c.customer_admin, "relationship": c.reseller_of_record, "confirm": True},
            kind=kind,
            obj=c.reseller_of_record,
            tenant=c.customer.tenant,
            actor=c.customer_admin,
            from_state=from_state,
            to_state=to_state,
            data={**CUSTOMER_FACTS, "partner_id": str(c.reseller.pk), **data},
        )

    return build


case(customer_partners.customer_relationship_remove_admin_access)(
    _customer_case("customer_admin_access_removed", "admin_access", "no_admin_access")
)
case(customer_partners.customer_relationship_end)(
    _customer_case("customer_relationship_ended", "active", "terminated", admin_access_removed=True)
)
