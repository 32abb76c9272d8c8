"""Filters of the logging configuration (``settings.LOGGING``)."""

import logging


class ClientErrorsInOneLine(logging.Filter):
    """A refused or bad request (4xx) is the client's, not a fault of the portal: it is
    logged as its one line ("Forbidden (Permission denied): /admin/..."), without the
    traceback Django attaches to a ``PermissionDenied`` or a ``BadRequest``. A server error
    (5xx) and every record that is not about a response keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
