"""Refuse an oversized upload before reading it.

Django checks a file's size only once the whole body has been read (the
views' own limits in :mod:`progress.validators` and :mod:`excel.workbook`
look at ``UploadedFile.size``), so a 300 MB body used to be spooled to disk
before the view turned it away. :class:`LimitedUploadHandler` is first in
``FILE_UPLOAD_HANDLERS``: it looks at the announced ``Content-Length`` before
a single byte is parsed and, as a safety net, counts the bytes it passes on.
A refused request is marked (:func:`was_refused`) and
:class:`core.middleware.UploadLimitMiddleware` answers it with the Thai 413
page before any view runs, so nothing is saved.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, QueryDict
from django.utils.datastructures import MultiValueDict

_REFUSED = "phaen_upload_refused"


def max_upload_bytes() -> int:
    return int(settings.PHAEN_MAX_UPLOAD_BYTES)


def was_refused(request: HttpRequest) -> bool:
    return getattr(request, _REFUSED, False)


def _refuse(request: HttpRequest | None) -> None:
    if request is not None:
        setattr(request, _REFUSED, True)


class LimitedUploadHandler(FileUploadHandler):
    """Stops a multipart body larger than ``PHAEN_MAX_UPLOAD_BYTES``.

    Django's WSGI request never yields more than ``Content-Length`` bytes, so
    the check in :meth:`handle_raw_input` is the one that matters: it returns
    an empty form without reading the body. :meth:`receive_data_chunk` keeps a
    running count of file bytes as well, for any server that passes a body
    longer than it announced, and resets the connection instead of reading on.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = max_upload_bytes()
        #: File bytes seen so far in this request (all files together).
        self.received = 0

    def handle_raw_input(
        self, input_data, META, content_length, boundary, encoding=None
    ):
        self.limit = max_upload_bytes()
        self.received = 0
        if content_length > self.limit:
            _refuse(self.request)
            # Parsing is over: an empty form, the body left unread.
            return QueryDict(encoding=encoding), MultiValueDict()
        return None

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            _refuse(self.request)
            raise StopUpload(connection_reset=True)
        return raw_data  # on to the memory or temporary-file handler

    def file_complete(self, file_size):
        return None  # the next handler builds the UploadedFile
