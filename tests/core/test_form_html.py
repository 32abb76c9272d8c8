"""``form_html`` writes forms in Python (issue 12): ``form_fields`` must write what
``partials/form.html`` writes and ``Textarea`` what Django's textarea template writes, byte
for byte, for every kind of field the partial knows (hidden, checkbox, the others), bound
or not, with errors of a field and of the form, in the reader's language."""

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from enrollment.forms.direct_bill import CreditOverrideForm
from enrollment.forms.review import ApproveForm, CheckDecisionForm, QueueFilterForm, RejectForm
from partnercenter.core.form_html import Textarea, form_fields


class EveryKind(forms.Form):
    """A field of each shape the partial writes, with what must be escaped."""

    token = forms.CharField(widget=forms.HiddenInput, initial="a<b")
    name = forms.CharField(label='Name <"first">', help_text="Kept & shown", max_length=20)
    agree = forms.BooleanField(label="I agree", required=False)
    kind = forms.ChoiceField(choices=[("a", "A & B"), ("b", "<B>")], required=False, disabled=True)
    note = forms.CharField(
        required=False,
        help_text=mark_safe("<em>safe</em>"),  # noqa: S308 (a constant)
        widget=Textarea(attrs={"rows": 2, "maxlength": 30, "spellcheck": True, "wrap": False}),
    )
    since = forms.DateField(required=False, show_hidden_initial=True)


def _bound_with_errors():
    form = EveryKind(data={"token": "x", "name": "", "note": "<script>\nalert(1)</script>", "agree": "on"})
    form.is_valid()
    form.add_error(None, "The whole form <is> wrong.")
    form.add_error("note", "Too <short>.")
    return form


def _forms():
    approve = ApproveForm(data={"note": "Seen & verified"}, auto_id="id_approve_%s")
    approve.is_valid()
    reject = RejectForm(data={"reason": ""}, auto_id="id_reject_%s")
    reject.is_valid()
    reject.add_error("reason", "A rejection needs a reason.")
    return [
        ApproveForm(auto_id="id_approve_%s"),
        approve,
        reject,
        CheckDecisionForm(auto_id="id_check_address_%s"),
        CreditOverrideForm(auto_id="id_credit_%s", currency="EUR"),
        QueueFilterForm({"status": "in_review", "overdue": "on", "country": "DE"}),
        QueueFilterForm(),
        EveryKind(),
        EveryKind(auto_id=False),
        _bound_with_errors(),
    ]


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_form_fields_writes_what_the_partial_writes(language):
    with translation.override(language):
        for form in _forms():
            assert form_fields(form) == render_to_string("partials/form.html", {"form": form}), form


def test_the_tag_writes_the_same():
    from django.template import engines

    form = _bound_with_errors()
    tag = engines["django"].from_string("{% load portal %}{% form_fields form %}")
    assert tag.render({"form": form}) == render_to_string("partials/form.html", {"form": form})
    assert "&lt;script&gt;" in tag.render({"form": form}) and "<script>" not in tag.render({"form": form})


def test_textarea_writes_what_the_widget_template_writes():
    attrs = {"rows": 3, "maxlength": 2000, "required": True, "disabled": False, "title": 'a "b" <c>'}
    for value in [None, "", "Plain", "<b>bold</b> & more\nsecond line", 0, 12]:
        for extra in [None, {"id": "id_note", "aria-describedby": "id_note_helptext"}]:
            written = Textarea(attrs=attrs).render("note", value, extra)
            expected = forms.Textarea(attrs=attrs).render("note", value, extra)
            assert written == expected, (value, extra)
