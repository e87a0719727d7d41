"""Board members and ministers are not published: no RDF mapping, no dereferenceable URI, nothing of a person in
the public graphs of the unit, its mandates and positions."""

from datetime import date

import pytest
from django.core.management import call_command

from loket.core.linkeddata import graph_for
from loket.worship.boards import MemberInput, board_member_save
from loket.worship.codes import BoardRole, MinisterFunction
from loket.worship.ministers import MinisterInput, minister_save
from loket.worship.models import Mandate
from loket.worship.services import minister_position_create

pytestmark = pytest.mark.django_db
CONTACT = {
    "email": "geheim@example.org",
    "phone": "+32 3 999 99 99",
    "street": "Geheimstraat",
    "house_number": "9",
    "postcode": "2000",
    "municipality_name": "Antwerpen",
}


def test_board_members_and_ministers_are_not_public(client, units):  # type: ignore[no-untyped-def]
    from loket.persons.services import person_create

    call_command("worship", "periods", verbosity=0)
    person = person_create(
        given_names="Greta",
        family_name="Geheim",
        national_number="60050100103",
        birth_date=date(1960, 5, 1),
        sex="female",
        nationality="BE",
        actor=None,
    )
    mandate = Mandate.objects.get(unit=units["board"], role=BoardRole.MEMBER_MINOR_HALF, start=date(2023, 4, 1))
    member, _warnings = board_member_save(
        unit=units["board"],
        data=MemberInput(person=person, mandate=mandate, start=date(2023, 4, 1), end=None, contact=CONTACT),
        actor=None,
    )
    position = minister_position_create(unit=units["board"], function=MinisterFunction.PASTOR, actor=None)
    minister = minister_save(
        unit=units["board"],
        data=MinisterInput(person=person, position=position, start=date(2023, 4, 1), end=None, contact=CONTACT),
        actor=None,
    )
    for row in (member, minister):
        with pytest.raises(LookupError):
            graph_for(row)
    assert client.get(f"/id/mandatarissen/{member.uuid}").status_code == 404
    assert client.get(f"/id/rollenBedienaar/{minister.uuid}").status_code == 404
    public = (
        graph_for(units["board"]).serialize(format="nt")
        + graph_for(mandate).serialize(format="nt")
        + graph_for(position).serialize(format="nt")
    )
    for secret in ("Geheim", "60050100103", "1960-05-01", "geheim@example.org", "999 99 99", member.uri):
        assert secret not in public
