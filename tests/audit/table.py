"""The audit table's machinery (issue 7, section 4): ``CASES`` holds one entry per
state-changing service (a service with several outcomes has one per outcome), each with the
world it needs and the one row it must write; ``cases_enrollment`` and
``cases_relationships`` fill it, ``test_one_row_per_change`` runs it."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from enrollment.models import Enrollment
from partnercenter.accounts.models import User
from partnercenter.audit.models import Event
from partnercenter.notifications.models import Notification
from relationships.models import (
    GranularAdminRelationship,
    ResellerInvitation,
)
from relationships.services import reseller_invitations
from tests.cast import make_provider, make_reseller, user_of
from tests.factories import (
    EnrollmentFactory,
    PartnerFactory,
    ProviderResellerRelationshipFactory,
    UserFactory,
)

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday

LANGUAGES = ("en", "zh-hant", "zh-hans", "ru")
CONTACT = {
    "first_name": "Jonas",
    "last_name": "Becker",
    "email": "jonas@fabrikam.de",
    "phone": "+49 30 1234567",
}


# --- The cast (tests/cast.py) and what only these tests need ------------------------------------------------------------------------------------


def staff_with(*codenames, email="riley@partners.test") -> User:
    user = UserFactory(tenant=None, roles=[], email=email, is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return User.objects.get(pk=user.pk)  # a fresh permission cache


def enrollment_of(w, status, **kwargs) -> Enrollment:
    """An enrollment of the global admin's partner (Fabrikam) in ``status``."""
    partner = PartnerFactory(
        tenant=w.admin.tenant, legal_name="Fabrikam Deutschland GmbH", mpn_id=w.mpn.mpn_id
    )
    return EnrollmentFactory(partner=partner, status=status, **kwargs)


def provider_world() -> SimpleNamespace:
    """An authorized, active indirect provider and one of its resellers, with their admins."""
    provider = make_provider("Contoso Distribution GmbH", listing={"description": "Distribution for Europe"})
    reseller = make_reseller(legal_name="Adatum Cloud GmbH", contact_email="jonas@adatum.test")
    relationship = ProviderResellerRelationshipFactory(provider=provider, reseller=reseller)
    return SimpleNamespace(
        provider=provider,
        reseller=reseller,
        relationship=relationship,
        provider_admin=user_of(provider, email="admin@contoso-distribution.test"),
        reseller_admin=user_of(reseller, email="admin@adatum.test"),
    )


def gdap(p, status, **kwargs) -> GranularAdminRelationship:
    return GranularAdminRelationship.objects.create(
        relationship=p.relationship,
        name="Helpdesk for Adatum",
        roles=["Directory Readers"],
        duration_days=30,
        status=status,
        **kwargs,
    )


def reseller_invitation_token(invitation: ResellerInvitation) -> str:
    """The token of the invitation's link, as the email carries it (its last path segment)."""
    invitation.refresh_from_db()
    notification = Notification.objects.get(
        idempotency_key=f"reseller-invitation:{invitation.pk}:{invitation.token_hash}"
    )
    return notification.context["accept_url"].rstrip("/").rsplit("/", 1)[-1]


def pdf(name="registration.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF", content_type="application/pdf")


# --- The table -----------------------------------------------------------------------------------


@dataclass
class Run:
    """One call of a service and the one row it must write. ``obj`` and ``tenant`` may be
    callables of the call's result (for what the call creates)."""

    kwargs: dict
    kind: str
    obj: Any
    tenant: Any
    from_state: str
    to_state: str
    actor: Any = None
    note: str = ""
    data: dict = field(default_factory=dict)
    actor_label: str | None = None


@dataclass(frozen=True)
class Case:
    service: Callable
    build: Callable[[SimpleNamespace], Run]


CASES: dict[str, Case] = {}


def case(service, variant=""):
    def register(build):
        name = service.__name__ + (f":{variant}" if variant else "")
        assert name not in CASES, name
        CASES[name] = Case(service, build)
        return build

    return register


def resolve(value, result):
    return value(result) if callable(value) and not isinstance(value, type) else value


def run_case(name, w) -> tuple[Run, Any, list[Event]]:
    """Build the case's world, call its service once, return the rows the call wrote."""
    entry = CASES[name]
    run = entry.build(w)
    last = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    result = entry.service(**run.kwargs)
    return run, result, list(Event.objects.filter(id__gt=last).order_by("id"))


def sent_invitation(p, email="lea@northwind.test", **kwargs) -> ResellerInvitation:
    return reseller_invitations.reseller_invitation_send(actor=p.provider_admin, email=email, **kwargs)
