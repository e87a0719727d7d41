"""Worship cast: the diocese's Catholic board (St.-Margarita, from the shared cast) with its municipality Aalst, an
Islamic board and the province, a central board, and a second municipality."""

import pytest

from loket.organisations.models import Organisation
from loket.worship.codes import Religion
from loket.worship.models import WorshipUnit
from loket.worship.services import worship_units_sync
from tests.conftest import _kind, make_organisation


@pytest.fixture
def province(target_group, agency) -> Organisation:  # type: ignore[no-untyped-def]
    return make_organisation(
        key="cccc0000-0000-0000-0000-00000000000p",
        name="Provincie Antwerpen",
        kbo="0207725104",
        kind=_kind("5ab0e9b8a3b2ca7c5e000000", "Provincie", "province"),
        target_group=target_group,
        access_manager=agency,
    )


@pytest.fixture
def central_board_org(target_group, diocese) -> Organisation:  # type: ignore[no-untyped-def]
    return make_organisation(
        key="7f5475cfb202d12f54779f046441c9e1",
        name="CKB Aalst",
        kbo="0212345668",
        kind=_kind(
            "f9cac08a-13c1-49da-9bcb-f650b0604054", "Centraal bestuur van de eredienst", "central_worship_board"
        ),
        target_group=target_group,
        base="centraleBesturenVanDeEredienst",
        access_manager=diocese,
    )


@pytest.fixture
def islamic_board_org(target_group, agency) -> Organisation:  # type: ignore[no-untyped-def]
    return make_organisation(
        key="9d9d0000000000000000000000000001",
        name="",
        kbo="0500123486",
        kind=_kind("66ec74fd-8cfc-4e16-99c6-350b35012e86", "Bestuur van de eredienst", "worship_board"),
        target_group=target_group,
        base="besturenVanDeEredienst",
    )


@pytest.fixture
def units(worship_board, diocese, central_board_org, islamic_board_org, province, municipality, other_municipality):  # type: ignore[no-untyped-def]
    """Every worship body of the cast as a unit, with religions set; returns them by name."""
    worship_units_sync()
    board = WorshipUnit.objects.get(organisation=worship_board)
    body = WorshipUnit.objects.get(organisation=diocese)
    central = WorshipUnit.objects.get(organisation=central_board_org)
    islamic = WorshipUnit.objects.get(organisation=islamic_board_org)
    body.religion = central.religion = board.religion = Religion.ROMAN_CATHOLIC
    islamic.religion = Religion.ISLAMIC
    board.representative_body = body
    central.representative_body = body
    for unit in (board, body, central, islamic):
        unit.save()
    return {"board": board, "diocese": body, "central": central, "islamic": islamic}
