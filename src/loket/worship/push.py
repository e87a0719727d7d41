"""The platform push: a platform such as Religiopoint sends the board members and ministers of one unit it
serves, as JSON-LD, with its vendor key (the vendor API's one authorisation: a platform is admitted only for the
units on that platform; pushing for a body that works in the Loket is refused with 403).

Idempotent by URI: a row with a known `@id` is updated (or left as it is), a new one created. Each row is
judged by the same services as the pages and answered on its own: one bad row does not stop the others.

    {"organization": "<unit URI>", "publisher": {"uri": "<vendor URI>", "key": "<key>"},
     "boardMembers": [{"@id": "…", "mandate": "<mandate URI>", "start": "2023-04-01", "end": null,
                       "person": {"identifier": "<RRN>", "firstName": "…", "lastName": "…", "sex": "female",
                                  "nationality": "Belg", "birthDate": "1960-05-01"},
                       "contact": {"email": "…", "telephone": "…", "street": "…", "houseNumber": "…",
                                   "postcode": "…", "municipality": "…"}}],
     "ministers": [{"@id": "…", "position": "<position URI>", "start": "…", "person": {…}, "contact": {…}}]}
"""

import json
from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from loket.core.access import public
from loket.core.errors import DomainError
from loket.core.throttle import client_ip
from loket.vendors.payload import Publisher
from loket.vendors.services import RequestRefused, vendor_request_authorise
from loket.worship.boards import MemberInput, board_member_save
from loket.worship.ministers import MinisterInput, minister_save
from loket.worship.models import BoardMember, Mandate, Minister, MinisterPosition, WorshipUnit
from loket.worship.people import person_for

MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
CONTACT_KEYS = {
    "email": "email",
    "telephone": "phone",
    "secondaryTelephone": "secondary_phone",
    "street": "street",
    "houseNumber": "house_number",
    "postcode": "postcode",
    "municipality": "municipality_name",
}


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"errors": [{"title": message}]}, status=status)


