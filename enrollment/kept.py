"""One enrollment's pages (its review page and API, its partner's status page) as they read
a moment ago (``core.generations``, issue 12). They read the rows of one enrollment, its
partner, work account and Partner Network record, and those rows' checks, documents and
events: declared here, so that the rows another enrollment's submission adds keep them,
while any change of those tables but an insert retires them.

Declared when the app is ready (``apps.py``), in every process that writes: a web server
and a worker must agree on which inserts name their rows."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from partnercenter.accounts.models import Tenant
from partnercenter.audit.counts import EventCount
from partnercenter.audit.models import Event
from partnercenter.core import generations
from partnercenter.core.querysets import CompiledQuery

from .models import (
    BankAccount,
    DirectBillApplication,
    Enrollment,
    EnrollmentDocument,
    MpnProfile,
    Partner,
    VerificationCheck,
)


def _table(model) -> str:
    return model._meta.db_table


# table -> column -> which fact of the enrollment its rows hold there (``owned_rows_of``).
OWNED = {
    _table(Enrollment): {"id": "enrollment", "partner_id": "partner"},
    _table(Partner): {"id": "partner", "tenant_id": "tenant"},
    _table(Tenant): {"id": "tenant"},
    _table(BankAccount): {"partner_id": "partner"},
    _table(DirectBillApplication): {"enrollment_id": "enrollment"},
    _table(EnrollmentDocument): {"enrollment_id": "enrollment"},
    _table(VerificationCheck): {"enrollment_id": "enrollment"},
    _table(Event): {"object_id": "enrollment", "tenant_id": "tenant"},
    _table(EventCount): {"object_id": "enrollment"},
    _table(MpnProfile): {"mpn_id": "mpn"},
}


def declare() -> None:
    for table, columns in OWNED.items():
        generations.owned_by(table, *columns)


def owned_rows_of(enrollment_id, partner_id, tenant_id, mpn_id) -> dict:
    """table -> column -> [value]: the rows of one enrollment's pages."""
    facts = {"enrollment": enrollment_id, "partner": partner_id, "tenant": tenant_id, "mpn": mpn_id}
    facts = {name: str(value) for name, value in facts.items()}
    return {table: {c: [facts[fact]] for c, fact in columns.items()} for table, columns in OWNED.items()}


@dataclass(frozen=True)
class Rows:
    """What ``rows_of`` read: the pages' rows (``cached(owned=...)``)."""

    owned: dict


def rows_of(enrollment_id) -> Rows | None:
    """The rows an enrollment's pages read, None for no enrollment: one query, before the
    page's (``generations.cached`` takes the tokens before it reads)."""
    if not isinstance(enrollment_id, uuid.UUID):
        try:
            enrollment_id = uuid.UUID(str(enrollment_id))
        except ValueError:
            return None
    found = _ROWS.first(enrollment_id)
    if found is None:
        return None
    rows = owned_rows_of(
        enrollment_id, found["partner_id"], found["partner__tenant_id"], found["partner__mpn_id"]
    )
    return Rows(rows)


def partner_rows(tenant_id) -> dict | None:
    """The rows of a work account's partner that its partner's own lists read (a provider's
    customers and resellers: the partner, its work account, its enrollments), None for no
    partner. Their other rows (relationships, customers) are read whole."""
    found = _PARTNER.first(tenant_id) if tenant_id else None
    if found is None:
        return None
    partner, tenant = str(found["id"]), str(tenant_id)
    return {
        _table(Partner): {"id": [partner], "tenant_id": [tenant]},
        _table(Tenant): {"id": [tenant]},
        _table(Enrollment): {"partner_id": [partner]},
        _table(BankAccount): {"partner_id": [partner]},
    }


# Compiled once per process (issue 12: building the query cost more than running it).
_PARTNER = CompiledQuery(
    lambda tenant: Partner.objects.filter(tenant_id=tenant).values("id")[:1], uuid.UUID(int=0)
)
_ROWS = CompiledQuery(
    lambda pk: Enrollment.objects.filter(pk=pk).values("partner_id", "partner__tenant_id", "partner__mpn_id")[
        :1
    ],
    uuid.UUID(int=0),
)


def valid_until(enrollment, rows: Rows | None) -> datetime | None:
    """Until when a page of ``enrollment`` reads the same: until it falls overdue
    (``Enrollment.overdue_from``); now, so that nothing is kept, if its partner, work
    account or MPN ID is not the one ``rows_of`` read (it changed in between)."""
    now = timezone.now()
    partner = enrollment.partner
    if rows is None or rows.owned != owned_rows_of(
        enrollment.pk, partner.pk, partner.tenant_id, partner.mpn_id
    ):
        return now
    return enrollment.overdue_from(now)
