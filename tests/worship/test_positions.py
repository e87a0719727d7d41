"""Minister positions: created per unit by the agency; a function of another religion is refused."""

import pytest

from loket.core.errors import DomainError
from loket.core.models import AuditEvent
from loket.worship.codes import MinisterFunction
from loket.worship.models import MinisterPosition
from loket.worship.services import minister_position_create

pytestmark = pytest.mark.django_db


def test_a_pastor_on_a_catholic_board(units):  # type: ignore[no-untyped-def]
    position = minister_position_create(unit=units["board"], function=MinisterFunction.PASTOR, actor=None)
    assert position.get_function_display() == "Pastoor"
    assert AuditEvent.objects.get(action="worship.position_created").details["function"] == "Pastoor"


def test_no_imam_on_a_catholic_board(units):  # type: ignore[no-untyped-def]
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError) as caught:
        minister_position_create(unit=units["board"], function=MinisterFunction.FIRST_IMAM, actor=None)
    assert caught.value.message == "De functie Eerste Imam in rang hoort niet bij de eredienst Rooms-Katholiek."
    assert MinisterPosition.objects.count() == 0 and AuditEvent.objects.count() == events


def test_an_imam_on_an_islamic_board_not_a_pastor(units):  # type: ignore[no-untyped-def]
    minister_position_create(unit=units["islamic"], function=MinisterFunction.ACTING_IMAM, actor=None)
    with pytest.raises(DomainError):
        minister_position_create(unit=units["islamic"], function=MinisterFunction.PASTOR, actor=None)
    assert list(MinisterPosition.objects.values_list("function", flat=True)) == [MinisterFunction.ACTING_IMAM]


def test_the_back_office_refuses_an_imam_on_a_catholic_board(client, helpdesk, units):  # type: ignore[no-untyped-def]
    client.force_login(helpdesk)
    response = client.post(
        "/helpdesk/worship/ministerposition/add/",
        {"unit": units["board"].pk, "function": MinisterFunction.FIRST_IMAM},
    )
    assert response.status_code == 200
    assert "hoort niet bij de eredienst Rooms-Katholiek" in response.content.decode()
    assert MinisterPosition.objects.count() == 0
    response = client.post(
        "/helpdesk/worship/ministerposition/add/", {"unit": units["board"].pk, "function": MinisterFunction.PASTOR}
    )
    assert response.status_code == 302
    assert MinisterPosition.objects.get().unit == units["board"]
