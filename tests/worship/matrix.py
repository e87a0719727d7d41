"""Rows of the authorisation matrix's own organisation (the agency) for the worship pages with a row in their URL:
the agency is made a worship unit for that test, with one board member and one minister."""

from datetime import date

from django.utils import timezone


def worship_row_kwargs(cast: dict, converters: set[str]) -> dict:  # type: ignore[type-arg]
    from loket.persons.services import person_create
    from loket.worship.models import BoardMember, Mandate, Minister, MinisterPosition, WorshipUnit

    agency = cast["with_role"].memberships.get().organisation
    unit, _created = WorshipUnit.objects.get_or_create(
        organisation=agency, defaults={"kind": "board", "religion": "rooms-katholiek"}
    )
    person = person_create(
        given_names="Matrix",
        family_name="Persoon",
        birth_date=date(1970, 1, 1),
        sex="",
        nationality="BE",
        actor=None,
    )
    now = timezone.now()
    contact = {
        "email": "m@example.org",
        "phone": "1",
        "street": "s",
        "house_number": "1",
        "postcode": "1000",
        "municipality_name": "Brussel",
        "created_at": now,
        "modified_at": now,
    }
    values = {}
    if "member" in converters:
        mandate = Mandate.objects.create(unit=unit, role="5972fccd87f864c4ec06bfbd20b5008b", start=date(2020, 4, 1))
        values["member"] = BoardMember.objects.create(
            unit=unit, mandate=mandate, person=person, start=date(2020, 4, 1), **contact
        ).uuid
    if "minister" in converters:
        position = MinisterPosition.objects.create(unit=unit, function="5c7fefe1b921dfd4c550924bb7a9331d")
        values["minister"] = Minister.objects.create(
            position=position, person=person, start=date(2020, 4, 1), **contact
        ).uuid
    return values


def worship_unit_key(cast: dict) -> str:  # type: ignore[type-arg]
    """A board the agency (the matrix's own organisation) may read as supervisor; nobody of another body may."""
    from loket.worship.models import WorshipUnit

    unit, _created = WorshipUnit.objects.get_or_create(
        organisation=cast["municipality"], defaults={"kind": "board", "religion": "rooms-katholiek"}
    )
    return unit.organisation.key
