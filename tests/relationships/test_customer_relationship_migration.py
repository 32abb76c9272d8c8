"""relationships 0006 gives customer relationships a state and the partner's administrator
access: existing ones are active, with access where the authorization gave it (the partner
that created the tenant and every reseller of record but an indirect provider that came by
a customer's invitation). Going back removes the columns again.

The test migrates its own database back and forward (so it commits and runs on one worker
with the other migration tests); it leaves the database at the latest migrations."""

import pytest
from django.db import connection

from tests.audit.test_migrations import latest, migrate

# The enrollment app stays at its latest migration (the partners are made with its models).
BEFORE = [("relationships", "0005_listing_event_fields"), ("enrollment", "0009_shipped_agreement_templates")]

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group(name="migrations")]


def columns() -> set[str]:
    with connection.cursor() as cursor:
        return {
            c.name
            for c in connection.introspection.get_table_description(
                cursor, "relationships_customerrelationship"
            )
        }


@pytest.fixture
def before():
    executor = migrate(BEFORE)
    try:
        yield executor.loader.project_state(BEFORE).apps
    finally:
        migrate(latest())


def partner(apps, name, domain, mpn_id):
    Tenant = apps.get_model("accounts", "Tenant")
    Partner = apps.get_model("enrollment", "Partner")
    return Partner.objects.create(
        tenant=Tenant.objects.create(name=name, domain=domain, country="DE"),
        mpn_id=mpn_id,
        legal_name=name,
        address_line1="Hauptstraße 1",
        city="Berlin",
        postal_code="10115",
        country="DE",
        contact_first_name="Jonas",
        contact_last_name="Becker",
        contact_email=f"jonas@{domain}",
        contact_phone="+49301234567",
        support_email=f"support@{domain}",
        support_phone="+49301234568",
    )


def test_existing_relationships_are_active_with_the_access_their_authorization_gave(before):
    apps = before
    assert "admin_access" not in columns()
    Tenant = apps.get_model("accounts", "Tenant")
    Customer = apps.get_model("relationships", "Customer")
    CustomerRelationship = apps.get_model("relationships", "CustomerRelationship")
    provider = partner(apps, "Contoso Distribution GmbH", "contosodist.onmicrosoft.com", "4820100")
    reseller = partner(apps, "Fabrikam Cloud GmbH", "fabrikamcloud.onmicrosoft.com", "4820777")
    direct = partner(apps, "Adatum Direct GmbH", "adatum.onmicrosoft.com", "4820555")

    def customer(domain, created_by=None):
        tenant = Tenant.objects.create(name=domain, domain=domain, country="DE")
        return Customer.objects.create(tenant=tenant, company_name=domain, created_by_partner=created_by)

    invited = customer("invited.onmicrosoft.com")
    created = customer("created.onmicrosoft.com", created_by=provider)
    own = customer("own.onmicrosoft.com", created_by=direct)
    rows = {
        ("invited", "reseller"): (invited, reseller, "indirect_reseller", None),
        ("invited", "provider"): (invited, provider, "indirect_provider", reseller),
        ("created", "provider"): (created, provider, "indirect_provider", reseller),
        ("created", "reseller"): (created, reseller, "indirect_reseller", None),
        ("own", "direct"): (own, direct, "direct_bill_partner", None),
    }
    ids = {
        key: CustomerRelationship.objects.create(customer=c, partner=p, role=role, via_reseller=via).pk
        for key, (c, p, role, via) in rows.items()
    }

    after = migrate(latest()).loader.project_state(latest()).apps
    Migrated = after.get_model("relationships", "CustomerRelationship")
    found = {key: Migrated.objects.get(pk=pk) for key, pk in ids.items()}
    assert {key: (r.state, r.admin_access, r.ended_at) for key, r in found.items()} == {
        ("invited", "reseller"): ("active", True, None),
        ("invited", "provider"): ("active", False, None),
        ("created", "provider"): ("active", True, None),
        ("created", "reseller"): ("active", True, None),
        ("own", "direct"): ("active", True, None),
    }

    migrate(BEFORE)
    assert not {"admin_access", "state", "ended_at", "admin_access_removed_at"} & columns()
    assert apps.get_model("relationships", "CustomerRelationship").objects.count() == len(rows)
