"""A fresh installation runs the whole program: on a database that only ran `migrate` (no
demo data, nothing from the suite), the current agreement of every program is there in the
four languages, so partners who enroll in either program and are approved accept it and
become active; nobody stays stuck at `approved`. seed_demo, run on top, adds no second
copy and stays safe to run again. The copies the database keeps with triggers are kept on
SQLite too.

Each test runs in a fresh interpreter on its own SQLite copy of a database that `migrate`
made (as `make run` does on a fresh machine), with the test settings' eager tasks."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.core.test_deploy import BASE_DIR, settings_variables

LANGUAGES = ("en", "zh-hant", "zh-hans", "ru")
PROGRAMS = ("indirect_reseller", "direct_bill")

# A partner enrolls through the API in each program, is verified and approved by program
# staff, reads its agreement in one of the four languages and accepts it. Prints what the
# API answered, as JSON, on its last line.
JOURNEY = r"""
import json
import django

django.setup()

from django.contrib.auth.models import Permission
from django.core.management import call_command
from rest_framework.test import APIClient

from enrollment.models import Enrollment
from partnercenter.accounts.models import User
from partnercenter.notifications.models import Notification
from tests.data import valid_application

call_command("import_mpn_profiles", "demo/mpn_profiles.csv", verbosity=0)
reviewer = User.objects.create_user("riley@partners.test", "Riley-Reviews-2026", is_staff=True)
reviewer.user_permissions.add(Permission.objects.get(codename="review_enrollment"))
staff = APIClient()
staff.force_authenticate(User.objects.get(pk=reviewer.pk))

# program, domain prefix, company, MPN ID, Partner Membership Center sign-in, language read
PARTNERS = [
    ("indirect_reseller", "fabrikamde", "Fabrikam Deutschland GmbH", "4820001", "fabrikam", "Fabrikam-PMC-2026", "ru"),
    ("direct_bill", "contosode", "Contoso GmbH", "4810002", "contoso", "Contoso-PMC-2026", "zh-hans"),
]
out = {"agreements": {}, "journeys": {}}
for language in ("en", "zh-hant", "zh-hans", "ru"):
    listed = APIClient()
    listed.force_authenticate(reviewer)
    rows = listed.get("/api/v1/agreements/", HTTP_ACCEPT_LANGUAGE=language).json()
    rows = rows.get("results", rows) if isinstance(rows, dict) else rows
    out["agreements"][language] = sorted([row["language"], row["version"]] for row in rows)

for program, prefix, company, mpn_id, pmc_user, pmc_password, language in PARTNERS:
    signup = APIClient().post("/api/v1/signup/", {
        "company_name": company, "domain_prefix": prefix, "country": "DE",
        "email": f"admin@{prefix}.onmicrosoft.com", "password": "Spree-Ufer-2026!",
        "first_name": "Lena", "last_name": "Vogel",
    }, format="json")
    assert signup.status_code == 201, signup.content
    partner = APIClient()
    admin = User.objects.get(email=f"admin@{prefix}.onmicrosoft.com")
    partner.force_authenticate(admin)
    partner.force_login(admin)  # the pages too
    signed_in = partner.post("/api/v1/mpn/sign-in/", {"username": pmc_user, "password": pmc_password}, format="json")
    assert signed_in.status_code == 200, signed_in.content
    application = valid_application(mpn_id)
    application["program"] = program
    application["legal_business_profile"]["company_name"] = company
    created = partner.post("/api/v1/enrollments/", application, format="json")
    assert created.status_code == 201, created.content
    enrollment_id = created.json()["id"]
    if program == "direct_bill":  # the questionnaire goes with the submission
        answered = partner.post(f"/api/v1/enrollments/{enrollment_id}/questionnaire/", {
            "authority_to_sign": True, "first_level_support": True, "billing_infrastructure": True,
            "managed_services": [{"kind": "managed_service", "description": "Managed Microsoft 365"}],
            "years_trading": 6, "annual_revenue": {"amount": "2000000", "currency": "EUR"},
            "cloud_revenue_12m": {"amount": "500000", "currency": "EUR"},
        }, format="json")
        assert answered.status_code == 200, answered.content
    link = Notification.objects.filter(template="enrollment_verify_email").latest("created_at").context["verify_url"]
    confirmed = APIClient().post("/api/v1/email-verifications/", {"token": link.rstrip("/").rsplit("/", 1)[1]}, format="json")
    assert confirmed.status_code == 200, confirmed.content
    review = f"/api/v1/review/enrollments/{enrollment_id}/"
    for check in staff.get(review).json()["checks"]:
        # Direct bill's own steps are not a reviewer's: the credit check runs once the
        # shared steps are settled, then the global admin confirms the support plan.
        if check["result"] not in ("passed", "waived") and check["kind"] not in ("questionnaire", "credit_check", "support_plan"):
            decided = staff.post(f"{review}checks/{check['kind']}/", {"result": "waived", "note": "Verified by phone."}, format="json")
            assert decided.status_code == 200, decided.content
    if program == "direct_bill":
        planned = partner.post(f"/api/v1/enrollments/{enrollment_id}/support-plan/", {"plan": "asfp"}, format="json")
        assert planned.status_code == 200, planned.content
    approved = staff.post(f"{review}approve/", {"note": ""}, format="json")
    assert approved.status_code == 200, approved.content
    offered = partner.get(f"/api/v1/agreements/?program={program}").json()
    offered = offered.get("results", offered) if isinstance(offered, dict) else offered
    template = next(row for row in offered if row["language"] == language)
    page = partner.get(f"/partner/agreement/?program={program}&language={language}")
    accepted = partner.post("/api/v1/partner/agreements/", {
        "template_id": template["id"],
        "primary_contact": application["primary_contact"],
    }, format="json")
    out["journeys"][program] = {
        "approved": approved.json()["status"],
        "agreement_page": page.status_code,
        "agreement_text": template["name"] in page.content.decode(),
        "accepted": accepted.status_code,
        "template": [template["language"], template["version"]],
        "status": Enrollment.objects.get(pk=enrollment_id).status,
    }
