"""The three old event tables move into the one audit trail (issue 7, section 4): a database
with rows in ``EnrollmentEvent``, ``RelationshipEvent`` and ``AccountEvent`` (enrollment
0002, relationships 0002, accounts 0002) migrated forward has every row in ``audit.Event``
with its kind, object, tenant, states, people's words as ``note`` and the system's text as
``data["detail"]``, and the old tables are gone.

The test migrates its own database back and forward again, so it commits (``transaction``)
and runs on one worker; it leaves the database at the latest migrations whatever happens.
"""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from partnercenter.audit.models import Event

OLD = [
    ("accounts", "0002_account_events"),
    ("enrollment", "0002_review_agreements_documents"),
    ("relationships", "0002_providers_resellers_customers"),
]
OLD_TABLES = {"enrollment_enrollmentevent", "relationships_relationshipevent", "accounts_accountevent"}
AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group(name="migrations")]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def latest() -> list:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


@pytest.fixture
def old_database():
    """The database at the old migrations, and back at the latest afterwards."""
    executor = migrate(OLD)
    try:
        yield executor.loader.project_state(OLD).apps
    finally:
        migrate(latest())


def make_old_rows(apps) -> dict:
    """Rows of the three old tables, written through the historical models."""
    Tenant = apps.get_model("accounts", "Tenant")
    User = apps.get_model("accounts", "User")
    Partner = apps.get_model("enrollment", "Partner")
    Enrollment = apps.get_model("enrollment", "Enrollment")
    EnrollmentEvent = apps.get_model("enrollment", "EnrollmentEvent")
    RelationshipEvent = apps.get_model("relationships", "RelationshipEvent")
    AccountEvent = apps.get_model("accounts", "AccountEvent")

    tenant = Tenant.objects.create(
        name="Fabrikam Deutschland GmbH", domain="fabrikamde.onmicrosoft.com", country="DE"
    )
    admin = User.objects.create(
        email="admin@fabrikamde.onmicrosoft.com",
        password="!",
        first_name="Alex",
        last_name="Meyer",
        tenant=tenant,
        roles=["global_admin"],
    )
    employee = User.objects.create(
        email="sales@fabrikamde.onmicrosoft.com",
        password="!",
        first_name="Lea",
        last_name="Wolf",
        tenant=tenant,
        roles=["sales_agent"],
    )
    staff = User.objects.create(
        email="riley@partners.test", password="!", first_name="Riley", last_name="Chen", is_staff=True
    )
    partner = Partner.objects.create(
        tenant=tenant,
        mpn_id="4820001",
        legal_name="Fabrikam Deutschland GmbH",
        address_line1="Hauptstraße 1",
        city="Berlin",
        postal_code="10115",
        country="DE",
        contact_first_name="Jonas",
        contact_last_name="Becker",
        contact_email="jonas@fabrikam.de",
        contact_phone="+49301234567",
        support_email="support@fabrikam.de",
        support_phone="+49301234568",
    )
    enrollment = Enrollment.objects.create(partner=partner, program="indirect_reseller", status="rejected")

    def enrollment_event(minutes, kind, detail="", actor=None, label="", from_status="", to_status=""):
        return EnrollmentEvent.objects.create(
            enrollment=enrollment,
            at=AT + timedelta(minutes=minutes),
            kind=kind,
            actor=actor,
            actor_label=label,
            from_status=from_status,
            to_status=to_status,
            detail=detail,
        )

    admin_label = "Alex Meyer <admin@fabrikamde.onmicrosoft.com>"
    staff_label = "Riley Chen <riley@partners.test>"
    enrollment_event(0, "submitted", "", admin, admin_label, "", "pending_email_verification")
    enrollment_event(1, "verification_email_sent", "We emailed a link to jonas@fabrikam.de.")
    enrollment_event(
        2,
        "email_confirmed",
        "",
        None,
        "Jonas Becker <jonas@fabrikam.de>",
        "pending_email_verification",
        "in_review",
    )
    enrollment_event(
        3,
        "info_requested",
        "Send the business registration.",
        staff,
        staff_label,
        "in_review",
        "action_needed",
    )
    enrollment_event(4, "responded", "It is attached.", admin, admin_label, "action_needed", "in_review")
    enrollment_event(
        5,
        "check_failed",
        "Business verification: failed. Not in the register.",
        staff,
        staff_label,
        "in_review",
        "in_review",
    )
    enrollment_event(
        6, "rejected", "The company is not registered.", staff, staff_label, "in_review", "rejected"
    )

    # A second enrollment, withdrawn and then an approved one (people's words on both).
    withdrawn = Enrollment.objects.create(partner=partner, program="direct_bill", status="withdrawn")
    EnrollmentEvent.objects.create(
        enrollment=withdrawn,
        at=AT + timedelta(minutes=7),
        kind="withdrawn",
        actor=admin,
        actor_label=admin_label,
        from_status="in_review",
        to_status="withdrawn",
        detail="We merged with another partner.",
    )
    approved = Enrollment.objects.create(partner=partner, program="indirect_reseller", status="approved")
    EnrollmentEvent.objects.create(
        enrollment=approved,
        at=AT + timedelta(minutes=8),
        kind="approved",
        actor=staff,
        actor_label=staff_label,
        from_status="in_review",
        to_status="approved",
        detail="Registration confirmed.",
    )

    invitation_id, order_id = str(uuid.uuid4()), str(uuid.uuid4())
    RelationshipEvent.objects.create(
        at=AT + timedelta(minutes=9),
        kind="reseller_invitation_accepted",
        object_type="ResellerInvitation",
        object_id=invitation_id,
        from_state="sent",
        to_state="accepted",
        detail="Accepted by admin@fabrikamde.onmicrosoft.com.",
        actor=admin,
        partner=partner,
    )
    RelationshipEvent.objects.create(
        at=AT + timedelta(minutes=10),
        kind="order_submitted",
        object_type="Order",
        object_id=order_id,
        to_state="submitted",
        detail="5 × Microsoft 365 Business Standard.",
        actor=admin,
        partner=partner,
    )
    RelationshipEvent.objects.create(
        at=AT + timedelta(minutes=11),
        kind="gdap_expired",
        object_type="GranularAdminRelationship",
        object_id="7",
        from_state="active",
        to_state="expired",
    )
    AccountEvent.objects.create(
        at=AT + timedelta(minutes=12),
        kind="roles_changed",
        tenant=tenant,
        actor=admin,
        subject=employee,
        before=["sales_agent"],
        after=["sales_agent", "admin_agent"],
    )
    AccountEvent.objects.create(
        at=AT - timedelta(days=1),
        kind="tenant_created",
        tenant=tenant,
        actor=admin,
        subject=admin,
        after=["global_admin"],
    )
    return {
        "tenant": tenant.pk,
        "admin": admin.pk,
        "employee": employee.pk,
        "staff": staff.pk,
        "enrollment": str(enrollment.pk),
        "withdrawn": str(withdrawn.pk),
        "approved": str(approved.pk),
        "invitation": invitation_id,
        "order": order_id,
        "counts": (
            EnrollmentEvent.objects.count(),
            RelationshipEvent.objects.count(),
            AccountEvent.objects.count(),
        ),
    }


