"""Ministers through the pages (role eredienst-bedienaren): a person in one of the unit's positions; the server
refuses a position whose function is not of the unit's religion."""

from datetime import date

import pytest

from loket.worship.codes import MinisterFunction
from loket.worship.models import Minister, MinisterPosition
from loket.worship.services import minister_position_create
from tests.worship.conftest import CONTACT_POST

pytestmark = pytest.mark.django_db
PERSON = {"first_name": "Jan", "last_name": "Pastoor", "sex": "male", "nationality": "BE", "birth_date": "1970-02-02"}


def test_adding_a_minister(client, units, board_clerk):  # type: ignore[no-untyped-def]
    position = minister_position_create(unit=units["board"], function=MinisterFunction.PASTOR, actor=None)
    client.force_login(board_clerk)
    assert "Pastoor" in client.get("/eredienst-bedienarenbeheer/nieuw/").content.decode()
    response = client.post(
        "/eredienst-bedienarenbeheer/nieuw/", {**PERSON, **CONTACT_POST, "position": position.pk, "start": "2024-09-01"}
    )
    assert response.status_code == 302
    minister = Minister.objects.get()
    assert (str(minister.person), minister.position, minister.start) == ("Jan Pastoor", position, date(2024, 9, 1))


def test_an_imam_position_on_a_catholic_board_is_refused_by_the_server(client, units, board_clerk):  # type: ignore[no-untyped-def]
    # A position that slipped in around the service (e.g. the religion changed after it was made).
    imam = MinisterPosition.objects.create(unit=units["board"], function=MinisterFunction.FIRST_IMAM)
    client.force_login(board_clerk)
    response = client.post(
        "/eredienst-bedienarenbeheer/nieuw/", {**PERSON, **CONTACT_POST, "position": imam.pk, "start": "2024-09-01"}
    )
    assert response.status_code == 400
    assert "De functie Eerste Imam in rang hoort niet bij de eredienst Rooms-Katholiek." in response.content.decode()
    assert Minister.objects.count() == 0


def test_end_after_start_and_contact_required(client, units, board_clerk):  # type: ignore[no-untyped-def]
    position = minister_position_create(unit=units["board"], function=MinisterFunction.PASTOR, actor=None)
    client.force_login(board_clerk)
    response = client.post(
        "/eredienst-bedienarenbeheer/nieuw/",
        {**PERSON, **CONTACT_POST, "phone": "", "position": position.pk, "start": "2024-09-01", "end": "2024-08-01"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "De einddatum moet na de startdatum liggen." in page
    assert "Vul telefoon in: een contactgegeven is verplicht." in page
    assert Minister.objects.count() == 0


def test_ministers_role_is_needed(client, units, worship_board):  # type: ignore[no-untyped-def]
    from loket.accounts.roles import Role
    from tests.conftest import grant, make_user

    user = make_user("mia-mandaten")
    grant(user, worship_board, [Role.WORSHIP_MANDATES])
    client.force_login(user)
    assert client.get("/eredienst-bedienarenbeheer/").status_code == 403
    assert client.get("/eredienst-mandatenbeheer/").status_code == 200
