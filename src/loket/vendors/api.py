"""The vendor API: what the real Loket offers vendors (`POST /melding`, `/status`, `/delete-melding`, same
requests, status codes and error bodies), and a cleaner status endpoint with bearer authentication.

Django-level access is public: these endpoints authenticate the vendor themselves (publisher URI and key in the
body, or `Authorization: Bearer <key>`), through access.py.
"""

import json
import logging
import re
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import WithJsonSchema

from loket.core import scanwait
from loket.core.errors import ConflictError, NotFoundError, error_response
from loket.core.security import stored_download
from loket.core.throttle import client_ip, throttle_hit
from loket.organisations.models import Organisation
from loket.vendors import conf, guard, schemas
from loket.vendors.access import (
    ChannelRefused,
    VendorAccess,
    VendorUnauthenticated,
    check_channel,
)
from loket.vendors.keys import key_id_of, key_verify
from loket.vendors.models import Job, Vendor
from loket.vendors.payload import Melding, PayloadError, Publisher, parse_melding, parse_submission_request
from loket.vendors.selectors import job_status_jsonld, job_status_plain
from loket.vendors.services import (
    MeldingQuotaFull,
    RequestRefused,
    job_for_vendor,
    melding_delete,
    melding_register,
    vendor_request_authorise,
)

logger = logging.getLogger(__name__)
_JSON_TYPE = re.compile(r"application/(ld\+)?json")
MAX_BODY_BYTES = 100 * 1024

api = NinjaAPI(
    title="Loket voor Lokale Besturen — API voor leveranciers",
    version="1.0.0",
    description="Automatische melding (compatibel met het echte Loket) en de status van inzendingen.",
    urls_namespace="vendors",
    docs_url=None,
    openapi_url=None,
)


@api.exception_handler(NinjaValidationError)
def _invalid_parameters(request: HttpRequest, error: NinjaValidationError) -> JsonResponse:
    """A missing or malformed query or path parameter: 400 in the API's error shape (not django-ninja's 422)."""
    fields: dict[str, list[str]] = {}
    for problem in error.errors:
        name = str(problem.get("loc", ["", "?"])[-1])
        fields.setdefault(name, []).append(str(problem.get("msg", "invalid")))
    names = ", ".join(sorted(fields))
    return JsonResponse(
        {"error": {"code": "invalid", "message": f"Ongeldige of ontbrekende parameters: {names}.", "fields": fields}},
        status=400,
    )


def _errors(status: int, title: str, key: str = "title") -> JsonResponse:
    return JsonResponse({"errors": [{key: title}]}, status=status)


def _body(request: HttpRequest) -> bytes:
    """The raw body, after the checks the real Loket does first (content type); PayloadError otherwise."""
    if not _JSON_TYPE.search(request.META.get("CONTENT_TYPE", "")):
        raise PayloadError(
            {"errors": [{"title": "Content-Type not valid, only application/json or application/ld+json are accepted"}]}
        )
    length = request.META.get("CONTENT_LENGTH") or "0"
    if length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise PayloadError({"errors": [{"title": f"Payload too large (at most {MAX_BODY_BYTES} bytes)."}]}, 413)
    return request.body


def _throttled(body: dict, retry_after: int) -> JsonResponse:
    response = JsonResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _authorise(request: HttpRequest, publisher: Publisher, endpoint: str) -> VendorAccess | JsonResponse:
    """Authenticate and count the request (`vendor_request_authorise`); a refusal as the real Loket's error body."""
    granted = vendor_request_authorise(publisher=publisher, address=client_ip(request), endpoint=endpoint)
    if isinstance(granted, RequestRefused):
        response = JsonResponse({"errors": [{"title": granted.message}]}, status=granted.status)
        if granted.retry_after is not None:
            response["Retry-After"] = str(granted.retry_after)
        return response
    return granted


# The answers of both melding endpoints, as the real Loket gives them.
MELDING_RESPONSES = {
    201: schemas.MeldingAccepted,
    **{status: schemas.OriginalErrors for status in (400, 401, 403, 409, 413, 429)},
}


def _melding_accepted(request: HttpRequest) -> tuple[Melding, VendorAccess] | JsonResponse:
    """The body of a melding (either API), read and authorised, or the real Loket's error answer."""
    try:
        body = parse_melding(_body(request))
    except PayloadError as error:
        return JsonResponse(error.body, status=error.status)
    granted = _authorise(request, body.publisher, "melding")
    if isinstance(granted, JsonResponse):
        return granted
    return body, granted


