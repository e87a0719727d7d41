"""How a table is shown: numbers in the reader's language (heads whole, FTE with two decimals), the grid with what
was typed (after a refused post) or what is stored, errors and warnings per cell, and all totals."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language

from loket.personnel.dimensions import CELLS, FTE, HEADS, LEGAL_STATUSES, LEVELS, SEXES, UNITS, WORKING_TIMES
from loket.personnel.rules import Totals, totals_of
from loket.personnel.selectors import Table


def number(value: Decimal | None, unit: str) -> str:
    if value is None:
        return ""
    text = f"{value:.0f}" if unit == HEADS else f"{value:.2f}"
    return text.replace(".", ",") if (get_language() or "nl").startswith("nl") else text


@dataclass
class GridCell:
    name: str
    index: int
    text: str
    error: str
    warning: str
    label: str


def cell_label(index: int) -> str:
    cell = CELLS[index]
    return ", ".join(
        str(label)
        for label in (
            LEVELS[cell.level].label,
            WORKING_TIMES[cell.working_time].label,
            LEGAL_STATUSES[cell.legal_status].label,
            SEXES[cell.sex].label,
        )
    )


def _columns() -> list[str]:
    """The 8 columns' names in the active language, resolved once per page (not once per cell)."""
    return [f"{w.label}, {s.label}, {x.label}" for w in WORKING_TIMES for s in LEGAL_STATUSES for x in SEXES]


def totals_text(totals: Totals, unit: str) -> dict[str, Any]:
    return {
        "rows": [number(v, unit) for v in totals.rows],
        "columns": [number(v, unit) for v in totals.columns],
        "statuses": [number(v, unit) for v in totals.statuses],
        "working_times": [number(v, unit) for v in totals.working_times],
        "grand": number(totals.grand, unit),
    }


def grid(table: Table, *, posted: dict[str, str] | None, errors: dict[str, str]) -> list[dict[str, Any]]:
    """Both datasets, each with its rows (level label, cells, row total) and its totals."""
    columns = _columns()
    levels = [str(level.label) for level in LEVELS]
    shown = []
    for unit in (HEADS, FTE):
        values = table.values[unit]
        rows = []
        for level_index, level in enumerate(levels):
            cells = []
            for column in range(8):
                index = level_index * 8 + column
                name = f"{unit}-{index}"
                cells.append(
                    GridCell(
                        name=name,
                        index=index,
                        text=posted[name] if posted is not None and name in posted else number(values[index], unit),
                        error=errors.get(name, ""),
                        warning=table.cell_warnings.get(name, ""),
                        label=f"{level}, {columns[column]}",
                    )
                )
            rows.append({"label": level, "cells": cells})
        totals = totals_text(totals_of(values), unit)
        for row, total in zip(rows, totals["rows"], strict=True):
            row["total"] = total
        shown.append(
            {
                "unit": unit,
                "label": str(UNITS[unit].label),
                "slice": table.slices[unit],
                "rows": rows,
                "totals": totals,
                "is_fte": unit == FTE,
            }
        )
    return shown


def header() -> dict[str, Any]:
    return {
        "working_times": [str(w.label) for w in WORKING_TIMES],
        "statuses": [str(s.label) for w in WORKING_TIMES for s in LEGAL_STATUSES],
        "sexes": [str(x.label) for w in WORKING_TIMES for s in LEGAL_STATUSES for x in SEXES],
    }
