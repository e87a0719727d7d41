"""Uploaded files: what a file really is (from its bytes, never from its name or the browser's say-so) and
storing it safely.

`sniff_content_type` recognises the few formats the Loket accepts; `store_upload` streams an upload through
SHA-256, checks its type and size, and only then saves it through Django's storage API under
`<prefix>/<uuid4>/<safe name>`. A rejected file leaves nothing behind.
"""

import hashlib
import io
import logging
import os
import re
import struct
import unicodedata
import uuid
import zipfile
from collections.abc import Set
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.utils.formats import number_format
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from loket.core.errors import DomainError

if TYPE_CHECKING:
    from loket.core.quota import Uploader

logger = logging.getLogger(__name__)

PDF = "application/pdf"
ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XML = "application/xml"
HTML = "text/html"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"

ALLOWED_DECISION_TYPES: frozenset[str] = frozenset({PDF, ODT, DOCX, XML})
MEGABYTE = 1024 * 1024

# Order and names used in messages ("Dit bestand is geen PDF, ODT, DOCX of XML.") and stored file extensions.
_LABELS = {
    PDF: "PDF",
    ODT: "ODT",
    DOCX: "DOCX",
    XLSX: "XLSX",
    XML: "XML",
    HTML: "HTML",
    PNG: "PNG",
    JPEG: "JPEG",
    GIF: "GIF",
}
_EXTENSIONS = {
    PDF: ".pdf",
    ODT: ".odt",
    DOCX: ".docx",
    XLSX: ".xlsx",
    XML: ".xml",
    HTML: ".html",
    PNG: ".png",
    JPEG: ".jpg",
    GIF: ".gif",
}
# Images by their signatures (magic numbers).
_IMAGE_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG), (b"GIF87a", GIF), (b"GIF89a", GIF))
_HEAD_SIZE = 8192
_ZIP_SIGNATURE = b"PK\x03\x04"
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_XML_ROOT = re.compile(r"<[A-Za-z_][\w.\-]*(:[A-Za-z_][\w.\-]*)?[\s/>]")
_HTML_START = re.compile(r"<(!doctype\s+html|html)[\s>]", re.IGNORECASE)
_MAX_NAME_LENGTH = 100


class FileRejected(DomainError):
    """The file was not accepted; `message_nl` tells the clerk why, in the language of the request (Dutch in the
    worker)."""

    code = "file_rejected"

    def __init__(self, message_nl: str) -> None:
        super().__init__(message_nl)
        self.message_nl = message_nl


@dataclass(frozen=True)
class StoredFile:
    name: str  # the name in the storage, to open it again with `storage.open(name)`
    size: int
    sha256: str
    content_type: str  # as sniffed from the bytes
    original_name: str  # as the user gave it; for display only
    waits_for_scan: bool = False  # kept while the virus scanner was down: not downloadable or sendable yet


def format_size_nl(size: int) -> str:
    """A size as a clerk reads it, in the active language's numbers: "100 MB", "1,5 MB" (English "1.5 MB"),
    "512 kB", "10 bytes"."""
    if size >= MEGABYTE:
        return f"{size_number(size / MEGABYTE)} MB"
    if size >= 1024:
        return f"{size_number(size / 1024)} kB"
    return f"{size} bytes"


def size_number(value: float) -> str:
    """A size's number: whole, or with one decimal in the active language's notation."""
    return str(int(value)) if value == int(value) else number_format(round(value, 1), decimal_pos=1)


def sniff_content_type(head: bytes, filename: str = "") -> str | None:
    """The media type of a file from its first bytes; None when it is no PDF, ODT, DOCX, XLSX, XML, HTML or image.

    `head` should be the whole file for ZIP-based formats (ODT, DOCX) whose directory sits at the end; with only
    the beginning of such a file the local entries that fit are inspected. `filename` is never trusted: a PDF
    called `besluit.docx` is a PDF. It is accepted so callers can pass what they have.
    """
    if head.startswith(b"%PDF-"):
        return PDF
    for signature, image_type in _IMAGE_SIGNATURES:
        if head.startswith(signature):
            return image_type
    if head.startswith(_ZIP_SIGNATURE):
        try:
            with zipfile.ZipFile(io.BytesIO(head)) as archive:
                return _zip_content_type(archive)
        except (zipfile.BadZipFile, OSError, EOFError):
            return _zip_content_type_from_local_headers(head)
    return _markup_content_type(head)


