"""Ministers (bedienaren) in the positions the agency created for a unit: a person, a position, start (required),
end after start, and a contact. The server refuses a position whose function is not of the unit's religion
(positions made before a religion change, or a pushed row naming another unit's position)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core.audit import audit_record
from loket.core.errors import DomainError
from loket.persons.services import person_claim
from loket.worship.boards import CONTACT_FIELDS, contact_kept_cleared, read_only_reason
from loket.worship.members import MemberProblems
from loket.worship.models import Minister, MinisterPosition, WorshipUnit
from loket.worship.services import minister_function_check


def ministers_of(unit: WorshipUnit, *, include_hidden: bool = False) -> QuerySet[Minister]:
    rows = Minister.objects.filter(position__unit=unit)
    if not include_hidden:
        rows = rows.filter(hidden="")
    return rows.select_related("position", "person").order_by("position__function", "start", "pk")


def positions_of(unit: WorshipUnit) -> QuerySet[MinisterPosition]:
    return MinisterPosition.objects.filter(unit=unit).order_by("function", "pk")


@dataclass
class MinisterInput:
    person: Any
    position: MinisterPosition
    start: date | None
    end: date | None
    contact: dict[str, str]


def _problems(data: MinisterInput, *, contact_required: bool) -> MemberProblems:
    from loket.worship.members import MemberFacts, member_problems

    facts = MemberFacts(person="", role="", term_start=date.min, term_end=None, start=data.start, end=data.end)
    return member_problems(facts, [], contact=data.contact, contact_required=contact_required)


@transaction.atomic
def minister_save(
    *,
    unit: WorshipUnit,
    data: MinisterInput,
    actor: Any,
    minister: Minister | None = None,
    provenance: tuple[str, str] | None = None,
    external_uri: str = "",
) -> Minister:
    locked = (
        WorshipUnit.objects.select_for_update(of=("self",)).select_related("organisation__platform").get(pk=unit.pk)
    )
    if provenance is None and (reason := read_only_reason(locked, WorshipUnit.Module.MINISTERS)):
        raise DomainError(reason, code="read_only")
    if minister is not None and minister.hidden:
        raise DomainError(_("Deze rij is verborgen en kan niet gewijzigd worden."), code="read_only")
    if data.position.unit_id != locked.pk:
        message = _("Kies een functie van dit bestuur.")
        raise DomainError(message, fields={"position": [message]})
    try:
        minister_function_check(locked, data.position.function)
    except DomainError as error:
        raise DomainError(error.message, code="religion", fields={"position": [str(error.message)]}) from error
    kept_cleared = contact_kept_cleared(minister, data.contact)
    problems = _problems(data, contact_required=not kept_cleared)
    if problems.errors:
        raise DomainError(next(iter(problems.errors.values()))[0], code="invalid", fields=problems.errors)
    assert data.start is not None  # member_problems gave an error for a missing start, raised just above
    person_claim(person=data.person)
    now = timezone.now()
    row = minister or Minister(created_at=now)
    row.position, row.person, row.start, row.end = data.position, data.person, data.start, data.end
    for name in CONTACT_FIELDS:
        setattr(row, name, (data.contact.get(name) or "").strip())
    row.contact_purged_at = row.contact_purged_at if kept_cleared else None
    if provenance is not None:
        row.provided_by, row.provided_by_uri = provenance
    if external_uri:
        row.external_uri = external_uri
    row.modified_at = now
    row.save()
    audit_record(
        action="worship.minister_saved",
        actor=actor,
        organisation=locked.organisation,
        minister=row.uri,
        function=row.position.get_function_display(),
        created=minister is None,
        **({"actor_label": provenance[0]} if provenance and not getattr(actor, "is_authenticated", False) else {}),
    )
    return row