@api.post(
    "/melding",
    url_name="melding",
    summary="Een besluit automatisch melden",
    response=MELDING_RESPONSES,
    openapi_extra={**schemas.json_ld_request(schemas.MELDING_BODY), **schemas.MELDING_LINKS},
)
def melding(request: HttpRequest) -> HttpResponse:
    """Register a decision published on `href`: a job downloads the page, imports its RDFa into a Toezicht
    submission, validates it, and sends it when `status` is Inzendbaar and the data is complete."""
    accepted = _melding_accepted(request)
    if isinstance(accepted, JsonResponse):
        return accepted
    body, granted = accepted
    try:
        job = melding_register(melding=body, vendor=granted.vendor, organisation=granted.organisation)
    except ConflictError as conflict:
        return _errors(409, str(conflict.message))
    except MeldingQuotaFull as full:
        response = _errors(429, str(full.message))
        if full.retry_after is not None:
            response["Retry-After"] = str(full.retry_after)
        return response
    return JsonResponse({"uri": job.submission_uri, "submission": job.submission_uri, "job": job.uri}, status=201)


def _job_request(request: HttpRequest, endpoint: str) -> tuple[Job, VendorAccess] | JsonResponse:
    try:
        subject, publisher = parse_submission_request(_body(request))
    except PayloadError as error:
        return JsonResponse(error.body, status=error.status)
    granted = _authorise(request, publisher, endpoint)
    if isinstance(granted, JsonResponse):
        return granted
    # After authentication and per vendor: nobody else can use up a vendor's status requests for a submission.
    if endpoint == "status" and not throttle_hit(
        key=f"vendor-status:{granted.vendor.pk}:{subject}", limit=conf.status_rate_per_minute(), window_seconds=60
    ):
        return _throttled(
            {
                "errors": [
                    {
                        "title": "Too many status requests for this submission; at most "
                        f"{conf.status_rate_per_minute()} per minute."
                    }
                ]
            },
            60,
        )
    try:
        job = job_for_vendor(subject=subject, vendor=granted.vendor, organisation=granted.organisation)
    except NotFoundError as missing:
        return _errors(404, str(missing.message))
    return job, granted


@api.post(
    "/status",
    url_name="status",
    summary="Status van een melding (zoals het echte Loket)",
    response={
        200: dict[str, Any],
        400: schemas.OriginalErrors,
        401: schemas.OriginalErrors,
        403: schemas.OriginalErrors,
        404: schemas.OriginalErrors,
        429: schemas.OriginalErrors,
    },
    openapi_extra=schemas.json_ld_request(schemas.SUBMISSION_REQUEST_BODY),
)
def status(request: HttpRequest) -> HttpResponse:
    """The job (JSON-LD `cogs:Job`), its tasks and the submission's status. At most 5 requests per minute per
    submission."""
    found = _job_request(request, "status")
    if isinstance(found, JsonResponse):
        return found
    job, _granted = found
    return HttpResponse(json.dumps(job_status_jsonld(job)), content_type="application/ld+json", status=200)


@api.post(
    "/delete-melding",
    url_name="delete-melding",
    summary="Een concept-inzending verwijderen",
    response={
        200: schemas.DeleteResult,
        400: schemas.OriginalErrors,
        401: schemas.OriginalErrors,
        403: schemas.OriginalErrors,
        404: schemas.OriginalErrors,
        409: schemas.OriginalErrors,
        429: schemas.OriginalErrors,
    },
    openapi_extra=schemas.json_ld_request(schemas.SUBMISSION_REQUEST_BODY),
)
def delete_melding(request: HttpRequest) -> HttpResponse:
    """Delete a submission that was not sent yet (409 when it was)."""
    found = _job_request(request, "delete-melding")
    if isinstance(found, JsonResponse):
        return found
    job, granted = found
    try:
        melding_delete(job=job, vendor=granted.vendor)
    except ConflictError as conflict:
        return _errors(409, str(conflict.message))
    except NotFoundError as missing:
        return _errors(404, str(missing.message))
    return JsonResponse({"message": f"The submission {job.submission_uri} was deleted."}, status=200)


def _bearer_vendor(request: HttpRequest) -> Vendor | guard.Refused | None:
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    key_id = key_id_of(token)
    if scheme.lower() != "bearer" or not key_id:
        return None
    address = client_ip(request)
    vendor = Vendor.objects.filter(key_id=key_id, is_active=True).first()
    identity = vendor.uri if vendor is not None else f"key-id:{key_id}"
    refused = guard.before_verification(vendor_uri=identity, key=token, address=address)
    if refused is not None:
        return refused
    if vendor is None or not key_verify(vendor_id=vendor.pk, stored_hash=vendor.key_hash, key=token):
        guard.failed(vendor_uri=identity, address=address)
        return None
    guard.succeeded(vendor_uri=identity, key=token, address=address)
    return vendor


