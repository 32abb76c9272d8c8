"""One audit trail (issue 7, section 4; HOUSE_STYLE 7b): every state change writes exactly
one row of the one shape (``partnercenter.audit.models.Event``), a call that changes nothing
or is refused writes none, and the table covers every state-changing service: a new
service without its entry fails ``TestEveryServiceIsInTheTable``."""

import importlib
import inspect
import pkgutil
from datetime import timedelta

import pytest

import billing.services
import enrollment.services
import relationships.services
from enrollment.services import (
    agreements,
    application,
    business_profile,
    checks,
    deadlines,
    review,
)
from partnercenter.accounts import oauth_apps
from partnercenter.accounts import services as accounts
from partnercenter.audit.models import Event
from partnercenter.core.errors import DomainError
from relationships.models import (
    ResellerInvitation,
)
from relationships.services import (
    admin_access,
    providers,
    reseller_invitations,
)
from tests.audit import (  # noqa: F401 (they fill CASES)
    cases_agreements,
    cases_billing_invoices,
    cases_billing_licenses,
    cases_billing_orders,
    cases_billing_subs,
    cases_customers,
    cases_deadlines,
    cases_direct_bill,
    cases_enrollment,
    cases_finish,
    cases_incentives,
    cases_oauth,
    cases_programs,
    cases_relationship_requests,
    cases_relationships,
    cases_tokens,
    cases_transition,
)
from tests.audit.table import (
    CASES,
    NOW,
    enrollment_of,
    gdap,
    provider_world,
    resolve,
    run_case,
    sent_invitation,
    staff_with,
)
from tests.cast import make_reviewer
from tests.factories import (
    AgreementTemplateFactory,
    BusinessProfileFactory,
    IndirectProviderFactory,
    PartnerFactory,
    VerificationCheckFactory,
    active_partner,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


# --- (a) Every state change writes exactly one row ---------------------------------------------------


@pytest.mark.parametrize("name", CASES)
def test_a_state_change_writes_exactly_one_row(name, w):
    run, result, written = run_case(name, w)
    assert [e.kind for e in written] == [run.kind], f"{name} wrote {[e.kind for e in written]}"
    event = written[0]
    obj = resolve(run.obj, result)
    assert (event.object_type, event.object_id) == (obj._meta.label_lower, str(obj.pk))
    tenant = resolve(run.tenant, result)
    assert event.tenant_id == getattr(tenant, "pk", tenant)
    assert (event.from_state, event.to_state) == (run.from_state, run.to_state)
    actor = resolve(run.actor, result)
    assert event.actor_id == getattr(actor, "pk", None)
    if run.actor_label is not None:
        assert event.actor_label == run.actor_label
    elif actor is None:
        assert event.actor_label == "system"
    else:
        assert event.actor_label == f"{actor.get_full_name()} <{actor.email}>"
    assert event.note == run.note
    assert {key: event.data.get(key) for key in run.data} == run.data
    # The row reads as one history of its object.
    assert list(Event.objects.of(obj))[-1] == event


# Calls that change nothing: each prepares a state in which the service has nothing to do.


def _noop_claim_twice(w):
    enrollment, staff = enrollment_of(w, "in_review"), make_reviewer()
    review.enrollment_claim(actor=staff, enrollment=enrollment)
    return review.enrollment_claim, {"actor": staff, "enrollment": enrollment}


def _noop_release_unassigned(w):
    return review.enrollment_release, {"actor": make_reviewer(), "enrollment": enrollment_of(w, "in_review")}


def _noop_authorize_authorized(w):
    return providers.provider_authorize, {
        "actor": make_reviewer(),
        "partner": IndirectProviderFactory().partner,
        "authorized": True,
    }


def _noop_withdraw_a_non_provider(w):
    return providers.provider_authorize, {
        "actor": make_reviewer(),
        "partner": active_partner(),
        "authorized": False,
    }


def _noop_listing_unchanged(w):
    p = provider_world()
    listing = p.provider.indirect_provider
    data = {"countries": listing.countries, "offers": listing.offers, "description": listing.description}
    return providers.provider_listing_update, {"actor": p.provider_admin, "data": data}


def _noop_business_profile_unchanged(w):
    profile = BusinessProfileFactory(partner=PartnerFactory(tenant=w.admin.tenant))
    data = {"description": profile.description, "website": profile.website, "industries": profile.industries}
    return business_profile.business_profile_update, {"actor": w.admin, "data": data}


def _noop_make_current_the_current(w):
    template = AgreementTemplateFactory()
    return agreements.agreement_template_make_current, {
        "actor": staff_with("change_agreementtemplate"),
        "template": template,
    }


def _noop_join_admin_agents_twice(w):
    accounts.admin_agent_join(actor=w.admin)
    return accounts.admin_agent_join, {"actor": w.admin}


def _noop_roles_unchanged(w):
    return accounts.user_roles_update, {"actor": w.admin, "user": w.employee, "roles": list(w.employee.roles)}


def _noop_remind_twice(w):
    enrollment = enrollment_of(
        w,
        "pending_email_verification",
        remind_at=NOW - timedelta(hours=1),
        expires_at=NOW + timedelta(days=5),
    )
    deadlines.enrollment_remind(enrollment_id=enrollment.pk)
    return deadlines.enrollment_remind, {"enrollment_id": enrollment.pk}


def _noop_expire_before_time(w):
    enrollment = enrollment_of(w, "pending_email_verification", expires_at=NOW + timedelta(days=1))
    return deadlines.enrollment_expire, {"enrollment_id": enrollment.pk}


def _noop_checks_twice(w):
    enrollment = enrollment_of(w, "in_review")
    checks.enrollment_checks_run(enrollment_id=enrollment.pk)
    return checks.enrollment_checks_run, {"enrollment_id": enrollment.pk}


def _noop_expire_invitation_twice(w):
    p = provider_world()
    invitation = sent_invitation(p)
    ResellerInvitation.objects.filter(pk=invitation.pk).update(expires_at=NOW - timedelta(seconds=1))
    reseller_invitations.reseller_invitation_expire(invitation_id=invitation.pk)
    return reseller_invitations.reseller_invitation_expire, {"invitation_id": invitation.pk}


def _noop_sweep_not_due(w):
    row = gdap(provider_world(), "active", ends_at=NOW + timedelta(days=90))
    return admin_access.gdap_sweep_step, {"gdap_id": row.pk, "step": "expire"}


NO_OPS = {
    "claim twice": _noop_claim_twice,
    "release an unassigned enrollment": _noop_release_unassigned,
    "authorize an authorized provider": _noop_authorize_authorized,
    "withdraw a partner that is no provider": _noop_withdraw_a_non_provider,
    "a listing update without changes": _noop_listing_unchanged,
    "a business profile update without changes": _noop_business_profile_unchanged,
    "make the current template current": _noop_make_current_the_current,
    "join the admin agents twice": _noop_join_admin_agents_twice,
    "set the roles a user has": _noop_roles_unchanged,
    "remind twice": _noop_remind_twice,
    "expire before the time": _noop_expire_before_time,
    "run the checks twice": _noop_checks_twice,
    "expire an invitation twice": _noop_expire_invitation_twice,
    "a sweep step that is not due": _noop_sweep_not_due,
    **cases_billing_orders.NO_OPS,
}


NO_OPS.update(cases_billing_subs.NO_OPS)
NO_OPS.update(cases_incentives.NO_OPS)


# --- commerce: invoices ---
def _noop_invoice_run_twice(w):
    from datetime import date

    from billing.services import invoices
    from tests.billing.factories import subscription_of
    from tests.cast import direct_customer, make_direct_bill

    partner = make_direct_bill()
    subscription_of(partner, direct_customer(partner), start=date(2026, 2, 1))
    invoices.invoice_run(period_start=date(2026, 2, 1))
    return invoices.invoice_run, {"period_start": date(2026, 2, 1)}


NO_OPS["run the invoice run twice"] = _noop_invoice_run_twice

# --- transition ---
NO_OPS.update(cases_transition.NO_OPS)
NO_OPS.update(cases_oauth.NO_OPS)  # --- oauth ---


@pytest.mark.parametrize("name", NO_OPS)
def test_a_call_that_changes_nothing_writes_no_row(name, w):
    service, kwargs = NO_OPS[name](w)
    last = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    service(**kwargs)
    written = list(Event.objects.filter(id__gt=last))
    assert not written, f"{name}: {service.__name__} wrote {[e.kind for e in written]}"


REFUSALS = {
    "withdraw a withdrawn enrollment": lambda w: (
        application.enrollment_withdraw,
        {"actor": w.admin, "enrollment": enrollment_of(w, "withdrawn")},
    ),
    "approve with a check open": lambda w: (
        review.enrollment_approve,
        {
            "actor": make_reviewer(),
            "enrollment": VerificationCheckFactory(enrollment=enrollment_of(w, "in_review")).enrollment,
        },
    ),
    "an employee adds a user": lambda w: (
        accounts.user_add,
        {
            "actor": w.employee,
            "email": "x@fabrikamde.onmicrosoft.com",
            "first_name": "X",
            "last_name": "Y",
            "roles": ["sales_agent"],
        },
    ),
    **cases_billing_orders.REFUSALS,
}


REFUSALS.update(cases_billing_subs.REFUSALS)
REFUSALS.update(cases_incentives.REFUSALS)
REFUSALS.update(cases_transition.REFUSALS)  # --- transition ---
REFUSALS.update(cases_oauth.REFUSALS)  # --- oauth ---


@pytest.mark.parametrize("name", REFUSALS)
def test_a_refused_call_writes_no_row(name, w):
    service, kwargs = REFUSALS[name](w)
    before = Event.objects.count()
    with pytest.raises(DomainError):
        service(**kwargs)
    assert Event.objects.count() == before


# --- (b) The table covers every state-changing service ------------------------------------------------

# Module-level functions of the service modules that are reads or helpers, by name: they
# check or compute, never change a state. Anything else named ``<entity>_<verb>`` must be in
# CASES.
READ_SUFFIXES = ("_errors", "_due", "_refusal", "_draft", "_role", "_check")
READ_PREFIXES = ("validate_",)
# The services' own building blocks (not called by views, the API or tasks).
HELPER_MODULES = {"enrollment.services.common", "enrollment.services.links", "relationships.services.common"}
# Reads whose names do not say so.
KNOWN_READS = {
    "partnercenter.accounts.services.domain_for_prefix",
    "enrollment.services.checks.register_check",
    "enrollment.services.checks.registered_checks",
    "relationships.services.customers.registration_number_required",
    "enrollment.services.mpn.mpn_proof",
    "enrollment.services.mpn.mpn_link",
    "enrollment.services.mpn.wrong_pmc_credentials",
    # A step of the submission (its one row is ``submitted``): the direct-bill application's
    # own record and checks.
    "enrollment.services.direct_bill.direct_bill_open",
    # --- oauth: the apps' reads and the rule of who manages them ---
    "partnercenter.accounts.oauth_apps.apps_for",
    "partnercenter.accounts.oauth_apps.app_for",
    "partnercenter.accounts.oauth_apps.require_app_manager",
    "partnercenter.accounts.oauth_apps.token_endpoint_url",
}


def service_modules() -> list:
    found = [accounts, oauth_apps]
    for package in (enrollment.services, relationships.services, billing.services):
        for info in pkgutil.iter_modules(package.__path__):
            found.append(importlib.import_module(f"{package.__name__}.{info.name}"))
    return [m for m in found if m.__name__ not in HELPER_MODULES]


def is_read(name: str) -> bool:
    return name.endswith(READ_SUFFIXES) or name.startswith(READ_PREFIXES)


def state_changing_services() -> set[str]:
    check_functions = {id(f) for f in checks.registered_checks().values()}
    found = set()
    for module in service_modules():
        for name, function in vars(module).items():
            if (
                inspect.isfunction(function)
                and function.__module__ == module.__name__
                and not name.startswith("_")
                and "_" in name
                and not is_read(name)
                and id(function) not in check_functions
                and f"{module.__name__}.{name}" not in KNOWN_READS
            ):
                found.add(f"{module.__name__}.{name}")
    return found


def qualified(function) -> str:
    return f"{function.__module__}.{function.__name__}"


class TestEveryServiceIsInTheTable:
    def test_every_state_changing_service_has_a_case(self):
        covered = {qualified(c.service) for c in CASES.values()}
        missing = sorted(state_changing_services() - covered)
        assert not missing, "State-changing services without an entry in CASES (add one): " + ", ".join(
            missing
        )

    def test_the_guard_sees_the_services(self):
        found = state_changing_services()
        assert {
            "partnercenter.accounts.services.user_add",
            "enrollment.services.review.enrollment_approve",
            "enrollment.services.deadlines.enrollment_expire",
            "relationships.services.admin_access.gdap_sweep_step",
            "relationships.services.customer_invitations.customer_invitation_accept",
            "billing.services.orders.order_place",
        } <= found
        # Reads are left out.
        assert not found & {
            "relationships.services.reseller_invitations.reseller_invitation_check",
            "relationships.services.customer_invitations.customer_invitation_draft",
            "relationships.services.reseller_invitations.reseller_invitations_due",
            "enrollment.services.application.validate_application",
            "enrollment.services.checks.mpn_status",
        }

    def test_a_new_service_fails_the_guard(self, monkeypatch):
        def reseller_invitation_archive(*, actor, invitation):  # a state change nobody tabled
            raise AssertionError("never called")

        reseller_invitation_archive.__module__ = reseller_invitations.__name__
        monkeypatch.setattr(
            reseller_invitations, "reseller_invitation_archive", reseller_invitation_archive, raising=False
        )
        covered = {qualified(c.service) for c in CASES.values()}
        assert state_changing_services() - covered == {
            "relationships.services.reseller_invitations.reseller_invitation_archive"
        }

    def test_every_case_calls_a_service_of_those_modules(self):
        modules = {m.__name__ for m in service_modules()}
        assert {c.service.__module__ for c in CASES.values()} <= modules
