"""The standard cast (HOUSE_STYLE 14; who is who: tests/cast.py) and the shared fixtures."""

import os

import pytest
from rest_framework.test import APIClient

from partnercenter.accounts.models import Role

from .cast import make_customer_admin, make_direct_bill, make_provider, make_reseller, make_reviewer, user_of
from .data import valid_application
from .factories import (
    PASSWORD,
    MpnProfileFactory,
    PmcAccountFactory,
    ProviderResellerRelationshipFactory,
    TenantFactory,
    UserFactory,
)

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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The suite's database ran every migration, so it starts with the agreements a fresh
    installation ships (enrollment 0004), and a test that commits flushes them away for the
    tests after it on its worker. They are removed once, so that every test starts without
    them whatever ran before it: a test makes the templates it needs. What `migrate` ships is
    proved on a database of its own (tests/enrollment/test_fresh_installation.py)."""
    from enrollment.models import AgreementTemplate

    with django_db_blocker.unblock():
        AgreementTemplate.objects.all().delete()


@pytest.fixture(autouse=True)
def _reset_language():
    # A request through LocaleMiddleware leaves its language active for the next test.
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    # Throttle counters live in the cache; every test starts with none, and renders the
    # navigation afresh (``base.html``'s fragments).
    from django.core.cache import cache, caches

    cache.clear()
    caches["fragments"].clear()


# --- The cast (tests/cast.py says who is who) ----------------------------------------------


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
def outsider_partner(db):
    """Another partner, active (direct bill, in the United States), related to no one here."""
    tenant = TenantFactory(name="Northwind Traders", domain="northwindus.onmicrosoft.com", country="US")
    return make_direct_bill(tenant=tenant, legal_name="Northwind Traders Inc", country="US")


@pytest.fixture
def outsider(outsider_partner):
    """The global admin of another partner."""
    return user_of(outsider_partner, email="admin@northwindus.onmicrosoft.com")


@pytest.fixture
def staff(db):
    """Program staff without the review permission."""
    return UserFactory(tenant=None, roles=[], email="reviewer@partners.test", is_staff=True)


@pytest.fixture
def reviewer(db):
    """Program staff with the review permission (a fresh permission cache)."""
    return make_reviewer()


@pytest.fixture
def other_reviewer(db):
    return make_reviewer(email="sam@partners.test", first_name="Sam", last_name="Second")


@pytest.fixture
def provider(db):
    """An authorized indirect provider."""
    return make_provider("Contoso Distribution GmbH", mpn_id="4820100")


@pytest.fixture
def provider_admin(provider):
    return user_of(provider, email="admin@distribution.test")


@pytest.fixture
def reseller(db):
    """An active indirect reseller; the provider's only with ``relationship``."""
    return make_reseller(
        legal_name="Fabrikam Cloud GmbH", mpn_id="4820777", contact_email="jonas@fabrikam.test"
    )


@pytest.fixture
def reseller_admin(reseller):
    return user_of(reseller, email="admin@fabrikam.test")


@pytest.fixture
def relationship(provider, reseller):
    """The reseller authorized the provider: an active relationship, with admin access."""
    return ProviderResellerRelationshipFactory(provider=provider, reseller=reseller)


@pytest.fixture
def direct(db):
    """An active direct-bill partner."""
    return make_direct_bill(legal_name="Adatum Direct GmbH")


@pytest.fixture
def direct_admin(direct):
    return user_of(direct, email="admin@adatum.test")


@pytest.fixture
def customer_admin(db):
    """The global admin of Contoso GmbH, a tenant that is no partner's."""
    return make_customer_admin()


# --- Other shared fixtures ------------------------------------------------------------------------


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what waits for the commit (tasks, emails) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


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
