"""The audit table's cases of the customer tenant's users and their licenses
(``billing.services.licenses``; see ``tests.audit.table``)."""

from types import SimpleNamespace

from billing.services import licenses
from tests.audit.table import Run, case
from tests.billing.factories import CustomerUserFactory, subscription_of
from tests.cast import make_provider, make_reseller, share_customer, user_of
from tests.factories import TenantFactory


def tenant_world() -> SimpleNamespace:
    """A reseller's customer (Contoso GmbH), a user of its tenant and a subscription of the
    provider with 10 licenses of Microsoft 365 Business Standard."""
    provider = make_provider("Contoso Distribution GmbH")
    reseller = make_reseller(provider, legal_name="Fabrikam Cloud GmbH")
    tenant = TenantFactory(name="Contoso GmbH", domain="contosode.onmicrosoft.com")
    customer = share_customer(provider, reseller, tenant=tenant, company_name="Contoso GmbH")
    return SimpleNamespace(
        reseller=reseller,
        admin=user_of(reseller, email="admin@fabrikam.test"),
        customer=customer,
        user=CustomerUserFactory(
            customer=customer, user_principal_name="kim.akers@contosode.onmicrosoft.com"
        ),
        subscription=subscription_of(
            provider, customer, reseller=reseller, offer__product__name="Microsoft 365 Business Standard"
        ),
    )


@case(licenses.customer_user_create)
def _(w):
    t = tenant_world()
    return Run(
        kwargs={
            "actor": t.admin,
            "customer": t.customer,
            "first_name": "Lea",
            "last_name": "Wolf",
            "username": "lea.wolf",
        },
        kind="customer_user_created",
        obj=lambda created: created.user,
        tenant=t.reseller.tenant,
        actor=t.admin,
        from_state="",
        to_state="active",
        data={"user_principal_name": "lea.wolf@contosode.onmicrosoft.com", "customer": "Contoso GmbH"},
    )


@case(licenses.customer_user_reset_password)
def _(w):
    t = tenant_world()
    return Run(
        kwargs={"actor": t.admin, "user": t.user},
        kind="customer_user_password_reset",
        obj=t.user,
        tenant=t.reseller.tenant,
        actor=t.admin,
        from_state="",
        to_state="",
        data={"user_principal_name": "kim.akers@contosode.onmicrosoft.com"},
    )


@case(licenses.customer_user_delete)
def _(w):
    t = tenant_world()
    licenses.license_assign(actor=t.admin, subscription=t.subscription, user=t.user)
    return Run(
        kwargs={"actor": t.admin, "user": t.user},
        kind="customer_user_deleted",
        obj=t.user,
        tenant=t.reseller.tenant,
        actor=t.admin,
        from_state="active",
        to_state="deleted",
        data={"user_principal_name": "kim.akers@contosode.onmicrosoft.com", "licenses_released": 1},
    )


@case(licenses.license_assign)
def _(w):
    t = tenant_world()
    return Run(
        kwargs={"actor": t.admin, "subscription": t.subscription, "user": t.user},
        kind="license_assigned",
        obj=t.user,
        tenant=t.reseller.tenant,
        actor=t.admin,
        from_state="",
        to_state="",
        data={"product": "Microsoft 365 Business Standard", "subscription_id": str(t.subscription.pk)},
    )


@case(licenses.license_unassign)
def _(w):
    t = tenant_world()
    licenses.license_assign(actor=t.admin, subscription=t.subscription, user=t.user)
    return Run(
        kwargs={"actor": t.admin, "subscription": t.subscription, "user": t.user},
        kind="license_unassigned",
        obj=t.user,
        tenant=t.reseller.tenant,
        actor=t.admin,
        from_state="",
        to_state="",
        data={"product": "Microsoft 365 Business Standard", "subscription_id": str(t.subscription.pk)},
    )