def row(events, **where) -> Event:
    found = [e for e in events if all(getattr(e, k) == v for k, v in where.items())]
    assert len(found) == 1, (where, found)
    return found[0]


def test_the_old_events_are_copied_into_the_one_trail_and_the_old_tables_go(old_database):
    assert tables() >= OLD_TABLES
    assert Event.objects.count() == 0
    made = make_old_rows(old_database)
    assert made["counts"] == (9, 3, 2)

    migrate(latest())

    assert not MigrationExecutor(connection).migration_plan(latest()), "not at the latest migrations"
    assert not OLD_TABLES & tables(), OLD_TABLES & tables()
    events = list(Event.objects.order_by("at", "id"))
    assert len(events) == 9 + 3 + 2
    tenant, admin, staff = made["tenant"], made["admin"], made["staff"]

    # Enrollment events: on the enrollment, in its partner's history.
    timeline = [e for e in events if e.object_id == made["enrollment"]]
    assert [e.kind for e in timeline] == [
        "submitted",
        "verification_email_sent",
        "email_confirmed",
        "info_requested",
        "responded",
        "check_failed",
        "rejected",
    ]
    for event in timeline:
        assert (event.object_type, event.tenant_id) == ("enrollment.enrollment", tenant)
    submitted = row(timeline, kind="submitted")
    assert (submitted.actor_id, submitted.actor_label) == (
        admin,
        "Alex Meyer <admin@fabrikamde.onmicrosoft.com>",
    )
    assert (submitted.from_state, submitted.to_state, submitted.note, submitted.data) == (
        "",
        "pending_email_verification",
        "",
        {},
    )
    sent = row(timeline, kind="verification_email_sent")
    assert (sent.actor_id, sent.actor_label, sent.note) == (None, "system", "")
    assert sent.data == {"detail": "We emailed a link to jonas@fabrikam.de."}
    assert sent.detail == "We emailed a link to jonas@fabrikam.de."
    confirmed = row(timeline, kind="email_confirmed")
    assert (confirmed.actor_label, confirmed.from_state, confirmed.to_state) == (
        "Jonas Becker <jonas@fabrikam.de>",
        "pending_email_verification",
        "in_review",
    )
    # People's own words are the note, as typed; not the system's detail.
    for kind, words, actor in [
        ("info_requested", "Send the business registration.", staff),
        ("responded", "It is attached.", admin),
        ("rejected", "The company is not registered.", staff),
    ]:
        event = row(timeline, kind=kind)
        assert (event.note, event.data, event.actor_id) == (words, {}, actor), kind
        assert event.detail == words
    # enrollment 0006 then reads the former sentence: the check is a parameter, the rest the note.
    failed = row(timeline, kind="check_failed")
    assert failed.note == "failed. Not in the register." and failed.data == {
        "check": "business_verification",
        "detail": "Business verification: failed. Not in the register.",
    }
    assert (failed.from_state, failed.to_state) == ("in_review", "in_review")

    withdrawn = row(events, object_id=made["withdrawn"])
    assert (withdrawn.kind, withdrawn.note, withdrawn.data) == (
        "withdrawn",
        "We merged with another partner.",
        {},
    )
    assert (withdrawn.from_state, withdrawn.to_state, withdrawn.tenant_id) == (
        "in_review",
        "withdrawn",
        tenant,
    )
    approved = row(events, object_id=made["approved"])
    assert (approved.kind, approved.note, approved.data) == ("approved", "Registration confirmed.", {})

    # Relationship events: the object type is the model's label; the partner's tenant files it.
    accepted = row(events, kind="reseller_invitation_accepted")
    assert (accepted.object_type, accepted.object_id, accepted.tenant_id) == (
        "relationships.resellerinvitation",
        made["invitation"],
        tenant,
    )
    assert (accepted.from_state, accepted.to_state, accepted.actor_id) == ("sent", "accepted", admin)
    assert accepted.actor_label == "Alex Meyer <admin@fabrikamde.onmicrosoft.com>"
    assert (
        accepted.data == {"detail": "Accepted by admin@fabrikamde.onmicrosoft.com."} and accepted.note == ""
    )
    assert accepted.detail == "Accepted by admin@fabrikamde.onmicrosoft.com."
    order = row(events, kind="order_submitted")
    assert (order.object_type, order.object_id, order.tenant_id) == ("billing.order", made["order"], tenant)
    assert order.data == {"detail": "5 × Microsoft 365 Business Standard."}
    expired = row(events, kind="gdap_expired")
    assert (expired.object_type, expired.object_id, expired.tenant_id) == (
        "relationships.granularadminrelationship",
        "7",
        None,
    )
    assert (expired.actor_id, expired.actor_label, expired.data) == (None, "system", {})

    # Account events: the object is the user concerned.
    roles = row(events, kind="roles_changed")
    assert (roles.object_type, roles.object_id, roles.tenant_id, roles.actor_id) == (
        "accounts.user",
        str(made["employee"]),
        tenant,
        admin,
    )
    assert roles.data == {
        "email": "sales@fabrikamde.onmicrosoft.com",
        "before": ["sales_agent"],
        "after": ["sales_agent", "admin_agent"],
    }
    created = row(events, kind="tenant_created")
    assert (created.object_id, created.data["after"]) == (str(admin), ["global_admin"])

    # One history per partner: every copied row of Fabrikam, newest first.
    history = list(Event.objects.of_tenant(tenant))
    assert len(history) == 9 + 2 + 2
    assert history[0].kind == "roles_changed" and history[-1].kind == "tenant_created"
