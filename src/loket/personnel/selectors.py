"""Reads of Personeelsbeheer: a body's table for a period (values, totals, warnings), its history (totals per
year), and the agency's overview of a period across bodies (page and CSV)."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Max, Q, Sum

from loket.organisations.models import Organisation
from loket.personnel.dimensions import CELL_COUNT, FTE, HEADS, LEVELS
from loket.personnel.models import Confirmation, EmployeePeriodSlice, Observation, PersonnelPeriod
from loket.personnel.rules import Totals, Values, Warning, totals_of, warnings_for

UNITS = (HEADS, FTE)
CSV_CHUNK = 200


def slices_for(organisation: Organisation, period: PersonnelPeriod) -> dict[str, EmployeePeriodSlice]:
    return {
        s.dataset.unit: s
        for s in EmployeePeriodSlice.objects.select_related("dataset").filter(
            dataset__organisation=organisation, period=period
        )
    }


def values_for(slices: dict[str, EmployeePeriodSlice]) -> dict[str, Values]:
    values: dict[str, Values] = {unit: [None] * CELL_COUNT for unit in UNITS}
    unit_of = {s.pk: unit for unit, s in slices.items()}
    for slice_id, cell, value in Observation.objects.filter(slice__in=list(slices.values())).values_list(
        "slice_id", "cell", "value"
    ):
        values[unit_of[slice_id]][cell] = value
    return values


def slice_totals(organisation: Organisation, period: PersonnelPeriod) -> dict[str, tuple[Decimal, int]]:
    """Per unit: the grand total and how many cells are filled."""
    rows = (
        Observation.objects.filter(slice__dataset__organisation=organisation, slice__period=period)
        .values("slice__dataset__unit")
        .annotate(total=Sum("value"), filled=Count("value"))
    )
    return {row["slice__dataset__unit"]: (row["total"] or Decimal(0), row["filled"]) for row in rows}


def previous_period(organisation: Organisation, period: PersonnelPeriod) -> PersonnelPeriod | None:
    return (
        PersonnelPeriod.objects.filter(year__lt=period.year, slices__dataset__organisation=organisation)
        .order_by("-year")
        .first()
    )


@dataclass
class Table:
    period: PersonnelPeriod
    slices: dict[str, EmployeePeriodSlice]
    values: dict[str, Values]
    totals: dict[str, Totals]
    warnings: list[Warning]
    previous: PersonnelPeriod | None
    empty: int
    last_confirmation: Confirmation | None
    cell_warnings: dict[str, str] = field(default_factory=dict)

    @property
    def version(self) -> int:
        return self.slices[HEADS].version

    @property
    def is_confirmed(self) -> bool:
        return all(s.confirmed_version == s.version for s in self.slices.values())


def table_for(organisation: Organisation, period: PersonnelPeriod) -> Table | None:
    """The body's table for the period; None when the period has no datasets for the body."""
    slices = slices_for(organisation, period)
    if set(slices) != set(UNITS):
        return None
    values = values_for(slices)
    previous = previous_period(organisation, period)
    before = (
        {unit: total for unit, (total, _filled) in slice_totals(organisation, previous).items()} if previous else {}
    )
    warnings = warnings_for(values[HEADS], values[FTE], before)
    return Table(
        period=period,
        slices=slices,
        values=values,
        totals={unit: totals_of(values[unit]) for unit in UNITS},
        warnings=warnings,
        previous=previous,
        empty=sum(v is None for unit in UNITS for v in values[unit]),
        last_confirmation=Confirmation.objects.filter(organisation=organisation, period=period).first(),
        cell_warnings={f"{w.key[0]}-{w.key[1]}": w.message for w in warnings if w.key},
    )


def level_rows(values: Values) -> list[tuple[object, list[tuple[int, Decimal | None]]]]:
    """The table's rows: the level's label and its 8 cells (index, value)."""
    return [(level.label, [(i * 8 + c, values[i * 8 + c]) for c in range(8)]) for i, level in enumerate(LEVELS)]


@dataclass
class HistoryRow:
    period: PersonnelPeriod
    heads: Decimal
    fte: Decimal
    filled: int
    version: int
    confirmed_version: int | None
    confirmed_at: object