@api.get(
    "/api/vendor/submissions/{key}",
    url_name="submission-status",
    summary="Status van een inzending",
    response={
        200: schemas.SubmissionStatus,
        400: schemas.ErrorBody,
        401: schemas.ErrorBody,
        404: schemas.ErrorBody,
        429: schemas.ErrorBody,
    },
    openapi_extra={"security": [{"bearer": []}]},
)
def submission_status(request: HttpRequest, key: str) -> HttpResponse:
    """The job, its tasks and the submission's status, for the vendor that submitted it. `key` is the last
    part of the submission URI answered by `/melding`. Authenticate with `Authorization: Bearer <vendor key>`."""
    vendor = _bearer_or_refusal(request)
    if isinstance(vendor, JsonResponse):
        return vendor
    try:
        job = job_for_vendor(subject=f"/submissions/{key}", vendor=vendor)
    except NotFoundError as missing:
        return error_response(404, "not_found", str(missing.message))
    return JsonResponse(job_status_plain(job))


def openapi_document() -> str:
    """The OpenAPI description as committed in docs/openapi-vendor.json (regenerate: manage.py vendor_openapi)."""
    schema = api.get_openapi_schema(path_prefix="")
    # /status answers JSON-LD (as the real Loket), not plain JSON.
    answer = schema["paths"]["/status"]["post"]["responses"][200]
    answer["content"] = {"application/ld+json": answer["content"]["application/json"]}
    schema.setdefault("components", {}).setdefault("schemas", {})["JsonValue"] = schemas.JSON_VALUE
    schema["components"]["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer", "description": "The vendor's key."}
    }
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


# Berichtencentrum: what a vendor may read for the bodies it acts for ------------------------------------------------


def _bearer_or_refusal(request: HttpRequest) -> Vendor | JsonResponse:
    vendor = _bearer_vendor(request)
    if isinstance(vendor, guard.Refused):
        response = error_response(429, "throttled", vendor.message)
        response["Retry-After"] = str(vendor.retry_after)
        return response
    if vendor is None:
        response = error_response(
            401, "unauthenticated", "Geef een geldige leverancierssleutel: Authorization: Bearer <sleutel>."
        )
        response["WWW-Authenticate"] = 'Bearer realm="loket"'
        return response
    if not throttle_hit(key=f"vendor:{vendor.uri}", limit=conf.rate_per_minute(), window_seconds=60):
        return error_response(429, "throttled", "Te veel verzoeken; probeer het over een minuut opnieuw.")
    return vendor


def _organisation_for_vendor(vendor: Vendor, uri: str) -> Organisation | JsonResponse:
    organisation = Organisation.objects.filter(uri=uri).first() if uri else None
    if organisation is None:
        return error_response(404, "not_found", "Onbekend bestuur: geef de URI van het bestuur in organisatie.")
    try:
        check_channel(vendor, organisation)
    except (VendorUnauthenticated, ChannelRefused):
        return error_response(403, "forbidden", f"{vendor.name} mag niet lezen voor {organisation.display_name}.")
    return organisation


def _since(value: str) -> datetime | JsonResponse:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return error_response(400, "since", "Geef sinds als ISO-8601-tijdstip, bv. 2026-12-01T00:00:00+01:00.")
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, ZoneInfo("Europe/Brussels"))
        # In UTC: PostgreSQL refuses offsets past ±15:59 that ISO 8601 allows ("+16:54" was a 500, found by
        # Schemathesis).
        return moment.astimezone(UTC)
    except OverflowError:
        return error_response(400, "since", "Geef sinds als ISO-8601-tijdstip, bv. 2026-12-01T00:00:00+01:00.")


def _message_out(request: HttpRequest, message: Any) -> dict[str, Any]:
    return {
        "uri": message.uri,
        "conversation": message.conversation.uri,
        "dossier_number": message.conversation.dossier_number,
        "subject": message.conversation.subject,
        "type": message.kind,
        "sender": message.sender.uri,
        "recipient": message.recipient.uri,
        "sent_at": message.sent_at.isoformat(),
        "text": message.text,
        "attachments": [
            {
                "name": a.file_name,
                "size": a.blob.size,
                "sha256": a.blob.sha256,
                "media_type": a.blob.content_type,
                "download": request.build_absolute_uri(f"/api/vendor/berichtencentrum/bestanden/{a.uuid}"),
            }
            for a in message.attachments.all()
        ],
    }


