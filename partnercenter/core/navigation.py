"""Where a page sends the reader next (``?next=``): only to a URL of this site."""

from urllib.parse import urlsplit

from django.utils.http import url_has_allowed_host_and_scheme


def local_url(request, value) -> str | None:
    """``value`` if it is a path on this site (``/enroll/apply/review/``), else None: never
    another host, a scheme (``javascript:``), a protocol-relative ``//host`` or a backslash
    trick, so that a link cannot send the reader away from the portal."""
    if not isinstance(value, str) or not value.startswith("/") or "\\" in value:
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return value
