"""The rules of a personnel table, on the server (the real Loket checks nothing: it rounds heads up, turns negatives
into 0 and lets FTE exceed heads). Pure functions over two lists of 48 values (None = not filled):

* a value is a plain number: digits with at most one decimal separator (`.` or `,`); letters, exponents ("1e3"),
  signs other than a leading minus, spaces inside: an error;
* negative: an error; heads must be whole (2.1 is an error, never rounded); FTE at most 2 decimals;
* per cell FTE ≤ heads (an error, on the FTE cell);
* warnings: heads > 0 with FTE 0; a Voltijds cell whose FTE differs from its heads; a dataset's total that moves more
  than 50 % from the previous period, when that period counted at least 20 heads.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from loket.personnel.dimensions import CELLS, FTE, HEADS

MAXIMUM = Decimal("99999")
CHANGE_WARNING_SHARE = Decimal("0.5")
CHANGE_WARNING_MINIMUM = Decimal("20")
_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")

Values = list[Decimal | None]
Key = tuple[str, int]  # (unit, cell)


class CellError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def value_parse(raw: str, unit: str) -> Decimal | None:
    """What a clerk typed, as a number; empty is None (not filled). Raises CellError with a clear message."""
    text = (raw or "").strip()
    if not text:
        return None
    if len(text) > 20 or not _NUMBER.fullmatch(text):
        raise CellError(_("Geef een getal in (cijfers, eventueel met een komma), geen letters of tekens."))
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation as error:  # pragma: no cover - the pattern already excludes it
        raise CellError(_("Geef een getal in.")) from error
    if value < 0:
        raise CellError(_("Een aantal kan niet negatief zijn."))
    if value > MAXIMUM:
        raise CellError(_("Dit aantal is te groot (hoogstens 99.999)."))
    if unit == HEADS and value != value.to_integral_value():
        raise CellError(_("Koppen zijn gehele getallen: %(value)s is geen geheel aantal personen.") % {"value": text})
    if unit == FTE and value != value.quantize(Decimal("0.01")):
        raise CellError(_("Voltijds equivalenten hebben hoogstens 2 cijfers na de komma."))
    return value.quantize(Decimal("1")) if unit == HEADS else value.quantize(Decimal("0.01"))


def cross_errors(heads: Values, fte: Values) -> dict[Key, str]:
    """Per cell, FTE may not exceed heads (both datasets count the same people)."""
    errors = {}
    for cell in CELLS:
        h, f = heads[cell.index], fte[cell.index]
        if h is not None and f is not None and f > h:
            errors[(FTE, cell.index)] = _(
                "Meer voltijds equivalenten (%(fte)s) dan koppen (%(heads)s) in deze cel."
            ) % {
                "fte": f,
                "heads": h,
            }
    return errors


@dataclass
class Warning:
    message: str
    key: Key | None = None


def _total(values: Values) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


def warnings_for(heads: Values, fte: Values, previous: dict[str, Decimal] | None = None) -> list[Warning]:
    found = []
    for cell in CELLS:
        h, f = heads[cell.index], fte[cell.index]
        if h is None or f is None:
            continue
        if h > 0 and f == 0:
            found.append(Warning(_("Er zijn koppen maar 0 voltijds equivalenten in deze cel."), (FTE, cell.index)))
        elif cell.is_full_time and f != h:
            found.append(
                Warning(_("Voltijds personeel: de voltijds equivalenten verschillen van de koppen."), (FTE, cell.index))
            )
    previous = previous or {}
    if previous.get(HEADS, Decimal(0)) < CHANGE_WARNING_MINIMUM:  # small bodies move by single people
        return found
    for unit, values in ((HEADS, heads), (FTE, fte)):
        before = previous.get(unit)
        if before is None:
            continue
        now = _total(values)
        if abs(now - before) > before * CHANGE_WARNING_SHARE:
            found.append(
                Warning(
                    _("Het totaal %(unit)s wijzigt met meer dan 50 %% tegenover vorig jaar (%(before)s → %(now)s).")
                    % {"unit": _("koppen") if unit == HEADS else _("VTE"), "before": before, "now": now}
                )
            )
    return found


@dataclass
class Totals:
    """The table's totals for one dataset: per row (level), per column (working time × status × sex), per working
    time × status, per working time, and the grand total."""

    rows: list[Decimal] = field(default_factory=list)
    columns: list[Decimal] = field(default_factory=list)
    statuses: list[Decimal] = field(default_factory=list)
    working_times: list[Decimal] = field(default_factory=list)
    grand: Decimal = Decimal(0)


def totals_of(values: Values) -> Totals:
    rows = [Decimal(0)] * 6
    columns = [Decimal(0)] * 8
    for cell in CELLS:
        value = values[cell.index]
        if value is not None:
            rows[cell.level] += value
            columns[cell.column] += value
    statuses = [columns[i] + columns[i + 1] for i in range(0, 8, 2)]
    working_times = [statuses[0] + statuses[1], statuses[2] + statuses[3]]
    return Totals(rows, columns, statuses, working_times, working_times[0] + working_times[1])