@api.get(
    "/api/vendor/berichtencentrum/berichten",
    url_name="berichten",
    summary="Berichten van een bestuur sinds een tijdstip",
    response={
        200: schemas.MessagePage,
        400: schemas.ErrorBody,
        401: schemas.ErrorBody,
        403: schemas.ErrorBody,
        404: schemas.ErrorBody,
        429: schemas.ErrorBody,
    },
    openapi_extra={"security": [{"bearer": []}]},
)
def berichten(
    request: HttpRequest,
    organisatie: Annotated[str, WithJsonSchema({"type": "string", "format": "uri"})],
    sinds: Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})],
    na: UUID | None = None,
) -> HttpResponse:
    """The Berichtencentrum messages (both directions) of a body the vendor acts for, sent at or after `sinds`,
    oldest first, 100 per page; pass `next` of the answer as `na` for the following page."""
    vendor = _bearer_or_refusal(request)
    if isinstance(vendor, JsonResponse):
        return vendor
    organisation = _organisation_for_vendor(vendor, organisatie)
    if isinstance(organisation, JsonResponse):
        return organisation
    since = _since(sinds)
    if isinstance(since, JsonResponse):
        return since
    from loket.messaging.selectors import messages_since

    size = settings.LOKET_VENDOR_MESSAGE_PAGE_SIZE

    try:
        page = messages_since(organisation=organisation, since=since, after=str(na or ""), limit=size)
    except ValidationError:
        return error_response(400, "na", "na is de uuid van het laatste bericht van de vorige pagina.")
    next_key = str(page[-1].uuid) if len(page) == size else None
    return JsonResponse({"messages": [_message_out(request, m) for m in page], "next": next_key})


@api.get(
    "/api/vendor/berichtencentrum/bestanden/{key}",
    url_name="berichten-bestand",
    summary="Een bijlage van een bericht downloaden",
    response={
        400: schemas.ErrorBody,
        401: schemas.ErrorBody,
        403: schemas.ErrorBody,
        404: schemas.ErrorBody,
        409: schemas.ErrorBody,
        429: schemas.ErrorBody,
    },
    openapi_extra={"security": [{"bearer": []}]},
)
def berichten_bestand(request: HttpRequest, key: str) -> HttpResponse | FileResponse:
    """The bytes of an attachment of a message of a body the vendor acts for."""
    vendor = _bearer_or_refusal(request)
    if isinstance(vendor, JsonResponse):
        return vendor
    from loket.messaging.selectors import attachment_by_key

    try:
        attachment = attachment_by_key(key)
    except ValidationError:
        attachment = None
    if attachment is None:
        return error_response(404, "not_found", "Onbekende bijlage.")
    organisation = _organisation_for_vendor(vendor, attachment.message.conversation.organisation.uri)
    if isinstance(organisation, JsonResponse):
        return error_response(404, "not_found", "Onbekende bijlage.")
    if scanwait.is_waiting(attachment.blob.storage_name):
        return error_response(409, "scan_pending", scanwait.waiting_message([attachment.file_name]))
    return stored_download(
        attachment.blob.storage_name, filename=attachment.file_name, content_type=attachment.blob.content_type
    )


@api.post(
    "/vendor/berichtencentrum/melding",
    url_name="berichten-melding",
    summary="Een reactie in het Berichtencentrum melden",
    response=MELDING_RESPONSES,
    openapi_extra=schemas.json_ld_request(schemas.MELDING_BODY),
)
def berichten_melding(request: HttpRequest) -> HttpResponse:
    """Report a new message of the body, published on `href` in an existing conversation: a job downloads the
    page, reads the message and its attachments, and sends it to the agency as the body's reply."""
    from loket.vendors.berichten import message_job_register

    accepted = _melding_accepted(request)
    if isinstance(accepted, JsonResponse):
        return accepted
    body, granted = accepted
    try:
        job = message_job_register(
            vendor=granted.vendor,
            organisation=granted.organisation,
            href=body.href,
            resource=body.submitted_resource,
            credentials=body.credentials,
        )
    except ConflictError as conflict:
        return _errors(409, str(conflict.message))
    return JsonResponse(
        {"uri": body.submitted_resource, "submission": body.submitted_resource, "job": job.uri}, status=201
    )
