"""Writes of Leidinggevendenbeheer. Rules the real Loket leaves to the browser or not at all are enforced here: end
after start; at most one appointed and one acting holder of a function on any date; Leidend ambtenaar only
appointed; a new holder makes the function's contact point "to confirm" instead of silently keeping the
previous holder's; a valid e-mail, a Belgian phone number (normalised) and a 4-digit postcode."""

import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core.audit import audit_record
from loket.core.errors import DomainError
from loket.officials.functions import FUNCTIONS_BY_KIND, ONLY_APPOINTED
from loket.officials.models import Official, OfficialFunction
from loket.organisations.models import Organisation
from loket.persons.models import Person
from loket.persons.selectors import person_by_national_number
from loket.persons.services import person_claim, person_create

_SALT = "loket-bestuursfunctie"


def _function_uuid(organisation: Organisation, role_code: str) -> uuid.UUID:
    """Deterministic, as the real Loket's posts: the same body and function give the same URI in every install."""
    digest = hashlib.sha256(f"{_SALT}{organisation.uri}{role_code}".encode()).hexdigest()
    return uuid.UUID(digest[:32])


def functions_create(*, organisations: Any = None) -> int:
    """Make the leading functions of every body by its classification (idempotent); returns how many are new."""
    queryset = organisations if organisations is not None else Organisation.objects.select_related("kind")
    created = 0
    for organisation in queryset.filter(kind__label__in=list(FUNCTIONS_BY_KIND)):
        assert organisation.kind is not None  # filtered on its kind's label
        for kind in FUNCTIONS_BY_KIND[organisation.kind.label]:
            _function, is_new = OfficialFunction.objects.get_or_create(
                organisation=organisation,
                role_code=kind.role_code,
                defaults={"uuid": _function_uuid(organisation, kind.role_code), "label": kind.label},
            )
            created += int(is_new)
    return created


@dataclass(frozen=True)
class Term:
    start: date | None
    end: date | None
    status: str


