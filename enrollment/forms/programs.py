"""Program staff open and close a program's applications: the review page's form and the
admin's. Both check with the service's own rules (``program_change_errors``) and save
through the service, so every change writes its audit row."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..programs import CLOSABLE, ProgramSetting, program_availability
from ..services.programs import REASON_MAX, program_change_errors, program_unchanged_refusal


class ProgramApplicationsForm(forms.Form):
    """Open or close (the button says which: ``applications_open`` is the state asked for)."""

    applications_open = forms.TypedChoiceField(
        choices=[
            ("true", pgettext_lazy("program applications", "Open")),
            ("false", pgettext_lazy("program applications", "Closed")),
        ],
        coerce=lambda value: value == "true",
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to close: applicants read it on the enrollment wizard."),
    )

    def __init__(self, *args, opening: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if opening:  # no reason is asked to open: a note for the history, if any
            self.fields["reason"].label = _("Note (optional)")
            self.fields["reason"].help_text = ""


class ProgramSettingAdminForm(forms.ModelForm):
    class Meta:
        model = ProgramSetting
        fields = ["program", "applications_open", "reason"]

    def clean(self):
        cleaned = super().clean()
        program = cleaned.get("program") or getattr(self.instance, "program", None)
        errors = program_change_errors(program, cleaned.get("applications_open"), cleaned.get("reason", ""))
        for field, messages in errors.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        if not errors and program in CLOSABLE:
            current = program_availability(program)
            if current.applications_open == cleaned.get("applications_open"):
                self.add_error("applications_open", program_unchanged_refusal(current))
        return cleaned
