"""Every rule of the table, pass and fail (pure functions)."""

from decimal import Decimal

import pytest

from loket.personnel.dimensions import CELL_COUNT, CELLS
from loket.personnel.rules import CellError, cross_errors, totals_of, value_parse, warnings_for


@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        ("", "koppen", None),
        ("   ", "vte", None),
        ("0", "koppen", Decimal("0")),
        ("12", "koppen", Decimal("12")),
        ("2.0", "koppen", Decimal("2")),
        ("2,50", "vte", Decimal("2.50")),
        ("0.8", "vte", Decimal("0.80")),
        (" 7 ", "vte", Decimal("7.00")),
    ],
)
def test_accepted_values(raw, unit, expected):  # type: ignore[no-untyped-def]
    assert value_parse(raw, unit) == expected


@pytest.mark.parametrize(
    ("raw", "unit", "message"),
    [
        ("abc", "koppen", "geen letters"),
        ("1e3", "koppen", "geen letters"),
        ("1e3", "vte", "geen letters"),
        ("3 4", "koppen", "geen letters"),
        ("+3", "koppen", "geen letters"),
        ("1.2.3", "vte", "geen letters"),
        ("NaN", "vte", "geen letters"),
        ("-1", "koppen", "negatief"),
        ("-0.5", "vte", "negatief"),
        ("2.1", "koppen", "geen geheel aantal"),
        ("2,5", "koppen", "geen geheel aantal"),
        ("1.234", "vte", "2 cijfers na de komma"),
        ("100000", "koppen", "te groot"),
    ],
)
def test_refused_values(raw, unit, message):  # type: ignore[no-untyped-def]
    with pytest.raises(CellError) as caught:
        value_parse(raw, unit)
    assert message in caught.value.message


def _grid(value: str | None) -> list:  # type: ignore[type-arg]
    return [None if value is None else Decimal(value)] * CELL_COUNT


def test_fte_above_heads_is_an_error_on_the_fte_cell():  # type: ignore[no-untyped-def]
    heads, fte = _grid("2"), _grid("2")
    fte[9] = Decimal("2.01")
    assert list(cross_errors(heads, fte)) == [("vte", 9)]
    fte[9] = Decimal("2")
    assert cross_errors(heads, fte) == {}
    heads[9] = None  # heads not filled: no comparison yet
    fte[9] = Decimal("5")
    assert cross_errors(heads, fte) == {}


def test_warnings():  # type: ignore[no-untyped-def]
    heads, fte = _grid("2"), [Decimal("2") if c.is_full_time else Decimal("1") for c in CELLS]
    assert warnings_for(heads, fte) == []
    fte[4] = Decimal("0")  # Deeltijds, heads 2, FTE 0
    fte[0] = Decimal("1.5")  # Voltijds, FTE differs from heads
    found = warnings_for(heads, fte)
    assert [w.key for w in found] == [("vte", 0), ("vte", 4)]


def test_change_of_more_than_half_from_last_year_warns_only_from_20():  # type: ignore[no-untyped-def]
    heads, fte = _grid("1"), _grid("1")  # totals 48 and 48
    assert warnings_for(heads, fte, {"koppen": Decimal("100")})[0].key is None  # 48 vs 100: -52 %
    assert warnings_for(heads, fte, {"koppen": Decimal("96")}) == []  # exactly -50 %: no warning
    assert warnings_for(heads, fte, {"koppen": Decimal("19")}) == []  # below 20: no warning
    assert len(warnings_for(heads, fte, {"koppen": Decimal("20"), "vte": Decimal("20")})) == 2  # +140 %
    assert warnings_for(heads, fte, {"koppen": Decimal("19"), "vte": Decimal("90")}) == []  # 19 heads: too small
    assert len(warnings_for(heads, fte, {"koppen": Decimal("40"), "vte": Decimal("100")})) == 1  # FTE 100 → 48


def test_totals():  # type: ignore[no-untyped-def]
    values = [Decimal(i) for i in range(CELL_COUNT)]
    values[47] = None
    totals = totals_of(values)
    assert totals.rows[0] == sum(range(8))
    assert totals.rows[5] == sum(range(40, 47))
    assert totals.columns[0] == sum(range(0, 48, 8))
    assert totals.columns[7] == sum(range(7, 47, 8))
    assert totals.grand == sum(range(47)) == sum(totals.working_times) == sum(totals.statuses)
