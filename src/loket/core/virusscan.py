"""Virus scanning with ClamAV's daemon (Debian's `clamav-daemon`) over its unix socket.

Every upload (`files.store_upload`) and every downloaded file (`fetch.fetch`) is streamed to clamd with its
INSTREAM command before anything is kept; the protocol is a few lines (length-prefixed chunks, a zero-length chunk
to end), so no client library is needed. `LOKET_CLAMD_SOCKET` names the socket; empty turns scanning off (the
`make run` default). Archive and size limits are clamd's own settings (docs/security/virus-scanning.md).

`scan_chunks` returns None for a clean file and the signature name for an infected one, and raises
ScannerUnavailable when clamd cannot be reached or does not answer: a download then fails (retryable), an upload
is kept aside to be scanned later by the worker ("wacht op virusscan", `core.scanwait`).
The uploader named in the audit event is the request's user, set for the whole request by `UploaderMiddleware`.
"""

import socket
import struct
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from loket.core.audit import audit_record
from loket.core.errors import DomainError

_CHUNK = 64 * 1024
_UPLOADER: ContextVar[Any] = ContextVar("loket_uploader", default=None)


class ScannerUnavailable(DomainError):
    """clamd could not be reached or did not answer."""

    code = "scanner_unavailable"

    def __init__(self, detail: str) -> None:
        self.message_nl = _(
            "De virusscanner is tijdelijk niet bereikbaar; probeer over enkele minuten opnieuw. "
            "Het bestand is niet bewaard."
        )
        super().__init__(self.message_nl)
        self.detail = detail


class TooLargeToScan(DomainError):
    """The file is longer than clamd's StreamMaxLength: it cannot be scanned, so it is not accepted."""

    code = "too_large_to_scan"

    def __init__(self, detail: str) -> None:
        self.message_nl = _(
            "Het bestand is te groot om op virussen te controleren en is daarom niet aanvaard; neem contact op met "
            "de helpdesk."
        )
        super().__init__(self.message_nl)
        self.detail = detail


def scanning_enabled() -> bool:
    return bool(getattr(settings, "LOKET_CLAMD_SOCKET", ""))


@contextmanager
def uploading_as(user: Any) -> Iterator[None]:
    token = _UPLOADER.set(user)
    try:
        yield
    finally:
        _UPLOADER.reset(token)


def scan_chunks(chunks: Iterable[bytes]) -> str | None:
    """Stream the chunks to clamd; None when clean, else the signature name. Raises ScannerUnavailable, or
    TooLargeToScan when the file is longer than clamd's StreamMaxLength."""
    path = settings.LOKET_CLAMD_SOCKET
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(settings.LOKET_CLAMD_TIMEOUT)
            connection.connect(path)
            connection.sendall(b"zINSTREAM\0")
            try:
                for chunk in chunks:
                    for start in range(0, len(chunk), _CHUNK):
                        part = chunk[start : start + _CHUNK]
                        connection.sendall(struct.pack("!I", len(part)) + part)
                connection.sendall(struct.pack("!I", 0))
            except OSError:
                # clamd stops reading past its StreamMaxLength: it has said why before closing
                reply = _read_reply(connection)
                if "size limit exceeded" not in reply:
                    raise
            else:
                reply = _read_reply(connection)
    except OSError as error:
        raise ScannerUnavailable(f"clamd at {path}: {error}") from error
    return _verdict(reply)


def _read_reply(connection: socket.socket) -> str:
    data = b""
    while not data.endswith(b"\0"):
        part = connection.recv(4096)
        if not part:
            break
        data += part
    return data.rstrip(b"\0").decode("utf-8", errors="replace").strip()


def _verdict(reply: str) -> str | None:
    # "stream: OK", "stream: <signature> FOUND", or "<reason> ERROR" (e.g. "INSTREAM size limit exceeded. ERROR")
    if "size limit exceeded" in reply:
        raise TooLargeToScan(reply)
    if reply.endswith(" FOUND"):
        return reply.removeprefix("stream:").removesuffix(" FOUND").strip()
    if reply.endswith("OK"):
        return None
    raise ScannerUnavailable(f"clamd answered {reply!r}")


def current_uploader() -> Any:
    """The user whose request is uploading (None in the worker)."""
    return _UPLOADER.get()


def record_infected(
    *, sha256: str, signature: str, file_name: str, source: str, uploader: Any = None, scanned_later: bool = False
) -> None:
    """The audit event for a refused infected file: hash, signature, name, where it came from and who sent it.
    `uploader` defaults to the request's user; a file scanned later by the worker names the user who uploaded it."""
    uploader = uploader if uploader is not None else _UPLOADER.get()
    details: dict[str, Any] = {"sha256": sha256, "signature": signature, "bestand": file_name, "bron": source}
    if scanned_later:
        details["wachtte_op_virusscan"] = True
    if uploader is None or not getattr(uploader, "is_authenticated", False):
        details["actor_label"] = "systeem" if source == "download" else "onbekend"
    audit_record(action="core.virus_found", actor=uploader, **details)


def infected_message_nl(file_name: str, signature: str) -> str:
    return _(
        "Het bestand %(name)s bevat een virus of ander schadelijk programma (%(signature)s) en is geweigerd; "
        "er is niets van bewaard."
    ) % {"name": file_name or _("zonder naam"), "signature": signature}
