"""CSV import of a legislature: LMB's columns, all or nothing with a per-row report, the command and the page."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from loket.mandates.codes import POLICY_DOMAIN, Publication
from loket.mandates.importer import TEMPLATE, holders_import
from loket.mandates.models import Fractie, Holder
from loket.persons.models import Person
from tests.mandates.conftest import rrn

pytestmark = pytest.mark.django_db

HEADER = "rrn;firstName;lastName;mandateName;startDateTime;endDateTime;fractieName;rangordeString;beleidsdomeinNames\n"


def rows(*lines: str) -> str:
    return HEADER + "".join(line + "\n" for line in lines)


def test_good_file_imports_every_row_and_runs_the_report(organs, municipality, clerk):  # type: ignore[no-untyped-def]
    text = rows(
        f"{rrn(date(1970, 1, 2), 11)};Jan;Peeters;Gemeenteraadslid;2024-12-02T00:00:00Z;;Samen;"
        "Eerste gemeenteraadslid;",
        f"{rrn(date(1980, 5, 6), 12)};An;Claes;Schepen;2024-12-02;;Samen;Eerste schepen;Cultuur|Sport",
        ";Piet;Pieters;Gemeenteraadslid;02-12-2024;;Onafhankelijk;Tweede gemeenteraadslid;",
    )
    report = holders_import(organisation=municipality, period="2024", text=text, actor=clerk)
    assert (report.created, report.errors) == (3, [])
    assert report.findings is not None and report.findings > 0  # e.g. 1.11 without OCMW seats
    assert Holder.objects.count() == 3
    assert Holder.objects.get(mandate__role="5ab0e9b8a3b2ca7c5e000014").policy_domains == [
        POLICY_DOMAIN + "5ab10d3a4c934f28dc000040",  # Cultuur
        POLICY_DOMAIN + "5ab10d3a4c934f28dc0000a2",  # Sport
    ]
    # prepared rows: Draft, never public, until the clerk publishes the organ's Draft rows
    assert set(Holder.objects.values_list("publication", flat=True)) == {Publication.DRAFT}
    assert Fractie.objects.filter(kind=Fractie.Kind.INDEPENDENT, person__family_name="Pieters").count() == 1


def test_one_bad_row_keeps_nothing_and_names_every_bad_line(organs, municipality, clerk):  # type: ignore[no-untyped-def]
    text = rows(
        f"{rrn(date(1970, 1, 2), 11)};Jan;Peeters;Gemeenteraadslid;2024-12-02;;Samen;Eerste gemeenteraadslid;",
        "12345678901;Bad;Number;Gemeenteraadslid;2024-12-02;;Samen;;",
        f"{rrn(date(1981, 5, 6), 13)};An;Claes;Gemeenteraadslid;2024-13-45;;Samen;;",
        f"{rrn(date(1982, 5, 6), 14)};Els;Wouters;Koning;2024-12-02;;Samen;;",
        f"{rrn(date(1983, 5, 6), 15)};Tom;Smet;Gemeenteraadslid;;;Samen;;",
        f"{rrn(date(1984, 5, 6), 16)};Ann;Maes;Schepen;2024-12-02;;Samen;Eerste schepen;Cultuur|Koningshuis",
    )
    report = holders_import(organisation=municipality, period="2024", text=text, actor=clerk)
    assert report.created == 0
    assert [line for line, _reason in report.errors] == [3, 4, 5, 6, 7]
    assert "Onbekend beleidsdomein 'Koningshuis'" in report.errors[4][1]
    assert "Onleesbare datum '2024-13-45'" in report.errors[1][1]
    assert "Onbekend mandaat 'Koning'" in report.errors[2][1]
    assert not Holder.objects.exists() and not Person.objects.exists() and not Fractie.objects.exists()


def test_template_has_the_columns(client, clerk, organs):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    response = client.get("/mandaten/importeren/sjabloon.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0] == TEMPLATE.splitlines()[0]
    assert body.splitlines()[1].startswith("85073003328;Jan;Peeters;Gemeenteraadslid;2024-12-02")
    assert TEMPLATE.splitlines()[0].split(";") == HEADER.strip().split(";")


def test_page_import_as_a_new_user_would(client, clerk, organs, municipality):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    assert client.get("/mandaten/importeren/").status_code == 200
    bad = SimpleUploadedFile("l.csv", rows(";Jan;Peeters;Gemeenteraadslid;gisteren;;Samen;;").encode())
    response = client.post("/mandaten/importeren/", {"periode": "2024", "bestand": bad})
    assert response.status_code == 400 and "Regel 2: Onleesbare datum" in response.content.decode()
    good = SimpleUploadedFile("l.csv", rows(";Jan;Peeters;Gemeenteraadslid;2024-12-02;;Samen;;").encode())
    response = client.post("/mandaten/importeren/", {"periode": "2024", "bestand": good})
    assert response.status_code == 200 and "1 mandataris geïmporteerd." in response.content.decode()


def test_command(organs, municipality, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "l.csv"
    number = rrn(date(1970, 1, 2), 11)
    path.write_text(rows(f"{number};Jan;Peeters;Gemeenteraadslid;2024-12-02;;Samen;;"), encoding="utf-8")
    call_command("mandates_import", "--organisation", municipality.uri, "--period", "2024 - heden", str(path))
    assert Holder.objects.count() == 1
    with pytest.raises(CommandError):  # the same person and mandate again: overlapping
        call_command("mandates_import", "--organisation", municipality.uri, "--period", "2024", str(path))
    assert Holder.objects.count() == 1


def test_imported_draft_rows_are_not_public_until_the_organ_publishes_them(client, organs, municipality, clerk):  # type: ignore[no-untyped-def]
    from loket.core.models import AuditEvent

    text = rows(f"{rrn(date(1970, 1, 2), 11)};Jan;Peeters;Gemeenteraadslid;2024-12-02;;Samen;Eerste gemeenteraadslid;")
    assert holders_import(organisation=municipality, period="2024", text=text, actor=clerk).created == 1
    holder = Holder.objects.get()
    assert holder.publication == Publication.DRAFT
    assert client.get(f"/id/mandatarissen/{holder.uuid}").status_code == 404
    client.force_login(clerk)
    term = holder.mandate.term
    listing = client.get(f"/mandaten/organen/{term.uuid}/").content.decode()
    assert "1 voorbereide mandataris (Draft) is niet publiek." in listing
    response = client.post(f"/mandaten/organen/{term.uuid}/drafts-publiceren/")
    assert response.status_code == 302
    holder.refresh_from_db()
    assert holder.publication == Publication.NOT_RATIFIED
    assert AuditEvent.objects.filter(action="mandate_term.drafts_published").count() == 1
    client.logout()
    assert client.get(f"/id/mandatarissen/{holder.uuid}").status_code == 200


def test_another_unit_cannot_publish_our_drafts(client, organs, municipality, clerk, stranger):  # type: ignore[no-untyped-def]
    text = rows(f"{rrn(date(1970, 1, 2), 11)};Jan;Peeters;Gemeenteraadslid;2024-12-02;;Samen;Eerste gemeenteraadslid;")
    holders_import(organisation=municipality, period="2024", text=text, actor=clerk)
    holder = Holder.objects.get()
    client.force_login(stranger)
    assert client.post(f"/mandaten/organen/{holder.mandate.term.uuid}/drafts-publiceren/").status_code == 404
    holder.refresh_from_db()
    assert holder.publication == Publication.DRAFT


def test_an_empty_file_is_a_page_error_not_a_crash(client, clerk, organs, municipality):  # type: ignore[no-untyped-def]
    # The upload handler refuses a 0-byte file (core.uploads): reading it raises, which this page must say, not 500.
    client.force_login(clerk)
    empty = SimpleUploadedFile("l.csv", b"")
    response = client.post("/mandaten/importeren/", {"periode": "2024", "bestand": empty})
    assert response.status_code == 400
    assert "Het bestand is leeg (0 bytes): kies het juiste bestand." in response.content.decode()
    assert Holder.objects.count() == 0


def test_a_too_long_name_is_a_row_error(organs, municipality, clerk):  # type: ignore[no-untyped-def]
    text = rows(f"{rrn(date(1970, 1, 2), 11)};{'J' * 150};Peeters;Gemeenteraadslid;2024-12-02;;Samen;;")
    report = holders_import(organisation=municipality, period="2024", text=text, actor=clerk)
    assert report.created == 0 and report.errors == [(2, "De naam van de persoon is te lang.")]
    assert not Holder.objects.exists() and not Person.objects.exists()
