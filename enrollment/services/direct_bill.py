"""The direct-bill application (issue 9): the questionnaire, the credit check (its run in
Celery and staff's override) and the support plan.

Each state change checks the actor's right, locks the enrollment, re-checks its state
after the lock, changes it along ``MOVES``, writes one audit row and queues its emails
after commit. The credit check is queued on commit by whatever settles the last step it
waits for (``queue_credit_check``: the questionnaire here, ``review.check_decide``, the
automated run); the periodic sweep runs one whose task was lost.

Domain errors raised: ``InvalidInput`` (400), ``NotPermitted`` (403),
``InvalidTransition`` (409).
"""

import logging
from decimal import Decimal

from celery import current_app
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from partnercenter.core.errors import InvalidInput
from partnercenter.core.l10n import format_money

from .. import check_details as D
from .. import events, questionnaire
from ..credit import CreditDecision, get_credit_check_provider
from ..models import (
    AgreementAcceptance,
    CheckKind,
    CheckResult,
    DirectBillApplication,
    Enrollment,
    Program,
    SupportPlan,
    VerificationCheck,
)
from ..permissions import require_global_admin, require_reviewer
from .common import (
    conflict,
    held_by_other,
    lock,
    lock_with_assignee,
    move,
    not_held,
    notify_contact,
    require_move,
)
from .links import supersede_links

logger = logging.getLogger(__name__)

NOTE_MAX = 2000
# ``enrollment.tasks.run_credit_check``, looked up by name: the tasks module imports this one.
CREDIT_TASK = "enrollment.tasks.run_credit_check"
# Steps a reviewer does not decide as a check (``review.check_decide``): the partner answers
# the questionnaire and confirms the plan; staff override the credit check with its line.
STEPS_OF_THEIR_OWN = {
    CheckKind.QUESTIONNAIRE: gettext_lazy("The questionnaire is decided by the partner's answers."),
    CheckKind.CREDIT_CHECK: gettext_lazy(
        "Override the credit check with a credit line or a decline, and a note."
    ),
    CheckKind.SUPPORT_PLAN: gettext_lazy("The global admin confirms the support plan."),
}


# --- At submission --------------------------------------------------------------------------


def direct_bill_open(enrollment: Enrollment, now) -> list[VerificationCheck]:
    """A new direct-bill enrollment's application (its currency: the partner's market's)
    and the checks it adds to the indirect ones, all pending; called by the submission."""
    DirectBillApplication.objects.create(enrollment=enrollment, currency=enrollment.partner.market.currency)
    waiting = {
        CheckKind.QUESTIONNAIRE: D.QUESTIONNAIRE_WAITING(),
        CheckKind.CREDIT_CHECK: D.CREDIT_WAITING(),
        CheckKind.SUPPORT_PLAN: D.SUPPORT_PLAN_WAITING(),
    }
    return [
        VerificationCheck(enrollment=enrollment, kind=kind, result=CheckResult.PENDING, detail=detail)
        for kind, detail in waiting.items()
    ]


# --- Shared steps ---------------------------------------------------------------------------------


def _locked_application(enrollment: Enrollment) -> DirectBillApplication:
    """The (locked) enrollment's application; 409 for an enrollment that has none."""
    application = DirectBillApplication.objects.select_for_update().filter(enrollment=enrollment).first()
    if not enrollment.is_direct_bill or application is None:
        raise conflict(enrollment, _("Only a direct-bill application has this step."))
    enrollment.direct_bill = application
    return application


def _check(enrollment: Enrollment, kind: str) -> VerificationCheck:
    return VerificationCheck.objects.select_for_update().get(enrollment=enrollment, kind=kind)


def _settle(check: VerificationCheck, result: str, detail, *, evidence=None, actor=None, now=None) -> None:
    check.result, check.detail, check.decided_by = result, detail, actor
    check.checked_at = now or timezone.now()
    if evidence is not None:
        check.evidence = evidence
    check.save(
        update_fields=[
            "result",
            "detail_code",
            "detail_params",
            "detail_text",
            "evidence",
            "checked_at",
            "decided_by",
        ]
    )


def queue_credit_check(enrollment: Enrollment) -> None:
    """After commit, run the credit check if its steps are now settled (inside the
    transaction that settled one of them). The task claims the work, so queuing twice
    runs it once."""
    if not enrollment.is_direct_bill:
        return
    if DirectBillApplication.objects.ready_for_credit_check().filter(enrollment_id=enrollment.pk).exists():
        transaction.on_commit(lambda: _enqueue(enrollment.pk))


def _enqueue(enrollment_id) -> None:
    try:
        current_app.tasks[CREDIT_TASK].delay(str(enrollment_id))
    except Exception:  # the broker is unreachable: the periodic sweep runs the check
        logger.exception("Could not enqueue the credit check of %s; the sweep will run it", enrollment_id)


# --- The questionnaire ------------------------------------------------------------------------


