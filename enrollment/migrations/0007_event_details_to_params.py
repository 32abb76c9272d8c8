"""Timeline rows copied from the old event table (0003) carry the system's text as written
then, in the language of whoever acted (``data["detail"]``). Where that text is one of the
former sentences, the row gets the parameters its kind renders in the reader's language,
and the person's words in it become the row's ``note``; the old text stays in
``data["detail"]`` (the fallback). Other rows stay as they are. Reversible: going back
removes what was added."""

import re

from django.db import migrations
from django.utils import translation
from django.utils.translation import gettext

BATCH = 2000
LANGUAGES = ("en", "zh-hant", "zh-hans", "ru")
# The check kinds and document types as their labels read when the rows were written.
CHECK_LABELS = {
    "email_ownership": "Email ownership",
    "email_domain": "Email domain and employment",
    "business_verification": "Business verification",
    "mpn_status": "MPN ID is active",
    "mpn_country": "MPN ID country matches the tenant",
    "address": "Address",
    "bank_account": "Bank account",
    "duplicate": "Not already enrolled",
    "csp_tenant_restriction": "Tenant is not another CSP partner's customer",
}
DOCUMENT_LABELS = {
    "domain_ownership": "Proof of domain ownership",
    "business_registration": "Business registration",
    "tax_registration": "Tax registration",
}
CHECKS_COMPLETED = re.compile(
    r"(?P<passed>\d+) passed, (?P<failed>\d+) failed, (?P<pending>\d+) left to a reviewer\."
)
AGREEMENT = re.compile(r"(?P<agreement>.+) (?P<version>\S+) \((?P<language>[^)]+)\), region (?P<region>\S+)")
EMAIL = re.compile(r"\S+@\S+")
KINDS = (
    "verification_email_resent",
    "reminder_sent",
    "checks_completed",
    "agreement_accepted",
    "check_passed",
    "check_failed",
    "check_waived",
    "appeal_submitted",
)


def _by_label(labels: dict) -> dict:
    """Each label, in every language of the portal, to its code."""
    found = {}
    for language in LANGUAGES:
        with translation.override(language):
            found.update({gettext(label): code for code, label in labels.items()})
    return found


def _split_label(text: str, by_label: dict):
    """ "<label>: rest" or "<label>" -> (code, rest), or None."""
    for label in sorted(by_label, key=len, reverse=True):
        if text == label:
            return by_label[label], ""
        for separator in (": ", "："):
            if text.startswith(label + separator):
                return by_label[label], text[len(label) + len(separator) :].strip()
    return None


def params_of(kind: str, text: str, checks: dict, documents: dict):
    """The parameters (and the person's words) of a former sentence, or None."""
    if kind in ("verification_email_resent", "reminder_sent") and EMAIL.fullmatch(text):
        return {"email": text}, ""
    if kind == "checks_completed" and (match := CHECKS_COMPLETED.fullmatch(text)):
        return {key: int(value) for key, value in match.groupdict().items()}, ""
    if kind == "agreement_accepted" and (match := AGREEMENT.fullmatch(text)):
        return match.groupdict(), ""
    if kind in ("check_passed", "check_failed", "check_waived") and (found := _split_label(text, checks)):
        return {"check": found[0]}, found[1]
    if kind == "appeal_submitted" and (found := _split_label(text, checks)):
        document, _sep, comment = found[1].partition(". ")
        if document.rstrip(".") in documents:
            return {"check": found[0], "document_type": documents[document.rstrip(".")]}, comment.strip()
    return None


def to_params(apps, schema_editor):
    Event = apps.get_model("audit", "Event")
    checks, documents = _by_label(CHECK_LABELS), _by_label(DOCUMENT_LABELS)
    rows = []
    copied = Event.objects.filter(object_type="enrollment.enrollment", kind__in=KINDS, data__has_key="detail")
    for event in copied.iterator(BATCH):
        if set(event.data) != {"detail"}:
            continue
        found = params_of(event.kind, str(event.data["detail"]), checks, documents)
        if found is None:
            continue
        params, words = found
        event.data = {**params, "detail": event.data["detail"]}
        event.note = words  # rows of these kinds were copied without a note (0003)
        rows.append(event)
        if len(rows) >= BATCH:
            Event.objects.bulk_update(rows, ["data", "note"])
            rows = []
    Event.objects.bulk_update(rows, ["data", "note"])


def to_text(apps, schema_editor):
    """Only copied rows carry ``detail``; those with more got it here."""
    Event = apps.get_model("audit", "Event")
    copied = Event.objects.filter(object_type="enrollment.enrollment", kind__in=KINDS, data__has_key="detail")
    for event in copied.iterator(BATCH):
        if set(event.data) != {"detail"}:
            event.data, event.note = {"detail": event.data["detail"]}, ""
            event.save(update_fields=["data", "note"])


class Migration(migrations.Migration):
    dependencies = [("enrollment", "0006_check_details_to_codes"), ("audit", "0001_initial")]

    operations = [migrations.RunPython(to_params, to_text)]
