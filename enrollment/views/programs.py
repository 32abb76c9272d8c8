"""The review pages' "Programs": program staff see whether each program takes applications
and open or close direct-bill applications with a reason (issue 9, "Staff open and close
it"). Thin: ``enrollment.programs`` reads, ``services.programs`` writes; a conflict (it was
changed meanwhile) comes back here with its message."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from partnercenter.audit.selectors import attach_history
from partnercenter.core.forms import call_with_form
from partnercenter.core.pages import domain_errors

from ..forms.programs import ProgramApplicationsForm
from ..programs import CLOSABLE, applications_closed_message, program_availabilities
from ..services.programs import program_set_applications_open
from .review import reviewer_required


def _form(setting, data=None) -> ProgramApplicationsForm:
    """The form that changes the program to the other state."""
    return ProgramApplicationsForm(
        data,
        initial={"applications_open": "false" if setting.applications_open else "true"},
        auto_id=f"id_{setting.program}_%s",
        opening=not setting.applications_open,
    )


def _page(request, *, bound=None):
    """The page; ``bound`` = (program, form) for a form sent back with its errors."""
    settings_ = program_availabilities()
    # Each changed program's history (one query), newest first.
    attach_history([s for s in settings_ if not s._state.adding])
    rows = []
    for setting in settings_:
        if bound is not None and bound[0] == setting.program:
            form = bound[1]
        else:
            form = _form(setting) if setting.closable else None
        rows.append(
            {
                "setting": setting,
                "message": applications_closed_message(setting),
                "form": form,
                "history": getattr(setting, "timeline", [])[::-1],
            }
        )
    return render(request, "review/programs.html", {"rows": rows})


@reviewer_required
@require_GET
def programs(request):
    return _page(request)


@reviewer_required
@require_POST
@domain_errors(back="enrollment:review-programs")
def program_change(request, program):
    if program not in CLOSABLE:
        raise Http404
    form = ProgramApplicationsForm(
        request.POST, auto_id=f"id_{program}_%s", opening=request.POST.get("applications_open") == "true"
    )
    if form.is_valid():
        opening = form.cleaned_data["applications_open"]
        done = call_with_form(
            form,
            lambda: program_set_applications_open(
                actor=request.user,
                program=program,
                applications_open=opening,
                reason=form.cleaned_data["reason"],
            ),
            fields={"program": "", "applications_open": ""},
        )
        if done is not None:
            messages.success(
                request,
                _("Applications are open. New applications are accepted.")
                if opening
                else _("Applications are closed. New applications are refused; those submitted continue."),
            )
            return redirect("enrollment:review-programs")
    return _page(request, bound=(program, form))


urlpatterns = [
    path("review/programs/", programs, name="review-programs"),
    path("review/programs/<str:program>/", program_change, name="review-program-change"),
]