def _zip_content_type(archive: zipfile.ZipFile) -> str | None:
    names = set(archive.namelist())
    if "mimetype" in names:
        # The OpenDocument package declares its own type in its `mimetype` entry; read only a few bytes of it.
        with archive.open("mimetype") as entry:
            declared = entry.read(100).strip()
        return ODT if declared == ODT.encode() else None
    if "word/document.xml" in names:
        return DOCX
    return XLSX if "xl/workbook.xml" in names else None


def _zip_content_type_from_local_headers(head: bytes) -> str | None:
    """Walk the local file headers that fit in `head` (a ZIP that was cut off before its central directory)."""
    offset = 0
    while head.startswith(_ZIP_SIGNATURE, offset) and offset + 30 <= len(head):
        flags, method, compressed_size, name_length, extra_length = _local_header_fields(head, offset)
        name_start = offset + 30
        data_start = name_start + name_length + extra_length
        name = head[name_start : name_start + name_length]
        if name == b"mimetype":
            declared = head[data_start : data_start + compressed_size].strip() if method == 0 else b""
            return ODT if declared == ODT.encode() else None
        if name == b"word/document.xml":
            return DOCX
        if name == b"xl/workbook.xml":
            return XLSX
        if flags & 0x08:  # sizes follow the data in a descriptor: the next header cannot be located
            return None
        offset = data_start + compressed_size
    return None


def _local_header_fields(head: bytes, offset: int) -> tuple[int, int, int, int, int]:
    _, _, flags, method, _, _, _, compressed_size, _, name_length, extra_length = struct.unpack_from(
        "<IHHHHHIIIHH", head, offset
    )
    return flags, method, compressed_size, name_length, extra_length


def _markup_content_type(head: bytes) -> str | None:
    text = _decode_head(head[:_HEAD_SIZE]).lstrip()
    while text.startswith("<!--"):
        end = text.find("-->")
        if end < 0:
            return None
        text = text[end + 3 :].lstrip()
    if text.startswith("<?xml"):
        return XML
    if _HTML_START.match(text):
        return HTML
    if text[:9].lower() == "<!doctype" or _XML_ROOT.match(text):
        return XML
    return None


def _decode_head(head: bytes) -> str:
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, errors="replace")
    return head.decode("utf-8", errors="replace")


def store_upload(
    uploaded_file: File,
    *,
    allowed: Set[str],
    max_bytes: int,
    storage: Storage = default_storage,
    prefix: str,
    uploader: "Uploader",
) -> StoredFile:
    """Check an uploaded file (type from its bytes, size) and save it as `<prefix>/<uuid4>/<safe name>`, charged
    to `uploader`'s storage quota (`core.quota`) in the caller's transaction.

    Raises FileRejected, with nothing stored, when the file is too large or not one of `allowed`, when the
    virus scanner finds something (audited: `core.virusscan`), or when it would take the body or user over its
    quota (QuotaExceeded, audited). When scanning is on and clamd cannot be reached,
    the file is kept and waits for the worker's scan (`core.scanwait`, in the caller's transaction):
    `waits_for_scan` is then True.
    """
    if uploaded_file.size is not None and uploaded_file.size > max_bytes:
        raise FileRejected(too_large_message(max_bytes))
    size, sha256, head = _measure(uploaded_file, max_bytes=max_bytes)
    if size == 0:
        raise FileRejected(empty_message())
    content_type = _sniff_file(uploaded_file, head)
    if content_type is None or content_type not in allowed:
        raise FileRejected(wrong_type_message(types_label(allowed)))
    original_name = os.path.basename((uploaded_file.name or "").replace("\\", "/"))[:255]
    scanned = _scan(uploaded_file, sha256=sha256, original_name=original_name)
    name = f"{prefix.strip('/')}/{uuid.uuid4()}/{safe_filename(original_name, content_type)}"
    from loket.core.quota import charged_save  # the quota's model loads after this module

    stored_name = charged_save(
        uploaded_file,
        name=name,
        size=size,
        uploader=uploader,
        source="upload",
        file_name=original_name,
        storage=storage,
    )
    if not scanned:
        from loket.core.scanwait import keep_for_scan

        keep_for_scan(storage_name=stored_name, sha256=sha256, file_name=original_name, size=size)
    return StoredFile(
        name=stored_name,
        size=size,
        sha256=sha256,
        content_type=content_type,
        original_name=original_name,
        waits_for_scan=not scanned,
    )


