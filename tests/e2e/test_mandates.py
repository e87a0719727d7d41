"""A clerk of Aalst changes a mandate holder in a real browser as a Wijziging: the old version ends at the date, a
new one starts there, and the history shows both (the page passes axe)."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.e2e.test_self_registration import assert_accessible, dev_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_makes_a_wijziging_and_sees_the_history(new_page, live_server, dev_login_on, agency, municipality):  # type: ignore[no-untyped-def]
    from loket.mandates.codes import RoleCode, Status
    from loket.mandates.models import Holder, Mandate
    from loket.mandates.organs import decretal_organs_create
    from loket.mandates.services import HolderValues, fractie_create, holder_create
    from loket.persons.services import person_create

    decretal_organs_create(organisations=[municipality])
    fractie = fractie_create(organisation=municipality, name="Samen Aalst", actor=None)
    person = person_create(actor=None, given_names="Jan", family_name="Peeters")
    councillor = Mandate.objects.get(
        term__organ__organisation=municipality, term__period="2024", role=RoleCode.COUNCILLOR
    )
    holder, _ = holder_create(
        mandate=councillor,
        person=person,
        actor=None,
        values=HolderValues(
            start=date(2025, 1, 6), status=Status.EFFECTIVE, rangorde="Eerste gemeenteraadslid", fractie=fractie
        ),
    )
    page = new_page()
    dev_login(
        page,
        first="Gert",
        last="Gemeente",
        email="gert@aalst.example",
        organisation="0207451227",
        roles=("Mandatenbeheer",),
    )
    page.locator("ul.tiles > li", has=page.get_by_role("heading", name="Mandatenbeheer")).get_by_role(
        "link"
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("bestuursorganen")
    page.get_by_role("link", name="Gemeenteraad").click()
    page.get_by_role("link", name="Jan Peeters").click()
    page.get_by_label("Wijziging (nieuwe versie vanaf een datum)").check()
    page.get_by_label("Datum van de wijziging").fill("2025-09-01")
    page.get_by_label("Rangorde").fill("Tweede gemeenteraadslid")
    assert_accessible(page, "the holder page")
    page.get_by_role("button", name="Bewaren").first.click()
    expect(page.get_by_text("Wijziging bewaard: een nieuwe versie begint op 01-09-2025.")).to_be_visible()
    history = page.locator("#history tbody tr")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("06-01-2025")
    expect(history.nth(0)).to_contain_text("01-09-2025")
    expect(history.nth(0)).to_contain_text("Eerste gemeenteraadslid")
    expect(history.nth(1)).to_contain_text("Tweede gemeenteraadslid")
    expect(history.nth(1)).to_contain_text("Niet bekrachtigd")
    holder.refresh_from_db()
    assert holder.end == date(2025, 9, 1)
    assert Holder.objects.get(previous=holder).rangorde == "Tweede gemeenteraadslid"


def test_a_person_found_by_national_register_number_never_puts_the_number_in_a_url(  # type: ignore[no-untyped-def]
    new_page, live_server, dev_login_on, agency, municipality
):
    from loket.mandates.organs import decretal_organs_create
    from loket.persons.services import person_create
    from tests.mandates.conftest import rrn

    decretal_organs_create(organisations=[municipality])
    number = rrn(date(1970, 3, 4), 1)
    person_create(actor=None, given_names="Jan", family_name="Peeters", national_number=number)
    page = new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    dev_login(
        page,
        first="Gert",
        last="Gemeente",
        email="gert@aalst.example",
        organisation="0207451227",
        roles=("Mandatenbeheer",),
    )
    page.locator("ul.tiles > li", has=page.get_by_role("heading", name="Mandatenbeheer")).get_by_role(
        "link"
    ).first.click()
    page.get_by_role("link", name="Gemeenteraad").click()
    page.get_by_role("link", name="Mandataris toevoegen").click()
    page.get_by_label("Zoek een persoon (naam of rijksregisternummer)").fill(number)
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_label("Jan Peeters (1970)")).to_be_visible()
    assert_accessible(page, "the new holder page with a search result")
    assert requested and not [url for url in requested if number in url or number[:6] in url]
    # Found by the number, shown by name and birth year: the number is only in the box the clerk typed it into and
    # its hidden copy that the page's own form carries along (the page is never cached: no-store).
    assert page.content().count(number) == 2
