"""Reads for persons: finding a person by national register number or by name."""

from django.db.models import Q, QuerySet

from loket.persons.models import Person
from loket.persons.national_number import NationalNumberError, parse_national_number


def person_by_national_number(national_number: str) -> Person | None:
    try:
        digits = parse_national_number(national_number).digits
    except NationalNumberError:
        return None
    return Person.objects.filter(national_number=digits).first()


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
