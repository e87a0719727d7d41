"""A clerk of Aalst imports a legislature as a new user would: downloads nothing but reads the columns, uploads a
file with mistakes (every bad line named, nothing kept), uploads it corrected, and publishes the imported Draft rows
of the gemeenteraad as Niet bekrachtigd; the pages pass axe."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_self_registration import assert_accessible, dev_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "rrn;firstName;lastName;mandateName;startDateTime;endDateTime;fractieName;rangordeString;beleidsdomeinNames\n"
GOOD = [
    "75040302137;Katrien;Verhaegen;Gemeenteraadslid;2024-12-02;;Samen;Eerste gemeenteraadslid;",
    ";Piet;Pieters;Gemeenteraadslid;02-12-2024;;Onafhankelijk;Tweede gemeenteraadslid;",
    ";An;Claes;Schepen;2024-12-02;;Samen;Eerste schepen;Cultuur|Sport",
]


def _file(lines: list[str]) -> dict:  # type: ignore[type-arg]
    return {"name": "legislatuur.csv", "mimeType": "text/csv", "buffer": (HEADER + "\n".join(lines) + "\n").encode()}


def test_clerk_imports_fixes_and_publishes_the_drafts(new_page, live_server, dev_login_on, agency, municipality):  # type: ignore[no-untyped-def]
    from loket.mandates.codes import Publication
    from loket.mandates.models import Holder
    from loket.mandates.organs import decretal_organs_create

    decretal_organs_create(organisations=[municipality])
    page = new_page()
    dev_login(
        page,
        first="Gert",
        last="Gemeente",
        email="gert@aalst.example",
        organisation="0207451227",
        roles=("Mandatenbeheer",),
    )
    page.goto(live_server.url + "/mandaten/")
    page.get_by_role("link", name="Legislatuur importeren (CSV)").click()
    bad = [
        GOOD[0],
        ";Els;Wouters;Gemeenteraadslid;2024-13-45;;Samen;;",
        ";Tom;Smet;Schepen;2024-12-02;;Samen;Tweede schepen;Koningshuis",
    ]
    page.get_by_label("CSV-bestand").set_input_files(_file(bad))
    page.get_by_role("button", name="Importeren").click()
    errors = page.locator("#import-errors li")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("Regel 3: Onleesbare datum '2024-13-45'")
    expect(errors.nth(1)).to_contain_text("Regel 4: Onbekend beleidsdomein 'Koningshuis'")
    assert_accessible(page, "the import page with errors")
    assert not Holder.objects.exists()

    page.get_by_label("CSV-bestand").set_input_files(_file(GOOD))
    page.get_by_role("button", name="Importeren").click()
    expect(page.locator("#import-done")).to_contain_text("3 mandatarissen geïmporteerd.")
    assert set(Holder.objects.values_list("publication", flat=True)) == {Publication.DRAFT}

    page.get_by_role("link", name="Alle bestuursorganen").click()
    page.get_by_role("link", name="Gemeenteraad").click()
    expect(page.get_by_text("2 voorbereide mandatarissen (Draft) zijn niet publiek.")).to_be_visible()
    assert_accessible(page, "the gemeenteraad with Draft rows")
    page.get_by_role("button", name="Draft-rijen publiceren als Niet bekrachtigd").click()
    expect(page.get_by_text("2 Draft-mandataris(sen) nu Niet bekrachtigd.")).to_be_visible()
    assert sorted(Holder.objects.values_list("publication", flat=True)) == [
        Publication.DRAFT,  # the schepen: the college's rows are published from the college's page
        Publication.NOT_RATIFIED,
        Publication.NOT_RATIFIED,
    ]
