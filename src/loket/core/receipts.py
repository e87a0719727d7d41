"""Receipts (ontvangstbewijzen): what a sender keeps as proof that the Loket received and delivered content.

A receipt is a JSON object signed with the server key (Ed25519 over the canonical JSON of everything except
"signature"). Anyone can check it on the public page: the signature must be the Loket's own and the register
must hold the entries it names, with the same hashes and content.
"""

import base64
import io
import textwrap
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from loket.core import signing
from loket.core.ledger import KIND_DELIVERED, KIND_SENT, canonical_json, entry_problem, timestamp_text
from loket.core.ledger_content import content_problems
from loket.core.ledger_models import LedgerEntry

RECEIPT_TYPE = "loket-ontvangstbewijs"
RECEIPT_VERSION = 1


def _entry_reference(entry: LedgerEntry) -> dict[str, Any]:
    return {"position": entry.position, "entry_hash": entry.entry_hash}


def receipt_build(
    *,
    sent: LedgerEntry,
    delivered: LedgerEntry | None,
    organisation_name: str,
    sender_name: str,
    document_type: str,
) -> dict[str, Any]:
    """A signed, JSON-able receipt for one sent (and possibly delivered) entry."""
    receipt: dict[str, Any] = {
        "type": RECEIPT_TYPE,
        "version": RECEIPT_VERSION,
        "organisation": {"name": organisation_name, "uri": sent.organisation_uri},
        "sender": sender_name,
        "document_type": document_type,
        "subject_uri": sent.subject_uri,
        "content_hash": sent.content_hash,
        "sent_at": timestamp_text(sent.recorded_at),
        "delivered_at": timestamp_text(delivered.recorded_at) if delivered else None,
        "ledger": {
            "sent": _entry_reference(sent),
            "delivered": _entry_reference(delivered) if delivered else None,
        },
        "key_id": signing.key_id(),
        "public_key": signing.public_key_pem(),
        "tsa_token": base64.b64encode(bytes(sent.tsa_token)).decode("ascii") if sent.tsa_token else None,
    }
    receipt["signature"] = signing.sign(canonical_json(receipt))
    return receipt


@dataclass(frozen=True)
class ReceiptCheck:
    ok: bool
    message: str


REQUIRED_FIELDS = ("organisation", "subject_uri", "content_hash", "sent_at", "ledger", "public_key", "signature")


def receipt_verify(receipt: Any) -> ReceiptCheck:
    """Whether the receipt is signed by this Loket and matches the register. Never raises on bad input."""
    if not isinstance(receipt, dict) or receipt.get("type") != RECEIPT_TYPE:
        return ReceiptCheck(False, _("Dit is geen ontvangstbewijs van het Loket."))
    missing = [name for name in REQUIRED_FIELDS if name not in receipt]
    if missing:
        return ReceiptCheck(
            False, _("Het ontvangstbewijs is onvolledig: %(fields)s ontbreekt.") % {"fields": ", ".join(missing)}
        )
    if not _signature_is_ours(receipt):
        return ReceiptCheck(
            False, _("De handtekening klopt niet: dit ontvangstbewijs is gewijzigd of niet door dit Loket uitgegeven.")
        )
    problem = _ledger_problem(receipt)
    if problem:
        return ReceiptCheck(False, problem)
    if content_problems(receipt["subject_uri"]):
        return ReceiptCheck(
            False,
            _(
                "Het ontvangstbewijs staat in het register, maar de bewaarde inhoud van deze inzending komt niet meer "
                "overeen met wat verstuurd werd: ze werd na het verzenden gewijzigd. Meld dit aan de helpdesk."
            ),
        )
    return ReceiptCheck(True, _("Dit ontvangstbewijs is echt en komt overeen met het register van het Loket."))


def _signature_is_ours(receipt: dict[str, Any]) -> bool:
    signature = receipt["signature"]
    unsigned = {name: value for name, value in receipt.items() if name != "signature"}
    try:
        signed = canonical_json(unsigned)
    except ValueError:  # NaN or Infinity: never in a receipt we made
        return False
    # Our own key, never the one in the receipt: anyone can sign with a key they made themselves.
    return (
        isinstance(signature, str)
        and receipt["public_key"] == signing.public_key_pem()
        and signing.verify(signed, signature)
    )


def _ledger_problem(receipt: dict[str, Any]) -> str:
    ledger = receipt["ledger"]
    if not isinstance(ledger, dict) or not isinstance(receipt["organisation"], dict):
        return _("Het ontvangstbewijs is onvolledig.")
    sent = _matching_entry(ledger["sent"], kind=KIND_SENT)
    if sent is None or (
        sent.subject_uri != receipt["subject_uri"]
        or sent.content_hash != receipt["content_hash"]
        or sent.organisation_uri != receipt["organisation"].get("uri")
        or timestamp_text(sent.recorded_at) != receipt["sent_at"]
    ):
        return _("Het register bevat geen verzending die overeenkomt met dit ontvangstbewijs.")
    if ledger.get("delivered") is not None:
        delivered = _matching_entry(ledger["delivered"], kind=KIND_DELIVERED)
        if (
            delivered is None
            or delivered.subject_uri != receipt["subject_uri"]
            or (timestamp_text(delivered.recorded_at) != receipt.get("delivered_at"))
        ):
            return _("Het register bevat geen aflevering die overeenkomt met dit ontvangstbewijs.")
    return ""


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
    if entry_problem(entry, own_key_id=signing.key_id()):
        return None
    return entry


PDF_LABELS = [
    ("Bestuur", lambda r: r["organisation"]["name"]),
    ("Verzender", lambda r: r["sender"]),
    ("Type dossier", lambda r: r["document_type"]),
    ("Dossier", lambda r: r["subject_uri"]),
    ("Inhoud (SHA-256)", lambda r: r["content_hash"]),
    ("Verzonden op", lambda r: r["sent_at"]),
    ("Afgeleverd op", lambda r: r["delivered_at"] or "nog niet afgeleverd"),
    ("Positie in het register", lambda r: _positions(r)),
    ("Sleutel", lambda r: r["key_id"]),
    ("Tijdstempel (RFC 3161)", lambda r: "aanwezig (zie JSON)" if r.get("tsa_token") else "geen"),
    ("Handtekening", lambda r: r["signature"]),
]


def _positions(receipt: dict[str, Any]) -> str:
    ledger = receipt["ledger"]
    text = f"verzending {ledger['sent']['position']}"
    if ledger.get("delivered"):
        text += f", aflevering {ledger['delivered']['position']}"
    return text


def receipt_pdf(receipt: dict[str, Any]) -> bytes:
    """A one-page PDF of the receipt. Uncompressed and invariant, so the same receipt gives the same bytes."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=0, invariant=1)
    canvas.setTitle("Ontvangstbewijs")
    height = A4[1]
    y = height - 72
    canvas.setFont("Helvetica-Bold", 18)
    canvas.drawString(56, y, "Ontvangstbewijs")
    y -= 36
    for label, value_of in PDF_LABELS:
        canvas.setFont("Helvetica-Bold", 10)
        canvas.drawString(56, y, label)
        canvas.setFont("Courier", 9)
        for line in textwrap.wrap(str(value_of(receipt)), 64) or [""]:
            canvas.drawString(210, y, line)
            y -= 13
        y -= 7
    canvas.setFont("Helvetica", 8)
    canvas.drawString(56, 56, "Controleer dit ontvangstbewijs met het JSON-bestand op /ontvangstbewijs/controleren/.")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