def _indirect_since(partner):
    """When the partner became an active indirect reseller (its agreement's acceptance),
    or None while it is not one."""
    if not partner.is_active_in(Program.INDIRECT_RESELLER):
        return None
    acceptance = (
        AgreementAcceptance.objects.filter(partner=partner, program=Program.INDIRECT_RESELLER)
        .order_by("accepted_at")
        .first()
    )
    return acceptance.accepted_at if acceptance else None


def enrollment_answer_questionnaire(*, actor, enrollment: Enrollment, answers: dict) -> Enrollment:
    """The global admin answers the qualification questionnaire, once, before a decision.
    The answers meet the minimum requirements: the check passes (and the credit check may
    follow). They miss one: the application ends at once, rejected with the reasons and
    the indirect-reseller path offered."""
    require_global_admin(actor)
    currency = enrollment.partner.market.currency
    clean = questionnaire.validate_answers(answers, currency)
    with transaction.atomic():
        enrollment = lock(enrollment)
        application = _locked_application(enrollment)
        message = _("The questionnaire can be answered only before a decision on the application.")
        require_move(enrollment, "answer_questionnaire", message)
        if application.is_answered:
            raise conflict(enrollment, _("The questionnaire is already answered."))
        now = timezone.now()
        for name in (
            "authority_to_sign",
            "first_level_support",
            "billing_infrastructure",
            "managed_services",
            "years_trading",
            "annual_revenue",
            "cloud_revenue_12m",
            "currency",
        ):
            setattr(application, name, clean[name])
        missed = questionnaire.requirements_missed(clean, indirect_since=_indirect_since(enrollment.partner))
        application.answered_at, application.answered_by = now, actor
        application.failed_requirements = missed
        application.save()
        check = _check(enrollment, CheckKind.QUESTIONNAIRE)
        if not missed:
            _settle(check, CheckResult.PASSED, D.QUESTIONNAIRE_PASSED(), evidence=_evidence(clean), now=now)
            move(
                enrollment,
                "answer_questionnaire",
                kind=events.QUESTIONNAIRE_ANSWERED,
                actor=actor,
                message=message,
            )
            queue_credit_check(enrollment)
            return enrollment
        _settle(
            check,
            CheckResult.FAILED,
            D.QUESTIONNAIRE_FAILED(reasons=missed),
            evidence=_evidence(clean),
            now=now,
        )
        move(
            enrollment,
            "fail_questionnaire",
            kind=events.QUESTIONNAIRE_FAILED,
            actor=actor,
            message=message,
            data={"reasons": missed},
            decided_at=now,
            due_at=None,
        )
        supersede_links(enrollment, now)  # a confirmation link has nothing left to confirm
        with translation.override(enrollment.partner.language):
            reason = enrollment.questionnaire_refusal
        notify_contact(
            enrollment, "enrollment_rejected", key=f"enrollment:{enrollment.pk}:rejected", reason=reason
        )
    return enrollment


def _evidence(clean: dict) -> dict:
    return {
        **{name: clean[name] for name in questionnaire.REQUIREMENTS},
        "managed_services": clean["managed_services"],
        "years_trading": clean["years_trading"],
        "annual_revenue": str(clean["annual_revenue"]),
        "cloud_revenue_12m": str(clean["cloud_revenue_12m"]),
        "currency": clean["currency"],
    }


# --- The credit check -------------------------------------------------------------------------


def enrollment_run_credit_check(*, enrollment_id) -> bool:
    """The task's body: assess the application with the configured provider, once (claimed
    with a conditional update; True if this call ran it). A provider that raises leaves
    the claim rolled back: the sweep tries again."""
    now = timezone.now()
    with transaction.atomic():
        claimed = (
            DirectBillApplication.objects.ready_for_credit_check()
            .filter(enrollment_id=enrollment_id)
            .update(credit_check_started_at=now)
        )
        if claimed != 1:
            return False
        enrollment = lock(Enrollment(pk=enrollment_id))
        require_move(enrollment, "run_credit_check")
        application = _locked_application(enrollment)
        decision = get_credit_check_provider().assess(application)
        _apply_decision(enrollment, application, decision, now=now)
    return True


