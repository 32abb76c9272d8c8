"""Forms of the review pages (staff) and of the partner's answers on the status page.

They render the fields and carry the errors; they validate nothing themselves. The
services hold the rules (a rejection needs a reason, a document must be a PDF, PNG or
JPEG of at most 5 MB...) and say why in their ``InvalidInput``, which the views put on
these forms, so a person reads one explanation, not a generic "This field is required".
"""

from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from partnercenter.core.countries import country_choices, country_options_html
from partnercenter.core.form_html import Textarea

from ..models import CheckKind, DocumentType, EnrollmentStatus, Program
from ..services.review import MESSAGE_MAX


def _text(label, rows=3, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=Textarea(attrs={"rows": rows, "maxlength": MESSAGE_MAX}),
    )


# --- Staff -----------------------------------------------------------------------------------


class CountrySelect(forms.Select):
    """A select of every country after a first option for none (``blank_label``), its
    options written once a language (``country_options_html``, issue 12)."""

    def __init__(self, blank_label, attrs=None):
        super().__init__(attrs)
        self.blank_label = blank_label

    def render(self, name, value, attrs=None, renderer=None):
        chosen = (
            "" if value is None else str(value[0] if isinstance(value, list | tuple) and value else value)
        )
        return format_html(
            '<select name="{}"{}><option value=""{}>{}</option>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            "" if chosen else mark_safe(" selected"),  # noqa: S308 (a constant)
            self.blank_label,
            country_options_html(chosen),
        )


def _country_filter_choices():
    return [("", _("All countries")), *country_choices()]


class QueueFilterForm(forms.Form):
    """The queue's filters (GET). An unknown value is ignored, not an error page."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All open")), *EnrollmentStatus.choices],
    )
    program = forms.ChoiceField(
        label=_("Program"), required=False, choices=[("", _("All programs")), *Program.choices]
    )
    # Choices as a callable: built when a value is validated, not for every form (issue 12).
    country = forms.ChoiceField(
        label=_("Country or region"),
        required=False,
        choices=_country_filter_choices,
        widget=CountrySelect(blank_label=_("All countries")),
    )
    assignee = forms.ChoiceField(
        label=_("Assigned"),
        required=False,
        choices=[("", _("Anyone")), ("me", _("Assigned to me")), ("none", _("Unassigned"))],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    @property
    def fragment_key(self) -> str:
        """What the rendered filters depend on besides the language when every value sent
        is valid ("" otherwise: then they are rendered each time, and no unknown value
        becomes a cache key)."""
        if not self.is_valid():
            return ""
        return "&".join(f"{name}={self.cleaned_data.get(name) or ''}" for name in self.fields)

    def filters(self) -> dict:
        """The valid filters as keyword arguments of ``selectors.review_queue``."""
        self.is_valid()  # cleaned_data keeps only the fields that are valid
        data = self.cleaned_data
        return {
            "status": data.get("status") or None,
            "program": data.get("program") or None,
            "country": data.get("country") or None,
            "assignee": data.get("assignee") or None,
            "overdue": True if data.get("overdue") else None,
        }


class ApproveForm(forms.Form):
    note = _text(_("Note (optional)"), help_text=_("Kept in the timeline."))


class RejectForm(forms.Form):
    reason = _text(_("Reason"), rows=4, help_text=_("Required. The partner receives it by email."))


class RequestInfoForm(forms.Form):
    message = _text(
        _("What the partner must provide"), rows=4, help_text=_("Required. The partner receives it by email.")
    )


class CheckDecisionForm(forms.Form):
    """Pass, fail or waive one check. The result comes from the button pressed."""

    note = _text(_("Note"), rows=2, help_text=_("Required to fail or waive: the partner sees it."))


# --- The partner --------------------------------------------------------------------------------


class DocumentFields(forms.Form):
    """A document that answers a failed or questioned check (``checks``)."""

    check = forms.CharField(label=_("Check"), required=False, widget=forms.Select)
    document_type = forms.CharField(
        label=_("Type of document"),
        required=False,
        widget=forms.Select(choices=[("", _("Choose…")), *DocumentType.choices]),
    )
    document = forms.FileField(
        label=_("Document"),
        required=False,
        help_text=_("PDF, PNG or JPEG, at most %(max)d MB."),
        widget=forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}),
    )

    def __init__(self, *args, checks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["check"].widget.choices = [(c.kind, CheckKind(c.kind).label) for c in checks]
        self.fields["document"].help_text = self.fields["document"].help_text % {
            "max": max(1, settings.DOCUMENT_MAX_BYTES // 1048576)
        }


class RespondForm(DocumentFields):
    """The answer to the reviewer's request, with a document if one goes with it."""

    field_order = ["message", "check", "document_type", "document"]
    message = _text(_("Your answer"), rows=5)

    def __init__(self, *args, checks=(), **kwargs):
        super().__init__(*args, checks=checks, **kwargs)
        if checks:
            self.fields["document"].label = _("Document (optional)")
        else:  # nothing a document could answer
            for name in ("check", "document_type", "document"):
                del self.fields[name]


class AppealForm(DocumentFields):
    """A document that answers a failed or questioned check."""

    field_order = ["check", "document_type", "comment", "document"]
    comment = _text(_("Comment (optional)"))
