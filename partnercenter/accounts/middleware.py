"""A user signed in with a temporary password changes it before anything else."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

CHANGE_PAGE = "accounts:password-change"


class PasswordChangeRequiredMiddleware:
    """Send a signed-in user whose password is temporary (``must_change_password``) to the
    change-password page from every page except that page, sign-out, static files and the
    language switch. The API answers 403 instead (``PasswordChanged``), so it is left alone
    here; it sits after ``AuthenticationMiddleware``, which sets ``request.user``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            target = reverse(CHANGE_PAGE)
            if not self._exempt(request.path_info, target):
                query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
                return redirect(f"{target}?{query}" if query else target)
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str, target: str) -> bool:
        prefixes = (
            target,
            reverse("logout"),
            settings.STATIC_URL,
            "/i18n/",
            reverse("javascript-catalog"),
            "/api/",
        )
        return any(path.startswith(prefix) for prefix in prefixes)
