"""The standard cast and shared fixtures (HOUSE_STYLE 14)."""

import os

import pytest
from rest_framework.test import APIClient

from partnercenter.accounts.models import Role

from .data import valid_application
from .factories import PASSWORD, MpnProfileFactory, PmcAccountFactory, TenantFactory, UserFactory

# live_server tests drive a real browser from the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium, never a downloaded browser; session scoped like pytest-playwright's.
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def _reset_language():
    # A request through LocaleMiddleware leaves its language active for the next test.
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    # Throttle counters live in the cache; every test starts with none.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def tenant(db):
    return TenantFactory(name="Fabrikam Deutschland GmbH", domain="fabrikamde.onmicrosoft.com", country="DE")


@pytest.fixture
def admin(tenant):
    """The partner's global admin."""
    return UserFactory(
        tenant=tenant, email="admin@fabrikamde.onmicrosoft.com", roles=[Role.GLOBAL_ADMIN.value]
    )


@pytest.fixture
def employee(tenant):
    """An employee with a narrow role: may read, may not enroll."""
    return UserFactory(
        tenant=tenant, email="sales@fabrikamde.onmicrosoft.com", roles=[Role.SALES_AGENT.value]
    )


@pytest.fixture
def outsider(db):
    """The global admin of another partner."""
    other = TenantFactory(name="Northwind Traders", domain="northwindus.onmicrosoft.com", country="US")
    return UserFactory(tenant=other, email="admin@northwindus.onmicrosoft.com")


@pytest.fixture
def staff(db):
    return UserFactory(tenant=None, roles=[], email="reviewer@partners.test", is_staff=True)


@pytest.fixture
def mpn(db):
    """An active MPN profile in Germany, usable through a PMC sign-in."""
    account = PmcAccountFactory(username="fabrikam")
    return MpnProfileFactory(
        mpn_id="4820001", company_name="Fabrikam Deutschland GmbH", country="DE", pmc_account=account
    )


@pytest.fixture
def application(mpn):
    """A valid application body for a German partner (POST /api/v1/enrollments/)."""
    return valid_application(mpn.mpn_id)


@pytest.fixture
def api():
    return APIClient()


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def password():
    return PASSWORD
