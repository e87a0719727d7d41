"""Board periods (bestuursperiodes) and the mandates on them, made by `manage.py worship periods`.

Worship boards are elected for three years from 1 April to 31 March (2020-2023, 2023-2026, 2026-2029, 2029-2032);
every three years one half of the elected members is renewed (half renewal). So a local board's organ gets, per
period, an organ-in-time (`OrganTerm`) and the mandates (worship.md §3):

- Bestuurslid van rechtswege: one mandate shared by all periods, with no planned end;
- Voorzitter, Secretaris, Penningmeester: one per period;
- Bestuurslid (Grote Helft): a six-year term over two periods, 2020-2026 and 2026-2032;
- Bestuurslid (Kleine Helft): 2023-2029 and 2029-2035 (the last reaching past the periods made here).

A central board gets Voorzitter, Secretaris, Bestuurslid, Expert and Vertegenwoordiger per period. Idempotent:
what exists is kept; run it again after new units were imported.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from loket.worship.codes import CENTRAL_ORGAN, CENTRAL_PER_PERIOD, LOCAL_ORGAN, LOCAL_PER_PERIOD, BoardRole
from loket.worship.models import Mandate, Organ, OrganTerm, WorshipUnit

FIRST_YEAR, LAST_YEAR = 2020, 2029  # period start years: 2020-2023 … 2029-2032
PERIOD_YEARS = list(range(FIRST_YEAR, LAST_YEAR + 1, 3))
MAJOR_HALF_STARTS = (2020, 2026)
MINOR_HALF_STARTS = (2023, 2029)


def period_start(year: int) -> date:
    return date(year, 4, 1)


def period_end(year: int) -> date:
    return date(year + 3, 3, 31)


@dataclass(frozen=True)
class MandatePlan:
    role: str
    start_year: int
    planned_end: date | None
    period_years: tuple[int, ...]


def mandate_plans(kind: str) -> list[MandatePlan]:
    """The mandates a unit of `kind` gets over the periods."""
    if kind == WorshipUnit.Kind.CENTRAL_BOARD:
        return [
            MandatePlan(role, year, period_end(year), (year,)) for year in PERIOD_YEARS for role in CENTRAL_PER_PERIOD
        ]
    plans = [MandatePlan(BoardRole.EX_OFFICIO, FIRST_YEAR, None, tuple(PERIOD_YEARS))]
    plans += [MandatePlan(role, year, period_end(year), (year,)) for year in PERIOD_YEARS for role in LOCAL_PER_PERIOD]
    for role, starts in (
        (BoardRole.MEMBER_MAJOR_HALF, MAJOR_HALF_STARTS),
        (BoardRole.MEMBER_MINOR_HALF, MINOR_HALF_STARTS),
    ):
        for year in starts:
            years = tuple(y for y in (year, year + 3) if y in PERIOD_YEARS)
            plans.append(MandatePlan(role, year, period_end(year + 3), years))
    return plans


@transaction.atomic
def board_periods_create() -> dict[str, int]:
    """Organs, organs-in-time and mandates for every local and central board (set-wise, a handful of queries)."""
    units = list(
        WorshipUnit.objects.filter(kind__in=[WorshipUnit.Kind.BOARD, WorshipUnit.Kind.CENTRAL_BOARD]).values_list(
            "pk", "kind"
        )
    )
    organ_of = _organs(units)
    term_of = _terms(organ_of)
    counts = {"organs": len(organ_of), "terms": len(term_of)}
    existing = set(Mandate.objects.values_list("unit_id", "role", "start"))
    new: list[Mandate] = []
    for pk, kind in units:
        for plan in mandate_plans(kind):
            key = (pk, str(plan.role), period_start(plan.start_year))
            if key not in existing:
                new.append(Mandate(unit_id=pk, role=plan.role, start=key[2], planned_end=plan.planned_end))
    Mandate.objects.bulk_create(new, batch_size=2000)
    mandate_of = {
        (unit_id, role, start): pk
        for pk, unit_id, role, start in Mandate.objects.values_list("pk", "unit_id", "role", "start")
    }
    links = []
    for pk, kind in units:
        for plan in mandate_plans(kind):
            mandate = mandate_of[(pk, str(plan.role), period_start(plan.start_year))]
            links += [
                Mandate.terms.through(mandate_id=mandate, organterm_id=term_of[(organ_of[pk], period_start(year))])
                for year in plan.period_years
            ]
    Mandate.terms.through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
    counts["mandates_created"] = len(new)
    return counts


def _organs(units: list[tuple[int, str]]) -> dict[int, int]:
    existing = dict(Organ.objects.values_list("unit_id", "pk"))
    new = []
    for pk, kind in units:
        if pk not in existing:
            uri, label = CENTRAL_ORGAN if kind == WorshipUnit.Kind.CENTRAL_BOARD else LOCAL_ORGAN
            new.append(Organ(unit_id=pk, classification_uri=uri, label=label))
    Organ.objects.bulk_create(new, batch_size=2000)
    return dict(Organ.objects.values_list("unit_id", "pk"))


def _terms(organ_of: dict[int, int]) -> dict[tuple[int, date], int]:
    existing = set(OrganTerm.objects.values_list("organ_id", "start"))
    new = [
        OrganTerm(organ_id=organ, start=period_start(year), end=period_end(year))
        for organ in organ_of.values()
        for year in PERIOD_YEARS
        if (organ, period_start(year)) not in existing
    ]
    OrganTerm.objects.bulk_create(new, batch_size=2000)
    return {(organ, start): pk for pk, organ, start in OrganTerm.objects.values_list("pk", "organ_id", "start")}