print(json.dumps(out))
"""


def run(database, *args, code=None) -> subprocess.CompletedProcess:
    """``manage.py args`` (or ``python -c code``) on the SQLite database ``database``, with
    the test settings and nothing else the settings read inherited from this run."""
    inherited = settings_variables()
    env = {k: v for k, v in os.environ.items() if k not in inherited and not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="partnercenter.settings.test",
        TEST_DATABASE_URL=f"sqlite:///{database}",
        DIRECT_BILL_APPLICATIONS_OPEN="true",
    )
    command = [sys.executable, "-c", code] if code else [sys.executable, "manage.py", *args]
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        command, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    return result


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A database that only ran `migrate`, made once; each test works on a copy."""
    database = tmp_path_factory.mktemp("fresh") / "migrated.sqlite3"
    run(database, "migrate", "--noinput")
    return database


@pytest.fixture
def fresh(migrated, tmp_path):
    database = tmp_path / "db.sqlite3"
    shutil.copy(migrated, database)
    return database


SHIPPED = r"""
import json
import django

django.setup()
from enrollment.models import AgreementTemplate

print(json.dumps(sorted(
    [t.program, t.language, t.version, t.is_current, t.name, len(t.body)]
    for t in AgreementTemplate.objects.all()
)))
"""


def shipped(database) -> list:
    return json.loads(run(database, code=SHIPPED).stdout.strip().splitlines()[-1])


def test_migrate_ships_the_current_agreement_of_every_program_in_every_language(fresh):
    templates = shipped(fresh)
    assert sorted((program, language) for program, language, *_ in templates) == sorted(
        (program, language) for program in PROGRAMS for language in LANGUAGES
    )
    for _program, language, version, is_current, name, length in templates:
        assert (version, is_current) == ("2026-10", True)
        assert name and length > 800, (language, name, length)


def test_partners_of_both_programs_become_active_on_a_database_that_only_ran_migrate(fresh):
    out = json.loads(run(fresh, code=JOURNEY).stdout.strip().splitlines()[-1])
    # The API lists the eight current templates, whatever the reader's language.
    every = sorted([language, "2026-10"] for _program in PROGRAMS for language in LANGUAGES)
    assert out["agreements"] == dict.fromkeys(LANGUAGES, every)
    assert out["journeys"] == {
        "indirect_reseller": {
            "approved": "approved",
            "agreement_page": 200,
            "agreement_text": True,
            "accepted": 201,
            "template": ["ru", "2026-10"],
            "status": "active",
        },
        "direct_bill": {
            "approved": "approved",
            "agreement_page": 200,
            "agreement_text": True,
            "accepted": 201,
            "template": ["zh-hans", "2026-10"],
            "status": "active",
        },
    }


def test_seed_demo_adds_no_second_copy_and_can_run_again(fresh):
    before = shipped(fresh)
    first = run(fresh, "seed_demo", "--force").stdout
    assert "Agreement templates: 2026-10 in en, ru, zh-hans, zh-hant (0 new)." in first
    again = run(fresh, "seed_demo", "--force").stdout
    assert "(0 new)" in again
    assert shipped(fresh) == before


def test_the_migration_goes_back_and_forward(fresh):
    run(fresh, "migrate", "enrollment", "0003", "--noinput")
    assert shipped(fresh) == []
    run(fresh, "migrate", "--noinput")
    assert len(shipped(fresh)) == len(PROGRAMS) * len(LANGUAGES)


# What the database copies keep on SQLite (``make run``'s database): the partner's country
# on an enrollment (``enrollment.country_copy``), whatever the writer sent, following the
# partner's country and a move to another partner. Prints what was read, as JSON.
COPIES = r"""
import json
import django

django.setup()
from enrollment.models import Enrollment, Partner
from tests.factories import EnrollmentFactory, PartnerFactory

partner = PartnerFactory(country="DE")
enrollment = EnrollmentFactory(partner=partner, country="FR")
seen = [Enrollment.objects.values_list("country", flat=True).get(pk=enrollment.pk)]
Partner.objects.filter(pk=partner.pk).update(country="AT")
seen.append(Enrollment.objects.values_list("country", flat=True).get(pk=enrollment.pk))
Enrollment.objects.filter(pk=enrollment.pk).update(country="US", partner=PartnerFactory(country="CH"))
seen.append(Enrollment.objects.values_list("country", flat=True).get(pk=enrollment.pk))
print(json.dumps(seen))
"""


def test_the_copied_country_is_kept_on_sqlite_too(fresh):
    assert json.loads(run(fresh, code=COPIES).stdout.strip().splitlines()[-1]) == ["DE", "AT", "CH"]