def _overlaps(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    return a_start <= (b_end or date.max) and b_start <= (a_end or date.max)


def _check_term(function: OfficialFunction, term: Term, *, exclude: int | None = None) -> None:
    fields = {}
    if term.start is None:
        fields["start"] = _("Start aanstellingsperiode is verplicht.")
    elif term.end is not None and term.end <= term.start:
        fields["end"] = _("Het einde moet na de start liggen.")
    if term.status not in Official.Status.values:
        fields["status"] = _("Kies aangesteld of waarnemend.")
    elif term.status == Official.Status.ACTING and function.role_code in ONLY_APPOINTED:
        fields["status"] = _("Een leidend ambtenaar is altijd aangesteld.")
    if fields:
        raise DomainError(_("De aanstelling is niet volledig: verbeter de aangeduide velden."), fields=fields)
    others = function.officials.filter(status=term.status).select_related("person")
    if exclude is not None:
        others = others.exclude(pk=exclude)
    for other in others:
        if _overlaps(term.start, term.end, other.start, other.end):  # type: ignore[arg-type]
            raise DomainError(
                _(
                    "%(person)s is in die periode al %(status)s %(function)s (%(start)s tot %(end)s); er kan maar één "
                    "%(status)s houder tegelijk zijn. Beëindig eerst die aanstelling."
                )
                % {
                    "person": other.person,
                    "status": other.get_status_display(),
                    "function": function.label.lower(),
                    "start": other.start.strftime("%d-%m-%Y"),
                    "end": other.end.strftime("%d-%m-%Y") if other.end else _("heden"),
                },
                fields={"start": _("Overlapt met een andere aanstelling.")},
            )


@transaction.atomic
def official_add(*, actor: Any, function: OfficialFunction, person: Person, term: Term) -> Official:
    locked = OfficialFunction.objects.select_for_update().get(pk=function.pk)
    _check_term(locked, term)
    assert term.start is not None  # _check_term refused a missing start
    person_claim(person=person)
    official = Official.objects.create(
        function=locked, person=person, start=term.start, end=term.end, status=term.status
    )
    locked.contact_to_confirm = True  # a new holder: the contact point is confirmed, never silently kept
    locked.save(update_fields=["contact_to_confirm"])
    audit_record(
        action="official.added",
        actor=actor,
        organisation=locked.organisation,
        function=locked.label,
        official=official.uri,
        person=str(person),
        status=term.status,
    )
    return official


@transaction.atomic
def official_add_person(
    *,
    actor: Any,
    function: OfficialFunction,
    national_number: str,
    given_names: str,
    family_name: str,
    term: Term,
    person: Person | None = None,
) -> Official:
    """A holder: the person the clerk picked from a search (by name or national register number), else the one with
    this national register number, else a new person with these names; a refused holder leaves no new person behind
    (one transaction)."""
    known = person or (person_by_national_number(national_number) if national_number.strip() else None)
    if known is None and not (given_names.strip() or family_name.strip() or national_number.strip()):
        raise DomainError(
            _("Kies een gevonden persoon of vul de gegevens van een nieuwe persoon in."), fields={"person": "x"}
        )
    chosen = known or person_create(
        actor=actor, given_names=given_names, family_name=family_name, national_number=national_number
    )
    return official_add(actor=actor, function=function, person=chosen, term=term)


@transaction.atomic
def official_end(*, actor: Any, official: Official, end: date | None) -> Official:
    """End an appointment on a date (after its start; an earlier end than the one it has is allowed, a later one
    goes through the same overlap rules as any change)."""
    if end is None:
        raise DomainError(_("Vul de einddatum in."), fields={"end": _("Vul de einddatum in.")})
    locked_function = OfficialFunction.objects.select_for_update().get(pk=official.function_id)
    term = Term(start=official.start, end=end, status=official.status)
    _check_term(locked_function, term, exclude=official.pk)
    before = str(official.end or "")
    Official.objects.filter(pk=official.pk).update(end=end)
    official.refresh_from_db()
    audit_record(
        action="official.ended",
        actor=actor,
        organisation=locked_function.organisation,
        function=locked_function.label,
        official=official.uri,
        person=str(official.person),
        end=end.isoformat(),
        before=before,
    )
    return official


@transaction.atomic
def official_update(*, actor: Any, official: Official, term: Term) -> Official:
    locked_function = OfficialFunction.objects.select_for_update().get(pk=official.function_id)
    _check_term(locked_function, term, exclude=official.pk)
    before = {"start": str(official.start), "end": str(official.end or ""), "status": official.status}
    Official.objects.filter(pk=official.pk).update(start=term.start, end=term.end, status=term.status)
    official.refresh_from_db()
    audit_record(
        action="official.changed",
        actor=actor,
        organisation=locked_function.organisation,
        function=locked_function.label,
        official=official.uri,
        before=before,
        after={"start": str(term.start), "end": str(term.end or ""), "status": term.status},
    )
    return official


@dataclass(frozen=True)
class Contact:
    email: str = ""
    phone: str = ""
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    municipality_name: str = ""


def normalise_phone(value: str) -> str:
    """A Belgian number in international form (+32 …); raises ValueError when it is none."""
    try:
        parsed = phonenumbers.parse(value, "BE")
    except phonenumbers.NumberParseException as error:
        raise ValueError(str(error)) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(value)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _checked_contact(contact: Contact) -> Contact:
    fields = {}
    email, phone = contact.email.strip(), contact.phone.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            fields["email"] = _("Dit is geen geldig e-mailadres.")
    if phone:
        try:
            phone = normalise_phone(phone)
        except ValueError:
            fields["phone"] = _("Dit is geen geldig Belgisch telefoonnummer, bv. 053 72 31 11.")
    postcode = contact.postcode.strip()
    if postcode and not re.fullmatch(r"[1-9][0-9]{3}", postcode):
        fields["postcode"] = _("Een Belgische postcode heeft 4 cijfers, bv. 9300.")
    if fields:
        raise DomainError(_("De contactgegevens kloppen niet: verbeter de aangeduide velden."), fields=fields)
    return Contact(
        email=email,
        phone=phone,
        street=contact.street.strip()[:200],
        house_number=contact.house_number.strip()[:20],
        postcode=postcode,
        municipality_name=contact.municipality_name.strip()[:100],
    )


@transaction.atomic
def function_contact_confirm(*, actor: Any, function: OfficialFunction, contact: Contact) -> OfficialFunction:
    """Save (or confirm unchanged) the function's contact point."""
    checked = _checked_contact(contact)
    locked = OfficialFunction.objects.select_for_update().get(pk=function.pk)
    for name, value in checked.__dict__.items():
        setattr(locked, name, value)
    locked.contact_to_confirm = False
    locked.contact_confirmed_at = timezone.now()
    locked.save()
    audit_record(
        action="official.contact_confirmed", actor=actor, organisation=locked.organisation, function=locked.label
    )
    return locked
