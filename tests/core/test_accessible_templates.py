"""The templates' accessibility rules a page test can check without a browser: help and
error texts have the ids their fields' aria-describedby name, no inline script (a
Content-Security-Policy comes later), and HTML emails say their language."""

import re
from pathlib import Path

import pytest
from django import forms
from django.template.loader import render_to_string

from partnercenter.notifications.delivery import render
from partnercenter.notifications.models import Notification

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


class AddressForm(forms.Form):
    city = forms.CharField(help_text="As on the company register.")
    postal_code = forms.CharField()


def ids_and_references(html: str) -> tuple[set[str], set[str]]:
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    refs = {ref for refs in re.findall(r'aria-describedby="([^"]+)"', html) for ref in refs.split()}
    return ids, refs


def test_help_and_errors_are_tied_to_their_fields():
    form = AddressForm(data={"city": "", "postal_code": ""})
    html = render_to_string("partials/form.html", {"form": form})
    ids, refs = ids_and_references(html)
    assert refs == {"id_city_helptext", "id_city_error", "id_postal_code_error"}
    assert refs <= ids
    assert re.search(r'id="id_city_error"><p class="error" role="alert">This field is required.', html)


def test_no_template_has_an_inline_script_or_event_handler():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag:
                found.append(f"{path.relative_to(TEMPLATES)}: {tag}")
        found += [f"{path.relative_to(TEMPLATES)}: {m}" for m in re.findall(r"<[^>]*\s(on[a-z]+)=", text)]
    assert not found, "Inline script (JS lives in static/js/): " + ", ".join(found)


def email_templates() -> list[str]:
    return sorted(p.name.removesuffix("_body.html") for p in (TEMPLATES / "emails").glob("*_body.html"))


@pytest.mark.parametrize("template", email_templates())
def test_every_html_email_extends_the_base_that_says_its_language(template):
    text = (TEMPLATES / "emails" / f"{template}_body.html").read_text(encoding="utf-8")
    assert '{% extends "emails/base_email.html" %}' in text


@pytest.mark.parametrize(("language", "lang"), [("en", "en"), ("ru", "ru"), ("zh-hans", "zh-hans")])
def test_an_html_email_says_its_language(language, lang):
    notification = Notification(
        template="enrollment_withdrawn",
        language=language,
        context={
            "first_name": "Jonas",
            "legal_name": "Fabrikam",
            "program": "indirect_reseller",
            "status_url": "/",
        },
    )
    _, _, html = render(notification)
    assert re.search(rf'<html lang="{lang}" dir="ltr">', html), html[:300]