def history_for(organisation: Organisation) -> list[HistoryRow]:
    """Totals per year of the body (one query for the sums, one for the slices, one for the confirmations)."""
    sums = {
        (row["slice__period_id"], row["slice__dataset__unit"]): (row["total"] or Decimal(0), row["filled"])
        for row in Observation.objects.filter(slice__dataset__organisation=organisation)
        .values("slice__period_id", "slice__dataset__unit")
        .annotate(total=Sum("value"), filled=Count("value"))
    }
    confirmed = {
        row["period_id"]: row["last"]
        for row in Confirmation.objects.filter(organisation=organisation)
        .values("period_id")
        .annotate(last=Max("confirmed_at"))
    }
    rows = []
    for s in (
        EmployeePeriodSlice.objects.filter(dataset__organisation=organisation, dataset__unit=HEADS)
        .select_related("period")
        .order_by("-period__year")
    ):
        heads = sums.get((s.period_id, HEADS), (Decimal(0), 0))
        fte = sums.get((s.period_id, FTE), (Decimal(0), 0))
        rows.append(
            HistoryRow(
                s.period,
                heads[0],
                fte[0],
                heads[1] + fte[1],
                s.version,
                s.confirmed_version,
                confirmed.get(s.period_id),
            )
        )
    return rows


@dataclass
class AgencyRow:
    organisation: Organisation
    heads: Decimal
    fte: Decimal
    filled: int
    version: int
    confirmed_version: int | None


def agency_rows(period: PersonnelPeriod) -> list[AgencyRow]:
    """Every body with datasets in the period: totals, filled cells (of 96), version and confirmed version."""
    sums = {
        row["slice_id"]: (row["total"] or Decimal(0), row["filled"])
        for row in Observation.objects.filter(slice__period=period)
        .values("slice_id")
        .annotate(total=Sum("value"), filled=Count("value"))
    }
    rows: dict[int, AgencyRow] = {}
    for s in (
        EmployeePeriodSlice.objects.filter(period=period)
        .select_related("dataset__organisation__kind")
        .order_by("dataset__organisation__name", "dataset__organisation_id")
    ):
        total, filled = sums.get(s.pk, (Decimal(0), 0))
        row = rows.setdefault(
            s.dataset.organisation_id,
            AgencyRow(s.dataset.organisation, Decimal(0), Decimal(0), 0, s.version, s.confirmed_version),
        )
        if s.dataset.unit == HEADS:
            row.heads = total
        else:
            row.fte = total
        row.filled += filled
    return list(rows.values())


def agency_counts(period: PersonnelPeriod) -> dict[str, int]:
    confirmed = Q(confirmed_version=F("version"))
    return EmployeePeriodSlice.objects.filter(period=period, dataset__unit=HEADS).aggregate(
        bodies=Count("pk"), confirmed=Count("pk", filter=confirmed)
    )


def agency_csv_rows(period: PersonnelPeriod) -> Iterator[list[object]]:
    """One line per body and unit: the 48 cells (empty = not filled), the total, version and confirmed version."""
    from loket.personnel.dimensions import CELLS, LEGAL_STATUSES, SEXES, WORKING_TIMES

    yield [
        "bestuur",
        "uri",
        "classificatie",
        "KBO",
        "meeteenheid",
        *[
            f"{LEVELS[c.level].code} {WORKING_TIMES[c.working_time].code} {LEGAL_STATUSES[c.legal_status].code} "
            f"{SEXES[c.sex].code}"
            for c in CELLS
        ],
        "totaal",
        "versie",
        "bevestigde versie",
    ]
    ordered = list(
        EmployeePeriodSlice.objects.filter(period=period)
        .select_related("dataset__organisation__kind")
        .order_by("dataset__organisation__name", "dataset__organisation_id", "dataset__unit")
    )
    for start in range(0, len(ordered), CSV_CHUNK):  # per chunk of slices: one indexed query, streamed
        chunk = ordered[start : start + CSV_CHUNK]
        cells: dict[int, list[Decimal | None]] = {s.pk: [None] * CELL_COUNT for s in chunk}
        for slice_id, cell, value in Observation.objects.filter(slice_id__in=list(cells)).values_list(
            "slice_id", "cell", "value"
        ):
            cells[slice_id][cell] = value
        for s in chunk:
            yield _csv_line(s, cells[s.pk])


def _csv_line(s: EmployeePeriodSlice, cells: list) -> list[object]:  # type: ignore[type-arg]
    organisation = s.dataset.organisation
    total = sum((v for v in cells if v is not None), Decimal(0))
    return [
        organisation.display_name,
        organisation.uri,
        organisation.kind.label if organisation.kind else "",
        organisation.kbo,
        s.dataset.get_unit_display(),
        *[_number(v, s.dataset.unit) for v in cells],
        _number(total, s.dataset.unit),
        s.version,
        s.confirmed_version,
    ]


def _number(value: Decimal | None, unit: str) -> str:
    """Numbers with a decimal comma, as Belgian Excel reads them; heads without decimals."""
    if value is None:
        return ""
    text = f"{value:.0f}" if unit == HEADS else f"{value:.2f}"
    return text.replace(".", ",")
