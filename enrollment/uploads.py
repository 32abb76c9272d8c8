"""Uploads stop at the document size limit.

Django bounds the form fields of a request (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not its
files: a file above ``FILE_UPLOAD_MAX_MEMORY_SIZE`` is streamed to a temporary file of
any size. This handler comes first in ``FILE_UPLOAD_HANDLERS``: once a file passes
``DOCUMENT_MAX_BYTES`` it skips the rest of it (read and discarded, never stored) and
marks the request, so that the page or the API answers with the size error instead of
filling the disk or failing.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _


class DocumentSizeLimitHandler(FileUploadHandler):
    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.DOCUMENT_MAX_BYTES:
            too_large = getattr(self.request, "uploads_too_large", set())
            too_large.add(self.field_name)
            self.request.uploads_too_large = too_large
            # The next handlers close (and so delete) what they kept of this file.
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler keeps the file


def too_large_message(request) -> str:
    """The service's own wording of the size error (one message in every language)."""
    try:
        size = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        size = 0
    return _("The file is too large (%(size)d MB). Upload at most %(max)d MB.") % {
        "size": round(size / 1048576) or 1,
        "max": settings.DOCUMENT_MAX_BYTES // 1048576,
    }


def too_large(request, field: str) -> bool:
    """Whether the handler skipped the file sent as ``field`` for its size."""
    return field in getattr(request, "uploads_too_large", ())
