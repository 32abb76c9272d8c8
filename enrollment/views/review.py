"""Staff pages: the review queue and one enrollment's review. And the partner's side of
the review, posted from the status page: answering a request and appealing a check.

Thin: selectors read, services write. A service's ``InvalidInput`` goes back onto the
form that was sent (``call_with_form``); every other domain error takes the one page
mapping (``partnercenter.core.pages``): a conflict comes back to the enrollment's page as a
message naming the current status, a refusal is a 403.
"""

import json
from collections import defaultdict
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from partnercenter.core import generations
from partnercenter.core.dates import DateWriter
from partnercenter.core.errors import InvalidInput, flatten_messages
from partnercenter.core.forms import call_with_form
from partnercenter.core.pages import domain_errors
from partnercenter.core.querysets import CountedPaginator

from .. import kept, queue_clock, selectors, uploads
from ..forms.direct_bill import CreditOverrideForm
from ..forms.review import (
    AppealForm,
    ApproveForm,
    CheckDecisionForm,
    QueueFilterForm,
    RejectForm,
    RequestInfoForm,
    RespondForm,
)
from ..models import UNDECIDED_STATUSES, CheckKind, CheckResult, EnrollmentStatus
from ..permissions import require_global_admin, require_reviewer
from ..services import review as services
from . import application
from .queue_rows import queue_rows_html

PAGE_SIZE = 50
REVIEW_PAGE = "review/enrollment.html"


def reviewer_required(view):
    """Program staff with the review permission; anyone else signed in gets 403, the
    anonymous go to sign-in."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        require_reviewer(request.user)
        return view(request, *args, **kwargs)

    return wrapper


# The staff actions come back to the enrollment's review page with their message.
staff_action = domain_errors(back="enrollment:review-detail")


# --- The queue --------------------------------------------------------------------------------


@reviewer_required
@require_GET
def queue(request):
    """The queue as it read a moment ago, until a table it read changes or a file on it
    falls overdue (``generations.cached_page``, ``queue_clock``: issue 12)."""
    return generations.cached_page(request, "review/queue.html", lambda: _queue_body(request))


def _queue_body(request):
    now = timezone.now()
    form, counts = QueueFilterForm(request.GET), selectors.queue_counts()
    filters = form.filters()
    rows = selectors.review_queue(user=request.user, **filters)
    total, capped = selectors.queue_total(rows, counts, **filters)  # never a COUNT(*) of the queue
    paginator = CountedPaginator(rows, PAGE_SIZE, total, capped=capped)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    ages, counted_until = selectors.queue_age_chart(now, reuse_for=settings.QUEUE_AGE_CHART_SECONDS)
    body = render_to_string(
        "review/_queue_body.html",
        {
            "form": form,
            "page": page,
            "rows": queue_rows_html(page.object_list, request.user),
            "counts": [(status, label, counts[status]) for status, label in EnrollmentStatus.choices],
            "open_total": sum(counts[status] for status in UNDECIDED_STATUSES),
            "ages": ages,
        },
        request=request,
    )
    until = queue_clock.queue_page_valid_until(
        now, page.object_list, overdue=filters.get("overdue"), capped=paginator.capped
    )
    return {"body": mark_safe(body)}, generations.earliest(until, counted_until)  # noqa: S308 - rendered


# --- One enrollment ------------------------------------------------------------------------------

# Each form of the page has its own id prefix: several have a field called "note".
FORMS = {
    "approve_form": (ApproveForm, "id_approve_%s"),
    "reject_form": (RejectForm, "id_reject_%s"),
    "request_info_form": (RequestInfoForm, "id_request_info_%s"),
    "credit_override_form": (CreditOverrideForm, "id_credit_%s"),
}


def _check_form(kind: str, data=None) -> CheckDecisionForm:
    return CheckDecisionForm(data, auto_id=f"id_check_{kind}_%s")


def _review_body(request, enrollment_id, *, bound: dict | None = None):
    """The review page's body and its enrollment; ``bound`` holds the form that was sent
    with its errors."""
    bound = bound or {}
    enrollment = selectors.review_enrollment(
        request.user, enrollment_id, application.timeline_page(request), page=True
    )
    documents = enrollment.document_list
    by_check = defaultdict(list)
    for document in documents:
        by_check[document.verification_check_id].append(document)
    # The labels and times of the checks, each looked up once (issue 12: get_kind_display
    # translated every kind's label for each check; automated checks end in the same minute).
    kinds, results, times = dict(CheckKind.choices), dict(CheckResult.choices), DateWriter()
    checks = [
        {
            "check": check,
            "kind": kinds.get(check.kind, check.kind),
            "result": results.get(check.result, check.result),
            "checked_at": times(check.checked_at) if check.checked_at else "",
            "evidence": json.dumps(check.evidence, indent=2, sort_keys=True, ensure_ascii=False)
            if check.evidence
            else "",
            "documents": by_check[check.pk],
            "form": bound.get(f"check:{check.kind}") or _check_form(check.kind),
        }
        for check in enrollment.checks.all()
    ]
    # A form the page does not show (a check this enrollment does not have): its errors
    # become messages, so that no error goes unsaid.
    shown = {f"check:{item['check'].kind}" for item in checks} | set(FORMS)
    for key, form in bound.items():
        if key not in shown:
            for message in flatten_messages(form.errors):
                messages.error(request, message)
    forms = {
        name: bound.get(name) or form_class(auto_id=auto_id) for name, (form_class, auto_id) in FORMS.items()
    }
    body = render_to_string(
        "review/_enrollment_body.html",
        {
            "enrollment": enrollment,
            "partner": enrollment.partner,
            "mpn": enrollment.mpn_profile,
            "checks": checks,
            "documents": documents,
            "held_by_me": enrollment.assignee_id == request.user.pk,
            **forms,
        },
        request=request,
    )
    return mark_safe(body), enrollment  # noqa: S308 - rendered


def _review_page(request, enrollment_id, *, bound: dict | None = None):
    """The enrollment's review page as computed; ``bound`` holds the form that was sent
    with its errors."""
    body, enrollment = _review_body(request, enrollment_id, bound=bound)
    return render(request, REVIEW_PAGE, {"body": body, "partner_name": enrollment.partner.legal_name})


@reviewer_required
@require_GET
def detail(request, enrollment_id):
    """As it read a moment ago, until one of its rows changes (``enrollment.kept``)."""
    rows = kept.rows_of(enrollment_id)

    def compute():
        body, enrollment = _review_body(request, enrollment_id)
        context = {"body": body, "partner_name": enrollment.partner.legal_name}
        return context, kept.valid_until(enrollment, rows)

    return generations.cached_page(request, REVIEW_PAGE, compute, owned=rows and rows.owned)


def _decide(request, enrollment_id, call, success, *, form_key=None, form=None):
    """Run a staff action; back to the page with a message, or with the form's errors."""
    enrollment = get_object_or_404(selectors.reviewable_enrollments(request.user), pk=enrollment_id)
    if form is None:
        call(enrollment)
    elif call_with_form(form, lambda: call(enrollment)) is None:
        return _review_page(request, enrollment_id, bound={form_key: form})
    messages.success(request, success)
    return redirect("enrollment:review-detail", enrollment_id=enrollment_id)


