"""Forms written in Python for the pages that show many of them (issue 12: the review page's
seven forms, each a ``partials/form.html`` included and a textarea rendered through the
widget templates, were a third of its rendering).

``form_fields`` writes what ``partials/form.html`` writes, byte for byte; ``Textarea``
writes what Django's textarea widget template writes. ``tests/core/test_form_html.py``
holds both equal to their templates."""

from django import forms
from django.utils.safestring import SafeString, mark_safe

from .markup import escaped


def attributes(attrs: dict) -> str:
    """What ``django/forms/widgets/attrs.html`` writes: each attribute in its order, a
    True one as its name alone, a False one not at all (``flatatt`` sorts them)."""
    written = []
    for name, value in attrs.items():
        if value is True:
            written.append(f" {escaped(name)}")
        elif value is not False:
            written.append(f' {escaped(name)}="{escaped(value)}"')
    return "".join(written)


class Textarea(forms.Textarea):
    """Django's textarea, written without its template."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        value = self.format_value(value)
        attrs = attributes(self.build_attrs(self.attrs, attrs))
        text = escaped(value) if value else ""
        return mark_safe(f'<textarea name="{escaped(name)}"{attrs}>\n{text}</textarea>')  # noqa: S308 - escaped


# How an error opens: the form's (on top) and a field's.
FORM_ERROR, FIELD_ERROR = "<p>", '<p class="error" role="alert">'


def _errors(errors, opening: str) -> str:
    return "".join(f"{opening}{escaped(error)}</p>" for error in errors)


def _field(field) -> str:
    errors = field.errors
    if getattr(field.field.widget, "input_type", None) == "checkbox":
        control = f'\n    <label class="check">{field} {escaped(field.label)}</label>\n  '
    else:
        label = f'<label for="{escaped(field.id_for_label)}">{escaped(field.label)}</label>'
        control = f"\n    {label}\n    {field}\n  "
    help_text = (
        f'<small class="help" id="{escaped(field.auto_id)}_helptext">{escaped(field.help_text)}</small>'
        if field.help_text
        else ""
    )
    shown = f'<div id="{escaped(field.auto_id)}_error">{_errors(errors, FIELD_ERROR)}</div>' if errors else ""
    return f'\n<div class="field{" has-error" if errors else ""}">\n  {control}\n  {help_text}\n  {shown}\n</div>\n'


def form_fields(form) -> SafeString:
    """The form's errors and fields, as ``partials/form.html`` writes them."""
    general = form.non_field_errors()
    head = f'<div class="errorbox" role="alert">{_errors(general, FORM_ERROR)}</div>' if general else ""
    hidden = "".join(str(field) for field in form.hidden_fields())
    fields = "".join(_field(field) for field in form.visible_fields())
    return mark_safe(f"{head}\n{hidden}\n{fields}\n")  # noqa: S308 - every value escaped
