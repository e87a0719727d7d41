"""Writes of Personeelsbeheer: opening a period, saving cells (all rules of `rules`, both datasets at once since FTE
may not exceed heads in the same cell), taking over last year's numbers, and confirming through the ledger.
A refused save changes nothing."""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core.audit import audit_record
from loket.core.errors import ConflictError, DomainError
from loket.core.ledger import ledger_append
from loket.organisations.models import Organisation
from loket.personnel.dimensions import CELL_COUNT, FTE, HEADS
from loket.personnel.models import (
    Confirmation,
    EmployeeDataset,
    EmployeePeriodSlice,
    Observation,
    ObservationChange,
    PersonnelPeriod,
)
from loket.personnel.rules import CellError, Key, Warning, cross_errors, value_parse, warnings_for

UNITS = (HEADS, FTE)


def eligible_organisations() -> QuerySet[Organisation]:
    """The bodies that keep personnel numbers: by classification URI (setting LOKET_PERSONNEL_CLASSIFICATIONS)."""
    return Organisation.objects.filter(kind__uri__in=settings.LOKET_PERSONNEL_CLASSIFICATIONS)


def _actor_label(actor: Any) -> str:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor.get_full_name() or actor.get_username()
    return "systeem"


# Opening a period ---------------------------------------------------------------------------------------------------


@transaction.atomic
def period_open(*, year: int, actor: Any = None, organisations: QuerySet[Organisation] | None = None) -> int:
    """Open `year` (idempotent): every eligible body gets both datasets and a slice of 48 empty cells for the year.
    Returns how many slices are new; running it again fills in bodies that became eligible since."""
    if not 2000 <= year <= 2100:
        raise DomainError(_("Geef een jaar tussen 2000 en 2100."))
    period, is_new = PersonnelPeriod.objects.get_or_create(year=year, defaults={"opened_at": timezone.now()})
    bodies = list(
        (organisations if organisations is not None else eligible_organisations()).values_list("pk", flat=True)
    )
    existing = set(EmployeeDataset.objects.filter(organisation__in=bodies).values_list("organisation_id", "unit"))
    EmployeeDataset.objects.bulk_create(
        [
            EmployeeDataset(organisation_id=pk, unit=unit)
            for pk in bodies
            for unit in UNITS
            if (pk, unit) not in existing
        ]
    )
    missing = list(
        EmployeeDataset.objects.filter(organisation__in=bodies)
        .exclude(slices__period=period)
        .values_list("pk", flat=True)
    )
    EmployeePeriodSlice.objects.bulk_create([EmployeePeriodSlice(dataset_id=pk, period=period) for pk in missing])
    created = EmployeePeriodSlice.objects.filter(period=period, dataset_id__in=missing).values_list("pk", flat=True)
    Observation.objects.bulk_create(
        [Observation(slice_id=pk, cell=cell) for pk in created for cell in range(CELL_COUNT)], batch_size=5000
    )
    audit_record(action="personnel.period_opened", actor=actor, year=year, new_period=is_new, new_slices=len(missing))
    return len(missing)


# Saving -------------------------------------------------------------------------------------------------------------


@dataclass
class SaveResult:
    changed: int
    version: int
    warnings: list[Warning]


def _locked_slices(organisation: Organisation, period: PersonnelPeriod) -> dict[str, EmployeePeriodSlice]:
    slices = {
        s.dataset.unit: s
        for s in EmployeePeriodSlice.objects.select_for_update(of=("self",))
        .select_related("dataset")
        .filter(dataset__organisation=organisation, period=period)
        .order_by("pk")
    }
    if set(slices) != set(UNITS):
        raise DomainError(
            _("De periode %(year)s is niet geopend voor uw bestuur.") % {"year": period.year}, code="not_opened"
        )
    return slices


def _observations(slices: Mapping[str, EmployeePeriodSlice]) -> dict[str, list[Observation]]:
    by_unit: dict[str, list[Observation]] = {unit: [None] * CELL_COUNT for unit in UNITS}  # type: ignore[list-item]
    unit_of = {s.pk: unit for unit, s in slices.items()}
    for observation in Observation.objects.filter(slice__in=list(slices.values())).only(
        "pk", "slice_id", "cell", "value"
    ):
        by_unit[unit_of[observation.slice_id]][observation.cell] = observation
    return by_unit