def _form(name, request):
    form_class, auto_id = FORMS[name]
    return form_class(request.POST, auto_id=auto_id)


@reviewer_required
@require_POST
@staff_action
def claim(request, enrollment_id):
    return _decide(
        request,
        enrollment_id,
        lambda e: services.enrollment_claim(actor=request.user, enrollment=e),
        _("You hold this enrollment now. Other reviewers cannot decide it until you release it."),
    )


@reviewer_required
@require_POST
@staff_action
def release(request, enrollment_id):
    return _decide(
        request,
        enrollment_id,
        lambda e: services.enrollment_release(actor=request.user, enrollment=e),
        _("The enrollment is back in the queue, unassigned."),
    )


@reviewer_required
@require_POST
@staff_action
def approve(request, enrollment_id):
    return _decide(
        request,
        enrollment_id,
        lambda e: services.enrollment_approve(
            actor=request.user, enrollment=e, note=request.POST.get("note", "")
        ),
        _("The enrollment is approved. The primary contact is emailed."),
        form_key="approve_form",
        form=_form("approve_form", request),
    )


@reviewer_required
@require_POST
@staff_action
def reject(request, enrollment_id):
    return _decide(
        request,
        enrollment_id,
        lambda e: services.enrollment_reject(
            actor=request.user, enrollment=e, reason=request.POST.get("reason", "")
        ),
        _("The enrollment is rejected. The primary contact is emailed the reason."),
        form_key="reject_form",
        form=_form("reject_form", request),
    )


@reviewer_required
@require_POST
@staff_action
def request_info(request, enrollment_id):
    return _decide(
        request,
        enrollment_id,
        lambda e: services.enrollment_request_info(
            actor=request.user, enrollment=e, message=request.POST.get("message", "")
        ),
        _("The request is sent. The enrollment waits for the partner's answer."),
        form_key="request_info_form",
        form=_form("request_info_form", request),
    )