def _date(value: Any, name: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise DomainError(f"{name}: not a date (YYYY-MM-DD)", fields={name: ["not a date (YYYY-MM-DD)"]}) from error


def _key(uri: Any) -> str:
    return str(uri or "").rstrip("/").rsplit("/", 1)[-1]


def _person(row: dict[str, Any]) -> dict[str, Any]:
    person = row.get("person")
    if not isinstance(person, dict):
        person = {}
    return {
        "rrn": str(person.get("identifier") or ""),
        "first_name": str(person.get("firstName") or ""),
        "last_name": str(person.get("lastName") or ""),
        "sex": str(person.get("sex") or ""),
        "nationality": str(person.get("nationality") or ""),
        "birth_date": _date(person.get("birthDate"), "birthDate"),
    }


def _contact(row: dict[str, Any]) -> dict[str, str]:
    contact = row.get("contact")
    if not isinstance(contact, dict):
        contact = {}
    return {ours: str(contact.get(theirs) or "") for theirs, ours in CONTACT_KEYS.items()}


def _member_row(unit: WorshipUnit, row: dict[str, Any], provenance: tuple[str, str]) -> str:
    uri = str(row.get("@id") or "")
    mandate_key = _uuid(row.get("mandate"))
    mandate = Mandate.objects.filter(unit=unit, uuid=mandate_key).first() if mandate_key is not None else None
    if mandate is None:
        raise DomainError("mandate: not a mandate of this unit", fields={"mandate": ["not a mandate of this unit"]})
    existing = BoardMember.objects.filter(unit=unit, external_uri=uri).select_related("person").first()
    data = MemberInput(
        person=existing.person if existing else person_for(_person(row), actor=None),
        mandate=mandate,
        start=_date(row.get("start"), "start"),
        end=_date(row.get("end"), "end"),
        contact=_contact(row),
    )
    if existing and _same_member(existing, data):
        return "unchanged"
    board_member_save(unit=unit, data=data, actor=None, member=existing, provenance=provenance, external_uri=uri)
    return "updated" if existing else "created"


def _same_member(row: BoardMember, data: MemberInput) -> bool:
    same_contact = all(getattr(row, name) == value.strip() for name, value in data.contact.items())
    return (row.mandate_id, row.start, row.end) == (data.mandate.pk, data.start, data.end) and same_contact


def _minister_row(unit: WorshipUnit, row: dict[str, Any], provenance: tuple[str, str]) -> str:
    uri = str(row.get("@id") or "")
    position_key = _uuid(row.get("position"))
    position = (
        MinisterPosition.objects.filter(unit=unit, uuid=position_key).first() if position_key is not None else None
    )
    if position is None:
        raise DomainError("position: not a position of this unit", fields={"position": ["not a position of this unit"]})
    existing = Minister.objects.filter(position__unit=unit, external_uri=uri).select_related("person").first()
    data = MinisterInput(
        person=existing.person if existing else person_for(_person(row), actor=None),
        position=position,
        start=_date(row.get("start"), "start"),
        end=_date(row.get("end"), "end"),
        contact=_contact(row),
    )
    if existing and (existing.position_id, existing.start, existing.end) == (position.pk, data.start, data.end):
        if all(getattr(existing, name) == value.strip() for name, value in data.contact.items()):
            return "unchanged"
    minister_save(unit=unit, data=data, actor=None, minister=existing, provenance=provenance, external_uri=uri)
    return "updated" if existing else "created"


def _uuid(uri: Any) -> str | None:
    import uuid

    try:
        return str(uuid.UUID(_key(uri)))
    except ValueError:
        return None


def _one(handler: Any, unit: WorshipUnit, row: Any, provenance: tuple[str, str]) -> dict[str, Any]:
    uri = str(row.get("@id") or "") if isinstance(row, dict) else ""
    if not uri.startswith(("http://", "https://")):
        return {"uri": uri, "status": "error", "errors": {"@id": ["every row needs an absolute URI as @id"]}}
    try:
        with transaction.atomic():
            return {"uri": uri, "status": handler(unit, row, provenance)}
    except DomainError as error:
        fields = {name: [str(message) for message in messages] for name, messages in error.fields.items()}
        return {"uri": uri, "status": "error", "errors": fields or {"row": [str(error.message)]}}


@csrf_exempt
@require_POST
@public
def platform_push(request: HttpRequest) -> HttpResponse:
    """One unit's board members and ministers from its platform (see the module docstring)."""
    if len(request.body) > MAX_BODY_BYTES:
        return _error(413, "Payload too large.")
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _error(400, "Invalid JSON.")
    if not isinstance(body, dict):
        return _error(400, "Invalid JSON-LD payload: an object is expected.")
    publisher = body.get("publisher")
    if not isinstance(publisher, dict):
        publisher = {}
    organisation_uri = str(body.get("organization") or "")
    vendor_uri = str(publisher.get("uri") or publisher.get("@id") or "")
    key = str(publisher.get("key") or "")
    if not organisation_uri or not vendor_uri or not key:
        return _error(400, "Invalid JSON-LD payload: organization, publisher.uri and publisher.key are required.")
    granted = vendor_request_authorise(
        publisher=Publisher(organisation_uri=organisation_uri, vendor_uri=vendor_uri, key=key),
        address=client_ip(request),
        endpoint="worship-push",
    )
    if isinstance(granted, RequestRefused):
        response = _error(granted.status, granted.message)
        if granted.retry_after is not None:
            response["Retry-After"] = str(granted.retry_after)
        return response
    if not granted.vendor.is_platform:
        return _error(403, "Only the platform that serves this unit can push its board members and ministers.")
    unit = WorshipUnit.objects.select_related("organisation").filter(organisation=granted.organisation).first()
    if unit is None or unit.kind == WorshipUnit.Kind.REPRESENTATIVE_BODY:
        return _error(400, "The organization is not a worship board or central board.")
    members, ministers = body.get("boardMembers") or [], body.get("ministers") or []
    if not isinstance(members, list) or not isinstance(ministers, list) or len(members) + len(ministers) > MAX_ROWS:
        return _error(400, f"boardMembers and ministers are lists of at most {MAX_ROWS} rows together.")
    provenance = (
        granted.vendor.platform.name if granted.vendor.platform_id else granted.vendor.name,
        granted.vendor.uri,
    )  # type: ignore[union-attr]
    results = [_one(_member_row, unit, row, provenance) for row in members]
    results += [_one(_minister_row, unit, row, provenance) for row in ministers]
    counts = {
        status: sum(1 for r in results if r["status"] == status)
        for status in ("created", "updated", "unchanged", "error")
    }
    return JsonResponse({"organization": unit.uri, "counts": counts, "results": results}, status=200)
