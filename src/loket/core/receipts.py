"""Receipts (ontvangstbewijzen): what a sender keeps as proof that the Loket received and delivered content.

A receipt is a JSON object signed with the server key (Ed25519 over the canonical JSON of everything except
"signature"). Anyone can check it on the public page: the signature must be the Loket's own, the register must
hold the entries it names, with the same hashes, and the content stored now must still match the register.

Times are given in Europe/Brussels with their offset (version 2; version 1 receipts gave UTC and still check).
The PDF carries the signed JSON as an embedded file (`ontvangstbewijs.json`), so the PDF itself can be checked.
"""

import base64
import io
import json
import textwrap
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from cryptography.exceptions import UnsupportedAlgorithm
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from loket.core import signing
from loket.core.ledger import KIND_DELIVERED, KIND_SENT, canonical_json, entry_problem
from loket.core.ledger_content import content_problems
from loket.core.ledger_models import LedgerEntry

RECEIPT_TYPE = "loket-ontvangstbewijs"
RECEIPT_VERSION = 2
RECEIPT_ZONE = ZoneInfo("Europe/Brussels")
EMBEDDED_NAME = "ontvangstbewijs.json"


def local_timestamp(moment: datetime) -> str:
    """An instant in Europe/Brussels with its offset, to the microsecond: `2026-12-04T22:33:01.123456+01:00`."""
    return moment.astimezone(RECEIPT_ZONE).isoformat(timespec="microseconds")


def _same_instant(text: Any, moment: datetime) -> bool:
    if not isinstance(text, str):
        return False
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return False
    return parsed.tzinfo is not None and parsed == moment


def _entry_reference(entry: LedgerEntry) -> dict[str, Any]:
    return {"position": entry.position, "entry_hash": entry.entry_hash}


