"""Fixtures of the accounts tests: an employee the global admin added, with the temporary
password from their email."""

import re

import pytest
from django.core import mail

from partnercenter.accounts import services

TEMPORARY = re.compile(r"Temporary password: (\S+)")
NEW_PASSWORD = "Fresh-Start-2026"
EMPLOYEE = {
    "email": "Lena.Schmidt@fabrikamde.onmicrosoft.com",
    "first_name": "Lena",
    "last_name": "Schmidt",
    "roles": ["sales_agent", "helpdesk_agent"],
}


@pytest.fixture
def added(admin, committed):
    """An employee the global admin added, and the temporary password from their email."""
    with committed():
        user = services.user_add(actor=admin, **EMPLOYEE)
    return user, TEMPORARY.search(mail.outbox[-1].body).group(1)
