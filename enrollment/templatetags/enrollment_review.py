"""The review's pieces of the partner's status page, and labels for the review pages."""

from django import template

from .. import selectors
from ..forms.review import AppealForm, RespondForm
from ..models import EnrollmentStatus

register = template.Library()


@register.filter
def status_label(value: str) -> str:
    """An enrollment status as people read it (``in_review`` → "In review")."""
    return dict(EnrollmentStatus.choices).get(value, value)


@register.inclusion_tag("review/partner_actions.html", takes_context=True)
def partner_review_actions(context):
    """What the reviewer asked and the partner's answers: the request, the answer form,
    the document upload for failed or questioned checks, and the documents sent.

    After a POST that failed, the view leaves the bound form (with its errors) on the
    request, and it is shown instead of an empty one.
    """
    enrollment = context["enrollment"]
    request = context.get("request")
    bound = getattr(request, "partner_action_forms", {})
    can_act = bool(context.get("can_act"))
    waiting = enrollment.can_respond
    appealable = selectors.appealable_checks(enrollment)
    return {
        "enrollment": enrollment,
        "can_act": can_act,
        "info_request": selectors.latest_info_request(enrollment) if waiting else None,
        "respond_form": bound.get("respond_form") or RespondForm(checks=appealable, auto_id="id_respond_%s")
        if can_act and waiting
        else None,
        "appealable": appealable,
        # Open the upload form when it matters now: a failed check, a request, or an error.
        "appeal_open": waiting or "appeal_form" in bound or any(c.result == "failed" for c in appealable),
        "appeal_form": bound.get("appeal_form") or AppealForm(checks=appealable, auto_id="id_appeal_%s")
        if can_act and appealable
        else None,
        "documents": list(enrollment.documents.all()),
        "csrf_token": context.get("csrf_token"),
    }
