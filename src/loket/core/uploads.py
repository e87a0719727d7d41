"""Refusing an upload while it arrives, not after it has been written to disk.

`CheckedUploadHandler` is the first of `FILE_UPLOAD_HANDLERS`. It watches every uploaded file as Django parses the
request and, once the file is too large (`LOKET_MAX_UPLOAD_BYTES`) or, on the views listed in
`LOKET_DECISION_UPLOAD_VIEWS`, its first bytes are not a PDF, ODT, DOCX or XML (`sniff_content_type`), stops
passing its data on: nothing more is buffered or written to a temporary file. Views in `LOKET_UPLOAD_VIEW_RULES`
have their own size limit and types (BBC-DR: XML only, up to 1 GB).

The file is not silently dropped (the view would then save or even send the rest as if nothing was uploaded):
it is replaced by a `RejectedUpload`, which keeps the real size and raises `FileRejected` with the clerk's
message as soon as anyone reads it. Code that checks `size` against the same limit (`store_upload`, a form's
`clean`) refuses it with its own message; code that reads it gets the message as a `FileRejected`, which the
views already turn into a 400 page. The rest of the request body is still read (and discarded) so the browser
receives that page; limit the whole request in the reverse proxy as well.

More files in one post than `LOKET_MAX_FILES_PER_POST` are refused the same way (every one beyond the limit),
and counted (`files_over_limit`), so that a page can keep the typed values and say how many files fit instead of
losing the whole post (Django's own `DATA_UPLOAD_MAX_NUMBER_FILES` is set far above it).
"""

import io
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest
from django.utils.translation import gettext as _

from loket.core.files import (
    ALLOWED_DECISION_TYPES,
    DOCX,
    ODT,
    FileRejected,
    empty_message,
    sniff_content_type,
    too_large_message,
    types_label,
    wrong_type_message,
)

_HEAD_SIZE = 8192
_ZIP_SIGNATURE = b"PK\x03\x04"
_ZIP_BASED = frozenset({ODT, DOCX})


class RejectedUpload(InMemoryUploadedFile):
    """Stands in for a file refused during the upload: has its name and real size, and no content."""

    def __init__(self, *, field_name: str, name: str, content_type: str, size: int, message_nl: str) -> None:
        super().__init__(io.BytesIO(), field_name, name, content_type, size, None)
        self.message_nl = message_nl

    def read(self, *args: Any, **kwargs: Any) -> bytes:
        raise FileRejected(self.message_nl)

    def chunks(self, chunk_size: int | None = None) -> Any:
        raise FileRejected(self.message_nl)

    def __iter__(self) -> Any:
        raise FileRejected(self.message_nl)


def files_received(request: HttpRequest | None) -> int:
    """How many files the request carried (counted while it was parsed), refused ones included."""
    return getattr(request, "loket_files_received", 0)


def files_over_limit(request: HttpRequest) -> int:
    """The number of files in the request when it is more than one post may carry, else 0."""
    request.FILES  # noqa: B018 - parse the body first (counting happens while parsing)
    count = files_received(request)
    return count if count > settings.LOKET_MAX_FILES_PER_POST else 0


class CheckedUploadHandler(FileUploadHandler):
    """Checks size and (where configured) type of each file while it is uploaded; see the module docstring."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.max_bytes = settings.LOKET_MAX_UPLOAD_BYTES
        self.allowed_types: frozenset[str] = ALLOWED_DECISION_TYPES
        self.types_label = types_label(ALLOWED_DECISION_TYPES)
        match = getattr(request, "resolver_match", None)
        decision_views = getattr(settings, "LOKET_DECISION_UPLOAD_VIEWS", [])
        self.checks_type = match is not None and match.view_name in decision_views
        rule = getattr(settings, "LOKET_UPLOAD_VIEW_RULES", {}).get(match.view_name) if match is not None else None
        if rule:  # a view with its own limit and types (BBC-DR: XML up to 1 GB)
            self.max_bytes = rule["max_bytes"]
            self.allowed_types = frozenset(rule["types"])
            self.types_label = rule["label"]
            self.checks_type = True

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.head = b""
        self.head_checked = not self.checks_type
        self.rejection = ""
        count = files_received(self.request) + 1
        if self.request is not None:
            self.request.loket_files_received = count  # type: ignore[attr-defined]
        if count > settings.LOKET_MAX_FILES_PER_POST:
            self.head_checked = True
            self.rejection = _("Per keer kunnen maximaal %(count)s bestanden mee.") % {
                "count": settings.LOKET_MAX_FILES_PER_POST
            }

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.rejection:
            return None
        if self.received > self.max_bytes:
            self._reject(too_large_message(self.max_bytes))
            return None
        if not self.head_checked:
            self.head += raw_data[: _HEAD_SIZE - len(self.head)]
            if len(self.head) >= _HEAD_SIZE:
                self._check_head()
                if self.rejection:
                    return None
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.received == 0 and not self.rejection:  # no file of any type: say what is wrong with it
            self.head_checked = True
            self._reject(empty_message())
        if not self.head_checked:
            self._check_head()  # a file smaller than the head
        if not self.rejection:
            return None  # accepted: the next handler builds the file as usual
        self._close_partial_files()
        return RejectedUpload(
            field_name=self.field_name,
            name=self.file_name or "",
            content_type=self.content_type or "",
            size=self.received,
            message_nl=self.rejection,
        )

    def _check_head(self) -> None:
        self.head_checked = True
        content_type = sniff_content_type(self.head)
        if content_type in self.allowed_types:
            return
        if content_type is None and self.head.startswith(_ZIP_SIGNATURE) and self.allowed_types & _ZIP_BASED:
            return  # a ZIP whose first entries do not say (yet): store_upload reads its directory at the end
        self._reject(wrong_type_message(self.types_label))

    def _reject(self, message_nl: str) -> None:
        self.rejection = message_nl
        self._close_partial_files()

    def _close_partial_files(self) -> None:
        """The handlers after this one already hold the first chunks: close (and so delete) what they hold,
        exactly as Django does itself when a handler skips a file."""
        for handler in getattr(self.request, "upload_handlers", []):
            if handler is not self and hasattr(handler, "file"):
                handler.file.close()
