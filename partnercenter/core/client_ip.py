"""The client's IP address, by one rule for the API throttle and the sign-in lockout.

``X-Forwarded-For`` is a header anyone can send. It is believed only as far as the
proxies in front of the portal write it: with ``NUM_PROXIES`` proxies (REST_FRAMEWORK's
setting, 0 by default), the client is the address the outermost of them appended, that is
the ``NUM_PROXIES``-th entry from the right; with 0 it is the connection's own address.
This is Django REST framework's ``BaseThrottle.get_ident``; the lockout (django-axes,
``AXES_CLIENT_IP_CALLABLE``) uses this function so that both count the same client.
"""

import ipaddress

from rest_framework.settings import api_settings


def client_ip(request) -> str | None:
    remote_addr = _address(request.META.get("REMOTE_ADDR"))
    num_proxies = api_settings.NUM_PROXIES or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if num_proxies <= 0 or not forwarded:
        return remote_addr
    addresses = forwarded.split(",")
    return _address(addresses[-min(num_proxies, len(addresses))].strip()) or remote_addr


def _address(value) -> str | None:
    """The address, or None for anything else: the lockout stores it in an IP address
    column, so a proxy (or a socket) that gives nonsense must not turn a sign-in into a
    server error."""
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None