def previous_totals(organisation: Organisation, period: PersonnelPeriod) -> dict[str, Decimal]:
    """The grand totals of the body's latest earlier period (for the change warning); {} when there is none."""
    from loket.personnel.selectors import slice_totals

    earlier = (
        PersonnelPeriod.objects.filter(year__lt=period.year, slices__dataset__organisation=organisation)
        .order_by("-year")
        .first()
    )
    if earlier is None:
        return {}
    return {unit: total for unit, (total, _filled) in slice_totals(organisation, earlier).items()}


def _parse(entries: Mapping[Key, str]) -> tuple[dict[Key, Decimal | None], dict[Key, str]]:
    parsed, errors = {}, {}
    for (unit, cell), raw in entries.items():
        if unit not in UNITS or not 0 <= cell < CELL_COUNT:
            raise DomainError(_("Deze cel bestaat niet."), code="unknown_cell")
        try:
            parsed[(unit, cell)] = value_parse(raw, unit)
        except CellError as error:
            errors[(unit, cell)] = error.message
    return parsed, errors


def _refuse(errors: dict[Key, str]) -> None:
    count = len(errors)
    raise DomainError(
        _("Er werd niets bewaard: verbeter eerst de %(count)s aangeduide cel(len).") % {"count": count},
        code="invalid",
        fields={f"{unit}-{cell}": message for (unit, cell), message in sorted(errors.items())},
    )


@transaction.atomic
def figures_save(
    *, actor: Any, organisation: Organisation, period: PersonnelPeriod, entries: Mapping[Key, str]
) -> SaveResult:
    """Save the given cells ({(unit, cell): typed text}; cells not given stay as they are). All or nothing."""
    parsed, errors = _parse(entries)
    slices = _locked_slices(organisation, period)
    observations = _observations(slices)
    merged = {unit: [o.value for o in observations[unit]] for unit in UNITS}
    for (unit, cell), value in parsed.items():
        merged[unit][cell] = value
    errors.update(
        {key: message for key, message in cross_errors(merged[HEADS], merged[FTE]).items() if key not in errors}
    )
    if errors:
        _refuse(errors)
    changed = [(unit, cell, value) for (unit, cell), value in parsed.items() if observations[unit][cell].value != value]
    version = slices[HEADS].version
    if changed:
        version = _record_changes(actor=actor, slices=slices, observations=observations, changed=changed)
        audit_record(
            action="personnel.figures_saved",
            actor=actor,
            organisation=organisation,
            year=period.year,
            cells=len(changed),
            version=version,
        )
    return SaveResult(
        len(changed), version, warnings_for(merged[HEADS], merged[FTE], previous_totals(organisation, period))
    )


def _record_changes(
    *,
    actor: Any,
    slices: Mapping[str, EmployeePeriodSlice],
    observations: Mapping[str, list[Observation]],
    changed: list[tuple[str, int, Decimal | None]],
) -> int:
    """Write the changed cells with their history; a change after a confirmation starts a new version (of both
    datasets: they are confirmed together)."""
    now = timezone.now()
    confirmed = all(s.confirmed_version == s.version for s in slices.values())
    version = slices[HEADS].version + 1 if confirmed else slices[HEADS].version
    for s in slices.values():
        s.version, s.modified = version, now
        s.save(update_fields=["version", "modified"])
    EmployeeDataset.objects.filter(pk__in=[s.dataset_id for s in slices.values()]).update(modified=now)
    label = _actor_label(actor)
    user = actor if getattr(actor, "is_authenticated", False) else None
    history, rows = [], []
    for unit, cell, value in changed:
        observation = observations[unit][cell]
        history.append(
            ObservationChange(
                observation=observation,
                changed_at=now,
                actor=user,
                actor_label=label,
                old_value=observation.value,
                new_value=value,
                version=version,
            )
        )
        observation.value = value
        rows.append(observation)
    Observation.objects.bulk_update(rows, ["value"])
    ObservationChange.objects.bulk_create(history)
    return version


