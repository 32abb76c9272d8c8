"""Every signed-in request reads its session and its user (issue 12: in compiled queries,
``accounts.sessions`` and ``accounts.backends``). What Django's database sessions and
``ModelBackend`` did still holds: an expired or unknown session is nobody, an inactive
user is signed out, a session from before the change stays signed in; and the user comes
with its tenant."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnercenter.accounts import backends
from partnercenter.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _session_for(user, backend_path: str) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = backend_path
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def _who(client, key: str) -> str:
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    response = client.get("/")
    user = response.wsgi_request.user
    return user.email if user.is_authenticated else "anonymous"


def test_a_session_signed_in_with_djangos_model_backend_stays_signed_in(client, admin):
    assert _who(client, _session_for(admin, backends.LEGACY_PATH)) == admin.email
    assert _who(client, _session_for(admin, backends.PATH)) == admin.email


def test_an_unknown_or_expired_session_is_nobody(client, admin):
    assert _who(client, "no-such-session-key-at-all") == "anonymous"
    key = _session_for(admin, backends.PATH)
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)):
        assert _who(client, key) == "anonymous"


def test_an_inactive_user_is_signed_out(client, admin):
    key = _session_for(admin, backends.PATH)
    admin.is_active = False
    admin.save(update_fields=["is_active"])
    assert _who(client, key) == "anonymous"


def test_a_changed_password_signs_the_session_out(client, admin):
    key = _session_for(admin, backends.PATH)
    admin.set_password("another-long-passphrase-42")
    admin.save()
    assert _who(client, key) == "anonymous"


def test_the_user_comes_with_its_tenant_in_one_query(admin):
    with CaptureQueriesContext(connection) as queries:
        user = backends.UserBackend().get_user(admin.pk)
        assert (user.tenant.domain, user.roles, user.email) == (admin.tenant.domain, admin.roles, admin.email)
    assert len(queries) == 1
    assert backends.UserBackend().get_user(admin.tenant.pk) is None  # not a user's id


def test_a_user_without_a_tenant(staff):
    user = backends.UserBackend().get_user(staff.pk)
    assert user == staff and user.tenant is None