@reviewer_required
@require_POST
@staff_action
def check_decide(request, enrollment_id, kind):
    result = request.POST.get("result", "")
    done = {
        CheckResult.PASSED: _("The check is passed."),
        CheckResult.FAILED: _("The check is failed. The partner sees your note and may appeal."),
        CheckResult.WAIVED: _("The check is waived."),
    }
    return _decide(
        request,
        enrollment_id,
        lambda e: services.check_decide(
            actor=request.user, enrollment=e, kind=kind, result=result, note=request.POST.get("note", "")
        ),
        done.get(result, ""),
        form_key=f"check:{kind}",
        form=_check_form(kind, request.POST),
    )


@reviewer_required
@require_GET
def document(request, document_id):
    """An uploaded document, always as a download: it is the partner's file, never shown
    inline in the portal's origin."""
    doc = selectors.review_document(request.user, document_id)
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=doc.original_name, content_type=doc.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- The partner: answer a request, appeal a check ------------------------------------------------

# The partner's answers come back to the application's status page with their message.
partner_action = domain_errors(back="enrollment:status")


def _status_page(request, enrollment_id, **forms):
    """The status page again, with the form that was sent showing its errors (the page's
    ``partner_review_actions`` tag reads them from the request)."""
    request.partner_action_forms = forms
    return application.status(request, enrollment_id=enrollment_id)


def _partner_act(request, enrollment_id, call, success, form_key, form):
    if call_with_form(form, call) is None:
        return _status_page(request, enrollment_id, **{form_key: form})
    messages.success(request, success)
    return redirect("enrollment:status", enrollment_id=enrollment_id)


@login_required
@require_POST
@partner_action
def partner_respond(request, enrollment_id):
    enrollment = selectors.enrollment_for(request.user, enrollment_id)
    require_global_admin(request.user)
    form = RespondForm(
        request.POST, request.FILES, checks=selectors.appealable_checks(enrollment), auto_id="id_respond_%s"
    )
    return _partner_act(
        request,
        enrollment_id,
        lambda: _respond(request, enrollment),
        _("Your answer was sent. The review continues."),
        "respond_form",
        form,
    )


def _document_sent(request) -> dict:
    """The document fields of an answer or an appeal, as the services take them."""
    # The upload handler skipped a file past the limit while it streamed in.
    if uploads.too_large(request, "document"):
        raise InvalidInput.on("document", uploads.too_large_message(request))
    return {
        "kind": request.POST.get("check", ""),
        "document_type": request.POST.get("document_type", ""),
        "document": request.FILES.get("document"),
    }


def _respond(request, enrollment):
    services.enrollment_respond(
        actor=request.user,
        enrollment=enrollment,
        message=request.POST.get("message", ""),
        **_document_sent(request),
    )


def _appeal(request, enrollment):
    services.enrollment_appeal(
        actor=request.user,
        enrollment=enrollment,
        comment=request.POST.get("comment", ""),
        **_document_sent(request),
    )


@login_required
@require_POST
@partner_action
def partner_appeal(request, enrollment_id):
    enrollment = selectors.enrollment_for(request.user, enrollment_id)
    require_global_admin(request.user)
    form = AppealForm(
        request.POST,
        request.FILES,
        checks=selectors.appealable_checks(enrollment),
        auto_id="id_appeal_%s",
    )
    return _partner_act(
        request,
        enrollment_id,
        lambda: _appeal(request, enrollment),
        _("Your document was sent. Now answer the reviewer's request: the review continues with your answer.")
        if enrollment.can_respond
        else _("Your document was sent. The check is pending again and the review continues."),
        "appeal_form",
        form,
    )


urlpatterns = [
    path("review/", queue, name="review-queue"),
    path("review/<uuid:enrollment_id>/", detail, name="review-detail"),
    path("review/<uuid:enrollment_id>/claim/", claim, name="review-claim"),
    path("review/<uuid:enrollment_id>/release/", release, name="review-release"),
    path("review/<uuid:enrollment_id>/approve/", approve, name="review-approve"),
    path("review/<uuid:enrollment_id>/reject/", reject, name="review-reject"),
    path("review/<uuid:enrollment_id>/request-info/", request_info, name="review-request-info"),
    path("review/<uuid:enrollment_id>/checks/<slug:kind>/", check_decide, name="review-check"),
    path("review/documents/<uuid:document_id>/", document, name="review-document"),
    path("enrollments/<uuid:enrollment_id>/respond/", partner_respond, name="partner-respond"),
    path("enrollments/<uuid:enrollment_id>/appeals/", partner_appeal, name="partner-appeal"),
]
