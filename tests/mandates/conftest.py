"""Mandatenbeheer fixtures: Aalst's decretal organs, its OCMW, people with a valid RRN."""

from datetime import date

import pytest

from loket.mandates.codes import OrganKind, RoleCode
from loket.mandates.models import Mandate
from loket.mandates.organs import decretal_organs_create
from loket.mandates.services import fractie_create
from loket.organisations.models import Organisation
from loket.persons.national_number import FEMALE, MALE
from loket.persons.services import person_create
from tests.conftest import _kind, make_organisation


def rrn(born: date, serial: int) -> str:
    nine = f"{born:%y%m%d}{serial:03d}"
    base = int(("2" if born.year >= 2000 else "") + nine)
    return f"{nine}{97 - base % 97:02d}"


@pytest.fixture
def organs(municipality) -> None:  # type: ignore[no-untyped-def]
    decretal_organs_create(organisations=[municipality])


@pytest.fixture
def ocmw(target_group, agency) -> Organisation:  # type: ignore[no-untyped-def]
    kind = _kind("5ab0e9b8a3b2ca7c5e000002", "OCMW", "ocmw")
    unit = make_organisation(
        key="aaaa0000-0000-0000-0000-00000000000c",
        name="Aalst",
        kbo="0212239224",
        kind=kind,
        target_group=target_group,
        access_manager=agency,
    )
    decretal_organs_create(organisations=[unit])
    return unit


def mandate(organisation: Organisation, role: str, period: str = "2024") -> Mandate:
    return Mandate.objects.select_related("term__organ").get(
        term__organ__organisation=organisation, term__period=period, role=role
    )


@pytest.fixture
def councillor(organs, municipality) -> Mandate:  # type: ignore[no-untyped-def]
    return mandate(municipality, RoleCode.COUNCILLOR)


JAN_NUMBER = rrn(date(1970, 3, 4), 1)  # Jan's national register number (the Loket keeps no copy)


@pytest.fixture
def jan(clerk):  # type: ignore[no-untyped-def]
    return person_create(actor=clerk, given_names="Jan", family_name="Peeters", national_number=JAN_NUMBER)


@pytest.fixture
def els(clerk):  # type: ignore[no-untyped-def]
    return person_create(actor=clerk, given_names="Els", family_name="Claes", national_number=rrn(date(1982, 8, 9), 2))


@pytest.fixture
def fractie(municipality, clerk):  # type: ignore[no-untyped-def]
    return fractie_create(organisation=municipality, name="Samen Aalst", actor=clerk)


__all__ = ["FEMALE", "MALE", "OrganKind"]
