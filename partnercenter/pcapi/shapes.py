"""The shapes Partner Center gives every answer: a resource carries ``attributes.objectType``
and ``links.self``; a collection is ``{totalCount, items, links, attributes}``. Links are
relative to the API's base, as Partner Center writes them (``/customers/<id>``)."""

from urllib.parse import urlencode


def link(uri: str, method: str = "GET", headers: list[dict] | None = None) -> dict:
    return {"uri": uri, "method": method, "headers": headers or []}


def uri(path: str, **query) -> str:
    """``/customers`` and its query (``None`` values left out), as a link's ``uri``."""
    query = {key: value for key, value in query.items() if value is not None}
    return f"{path}?{urlencode(query)}" if query else path


def resource(object_type: str, data: dict, self_uri: str | None = None, **links) -> dict:
    """``data`` with Partner Center's ``links`` (``self`` and any others given as dicts of
    ``link()``) and ``attributes``."""
    shaped = dict(data)
    all_links = ({"self": link(self_uri)} if self_uri else {}) | links
    if all_links:
        shaped["links"] = all_links
    shaped["attributes"] = {"objectType": object_type}
    return shaped


def collection(items: list, *, next_link: dict | None = None, continuation_token: str | None = None) -> dict:
    """A collection of resources. ``totalCount`` is the number of items in this answer, as
    Partner Center counts it on its seek collections (no table is counted to answer)."""
    shaped: dict = {"totalCount": len(items), "items": items, "links": {}}
    if next_link:
        shaped["links"]["next"] = next_link
    if continuation_token:
        shaped["continuationToken"] = continuation_token
    shaped["attributes"] = {"objectType": "Collection"}
    return shaped
