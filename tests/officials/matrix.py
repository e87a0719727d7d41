"""The authorisation matrix's own organisation (the agency) gets one function with one holder, made directly."""

import uuid
from datetime import date


def officials_kwargs(cast: dict, converters: set[str]) -> dict:  # type: ignore[type-arg]
    from loket.officials.models import Official, OfficialFunction
    from loket.persons.services import person_create

    if "officials" not in cast:
        agency = cast["with_role"].memberships.get().organisation
        function = OfficialFunction.objects.create(uuid=uuid.uuid4(), organisation=agency, role_code="x", label="Test")
        person = person_create(actor=None, given_names="Matrix", family_name="Functionaris")
        official = Official.objects.create(function=function, person=person, start=date(2020, 1, 1))
        cast["officials"] = {"function": function.uuid, "official": official.uuid}
    return {name: value for name, value in cast["officials"].items() if name in converters}