def _apply_decision(enrollment, application, decision: CreditDecision, *, now, actor=None, note="") -> None:
    """Record a credit decision (the provider's, or staff's with ``actor`` and ``note``):
    the application's credit line, its check, one audit row and the primary contact's email."""
    approved = decision.approved
    application.credit_line_amount = decision.amount if approved else None
    application.credit_line_currency = decision.currency if approved else ""
    application.credit_decided_at, application.credit_decided_by = now, actor
    application.credit_check_started_at = application.credit_check_started_at or now
    application.save(
        update_fields=[
            "credit_line_amount",
            "credit_line_currency",
            "credit_decided_at",
            "credit_decided_by",
            "credit_check_started_at",
        ]
    )
    money = {"amount": str(decision.amount), "currency": decision.currency} if approved else {}
    if actor is None:
        detail = (
            D.CREDIT_APPROVED(**money)
            if approved
            else D.CREDIT_DECLINED(reason=decision.reason, **decision.params)
        )
        kind, data = (
            (events.CREDIT_APPROVED, money)
            if approved
            else (events.CREDIT_DECLINED, {"reason": decision.reason, **decision.params})
        )
    else:
        detail = D.CREDIT_OVERRIDDEN_APPROVED(**money) if approved else D.CREDIT_OVERRIDDEN_DECLINED()
        kind, data = events.CREDIT_CHECK_OVERRIDDEN, {"approved": approved, **money}
    result = CheckResult.PASSED if approved else CheckResult.FAILED
    _settle(
        _check(enrollment, CheckKind.CREDIT_CHECK),
        result,
        detail,
        evidence=decision.evidence,
        actor=actor,
        now=now,
    )
    event = move(
        enrollment,
        "run_credit_check",
        kind=kind,
        actor=actor,
        note=note,
        data={**data, "check": CheckKind.CREDIT_CHECK},
    )
    partner = enrollment.partner
    if approved:
        notify_contact(
            enrollment,
            "direct_bill_credit_approved",
            key=f"enrollment-event:{event.pk}",
            credit_line=format_money(decision.amount, decision.currency, partner.language),
        )
    else:
        with translation.override(partner.language):
            reason = D.decline_reason({"reason": decision.reason, **decision.params}) if actor is None else ""
        notify_contact(
            enrollment, "direct_bill_credit_declined", key=f"enrollment-event:{event.pk}", reason=reason
        )


def enrollment_override_credit_check(
    *, actor, enrollment: Enrollment, approved: bool, amount: Decimal | None, note: str
) -> VerificationCheck:
    """Program staff override the credit check (before or after the provider's answer),
    with a note that goes in the timeline: a credit line of ``amount`` (in the partner's
    market currency, greater than zero) or a decline."""
    require_reviewer(actor)
    errors = {}
    if type(approved) is not bool:
        errors["approved"] = [_("Answer true (approve a credit line) or false (decline).")]
    elif approved and (not isinstance(amount, Decimal) or not questionnaire.parse_amount(str(amount))):
        errors["credit_line"] = {
            "amount": [_("Enter an amount greater than zero, with at most two decimals.")]
        }
    note = note.strip() if isinstance(note, str) else ""
    if not note:
        errors["note"] = [_("Say why: the note is kept in the timeline.")]
    elif len(note) > NOTE_MAX:
        errors["note"] = [
            ngettext(
                "Shorten the text to at most %(max)d character.",
                "Shorten the text to at most %(max)d characters.",
                NOTE_MAX,
            )
            % {"max": NOTE_MAX}
        ]
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        enrollment = lock_with_assignee(enrollment)
        require_move(
            enrollment,
            "run_credit_check",
            _("The credit check can be changed only while the file is in review."),
        )
        if held_by_other(enrollment, actor):
            raise not_held(enrollment)
        application = _locked_application(enrollment)
        currency = enrollment.partner.market.currency
        decision = CreditDecision(
            approved=approved,
            amount=amount if approved else None,
            currency=currency if approved else "",
            evidence={"overridden_by": actor.email},
        )
        _apply_decision(enrollment, application, decision, now=timezone.now(), actor=actor, note=note)
    return VerificationCheck.objects.get(enrollment=enrollment, kind=CheckKind.CREDIT_CHECK)


# --- The support plan -------------------------------------------------------------------------


def enrollment_confirm_support_plan(*, actor, enrollment: Enrollment, plan: str) -> Enrollment:
    """With a credit line approved, the global admin confirms the purchase of Advanced
    Support for Partners (asfp) or Premier Support for Partners (psfp); the same plan
    twice changes nothing the second time."""
    require_global_admin(actor)
    if plan not in SupportPlan.values:
        raise InvalidInput.on(
            "plan", _("Choose asfp (Advanced Support for Partners) or psfp (Premier Support for Partners).")
        )
    with transaction.atomic():
        enrollment = lock(enrollment)
        application = _locked_application(enrollment)
        message = _("The support plan can be confirmed only while the application is in review.")
        require_move(enrollment, "confirm_support_plan", message)
        if application.credit_line is None:
            raise conflict(enrollment, _("The support plan is confirmed once the credit line is approved."))
        if application.support_plan == plan:
            return enrollment
        now = timezone.now()
        application.support_plan = plan
        application.support_plan_confirmed_at, application.support_plan_confirmed_by = now, actor
        application.save(
            update_fields=["support_plan", "support_plan_confirmed_at", "support_plan_confirmed_by"]
        )
        check = _check(enrollment, CheckKind.SUPPORT_PLAN)
        _settle(
            check, CheckResult.PASSED, D.SUPPORT_PLAN_CONFIRMED(plan=plan), evidence={"plan": plan}, now=now
        )
        move(
            enrollment,
            "confirm_support_plan",
            kind=events.SUPPORT_PLAN_CONFIRMED,
            actor=actor,
            message=message,
            data={"plan": plan, "check": CheckKind.SUPPORT_PLAN},
        )
    return enrollment
