"""A clerk of a worship board adds a board member in a real browser: the tile, the period, a new person, the
mandate, the contact; the row is in the list of the period (and the page passes axe)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_self_registration import assert_accessible, dev_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_adds_a_board_member(new_page, live_server, dev_login_on, agency, worship_board, diocese):  # type: ignore[no-untyped-def]
    from loket.worship.models import BoardMember, WorshipUnit
    from loket.worship.periods import board_periods_create
    from loket.worship.services import worship_units_sync

    worship_units_sync()
    WorshipUnit.objects.filter(organisation=worship_board).update(religion="rooms-katholiek")
    board_periods_create()
    page = new_page()
    dev_login(
        page,
        first="Kees",
        last="Kerkraad",
        email="kees@kerkraad.example",
        organisation="0211374579",
        roles=("Eredienst mandatenbeheer",),
    )
    page.locator("ul.tiles > li", has=page.get_by_role("heading", name="Eredienst mandatenbeheer")).get_by_role(
        "link"
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bestuursleden")
    page.get_by_label("Bestuursperiode").select_option("2023")
    page.get_by_role("button", name="Toon").click()
    page.get_by_role("link", name="Bestuurslid toevoegen").click()
    page.get_by_label("Voornaam").fill("An")
    page.get_by_label("Familienaam").fill("Peeters")
    page.get_by_label("Nationaliteit").fill("BE")
    page.get_by_label("Geboortedatum").fill("1962-03-04")
    page.get_by_label("Mandaat *").select_option(label="Bestuurslid (Kleine Helft) (2023–2029)")
    page.get_by_label("Startdatum *").fill("2023-04-01")
    page.get_by_label("E-mail *").fill("an@example.org")
    page.get_by_label("Telefoon *").fill("+32 14 12 34 56")
    page.get_by_label("Straat *").fill("Kerkplein")
    page.get_by_label("Huisnummer *").fill("1")
    page.get_by_label("Postcode *").fill("2460")
    page.get_by_label("Gemeente *").fill("Kasterlee")
    assert_accessible(page, "the new board member form")
    page.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_text("Het bestuurslid is bewaard.")).to_be_visible()
    expect(page.locator("#members")).to_contain_text("An Peeters")
    expect(page.locator("#members")).to_contain_text("Bestuurslid (Kleine Helft)")
    assert_accessible(page, "the board members list")
    assert BoardMember.objects.get().person.family_name == "Peeters"
