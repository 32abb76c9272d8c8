"""API permissions of enrollment's endpoints (and of the staff endpoints of apps above)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from ..permissions import is_reviewer


class IsReviewer(BasePermission):
    """Program staff with the review permission (``enrollment.permissions.is_reviewer``)."""

    message = _("Only program staff with the review permission can do this.")

    def has_permission(self, request, view) -> bool:
        return is_reviewer(request.user)