@transaction.atomic
def figures_copy_previous(*, actor: Any, organisation: Organisation, period: PersonnelPeriod) -> SaveResult:
    """ "Neem cijfers van <vorig jaar> over": the latest earlier period's numbers into the cells still empty (what is
    already filled stays). Goes through `figures_save`, so every rule holds."""
    earlier = (
        PersonnelPeriod.objects.filter(year__lt=period.year, slices__dataset__organisation=organisation)
        .order_by("-year")
        .first()
    )
    if earlier is None:
        raise DomainError(_("Er is geen vorige periode om over te nemen."), code="no_previous")
    source = _observations(
        {
            s.dataset.unit: s
            for s in EmployeePeriodSlice.objects.select_related("dataset").filter(
                dataset__organisation=organisation, period=earlier
            )
        }
    )
    target = _observations(_locked_slices(organisation, period))
    entries = {
        (unit, cell): str(source[unit][cell].value)
        for unit in UNITS
        for cell in range(CELL_COUNT)
        if target[unit][cell].value is None and source[unit][cell] is not None and source[unit][cell].value is not None
    }
    if not entries:
        raise DomainError(
            _("Er is niets over te nemen: de cellen zijn al ingevuld of %(year)s heeft geen cijfers.")
            % {"year": earlier.year},
            code="nothing_to_copy",
        )
    return figures_save(actor=actor, organisation=organisation, period=period, entries=entries)


# Confirming ---------------------------------------------------------------------------------------------------------


def figures_canonical(*, organisation_uri: str, year: int, version: int, values: Mapping[str, list[Any]]) -> dict:  # type: ignore[type-arg]
    """What a confirmation covers: the body, the year, the version and both datasets' 48 values as text."""
    return {
        "organisation": organisation_uri,
        "year": year,
        "version": version,
        **{unit: [_canonical_number(v, unit) for v in values[unit]] for unit in UNITS},
    }


def _canonical_number(value: Any, unit: str) -> str | None:
    """Heads as whole numbers, FTE with two decimals: the same text whatever the database gives back."""
    if value is None:
        return None
    return f"{Decimal(value):.0f}" if unit == HEADS else f"{Decimal(value):.2f}"


def figures_hash(figures: Mapping[str, Any]) -> str:
    canonical = json.dumps(figures, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def period_confirm(*, actor: Any, organisation: Organisation, period: PersonnelPeriod) -> Confirmation:
    """ "Aantallen bevestigen": also without changes; refused while a cell is empty or a rule fails, and when this
    version is already confirmed (e.g. a second tab). Sent through the ledger; the receipt is the core receipt."""
    slices = _locked_slices(organisation, period)
    version = slices[HEADS].version
    if all(s.confirmed_version == version for s in slices.values()):
        raise ConflictError(
            _("Versie %(version)s van %(year)s is al bevestigd.") % {"version": version, "year": period.year}
        )
    observations = _observations(slices)
    values = {unit: [o.value for o in observations[unit]] for unit in UNITS}
    empty = {
        (unit, cell): _("Nog niet ingevuld: vul 0 in als er niemand is.")
        for unit in UNITS
        for cell in range(CELL_COUNT)
        if values[unit][cell] is None
    }
    if empty:
        raise DomainError(
            _("Nog %(count)s lege cel(len): vul elke cel in (0 als er niemand is) voor u bevestigt.")
            % {"count": len(empty)},
            code="incomplete",
            fields={f"{unit}-{cell}": message for (unit, cell), message in sorted(empty.items())},
        )
    errors = cross_errors(values[HEADS], values[FTE])
    if errors:
        _refuse(errors)
    figures = figures_canonical(organisation_uri=organisation.uri, year=period.year, version=version, values=values)
    content_hash = figures_hash(figures)
    confirmation = Confirmation(
        organisation=organisation,
        period=period,
        version=version,
        actor_label=_actor_label(actor),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        figures=figures,
        content_hash=content_hash,
    )
    entry = ledger_append(
        kind="sent",
        subject_uri=confirmation.uri,
        organisation_uri=organisation.uri,
        actor_label=confirmation.actor_label,
        content_hash=content_hash,
        payload={
            "module": "personeelsbeheer",
            "year": period.year,
            "version": version,
            "datasets": sorted(s.uri for s in slices.values()),
        },
        stored_files=(),  # a confirmation sends figures only: no uploads
    )
    confirmation.confirmed_at = entry.recorded_at
    confirmation.sent_entry = entry
    confirmation.save()
    for s in slices.values():
        s.confirmed_version = version
        s.save(update_fields=["confirmed_version"])
    audit_record(
        action="personnel.confirmed",
        actor=actor,
        organisation=organisation,
        year=period.year,
        version=version,
        content_hash=content_hash,
        ledger_position=entry.position,
    )
    return confirmation
