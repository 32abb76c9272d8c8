"""An enrollment's statuses and their legal moves, declared once (HOUSE_STYLE 5, 7a).

The services move only along ``MOVES`` (``services.common.move``); every predicate about
status (open, undecided, withdrawable, decidable, overdue) is derived here, and the model,
its queryset, the views, the API, the templates and the tasks ask these, never a list of
their own.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EnrollmentStatus(models.TextChoices):
    # submitted; waiting for the primary contact to confirm their email
    PENDING_EMAIL_VERIFICATION = "pending_email_verification", _("Waiting for email confirmation")
    # automated checks and the multi-day review are running
    IN_REVIEW = "in_review", _("In review")
    # staff asked the partner for information
    ACTION_NEEDED = "action_needed", _("Action needed")
    # verified; the agreement is not yet accepted
    APPROVED = "approved", _("Approved")
    # agreement accepted; the program's capabilities are on (final)
    ACTIVE = "active", _("Active")
    # with a reason; the partner may apply again (final)
    REJECTED = "rejected", _("Rejected")
    # by the partner (final)
    WITHDRAWN = "withdrawn", _("Withdrawn")
    # the primary contact never confirmed; the partner may apply again (final)
    EXPIRED = "expired", _("Expired")


S = EnrollmentStatus


@dataclass(frozen=True)
class Move:
    """One action of the services on an enrollment: the statuses it may start from and the
    status it leads to (None: the status stays)."""

    sources: frozenset
    target: str | None = None


# The legal moves, declared once. The services move only along these
# (``services.common.move``), and every predicate about status below is derived from them.
MOVES: dict[str, Move] = {
    # the primary contact follows the emailed link
    "confirm_email": Move(frozenset({S.PENDING_EMAIL_VERIFICATION}), S.IN_REVIEW),
    "resend_email": Move(frozenset({S.PENDING_EMAIL_VERIFICATION})),
    "remind": Move(frozenset({S.PENDING_EMAIL_VERIFICATION})),
    # the contact never confirmed: the application ends
    "expire": Move(frozenset({S.PENDING_EMAIL_VERIFICATION}), S.EXPIRED),
    # "withdraw before a decision" (API.md)
    "withdraw": Move(frozenset({S.PENDING_EMAIL_VERIFICATION, S.IN_REVIEW, S.ACTION_NEEDED}), S.WITHDRAWN),
    # a reviewer takes a file that is still to be decided
    "claim": Move(frozenset({S.PENDING_EMAIL_VERIFICATION, S.IN_REVIEW, S.ACTION_NEEDED})),
    "run_checks": Move(frozenset({S.IN_REVIEW})),
    # checks are decided and appealed while the file is with the reviewer or waits for the partner
    "decide_check": Move(frozenset({S.IN_REVIEW, S.ACTION_NEEDED})),
    # a document leaves the status as it is: a file waiting for the partner still waits for
    # the answer (``respond``), which may bring the document with it
    "appeal": Move(frozenset({S.IN_REVIEW, S.ACTION_NEEDED})),
    "request_info": Move(frozenset({S.IN_REVIEW}), S.ACTION_NEEDED),
    "respond": Move(frozenset({S.ACTION_NEEDED}), S.IN_REVIEW),
    "approve": Move(frozenset({S.IN_REVIEW}), S.APPROVED),
    "reject": Move(frozenset({S.IN_REVIEW}), S.REJECTED),
    # the global admin accepts the agreement: the program's capabilities are on
    "accept_agreement": Move(frozenset({S.APPROVED}), S.ACTIVE),
    # Direct bill (``direct_bill``): the qualification questionnaire is answered before a
    # decision; a failing answer ends the application at once ("if it qualifies and
    # submits, a business review including a credit check follows")
    "answer_questionnaire": Move(frozenset({S.PENDING_EMAIL_VERIFICATION, S.IN_REVIEW, S.ACTION_NEEDED})),
    "fail_questionnaire": Move(
        frozenset({S.PENDING_EMAIL_VERIFICATION, S.IN_REVIEW, S.ACTION_NEEDED}), S.REJECTED
    ),
    # the credit check runs (or staff override it) and the support plan is confirmed
    # while the file is in review
    "run_credit_check": Move(frozenset({S.IN_REVIEW, S.ACTION_NEEDED})),
    "confirm_support_plan": Move(frozenset({S.IN_REVIEW, S.ACTION_NEEDED})),
}

# Status -> the statuses it may change to (API.md's "next" column).
TRANSITIONS: dict[str, frozenset[str]] = {
    status: frozenset(
        m.target for m in MOVES.values() if status in m.sources and m.target not in (None, status)
    )
    for status in S.values
}


def statuses_for(action: str) -> tuple[str, ...]:
    """The statuses ``action`` may start from, in the order the statuses are declared."""
    return tuple(s for s in S.values if s in MOVES[action].sources)


def _reaching(goal: str, *, reflexive: bool) -> tuple[str, ...]:
    """The statuses from which ``goal`` can still be reached along ``TRANSITIONS``."""
    found = {goal} if reflexive else set()
    frontier = {goal}
    while frontier:
        frontier = {s for s, nexts in TRANSITIONS.items() if nexts & frontier} - found
        found |= frontier
    return tuple(s for s in S.values if s in found)


# Open: the enrollment can still become active, or is. At most one per partner and program
# (a database constraint holds it); a rejected, withdrawn or expired one leaves the way free.
OPEN_STATUSES = _reaching(S.ACTIVE, reflexive=True)
# Final: no move leaves it.
FINAL_STATUSES = tuple(s for s in S.values if not TRANSITIONS[s])
# Waiting for a decision (what the review queue holds): a decision can still be reached.
UNDECIDED_STATUSES = _reaching(S.APPROVED, reflexive=False)
WITHDRAWABLE = statuses_for("withdraw")
# Ended without becoming active (rejected, withdrawn, expired): the partner may apply again,
# in a new application (the way is free once no enrollment of the program is open).
REAPPLICABLE = tuple(s for s in FINAL_STATUSES if s not in OPEN_STATUSES)
# Staff decide (approve, reject, ask for information) while the file is in review.
DECIDABLE = statuses_for("approve")


def overdue_q(now: datetime) -> Q:
    """The condition of an overdue enrollment, for filters and annotations."""
    return Q(status__in=DECIDABLE, due_at__lt=now)


def overdue_later_q(now: datetime) -> Q:
    """The enrollments that are not overdue at ``now`` but will be, unless decided first."""
    return Q(status__in=DECIDABLE, due_at__gte=now)
