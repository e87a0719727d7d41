"""A clerk of Aalst manages a leading function in a real browser: finds a known person by name, appoints her,
confirms the function's contact point (it is asked, not kept silently) and ends the appointment from the overview;
the pages pass axe."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.e2e.test_self_registration import assert_accessible, dev_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_appoints_a_found_person_confirms_the_contact_and_ends_it(  # type: ignore[no-untyped-def]
    new_page, live_server, dev_login_on, agency, municipality
):
    from loket.officials.models import Official, OfficialFunction
    from loket.officials.services import functions_create
    from loket.organisations.models import Organisation
    from loket.persons.models import Person
    from loket.persons.services import person_create

    functions_create(organisations=Organisation.objects.filter(pk=municipality.pk))
    known = person_create(actor=None, given_names="Katrien", family_name="Verhaegen", national_number="75040302137")
    page = new_page()
    dev_login(
        page,
        first="Lea",
        last="Leiding",
        email="lea@aalst.example",
        organisation="0207451227",
        roles=("Leidinggevendenbeheer",),
    )
    page.locator("ul.tiles > li", has=page.get_by_role("heading", name="Leidinggevendenbeheer")).get_by_role(
        "link"
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("overzicht functies")
    expect(page.locator("tr", has=page.get_by_role("link", name="Algemeen directeur", exact=True))).to_contain_text(
        "vacant"
    )
    assert_accessible(page, "the overview")
    page.get_by_role("link", name="Algemeen directeur", exact=True).click()

    page.get_by_label("Zoek een persoon (naam of rijksregisternummer)").fill("verhaegen")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_label("Katrien Verhaegen (1975)").check()
    page.get_by_label("Start aanstellingsperiode").fill("2025-01-01")
    assert_accessible(page, "the function page with a search result")
    page.get_by_role("button", name="Toevoegen").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Contactgegevens")
    page.get_by_label("E-mailadres").fill("directeur@aalst.example")
    page.get_by_label("Telefoon").fill("053 72 31 11")
    page.get_by_label("Postcode").fill("9300")
    page.get_by_role("button", name="Bevestig de contactgegevens").click()
    expect(page.get_by_text("De contactgegevens van de functie werden bevestigd.")).to_be_visible()
    row = page.locator("tr", has=page.get_by_role("link", name="Algemeen directeur", exact=True))
    expect(row).to_contain_text("Katrien Verhaegen (aangesteld)")
    expect(row).not_to_contain_text("vacant")

    row.get_by_label("Einddatum").fill("2025-06-30")
    assert_accessible(page, "the overview with a holder")
    row.get_by_role("button", name="Aanstelling van Katrien Verhaegen beëindigen").click()
    expect(page.get_by_text("De aanstelling van Katrien Verhaegen eindigt op 30-06-2025.")).to_be_visible()

    official = Official.objects.get()
    assert (official.person, official.start, official.end) == (known, date(2025, 1, 1), date(2025, 6, 30))
    assert Person.objects.count() == 1  # the found person, not a new one
    director = OfficialFunction.objects.get(organisation=municipality, label="Algemeen directeur")
    assert (director.email, director.phone, director.contact_to_confirm) == (
        "directeur@aalst.example",
        "+32 53 72 31 11",
        False,
    )
