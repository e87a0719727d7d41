"""The agency's case-system API: the agency keeps its own case system (as the real one does with Kalliope) and
exchanges messages with the Loket at once, instead of every 5 minutes.

- `POST /api/berichtencentrum/agency-messages`: put one agency message (idempotent by its URI: the same URI again
  answers 200 with the message already stored; a new one 201). A new dossier number for the body starts a
  conversation; a known one adds the message to it. Attachments travel inline (base64), so the Loket never has to
  download from a caller-given address.
- `GET /api/berichtencentrum/replies?limit=N`: the bodies' replies not yet collected, oldest first, with their
  attachments' download links; `POST /api/berichtencentrum/replies/ack` `{"uris": [...]}` marks them collected.
- `GET /api/berichtencentrum/files/<uuid>`: an attachment's bytes.

Authentication: `Authorization: Bearer <key>`, compared with `LOKET_CASE_SYSTEM_KEY_SHA256` (the key's SHA-256, so
the key itself is never in the settings). Failed attempts are throttled per client address. Errors use the
project's JSON shape `{"error": {"code", "message", "fields"}}`."""

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from loket.core import scanwait
from loket.core.access import public
from loket.core.errors import DomainError, error_response
from loket.core.files import FileRejected
from loket.core.security import holds_nul, stored_download
from loket.core.throttle import client_ip, throttle_hit
from loket.messaging import services
from loket.messaging.models import Attachment, Message
from loket.organisations.models import Organisation
from loket.organisations.selectors import organisations_by_reference

MAX_REPLIES = 500


def _authenticated(request: HttpRequest) -> JsonResponse | None:
    expected = getattr(settings, "LOKET_CASE_SYSTEM_KEY_SHA256", "")
    header = request.headers.get("Authorization", "")
    key = header[7:].strip() if header.startswith("Bearer ") else ""
    if expected and key and hmac.compare_digest(hashlib.sha256(key.encode()).hexdigest(), expected.lower()):
        return None
    if not throttle_hit(key=f"case-system-auth:{client_ip(request)}", limit=20, window_seconds=60):
        return error_response(429, "throttled", "Te veel mislukte aanmeldingen; probeer het over een minuut opnieuw.")
    if not expected:
        return error_response(401, "not_configured", "De koppeling met het dossiersysteem is niet ingesteld.")
    return error_response(401, "unauthorised", "Geef een geldige sleutel in de kop Authorization: Bearer <sleutel>.")


def _json_body(request: HttpRequest) -> dict[str, Any] | JsonResponse:
    if request.content_type != "application/json":
        return error_response(415, "content_type", "Stuur JSON (Content-Type: application/json).")
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return error_response(400, "invalid_json", "De inhoud is geen geldige JSON.")
    if not isinstance(body, dict):
        return error_response(400, "invalid_json", "Verwacht een JSON-object.")
    if holds_nul(body):
        return error_response(400, "invalid_json", "Een tekst bevat het teken NUL (\\u0000), dat hier nooit geldig is.")
    return body


def _decoded_files(items: Any) -> list[ContentFile] | JsonResponse:
    if not isinstance(items, list) or not items:
        return error_response(400, "attachments", "Geef minstens één bijlage.", {"attachments": "Verplicht."})
    files = []
    for index, item in enumerate(items):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("name"), str)
            or not isinstance(item.get("content_base64"), str)
        ):
            return error_response(400, "attachments", f"Bijlage {index + 1}: geef name en content_base64.")
        try:
            content = base64.b64decode(item["content_base64"], validate=True)
        except (binascii.Error, ValueError):
            return error_response(400, "attachments", f"Bijlage {index + 1}: content_base64 is geen geldige base64.")
        files.append(ContentFile(content, name=item["name"][:255]))
    return files


def _organisation(value: Any) -> Organisation | None:
    if not isinstance(value, str):
        return None
    found, _unknown = organisations_by_reference([value])
    return found[0] if found else None


