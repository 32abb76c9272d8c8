"""``MS-RequestId`` makes a create idempotent: the first request with a key runs and its
answer is kept; the same key with the same body gets that answer again and creates nothing;
the same key with another body is a 409. Two requests with one key at once create once: the
create and the kept answer commit together, and the unique key makes the second wait and
then answer what the first kept. Keys are kept ``PCAPI_REQUEST_ID_HOURS``.
"""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.response import Response

from .errors import PartnerCenterError
from .models import IdempotentRequest

HEADER = "MS-RequestId"


def request_id(request) -> str:
    return (request.headers.get(HEADER) or "").strip()[:100]


def _digest(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _replay(found: IdempotentRequest, digest: str) -> Response:
    if found.body_digest != digest:
        raise PartnerCenterError(
            409,
            409,
            _("This MS-RequestId was already used with another request body. Send a new MS-RequestId."),
            [{"field": HEADER, "description": found.key}],
        )
    return Response(found.body, status=found.status_code)


def once(request, perform: Callable[[], Response]) -> Response:
    """``perform()`` once per caller, address and ``MS-RequestId`` (every time without one)."""
    key = request_id(request)
    if not key:
        return perform()
    scope = f"{request.user.pk} {request.method} {request.path}"[:200]
    digest = _digest(request.data)
    kept = IdempotentRequest.objects.filter(
        scope=scope,
        key=key,
        created_at__gte=timezone.now() - timedelta(hours=settings.PCAPI_REQUEST_ID_HOURS),
    )
    found = kept.first()
    if found is not None:
        return _replay(found, digest)
    IdempotentRequest.objects.filter(scope=scope, key=key).exclude(pk__in=kept.values("pk")).delete()
    try:
        with transaction.atomic():
            response = perform()
            if response.status_code < 300:
                IdempotentRequest.objects.create(
                    scope=scope,
                    key=key,
                    body_digest=digest,
                    status_code=response.status_code,
                    body=response.data,
                )
            return response
    except Exception:
        # Another request with this key committed first (this one's insert of the key, or its
        # create, failed on it): that request's answer, not this one's error.
        found = IdempotentRequest.objects.filter(scope=scope, key=key).first()
        if found is None:
            raise
        return _replay(found, digest)
