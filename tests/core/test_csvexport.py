"""The one CSV writer: Belgian Excel opens it right (`;`, BOM, Brussels times) and never runs a formula."""

from datetime import UTC, date, datetime

import pytest

from loket.core.csvexport import cell, csv_lines


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+32 2 553 40 00", "'+32 2 553 40 00"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Aalst — OCMW", "Aalst — OCMW"),
        ("a=b", "a=b"),
        (-5, "-5"),  # a number stays a number
        (None, ""),
        (True, "ja"),
        (date(2026, 2, 1), "2026-02-01"),
        (datetime(2026, 7, 1, 10, 0, tzinfo=UTC), "2026-07-01 12:00:00"),  # summer time in Brussels
        (datetime(2026, 1, 1, 10, 0, tzinfo=UTC), "2026-01-01 11:00:00"),
    ],
)
def test_cell(value, text):  # type: ignore[no-untyped-def]
    assert cell(value) == text


def test_lines_start_with_a_bom_and_use_semicolons():  # type: ignore[no-untyped-def]
    lines = list(csv_lines([["naam", "opmerking"], ["Sint-Niklaas", 'zei "ja"; klaar']]))
    assert lines == ["\ufeff", "naam;opmerking\r\n", 'Sint-Niklaas;"zei ""ja""; klaar"\r\n']
