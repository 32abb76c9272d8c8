"""An API list as it read a moment ago (``generations.cached``), its JSON written once: the
rows neither serialized nor rendered again until a table they read changes (issue 12).
Another renderer (the browsable API) is given the kept data and renders it itself."""

import json
from collections.abc import Callable
from datetime import datetime

from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from . import generations


class KeptJSON(Response):
    """A response whose JSON is already written: its ``data`` is what a client reads."""

    @property
    def data(self):
        return json.loads(self.content)

    @data.setter
    def data(self, value):
        """The JSON is the data (``Response.__init__`` sets none)."""


def kept_response(request, compute: Callable[[], tuple[object, datetime | None]], **rows) -> Response:
    """``compute()`` gives ``(data, valid_until)``; its errors (a 400, a 404) are raised here,
    in the view, as without it. ``rows`` (``owned``, ``joined``): as ``generations.cached``'s."""
    renderer, media_type = request.accepted_renderer, request.accepted_media_type
    if type(renderer) is not JSONRenderer:
        return Response(generations.cached(generations.request_key(request, media_type), compute, **rows))

    def rendered():
        data, valid_until = compute()
        return renderer.render(data, media_type, {"request": request}), valid_until

    response = KeptJSON()
    response.content = generations.cached(generations.request_key(request, media_type), rendered, **rows)
    charset = renderer.charset
    response["Content-Type"] = (
        renderer.media_type if charset is None else f"{renderer.media_type}; charset={charset}"
    )
    return response
