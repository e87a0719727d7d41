import pytest

from loket.accounts.roles import Role
from loket.personnel.dimensions import CELL_COUNT
from loket.personnel.models import PersonnelPeriod
from loket.personnel.services import period_open


@pytest.fixture
def period(municipality, other_municipality):  # type: ignore[no-untyped-def]
    period_open(year=2026)
    return PersonnelPeriod.objects.get(year=2026)


@pytest.fixture
def agency_clerk(agency):  # type: ignore[no-untyped-def]
    from tests.conftest import grant, make_user

    user = make_user("anna-agentschap")
    grant(user, agency, [Role.PERSONEEL])
    return user


def full_entries(heads: int = 2, fte: str = "1.5") -> dict:  # type: ignore[type-arg]
    """Every cell filled: heads everywhere, FTE = heads in the Voltijds cells (no warning), `fte` elsewhere."""
    from loket.personnel.dimensions import CELLS

    entries = {}
    for cell in CELLS:
        entries[("koppen", cell.index)] = str(heads)
        entries[("vte", cell.index)] = str(heads) if cell.is_full_time else fte
    assert len(entries) == 2 * CELL_COUNT
    return entries


def form_data(entries: dict, action: str = "bewaren") -> dict:  # type: ignore[type-arg]
    return {"actie": action, **{f"{unit}-{cell}": value for (unit, cell), value in entries.items()}}
