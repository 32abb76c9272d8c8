"""Partner Center's paging: ``size`` and seek. The first answer carries at most ``size``
items and, when more follow, ``links.next``: the same address with ``seekOperation=Next``
and the ``MS-ContinuationToken`` header, whose value is also the collection's
``continuationToken``. The token is signed and names where the page ended (keyset paging: a
page reads ``size + 1`` rows whatever the table's size) and the query it belongs to, so a
token is refused (400) on another query.
"""

import hashlib

from django.core import signing
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from . import shapes
from .errors import INVALID_INPUT, PartnerCenterError

SALT = "pcapi.paging"
HEADER = "MS-ContinuationToken"


def page_size(request, *, default: int, maximum: int) -> int:
    raw = request.query_params.get("size")
    if raw in (None, ""):
        return default
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= maximum:
        raise PartnerCenterError(
            400,
            INVALID_INPUT,
            _("size must be a whole number from 1 to %(maximum)d.") % {"maximum": maximum},
            [{"field": "size", "description": raw}],
        )
    return size


def _query_digest(request) -> str:
    kept = sorted(
        (key, value)
        for key, values in request.query_params.lists()
        if key not in ("seekOperation", "continuationToken")
        for value in values
    )
    return hashlib.sha256(repr(kept).encode()).hexdigest()[:16]


def _after(ordering: tuple[str, ...], values: list) -> Q:
    """Rows after ``values`` in ``ordering`` (fields, ``-`` for descending): lexicographic."""
    condition = Q()
    for index, field in enumerate(ordering):
        name = field.lstrip("-")
        step = Q(**{f"{name}__{'lt' if field.startswith('-') else 'gt'}": values[index]})
        for earlier, value in zip(ordering[:index], values[:index], strict=False):
            step &= Q(**{earlier.lstrip("-"): value})
        condition |= step
    return condition


def _bad_token():
    return PartnerCenterError(
        400,
        INVALID_INPUT,
        _("The continuation token is not valid for this query. Start again without seekOperation."),
        [{"field": HEADER, "description": _("not valid for this query")}],
    )


def seek(
    request,
    queryset: QuerySet,
    *,
    ordering: tuple[str, ...],
    path: str,
    default: int = 100,
    maximum: int = 500,
):
    """One page of ``queryset`` in ``ordering`` (its last field unique, e.g. the primary key):
    ``(rows, next_link, token)``. ``path`` is the link's address without its query."""
    size = page_size(request, default=default, maximum=maximum)
    digest = _query_digest(request)
    queryset = queryset.order_by(*ordering)
    if request.query_params.get("seekOperation", "").lower() == "next":
        token = request.headers.get(HEADER) or request.query_params.get("continuationToken", "")
        try:
            found = signing.loads(token, salt=SALT)
        except signing.BadSignature:
            raise _bad_token() from None
        if (
            not isinstance(found, dict)
            or found.get("q") != digest
            or len(found.get("after", [])) != len(ordering)
        ):
            raise _bad_token()
        queryset = queryset.filter(_after(ordering, found["after"]))
    elif request.query_params.get("seekOperation"):
        raise PartnerCenterError(
            400,
            INVALID_INPUT,
            _("seekOperation must be Next."),
            [{"field": "seekOperation", "description": request.query_params["seekOperation"]}],
        )
    rows = list(queryset[: size + 1])
    if len(rows) <= size:
        return rows, None, None
    rows = rows[:size]
    last = rows[-1]
    after = [_value(last, field.lstrip("-")) for field in ordering]
    token = signing.dumps({"q": digest, "after": after}, salt=SALT, compress=True)
    query = {
        key: value
        for key, value in request.query_params.items()
        if key not in ("seekOperation", "continuationToken")
    }
    next_link = shapes.link(
        shapes.uri(path, **query, seekOperation="Next"), headers=[{"key": HEADER, "value": token}]
    )
    return rows, next_link, token


def _value(row, field: str):
    value = row
    for part in field.split("__"):
        value = getattr(value, part)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "hex") and not isinstance(value, (int, float)):
        return str(value)
    return value