def receipt_build(
    *,
    sent: LedgerEntry,
    delivered: LedgerEntry | None,
    organisation_name: str,
    sender_name: str,
    document_type: str,
    check_url: str,
    files: list[dict[str, Any]] | None = None,
    links: list[dict[str, Any]] | None = None,
    session_date: str | None = None,
    governing_body: dict[str, str] | None = None,
    package: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A signed, JSON-able receipt for one sent (and possibly delivered) entry.

    `files`: what was sent ({name, size, sha256, uri}); `links`: linked decisions ({url, name, size, sha256}, the
    last three once the Loket has a copy); `check_url`: the absolute URL of the public check page; `package`: what
    was delivered when the Loket packaged the content ({name, size, sha256}; BBC-DR), which the delivery entry of
    the register records."""
    receipt: dict[str, Any] = {
        "type": RECEIPT_TYPE,
        "version": RECEIPT_VERSION,
        "organisation": {"name": organisation_name, "uri": sent.organisation_uri},
        "sender": sender_name,
        "document_type": document_type,
        "governing_body": governing_body,
        "session_date": session_date,
        "subject_uri": sent.subject_uri,
        "content_hash": sent.content_hash,
        "files": files or [],
        "links": links or [],
        "sent_at": local_timestamp(sent.recorded_at),
        "delivered_at": local_timestamp(delivered.recorded_at) if delivered else None,
        "time_zone": "Europe/Brussels",
        "ledger": {
            "sent": _entry_reference(sent),
            "delivered": _entry_reference(delivered) if delivered else None,
        },
        "check_url": check_url,
        "key_id": signing.key_id(),
        "public_key": signing.public_key_pem(),
        "tsa_token": base64.b64encode(token).decode("ascii") if (token := sent.timestamp_token) else None,
    }
    if package is not None:
        receipt["package"] = package
    receipt["signature"] = signing.sign(canonical_json(receipt))
    return receipt


@dataclass(frozen=True)
class ReceiptCheck:
    ok: bool
    message: str
    subject: dict[str, str] | None = None  # what the receipt is about (named in the verdict)


REQUIRED_FIELDS = ("organisation", "subject_uri", "content_hash", "sent_at", "ledger", "public_key", "signature")


def receipt_verify(receipt: Any) -> ReceiptCheck:
    """Whether the receipt is signed by this Loket, matches the register and its content is still what was sent.
    Never raises on bad input. The verdict names the submission the receipt is about."""
    if not isinstance(receipt, dict) or receipt.get("type") != RECEIPT_TYPE:
        return ReceiptCheck(False, _("Dit is geen ontvangstbewijs van het Loket."))
    subject = _subject_of(receipt)
    missing = [name for name in REQUIRED_FIELDS if name not in receipt]
    if missing:
        return ReceiptCheck(
            False,
            _("Het ontvangstbewijs is onvolledig: %(fields)s ontbreekt.") % {"fields": ", ".join(missing)},
            subject,
        )
    if not _signature_is_ours(receipt):
        return ReceiptCheck(
            False,
            _("De handtekening klopt niet: dit ontvangstbewijs is gewijzigd of niet door dit Loket uitgegeven."),
            subject,
        )
    problem = _ledger_problem(receipt)
    if problem:
        return ReceiptCheck(False, problem, subject)
    if content_problems(receipt["subject_uri"]):
        return ReceiptCheck(
            False,
            _(
                "Het ontvangstbewijs staat in het register, maar de bewaarde inhoud van deze inzending komt niet meer "
                "overeen met wat verstuurd werd: ze werd na het verzenden gewijzigd. Meld dit aan de helpdesk."
            ),
            subject,
        )
    return ReceiptCheck(True, _("Dit ontvangstbewijs is echt en komt overeen met het register van het Loket."), subject)


def _subject_of(receipt: dict[str, Any]) -> dict[str, str] | None:
    """What the receipt says it is about, as text (shown with the verdict; only trusted when it is "echt")."""
    uri = receipt.get("subject_uri")
    if not isinstance(uri, str):
        return None
    organisation = receipt.get("organisation")
    sent_at = receipt.get("sent_at")
    moment = ""
    if isinstance(sent_at, str):
        try:
            moment = human_time(sent_at)
        except (ValueError, TypeError):
            moment = ""
    return {
        "uri": uri[:500],
        "document_type": str(receipt.get("document_type") or "")[:300],
        "organisation": str(organisation.get("name") or "")[:300] if isinstance(organisation, dict) else "",
        "sent_at": moment,
    }


def _signature_is_ours(receipt: dict[str, Any]) -> bool:
    signature = receipt["signature"]
    unsigned = {name: value for name, value in receipt.items() if name != "signature"}
    try:
        signed = canonical_json(unsigned)
    except ValueError:  # NaN or Infinity: never in a receipt we made
        return False
    # The receipt's public key must be one of our own (current or retired: `signing`), and the signature is checked
    # with our copy of it: anyone can sign with a key they made themselves.
    try:
        key = signing.key_id(receipt["public_key"])
    except (ValueError, TypeError, AttributeError, UnsupportedAlgorithm):
        return False
    return (
        isinstance(signature, str)
        and receipt.get("key_id", key) == key
        and signing.is_known_key(key)
        and signing.verify(signed, signature, key=key)
    )


def _ledger_problem(receipt: dict[str, Any]) -> str:
    ledger = receipt["ledger"]
    if not isinstance(ledger, dict) or not isinstance(receipt["organisation"], dict):
        return _("Het ontvangstbewijs is onvolledig.")
    sent = _matching_entry(ledger.get("sent"), kind=KIND_SENT)
    if sent is None or (
        sent.subject_uri != receipt["subject_uri"]
        or sent.content_hash != receipt["content_hash"]
        or sent.organisation_uri != receipt["organisation"].get("uri")
        or not _same_instant(receipt["sent_at"], sent.recorded_at)
        or not _files_match(receipt, sent)
    ):
        return _("Het register bevat geen verzending die overeenkomt met dit ontvangstbewijs.")
    if ledger.get("delivered") is not None:
        delivered = _matching_entry(ledger["delivered"], kind=KIND_DELIVERED)
        if (
            delivered is None
            or delivered.subject_uri != receipt["subject_uri"]
            or not _same_instant(receipt.get("delivered_at"), delivered.recorded_at)
            or not _package_matches(receipt, delivered)
        ):
            return _("Het register bevat geen aflevering die overeenkomt met dit ontvangstbewijs.")
    return ""


def _package_matches(receipt: dict[str, Any], delivered: LedgerEntry) -> bool:
    """A receipt that names a delivered package names the one the delivery entry recorded."""
    if "package" not in receipt:
        return True
    package = receipt["package"]
    return isinstance(package, dict) and package.get("sha256") == (delivered.payload or {}).get("package_sha256")


def _files_match(receipt: dict[str, Any], sent: LedgerEntry) -> bool:
    """The files a receipt lists are those the register entry recorded (URI and SHA-256)."""
    files = receipt.get("files")
    if files is None:
        return receipt.get("version") == 1  # a version 1 receipt listed none
    if not isinstance(files, list) or not all(isinstance(f, dict) for f in files):
        return False
    listed = sorted(f"{f.get('uri')} {f.get('sha256')}" for f in files)
    return listed == sorted((sent.payload or {}).get("files", []))


def _matching_entry(reference: Any, *, kind: str) -> LedgerEntry | None:
    """The register entry at the referenced position, if its hash matches and the entry itself is intact."""
    if not isinstance(reference, dict):
        return None
    position = reference.get("position")
    if not isinstance(position, int) or isinstance(position, bool) or not 1 <= position < 2**63:
        return None
    entry = LedgerEntry.objects.filter(position=position, kind=kind).first()
    if entry is None or entry.entry_hash != reference.get("entry_hash"):
        return None
    if entry_problem(entry):
        return None
    return entry


def human_time(text: str | None) -> str:
    """`2026-12-04T22:33:01.123456+01:00` → `04-12-2026 22:33:01 (UTC+01:00, Europe/Brussels)`."""
    if not text:
        return ""
    moment = datetime.fromisoformat(text).astimezone(RECEIPT_ZONE)
    offset = moment.strftime("%z")
    return f"{moment:%d-%m-%Y %H:%M:%S} (UTC{offset[:3]}:{offset[3:]}, Europe/Brussels)"


def _size(size: Any) -> str:
    return f"{size:,} bytes".replace(",", ".") if isinstance(size, int) else "nog niet opgehaald"


PDF_LABELS = [
    ("Bestuur", lambda r: r["organisation"]["name"]),
    ("Bestuursorgaan", lambda r: (r.get("governing_body") or {}).get("name") or "—"),
    ("Zittingsdatum", lambda r: r.get("session_date") or "—"),
    ("Verzender", lambda r: r["sender"]),
    ("Type dossier", lambda r: r["document_type"]),
    ("Dossier", lambda r: r["subject_uri"]),
    ("Inhoud (SHA-256)", lambda r: r["content_hash"]),
    ("Verzonden op", lambda r: human_time(r["sent_at"])),
    ("Afgeleverd op", lambda r: human_time(r["delivered_at"]) or "nog niet afgeleverd"),
    ("Positie in het register", lambda r: _positions(r)),
    ("Sleutel", lambda r: r["key_id"]),
    ("Tijdstempel (RFC 3161)", lambda r: "aanwezig (zie JSON)" if r.get("tsa_token") else "geen"),
]


def _positions(receipt: dict[str, Any]) -> str:
    ledger = receipt["ledger"]
    text = f"verzending {ledger['sent']['position']}"
    if ledger.get("delivered"):
        text += f", aflevering {ledger['delivered']['position']}"
    return text


class _Page:
    """A top-down writer on an A4 canvas that starts a new page when the current one is full."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas, self.y = canvas, A4[1] - 72

    def need(self, height: float) -> None:
        if self.y - height < 72:
            self.canvas.showPage()
            self.y = A4[1] - 72

    def row(self, label: str, value: str, *, width: int = 64) -> None:
        lines = textwrap.wrap(value, width) or [""]
        self.need(13 * len(lines) + 7)
        self.canvas.setFont("Helvetica-Bold", 10)
        self.canvas.drawString(56, self.y, label)
        self.canvas.setFont("Courier", 9)
        for line in lines:
            self.canvas.drawString(210, self.y, line)
            self.y -= 13
        self.y -= 7


def _pdf_pages(canvas: Canvas, receipt: dict[str, Any]) -> None:
    page = _Page(canvas)
    canvas.setFont("Helvetica-Bold", 18)
    canvas.drawString(56, page.y, "Ontvangstbewijs")
    page.y -= 36
    for label, value_of in PDF_LABELS:
        page.row(label, str(value_of(receipt)))
    for number, file in enumerate(receipt.get("files") or [], start=1):
        page.row(f"Bestand {number}", f"{file['name']} — {_size(file['size'])} — SHA-256 {file['sha256']}")
    for number, link in enumerate(receipt.get("links") or [], start=1):
        sha256 = link.get("sha256") or "—"
        page.row(f"Link {number}", f"{link['url']} — {_size(link.get('size'))} — SHA-256 {sha256}")
    page.row("Handtekening", receipt["signature"])
    check_url = receipt.get("check_url") or "/ontvangstbewijs/controleren/"
    page.need(40)
    canvas.setFont("Helvetica", 9)
    canvas.drawString(56, page.y, "Controleer dit ontvangstbewijs (deze PDF of het JSON-bestand erin) op:")
    page.y -= 13
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawString(56, page.y, check_url)
    width = canvas.stringWidth(check_url, "Helvetica-Bold", 9)
    canvas.linkURL(check_url, (56, page.y - 2, 56 + width, page.y + 9), relative=0)
    canvas.showPage()


def receipt_pdf(receipt: dict[str, Any]) -> bytes:
    """The receipt as PDF, with the signed JSON embedded as `ontvangstbewijs.json` (read back by the check page).
    Uncompressed and invariant, so the same receipt gives the same bytes."""
    from pypdf import PdfWriter

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=0, invariant=1)
    canvas.setTitle("Ontvangstbewijs")
    canvas.setSubject(receipt["subject_uri"])
    _pdf_pages(canvas, receipt)
    canvas.save()
    writer = PdfWriter(clone_from=io.BytesIO(buffer.getvalue()))
    writer.add_attachment(EMBEDDED_NAME, json.dumps(receipt, ensure_ascii=False, indent=2).encode("utf-8"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class NoEmbeddedReceipt(ValueError):
    """The PDF cannot be read or holds no receipt."""


MAX_PDF_PAGES = 20


def receipt_from_pdf(data: bytes) -> str:
    """The JSON text embedded in a receipt PDF; NoEmbeddedReceipt when there is none or the PDF is unreadable."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if len(reader.pages) > MAX_PDF_PAGES:
            raise NoEmbeddedReceipt("too many pages")
        embedded = reader.attachments.get(EMBEDDED_NAME) or []
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError) as error:
        raise NoEmbeddedReceipt(str(error)) from None
    if not embedded:
        raise NoEmbeddedReceipt("no embedded receipt")
    return embedded[0].decode("utf-8", errors="replace")