def _scan(uploaded_file: File, *, sha256: str, original_name: str) -> bool:
    """True when scanned and clean (or scanning is off); False when clamd cannot be reached (scan it later)."""
    from loket.core import virusscan  # the audit trail's models load after this module

    if not virusscan.scanning_enabled():
        return True
    uploaded_file.seek(0)
    try:
        signature = virusscan.scan_chunks(uploaded_file.chunks())
    except virusscan.ScannerUnavailable as error:
        logger.warning("Upload kept to be scanned later, virus scanner unavailable: %s", error.detail)
        return False
    except virusscan.TooLargeToScan as error:
        logger.warning("Upload refused, larger than clamd's StreamMaxLength: %s", error.detail)
        raise FileRejected(error.message_nl) from error
    if signature is not None:
        virusscan.record_infected(sha256=sha256, signature=signature, file_name=original_name, source="upload")
        raise FileRejected(virusscan.infected_message_nl(original_name, signature))
    return True


def _measure(uploaded_file: File, *, max_bytes: int) -> tuple[int, str, bytes]:
    """Stream the file once: its size and SHA-256, stopping as soon as it is too large, and its first bytes."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        size += len(chunk)
        if size > max_bytes:
            raise FileRejected(too_large_message(max_bytes))
        digest.update(chunk)
        if len(head) < _HEAD_SIZE:
            head += chunk[: _HEAD_SIZE - len(head)]
    return size, digest.hexdigest(), head


def _sniff_file(uploaded_file: File, head: bytes) -> str | None:
    if not head.startswith(_ZIP_SIGNATURE):
        return sniff_content_type(head)
    # ZIP-based formats list their entries at the end of the file: read that directory from the file itself.
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:  # type: ignore[arg-type]
            return _zip_content_type(archive)
    except (zipfile.BadZipFile, OSError, EOFError):
        return None


def types_label(allowed: Set[str]) -> str:
    """The accepted types as a clerk reads them: "PDF, ODT, DOCX of XML"."""
    labels = [label for content_type, label in _LABELS.items() if content_type in allowed]
    if not labels:
        return _("toegelaten bestandstype")
    if len(labels) == 1:
        return labels[0]
    return _("%(first)s of %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


# The messages of a refused file, in the request's language: the upload handler (`core.uploads`) and
# `store_upload` say the same thing.
def too_large_message(max_bytes: int) -> str:
    return _("Het bestand is groter dan %(size)s.") % {"size": format_size_nl(max_bytes)}


def wrong_type_message(types: str) -> str:
    return _("Dit bestand is geen %(types)s.") % {"types": types}


def empty_message() -> str:
    return _("Het bestand is leeg (0 bytes): kies het juiste bestand.")


def safe_filename(original_name: str, content_type: str) -> str:
    """A storage-safe file name that keeps the readable part of the user's name and ends in the real extension."""
    stem = os.path.splitext(unicodedata.normalize("NFKC", original_name))[0]
    try:
        stem = get_valid_filename(stem)[:_MAX_NAME_LENGTH].strip(".")
    except SuspiciousFileOperation:
        stem = ""
    return f"{stem or 'bestand'}{_EXTENSIONS.get(content_type, '')}"
