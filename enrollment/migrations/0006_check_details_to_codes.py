"""The checks' details become a code with parameters, rendered in the reader's language
(``enrollment.check_details``). Rows whose text is one of the system's former English
sentences get its code and parameters; their text stays as ``detail_text``, the fallback
shown for a code nobody registers. Other texts (a reviewer's note) stay as written.
Reversible: going back, a row with a code and no text gets its sentence in English."""

import re

from django.db import migrations
from django.utils import translation

BATCH = 2000
C2 = r"(?P<{}>[A-Z]{{2}})"

# The former sentences (enrollment/services, relationships/checks.py), exactly as written.
FORMER = [
    ("email_waiting", r"Waiting for (?P<email>\S+) to follow the emailed link\."),
    ("email_confirmed", r"(?P<email>\S+) confirmed by following the emailed link\."),
    ("mpn_active_at_submission", r"MPN ID (?P<mpn_id>\d+) is active in the Partner Network\."),
    (
        "mpn_country_at_submission",
        rf"MPN ID country {C2.format('mpn_country')} matches the tenant's country {C2.format('tenant_country')}\.",
    ),
    ("bank_well_formed", r"The bank details are well-formed\."),
    (
        "mpn_missing",
        r"MPN ID (?P<mpn_id>\S*) is no longer in the Partner Network\. Link an active company profile\.",
    ),
    ("mpn_active", r"MPN ID (?P<mpn_id>\d+) \((?P<company>.+)\) is active\."),
    (
        "mpn_inactive",
        r"MPN ID (?P<mpn_id>\d+) is inactive\. Reactivate it in the Partner Membership Center\.",
    ),
    ("mpn_country_same", rf"The MPN ID is located in {C2.format('country')}, as the tenant\."),
    (
        "mpn_country_differs",
        rf"The MPN ID is located in {C2.format('mpn_country')}, the tenant in {C2.format('tenant_country')}\.",
    ),
    ("domain_verified", r"(?P<domain>\S+) is a verified domain of the tenant\."),
    (
        "domain_not_verified",
        r"(?P<domain>\S+) is not a verified domain of the tenant: a reviewer decides and may ask for proof of "
        r"domain ownership\.",
    ),
    ("address_incomplete", r"The address is incomplete: (?P<fields>[a-z0-9_, ]+)\."),
    (
        "address_other_country",
        rf"The address is in {C2.format('country')}, the tenant in {C2.format('tenant_country')}: a reviewer decides\.",
    ),
    ("address_complete", r"The address is complete and in the tenant's country\."),
    (
        "duplicate_found",
        r"Another enrolled partner has the same (?P<fields>[a-z_ ]+)\. A reviewer checks whether this is the same "
        r"company\.",
    ),
    ("duplicate_none", r"No other enrolled partner has this MPN ID or legal name\."),
    ("business_to_verify", r"A reviewer verifies that the legal entity exists at the stated address\."),
    (
        "csp_customer_of_other",
        r"This tenant is a customer tenant of another CSP partner\. Enroll with a tenant that no other CSP partner "
        r"sells to\.",
    ),
    ("csp_not_customer", r"The tenant is not a customer of another CSP partner\."),
]
PATTERNS = [(code, re.compile(pattern)) for code, pattern in FORMER]
LISTS = {"address_incomplete": ", ", "duplicate_found": " and "}


def parse(text: str):
    """The code and parameters of one of the former sentences, or None."""
    for code, pattern in PATTERNS:
        match = pattern.fullmatch(text.strip())
        if match:
            params = match.groupdict()
            if code in LISTS:
                params["fields"] = params["fields"].split(LISTS[code])
            return code, params
    return None


def to_codes(apps, schema_editor):
    VerificationCheck = apps.get_model("enrollment", "VerificationCheck")
    rows = []
    for check in VerificationCheck.objects.filter(detail_code="").exclude(detail_text="").iterator(BATCH):
        found = parse(check.detail_text)
        if found:
            check.detail_code, check.detail_params = found
            rows.append(check)
        if len(rows) >= BATCH:
            VerificationCheck.objects.bulk_update(rows, ["detail_code", "detail_params"])
            rows = []
    VerificationCheck.objects.bulk_update(rows, ["detail_code", "detail_params"])


def to_text(apps, schema_editor):
    from enrollment import check_details

    VerificationCheck = apps.get_model("enrollment", "VerificationCheck")
    with translation.override("en"):
        for check in VerificationCheck.objects.exclude(detail_code="").filter(detail_text="").iterator(BATCH):
            check.detail_text = check_details.render(check.detail_code, check.detail_params, "")
            check.save(update_fields=["detail_text"])


class Migration(migrations.Migration):
    dependencies = [("enrollment", "0005_mpn_ownership_check_codes_refusal_link")]

    operations = [migrations.RunPython(to_codes, to_text)]
