"""Writes for persons. Modules create and correct persons only through these functions; a national register number
is written only here, as its index and seal (`number_protection.py`)."""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from loket.core.audit import audit_record
from loket.core.errors import ConflictError, DomainError
from loket.persons.models import Person
from loket.persons.national_number import NationalNumberError, parse_national_number
from loket.persons.number_protection import (
    SEPARATOR,
    number_current_index,
    number_current_key_id,
    number_seal,
    number_unseal,
)
from loket.persons.selectors import persons_with_national_number


def _max_length(name: str) -> int:
    field = Person._meta.get_field(name)
    if not isinstance(field, models.CharField) or field.max_length is None:
        raise TypeError(f"Person.{name} is not a text column with a length")
    return field.max_length


def _clean_names(*, given_names: str, family_name: str, used_given_name: str) -> tuple[str, str, str]:
    given, family, used = given_names.strip(), family_name.strip(), used_given_name.strip()
    fields = {}
    if not given:
        fields["given_names"] = _("Vul de voornaam in.")
    if not family:
        fields["family_name"] = _("Vul de achternaam in.")
    if fields:
        raise DomainError(_("De naam van de persoon is onvolledig."), code="person_name", fields=fields)
    named = {"given_names": given, "family_name": family, "used_given_name": used or given.split()[0]}
    # Checked here, not left to the database: PostgreSQL refuses a longer value (a 500), SQLite keeps it whole.
    too_long = {}
    for name, value in named.items():
        limit = _max_length(name)
        if len(value) > limit:
            shown = "given_names" if name == "used_given_name" and not used else name  # derived from the given names
            too_long[shown] = _("Te lang: hoogstens %(limit)s tekens.") % {"limit": limit}
    if too_long:
        raise DomainError(_("De naam van de persoon is te lang."), code="person_name", fields=too_long)
    return given, family, named["used_given_name"]


def _checked_number(national_number: str) -> str | None:
    if not (national_number or "").strip():
        return None
    try:
        parsed = parse_national_number(national_number)
    except NationalNumberError as error:
        raise DomainError(
            error.message, code="national_number", fields={"national_number": str(error.message)}
        ) from None
    return parsed.digits


@transaction.atomic
def person_create(
    *,
    actor: object,
    given_names: str,
    family_name: str,
    used_given_name: str = "",
    national_number: str = "",
    birth_date: date | None = None,
    sex: str = "",
    nationality: str = "",
) -> Person:
    """A new person. The national register number, when given, must be valid and not yet known in the Loket
    (the clerk is then told to pick the existing person). Birth date and sex not given are taken from the number."""
    given, family, used = _clean_names(
        given_names=given_names, family_name=family_name, used_given_name=used_given_name
    )
    digits = _checked_number(national_number)
    if digits:
        parsed = parse_national_number(digits)
        birth_date = birth_date or parsed.birth_date
        sex = sex or (parsed.sex or "")
        if persons_with_national_number(digits).exists():  # under any configured key, also during a rotation
            raise ConflictError(
                _("Er bestaat al een persoon met dit rijksregisternummer; kies die persoon."),
                code="national_number_taken",
                fields={"national_number": _("Dit rijksregisternummer is al gekend.")},
            )
    if sex and sex not in Person.Sex.values:
        raise DomainError(_("Kies man of vrouw als geslacht."), code="sex", fields={"sex": _("Onbekende waarde.")})
    try:
        with transaction.atomic():  # a concurrent create with the same number loses here, with the same message
            person = Person.objects.create(
                given_names=given,
                used_given_name=used,
                family_name=family,
                national_number_index=number_current_index(digits) if digits else None,
                national_number_sealed=number_seal(digits) if digits else "",
                birth_date=birth_date,
                sex=sex,
                nationality=(nationality or "").strip().upper()[:2],
            )
    except IntegrityError:
        raise ConflictError(
            _("Er bestaat al een persoon met dit rijksregisternummer; kies die persoon."),
            code="national_number_taken",
        ) from None
    audit_record(action="person.created", actor=actor, person=str(person.uuid), name=str(person))
    return person


def person_claim(*, person: Person) -> Person:
    """Lock a person a record is about to refer to, inside the caller's transaction, and clear the retention's mark
    (persons/retention.py: a new reference restarts the period). A person the retention deleted in the meantime is
    refused with a message, not a broken foreign key; one it was about to delete is kept, as the purge checks the
    references again after taking the same lock."""
    locked = Person.objects.select_for_update().filter(pk=person.pk).first()
    if locked is None:
        message = _("Deze persoon bestaat niet meer in het Loket; zoek de persoon opnieuw.")
        raise ConflictError(message, code="person_gone", fields={"person": message})
    if locked.unreferenced_since is not None:
        Person.objects.filter(pk=locked.pk).update(unreferenced_since=None)
    return locked


@transaction.atomic
def person_correct_name(
    *, actor: object, person: Person, given_names: str, family_name: str, used_given_name: str = ""
) -> Person:
    """Correct the spelling of a person's name (the same person, never another one)."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    given, family, used = _clean_names(
        given_names=given_names, family_name=family_name, used_given_name=used_given_name
    )
    before = str(locked)
    locked.given_names, locked.family_name, locked.used_given_name = given, family, used
    locked.save(update_fields=["given_names", "family_name", "used_given_name", "updated_at"])
    audit_record(action="person.name_corrected", actor=actor, person=str(locked.uuid), before=before, after=str(locked))
    return locked


@dataclass(frozen=True)
class RekeyCounts:
    rekeyed: int  # rows moved to the current key
    unreadable: int  # rows no configured key opens: left as they are (their old key is still needed)


def person_numbers_rekey(*, batch_size: int = 500) -> RekeyCounts:
    """Move every person's national register number that is not under the current key to it: open the seal with any
    configured key, then index and seal again with the current one. In batches, each in its own transaction;
    idempotent (a row already under the current key is not read). Audited once, with the counts only."""
    current = number_current_key_id() + SEPARATOR
    rekeyed = unreadable = 0
    after = 0
    while True:
        with transaction.atomic():
            batch = list(
                Person.objects.select_for_update()
                .filter(pk__gt=after, national_number_index__isnull=False)
                .exclude(national_number_index__startswith=current)
                .order_by("pk")[:batch_size]
            )
            if not batch:
                break
            after = batch[-1].pk
            moved = []
            for person in batch:
                digits = number_unseal(person.national_number_sealed)
                if digits is None:
                    unreadable += 1
                    continue
                person.national_number_index = number_current_index(digits)
                person.national_number_sealed = number_seal(digits)
                moved.append(person)
            Person.objects.bulk_update(moved, ["national_number_index", "national_number_sealed"])
            rekeyed += len(moved)
    audit_record(
        action="person.numbers_rekeyed",
        actor=None,
        actor_label="manage.py person_numbers_rekey",
        count=rekeyed,
        unreadable=unreadable,
    )
    return RekeyCounts(rekeyed=rekeyed, unreadable=unreadable)
