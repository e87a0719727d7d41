"""The persons of board members and ministers come from the shared `persons` app (one Person model for every
module): an existing person is found by national register number; a new one is made there, with what worship
asks more (nationality, and a birth date 18 to 100 years ago)."""

from typing import Any

from django.utils.translation import gettext as _

from loket.core.errors import DomainError
from loket.persons.selectors import person_by_national_number
from loket.persons.services import person_create
from loket.worship.forms import birth_date_problem

# The persons app's field names → ours (the form's and the push's).
FIELD_NAMES = {"given_names": "first_name", "family_name": "last_name", "national_number": "rrn"}


def person_for(data: dict[str, Any], *, actor: Any) -> Any:
    """The person the form names: found by national register number, or created (refused with field errors when
    incomplete)."""
    rrn = (data.get("rrn") or "").strip()
    if rrn:
        found = person_by_national_number(rrn)
        if found is not None:
            return found
    errors: dict[str, list[str]] = {}
    for name, message in (
        ("first_name", _("De voornaam is verplicht voor een nieuwe persoon.")),
        ("last_name", _("De familienaam is verplicht voor een nieuwe persoon.")),
    ):
        if not (data.get(name) or "").strip():
            errors[name] = [message]
    nationality = (data.get("nationality") or "").strip().upper()
    if len(nationality) != 2 or not nationality.isalpha():
        errors["nationality"] = [_("De nationaliteit is verplicht voor een nieuwe persoon (landcode, bv. BE).")]
    if problem := birth_date_problem(data.get("birth_date")):
        errors["birth_date"] = [problem]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], code="person", fields=errors)
    try:
        return person_create(
            actor=actor,
            given_names=data["first_name"],
            family_name=data["last_name"],
            national_number=rrn,
            birth_date=data["birth_date"],
            sex=data.get("sex") or "",
            nationality=nationality,
        )
    except DomainError as error:
        fields = {
            FIELD_NAMES.get(name, name): [str(m) for m in (messages if isinstance(messages, list) else [messages])]
            for name, messages in error.fields.items()
        }
        raise DomainError(error.message, code=error.code, fields=fields or {"rrn": [str(error.message)]}) from error
