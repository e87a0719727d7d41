"""A clerk of Aalst fills the personnel table of 2026 in a real browser: cells save as she leaves them (totals
follow from the server), a non-whole headcount is refused at once and nothing is saved, then she confirms the
period and gets the receipt (the page passes axe)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_self_registration import assert_accessible, dev_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_fills_and_confirms_a_period(new_page, live_server, dev_login_on, agency, municipality):  # type: ignore[no-untyped-def]
    from loket.personnel.dimensions import CELLS
    from loket.personnel.models import Confirmation, Observation
    from loket.personnel.services import period_open

    period_open(year=2026)
    page = new_page()
    dev_login(
        page,
        first="Petra",
        last="Personeel",
        email="petra@aalst.example",
        organisation="0207451227",
        roles=("Personeelsbeheer",),
    )
    page.locator("ul.tiles > li", has=page.get_by_role("heading", name="Personeelsbeheer")).get_by_role(
        "link"
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Personeelsbeheer")
    page.get_by_role("link", name="2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Personeelsaantallen 2026")
    assert_accessible(page, "the personnel table")

    # A non-whole headcount: refused by the server, shown at the cell, nothing saved.
    cell = page.locator("#c-koppen-0")
    cell.fill("2,1")
    cell.press("Tab")
    expect(page.locator("#e-koppen-0")).to_contain_text("geen geheel aantal")
    assert not Observation.objects.exclude(value=None).exists()

    for c in CELLS:
        page.locator(f"#c-koppen-{c.index}").fill("2")
        page.locator(f"#c-koppen-{c.index}").press("Tab")
    expect(page.locator("#t-koppen-grand")).to_have_text("96")
    expect(page.locator("#e-koppen-0")).to_have_count(0)
    # A warning, not an error: heads but 0 FTE in a part-time cell.
    page.locator("#c-vte-4").fill("0")
    page.locator("#c-vte-4").press("Tab")
    expect(page.locator("#warnings")).to_contain_text("Er zijn koppen maar 0 voltijds equivalenten in deze cel.")
    for c in CELLS:
        page.locator(f"#c-vte-{c.index}").fill("2" if c.is_full_time else "1,5")
        page.locator(f"#c-vte-{c.index}").press("Tab")
    expect(page.locator("#t-vte-grand")).to_have_text("84,00")
    expect(page.locator("#t-vte-time-1")).to_have_text("36,00")
    expect(page.locator("#warnings")).to_be_hidden()
    assert Observation.objects.exclude(value=None).count() == 96

    page.get_by_role("button", name="Aantallen bevestigen").click()
    expect(page.get_by_text("De aantallen van 2026 werden bevestigd (versie 1).", exact=False)).to_be_visible()
    expect(page.get_by_text("versie 1 bevestigd", exact=True)).to_be_visible()
    confirmation = Confirmation.objects.get()
    assert confirmation.figures["vte"][4] == "1.50"
    with page.expect_download() as download:
        page.get_by_role("link", name="Ontvangstbewijs (PDF)").click()
    assert download.value.suggested_filename == "ontvangstbewijs-personeel-2026-v1.pdf"
    # The refused 2,1 answered 400 on purpose (Chromium also logs it); the receipt is a download, not a page.
    unexpected = [
        p
        for p in new_page.problems
        if "/cellen/0/" not in p and "status of 400" not in p and "ontvangstbewijs.pdf" not in p
    ]
    assert unexpected == []
