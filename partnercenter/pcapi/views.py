"""``PartnerCenterView``: the base of every ``/v1/`` view.

- Only ``Authorization: Bearer <access token>`` (``POST /oauth2/token``); without it, 401
  in Partner Center's error shape with ``WWW-Authenticate: Bearer``.
- ``X-Locale`` (``en-US``, ``zh-TW``, ``zh-CN``, ``ru-RU``, ...) picks the language of the
  messages, before ``Accept-Language``; the answer says which in ``Content-Language``.
- ``MS-CorrelationId`` is echoed in the answer and logged with ``MS-RequestId``.
- Errors: ``errors.exception_handler``. Not in the portal's OpenAPI schema: the contract is
  Partner Center's (docs/partner-center-api.md).
"""

import logging

from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from partnercenter.accounts.api.authentication import BearerAuthentication
from partnercenter.accounts.api.permissions import PasswordChanged
from partnercenter.core.drf import JSONParser

from . import errors
from .idempotency import HEADER as REQUEST_ID

CORRELATION_ID = "MS-CorrelationId"
LOCALE = "X-Locale"
logger = logging.getLogger("partnercenter.pcapi")


def locale_language(value: str) -> str | None:
    """The portal's language for an ``X-Locale`` (``zh-TW`` -> ``zh-hant``), or None."""
    value = (value or "").strip().lower().replace("_", "-")
    if not value:
        return None
    aliases = {
        "zh-tw": "zh-hant",
        "zh-hk": "zh-hant",
        "zh-mo": "zh-hant",
        "zh-cn": "zh-hans",
        "zh-sg": "zh-hans",
    }
    value = aliases.get(value, value)
    try:
        return translation.get_supported_language_variant(value)
    except LookupError:
        return None


class PartnerCenterView(APIView):
    authentication_classes = [BearerAuthentication]
    permission_classes = [IsAuthenticated, PasswordChanged]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    schema = None  # Partner Center's contract, documented in docs/partner-center-api.md

    def get_exception_handler(self):
        return errors.exception_handler

    def initial(self, request, *args, **kwargs):
        language = locale_language(request.headers.get(LOCALE, ""))
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        correlation = (request.headers.get(CORRELATION_ID) or "").strip()[:100]
        if correlation:
            response[CORRELATION_ID] = correlation
        if request.headers.get(LOCALE):
            response["Content-Language"] = translation.get_language()
        request_id = (request.headers.get(REQUEST_ID) or "").strip()[:100]
        logger.info(
            "%s %s %s MS-CorrelationId=%s MS-RequestId=%s",
            request.method,
            request.path,
            response.status_code,
            correlation or "-",
            request_id or "-",
            extra={"correlation_id": correlation, "request_id": request_id},
        )
        return response


class UnknownResource(PartnerCenterView):
    """Any other address under ``/v1/``: 404 (code 3000) in Partner Center's shape, after
    the bearer token is checked like everywhere else."""

    def get(self, request, *args, **kwargs):
        raise errors.PartnerCenterError(
            404,
            errors.NOT_FOUND,
            _(
                "There is no Partner Center API resource at this address. Check the path and its "
                "letter case against the calls the portal serves (docs/partner-center-api)."
            ),
        )

    post = put = patch = delete = get
