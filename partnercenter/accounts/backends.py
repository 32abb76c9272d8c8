"""The sign-in backend: Django's ``ModelBackend``, whose ``get_user`` (run on every signed-in
request) reads the user and its tenant in one query compiled once per process
(``CompiledRecord``). Through the ORM the two reads cost 1.6 ms of a page on the bench's
machine, mostly building and compiling the queries (issue 12)."""

import uuid

from django.contrib.auth.backends import ModelBackend

from partnercenter.core.querysets import CompiledRecord

from .models import User

# What sessions signed in before this backend name (``sessions.SessionStore`` reads them
# as signed in by this one, so that nobody is signed out by the change).
LEGACY_PATH = "django.contrib.auth.backends.ModelBackend"
PATH = "partnercenter.accounts.backends.UserBackend"

# The user with its tenant, as ``select_related("tenant")`` reads them.
_USER = CompiledRecord(User, "pk", uuid.UUID(int=0), related=("tenant",))


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        user = _USER.first(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
