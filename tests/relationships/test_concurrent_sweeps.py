"""Two beats at once: two relationships sweeps in two processes (threads with their own
database connections) that found the same due GDAP relationships move each one once:
one "expiring" row each, then one "expired" row each."""

from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from partnercenter.audit.models import Event
from relationships import tasks
from relationships.services import admin_access
from relationships.services.admin_access import gdap_approve, gdap_propose
from tests.notifications.test_concurrent_sweeps import run_together

from .test_admin_access_services import GDAP

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_sweeps_at_once_move_each_gdap_once(monkeypatch, relationship, provider_admin, reseller_admin):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        gdaps = [
            gdap_propose(actor=provider_admin, relationship=relationship, **{**GDAP, "name": f"Helpdesk {n}"})
            for n in range(4)
        ]
        for gdap in gdaps:
            gdap_approve(actor=reseller_admin, gdap=gdap)
    for day, step, kind in ((61, "expiring", "gdap_expiring"), (91, "expire", "gdap_expired")):
        with time_machine.travel(start + timedelta(days=day), tick=False):
            done = run_together(monkeypatch, admin_access, "gdap_due", tasks.relationships_sweep)
        assert sum(d[f"gdap_{step}"] for d in done) == 4, done
        rows = Counter(Event.objects.filter(kind=kind).values_list("object_id", flat=True))
        assert rows == Counter({str(gdap.pk): 1 for gdap in gdaps}), (kind, rows)
        monkeypatch.undo()
