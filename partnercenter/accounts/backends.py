"""The sign-in backend: Django's ``ModelBackend``, whose ``get_user`` (run on every signed-in
request) reads the user and its tenant in one query compiled once per process
(``CompiledRecord``). Through the ORM the two reads cost 1.6 ms of a page on the bench's
machine, mostly building and compiling the queries (issue 12). A user's permissions (a
reviewer's, asked on each of its pages) are read the same way, its own and its groups' in
one query, where Django makes two."""

import uuid

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from partnercenter.core.querysets import CompiledQuery, CompiledRecord

from .models import User

# What sessions signed in before this backend name (``sessions.SessionStore`` reads them
# as signed in by this one, so that nobody is signed out by the change).
LEGACY_PATH = "django.contrib.auth.backends.ModelBackend"
PATH = "partnercenter.accounts.backends.UserBackend"

# The user with its tenant, as ``select_related("tenant")`` reads them.
_USER = CompiledRecord(User, "pk", uuid.UUID(int=0), related=("tenant",))

# A user's permissions, its own and its groups', as ``ModelBackend`` reads them.
_PERMISSIONS = CompiledQuery(
    lambda user_id: (
        Permission.objects.filter(
            Q(pk__in=User.user_permissions.through.objects.filter(user_id=user_id).values("permission_id"))
            | Q(pk__in=Group.permissions.through.objects.filter(group__user=user_id).values("permission_id"))
        )
        .values("content_type__app_label", "codename")
        .order_by()
    ),
    uuid.UUID(int=0),
)


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        user = _USER.first(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None or user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            rows = _PERMISSIONS.rows(user_obj.pk)
            user_obj._perm_cache = {f"{row['content_type__app_label']}.{row['codename']}" for row in rows}
        return user_obj._perm_cache
