"""Simuleer een bestuur in a real browser: the helpdesk finds Aalst, the yellow banner stays on top of every page,
at desktop and phone width, without a way to hide it; the module works as Aalst's; stopping ends it."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_self_registration import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_helpdesk_simulates_a_body_with_a_banner_on_every_page(  # type: ignore[no-untyped-def]
    new_page, live_server, dev_login_on, agency, municipality
):
    page = new_page()
    page.goto("/aanmelden/ontwikkeling/")
    page.get_by_label("Voornaam").fill("Hilde")
    page.get_by_label("Familienaam").fill("Helpdesk")
    page.get_by_label("E-mailadres").fill("hilde@abb.example")
    page.get_by_label("Medewerker helpdesk ABB (back-office)").check()
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    page.get_by_role("link", name="Simuleer een bestuur").click()
    page.get_by_label("Naam of KBO-nummer").fill("0207.451.227")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("button", name="Simuleer").click()
    banner = page.locator(".simulation-banner")
    expect(banner).to_contain_text("U bekijkt het Loket als Aalst")
    assert_accessible(page, "the landing page while simulating")
    page.goto("/toezicht/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(banner).to_contain_text("U bekijkt het Loket als Aalst")
    for width, height in ((1280, 900), (360, 740)):
        page.set_viewport_size({"width": width, "height": height})
        page.mouse.wheel(0, 2000)
        box = banner.bounding_box()
        assert box is not None and box["y"] <= 1, f"the banner scrolled away at {width}px"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), width
    banner.get_by_role("button", name="Simulatie stoppen").click()
    expect(page).to_have_url(re.compile(r"/simulatie/$"))
    expect(page.locator(".simulation-banner")).to_have_count(0)
    expect(page.locator(".messages")).to_contain_text("De simulatie van Aalst is gestopt.")
