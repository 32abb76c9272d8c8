"""A web worker holds what its requests need (issue 12: a worker under 150 MiB after the
bench's load): the URLconf does not import what one rare request or the test tools need,
and the queue's age chart does not leave every country's holiday calendar in the worker.
Each check runs in a fresh Python, so nothing the suite imported counts."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from enrollment import business_days

ROOT = Path(__file__).resolve().parent.parent.parent

# Never imported by serving the site: the PDF renderer (loaded when an invoice PDF is
# asked for), the test tools, Django's and DRF's test clients.
NOT_IN_A_WORKER = ["weasyprint", "schemathesis", "moto", "hypothesis", "pytest", "factory"]


def fresh_python(code: str) -> dict:
    done = subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "-c", "import django, json, sys; django.setup()\n" + code],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "partnercenter.settings.test", "PYTHONPATH": str(ROOT), "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_urlconf_imports_no_rare_or_test_library():
    loaded = fresh_python(
        "from django.urls import get_resolver\n"
        "get_resolver().url_patterns\n"
        f"print(json.dumps([m for m in {NOT_IN_A_WORKER!r} if m in sys.modules]))"
    )
    assert loaded == []


def test_deadlines_and_the_age_chart_never_import_the_holiday_calendars():
    found = fresh_python(
        "from datetime import UTC, date, datetime\n"
        "from enrollment.business_days import add_business_days, age_cutoffs\n"
        "due = add_business_days(datetime(2026, 12, 30, 9, tzinfo=UTC), 5, 'DE')\n"
        "groups, default = age_cutoffs(datetime(2026, 2, 16, 9, tzinfo=UTC), (3, 5))\n"
        "print(json.dumps({'due': due.isoformat(), 'groups': len(groups),"
        " 'holidays': [m for m in sys.modules if m.split('.')[0] == 'holidays']}))"
    )
    assert found["due"] == "2027-01-07T09:00:00+00:00"  # New Year's Day skipped (else the 6th)
    assert found["groups"] > 1
    assert found["holidays"] == []


@pytest.mark.parametrize("year", [2026, 2027])
def test_the_working_days_of_the_process_are_those_of_the_calendars(year):
    assert business_days._year_in_a_process(year) == business_days.year_calendars(year)


def test_the_working_days_are_computed_once_for_every_process(monkeypatch):
    business_days._year.cache_clear()
    computed = []
    real = business_days._year_in_a_process
    monkeypatch.setattr(business_days, "_year_in_a_process", lambda year: computed.append(year) or real(year))
    first = business_days._year(2031)
    business_days._year.cache_clear()  # another worker: reads the cache
    assert business_days._year(2031) == first
    assert computed == [2031]
    assert first["DE"][0] == "0" and first["DE"][1] == "1"  # New Year's Day, then a Thursday
    business_days._year.cache_clear()
