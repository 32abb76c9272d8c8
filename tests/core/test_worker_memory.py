"""A web worker holds what its requests need (issue 12: a worker under 150 MiB after the
bench's load): the URLconf does not import what one rare request or the test tools need,
and the queue's age chart does not leave every country's holiday calendar in the worker.
Each check runs in a fresh Python, so nothing the suite imported counts."""

import json
import subprocess
import sys
from datetime import date
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


def test_the_age_chart_reads_the_calendars_in_a_process_of_its_own():
    found = fresh_python(
        "from datetime import date\n"
        "from enrollment.business_days import _calendars_on\n"
        "groups = _calendars_on(date(2026, 2, 16), 7)\n"
        "countries = [m for m in sys.modules if m.startswith('holidays.countries.')]\n"
        "print(json.dumps({'groups': len(groups), 'countries': countries}))"
    )
    assert found["groups"] > 1
    assert found["countries"] == []


@pytest.mark.parametrize("today", [date(2026, 2, 16), date(2025, 10, 9)])
def test_the_calendar_groups_of_the_process_are_those_of_the_calendars(today):
    assert business_days._groups_in_a_process(today, 7) == business_days.calendar_groups(today, 7)


def test_the_calendar_groups_are_computed_once_for_every_process(monkeypatch):
    business_days._calendars_on.cache_clear()
    computed = []
    real = business_days._groups_in_a_process
    monkeypatch.setattr(
        business_days, "_groups_in_a_process", lambda *args: computed.append(args) or real(*args)
    )
    first = business_days._calendars_on(date(2026, 3, 2), 7)
    business_days._calendars_on.cache_clear()  # another worker: reads the cache
    assert business_days._calendars_on(date(2026, 3, 2), 7) == first
    assert computed == [(date(2026, 3, 2), 7)]
    business_days._calendars_on.cache_clear()
