"""API permissions shared by every endpoint (REST_FRAMEWORK's DEFAULT_PERMISSION_CLASSES)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


class PasswordChanged(BasePermission):
    """A user with a temporary password gets 403 everywhere but the password endpoint
    (views that allow it set ``allowed_before_password_change = True``)."""

    message = _(
        "Change your temporary password first: POST your current and new password to /api/v1/me/password/."
    )

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and getattr(user, "must_change_password", False)):
            return True
        return getattr(view, "allowed_before_password_change", False)
