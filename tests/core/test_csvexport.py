"""The one CSV writer: Belgian Excel opens it right (`;`, BOM, Brussels times) and never runs a formula."""

from datetime import UTC, date, datetime

import pytest

from loket.core.csvexport import cell, csv_lines, csv_response, pieces


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


def test_lines_are_sent_in_pieces_of_at_least_the_size_and_nothing_is_lost():  # type: ignore[no-untyped-def]
    lines = [f"rij {n};Sint-Niklaas — OCMW\r\n" for n in range(1000)]  # not ASCII: sizes count bytes, not letters
    sent = list(pieces(lines, size=1000))
    assert b"".join(sent) == "".join(lines).encode("utf-8")
    assert all(len(piece) >= 1000 for piece in sent[:-1]) and 0 < len(sent[-1])
    assert all(len(piece) < 1000 + 40 for piece in sent)  # a piece ends with the line that reached the size
    assert list(pieces([], size=10)) == []


def test_a_streamed_export_holds_every_row_in_order():  # type: ignore[no-untyped-def]
    rows = [["nr", "naam"], *([n, f"bestuur {n}"] for n in range(5000))]
    response = csv_response(rows, filename="test.csv")
    streamed = list(response.streaming_content)
    assert len(streamed) < 5000 / 100  # pieces, not a line each
    text = b"".join(streamed).decode("utf-8")
    assert text == "".join(csv_lines(rows))
    assert response["Content-Disposition"].startswith("attachment")


def test_every_csv_export_goes_through_the_one_writer():  # type: ignore[no-untyped-def]
    from pathlib import Path

    source = Path(__file__).resolve().parents[2] / "src" / "loket"
    writers = [
        str(path.relative_to(source))
        for path in source.rglob("*.py")
        if "csv.writer(" in path.read_text() or "csv.DictWriter(" in path.read_text() or "text/csv" in path.read_text()
    ]
    # The one exception: SPARQL query results as CSV/TSV are a W3C format for machines (commas, no BOM, the
    # standard's quoting), not a spreadsheet for people; they are written by the SPARQL endpoint only.
    assert sorted(writers) == ["core/csvexport.py", "opendata/sparql.py"]


@pytest.mark.django_db
def test_the_audit_trail_export_escapes_formulas(client, helpdesk, municipality):  # type: ignore[no-untyped-def]
    import csv
    import io

    from django.urls import reverse

    from loket.core.audit import audit_record

    municipality.name = '=HYPERLINK("http://evil.example";"Aalst")'
    municipality.save()
    audit_record(action="submission.deleted", actor=None, actor_label="@SUM(1+1)", organisation=municipality,
                 submission="-2+3")  # fmt: skip
    client.force_login(helpdesk)
    content = b"".join(client.get(reverse("admin:core_auditevent_export")).streaming_content).decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(content), delimiter=";") if r["actie"] == "Concept verwijderd")
    assert row["door"] == "'@SUM(1+1)"
    assert row["bestuur"] == '\'=HYPERLINK("http://evil.example";"Aalst")'
    assert row["soort_bestuur"] == "Gemeente" and row["kbo"] == "0207451227"
    assert row["omschrijving"] == "Concept -2+3 verwijderd."  # text that does not start with a formula sign