def _message_json(message: Message, request: HttpRequest) -> dict[str, Any]:
    conversation = message.conversation
    return {
        "uri": message.uri,
        "conversation": conversation.uri,
        "dossier_number": conversation.dossier_number,
        "organisation": conversation.organisation.uri,
        "type": message.kind,
        "text": message.text,
        "sent_at": message.sent_at.isoformat(),
        "content_hash": message.content_hash or None,
        "ledger_position": message.sent_entry.position if message.sent_entry else None,
        "attachments": [
            {
                "name": a.file_name,
                "size": a.blob.size,
                "sha256": a.blob.sha256,
                "media_type": a.blob.content_type,
                "download": request.build_absolute_uri(reverse("messaging:api-file", args=[a.uuid])),
            }
            for a in message.attachments.all()
        ],
    }


@csrf_exempt
@public
def agency_messages(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return error_response(405, "method", "Gebruik POST.")
    refused = _authenticated(request)
    if refused:
        return refused
    body = _json_body(request)
    if isinstance(body, JsonResponse):
        return body
    uri = body.get("uri")
    if not isinstance(uri, str) or not uri.startswith(("http://", "https://")) or len(uri) > 500:
        return error_response(400, "uri", "Geef de URI van het bericht (http of https).", {"uri": "Verplicht."})
    existing = Message.objects.filter(external_uri=uri).select_related("conversation__organisation").first()
    if existing is not None:
        return JsonResponse(_message_json(existing, request), status=200)
    organisation = _organisation(body.get("organisation"))
    if organisation is None:
        return error_response(
            400, "organisation", "Onbekend bestuur: geef de URI of het KBO-nummer.", {"organisation": "Onbekend."}
        )
    files = _decoded_files(body.get("attachments"))
    if isinstance(files, JsonResponse):
        return files
    try:
        message, created = services.agency_message_put(
            organisation=organisation,
            external_uri=uri,
            files=files,
            draft=services.ConversationDraft(
                dossier_number=str(body.get("dossier_number") or ""),
                subject=str(body.get("subject") or ""),
                kind=str(body.get("type") or ""),
                reaction_term=str(body.get("reaction_term") or "P30D"),
                text=str(body.get("text") or ""),
                handler_email=str(body.get("handler_email") or ""),
            ),
            author_name=str(body.get("author") or ""),
        )
    except FileRejected as error:
        return error_response(400, "attachments", error.message_nl)
    except DomainError as error:
        return error_response(400, error.code, str(error.message), {k: str(v) for k, v in error.fields.items()})
    return JsonResponse(_message_json(message, request), status=201 if created else 200)


@public
def replies(request: HttpRequest) -> HttpResponse:
    refused = _authenticated(request)
    if refused:
        return refused
    try:
        limit = max(1, min(MAX_REPLIES, int(request.GET.get("limit", "100"))))
    except ValueError:
        return error_response(400, "limit", "limit is een geheel getal van 1 tot 500.")
    pending = (
        Message.objects.filter(from_agency=False, collected_at__isnull=True)
        .select_related("conversation__organisation", "sent_entry")
        .prefetch_related("attachments__blob")
        .order_by("sent_at", "pk")[:limit]
    )
    return JsonResponse({"replies": [_message_json(m, request) for m in pending]})


@csrf_exempt
@public
def replies_ack(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return error_response(405, "method", "Gebruik POST.")
    refused = _authenticated(request)
    if refused:
        return refused
    body = _json_body(request)
    if isinstance(body, JsonResponse):
        return body
    uris = body.get("uris")
    if not isinstance(uris, list) or not all(isinstance(u, str) for u in uris) or len(uris) > MAX_REPLIES:
        return error_response(400, "uris", "Geef uris: een lijst van hoogstens 500 bericht-URI's.")
    acknowledged = services.replies_collect(uris=uris)
    return JsonResponse({"acknowledged": acknowledged})


@public
def attachment_download(request: HttpRequest, attachment: Any) -> HttpResponse | FileResponse:
    refused = _authenticated(request)
    if refused:
        return refused
    found = Attachment.objects.select_related("blob").filter(uuid=attachment).first()
    if found is None:
        return error_response(404, "not_found", "Onbekende bijlage.")
    if scanwait.is_waiting(found.blob.storage_name):
        return error_response(409, "scan_pending", scanwait.waiting_message([found.file_name]))
    return stored_download(found.blob.storage_name, filename=found.file_name, content_type=found.blob.content_type)
