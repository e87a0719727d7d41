"""Reads for persons: finding a person by national register number or by name."""

from django.db.models import Q, QuerySet

from loket.persons.models import Person
from loket.persons.national_number import NationalNumberError, parse_national_number
from loket.persons.number_protection import number_indexes


def person_by_national_number(national_number: str) -> Person | None:
    """The person with this national register number (written any way people write it), under any configured key;
    None for an invalid number. The one way the Loket finds a person by number."""
    try:
        digits = parse_national_number(national_number).digits
    except NationalNumberError:
        return None
    return persons_with_national_number(digits).first()


def persons_with_national_number(digits: str) -> QuerySet[Person]:
    """The persons whose index, under any configured key, is that of these 11 digits (at most one, but during a
    rotation the uniqueness check must see a row under an old key too)."""
    return Person.objects.filter(national_number_index__in=number_indexes(digits))


def person_find(*, query: str, limit: int = 20) -> QuerySet[Person]:
    """Persons whose national register number is the query, or whose names contain every word of it."""
    text = (query or "").strip()
    if not text:
        return Person.objects.none()
    found = person_by_national_number(text)
    if found is not None:
        return Person.objects.filter(pk=found.pk)
    condition = Q()
    for word in text.split()[:5]:
        condition &= (
            Q(family_name__icontains=word) | Q(used_given_name__icontains=word) | Q(given_names__icontains=word)
        )
    return Person.objects.filter(condition).order_by("family_name", "used_given_name", "pk")[:limit]


def person_by_uuid(uuid: str) -> Person | None:
    return Person.objects.filter(uuid=uuid).first()
