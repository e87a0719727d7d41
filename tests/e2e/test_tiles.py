"""Module tiles in a real browser: where self-registration applies the tile says "Vraag toegang aan" and leads to
the request form with the module ticked; otherwise the helpdesk address is given — and no text leaves its tile,
however long the address, at desktop and phone widths."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_self_registration import assert_accessible, dev_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_EMAIL = "helpdeskloketlokalebesturenagentschapbinnenlandsbestuur@uitzonderlijklangdomeinvoorhetloket.vlaanderen.be"

OVERFLOWS = """() => {
  const problems = [];
  for (const tile of document.querySelectorAll('ul.tiles > li')) {
    const box = tile.getBoundingClientRect();
    if (tile.scrollWidth > tile.clientWidth + 1) problems.push(`${tile.innerText.slice(0, 30)}: scrolls`);
    for (const element of tile.querySelectorAll('*')) {
      const inner = element.getBoundingClientRect();
      if (inner.right > box.right + 1 || inner.left < box.left - 1) {
        problems.push(`${element.tagName} ${element.innerText.slice(0, 40)}`);
      }
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1) {
    const wide = [...document.body.querySelectorAll('*')]
      .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1);
    problems.push('page scrolls sideways: ' + wide.map(e => e.tagName + '.' + e.className).slice(0, 5).join(', '));
  }
  return problems;
}"""


def _no_overflow(page: Page) -> None:
    for width, height in ((1280, 900), (360, 740)):
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate(OVERFLOWS) == [], f"text leaves its tile at {width}px"


def test_tiles_offer_self_registration_and_never_overflow(  # type: ignore[no-untyped-def]
    new_page, live_server, dev_login_on, settings, agency, municipality, target_group
):
    settings.LOKET_HELPDESK_EMAIL = LONG_EMAIL
    page = new_page()
    dev_login(
        page,
        first="Bert",
        last="Berichten",
        email="bert@aalst.example",
        organisation="Aalst",
        roles=("Berichtencentrum",),
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Aalst")
    toezicht = page.locator("ul.tiles > li", has=page.get_by_role("heading", name="Toezicht"))
    link = toezicht.get_by_role("link", name="Vraag toegang aan")
    expect(link).to_be_visible()
    expect(page.locator("ul.tiles").get_by_text(LONG_EMAIL)).to_have_count(0)
    _no_overflow(page)
    assert_accessible(page, "the landing page with locked tiles")
    link.click()
    expect(page).to_have_url(re.compile(rf"/toegang-aanvragen/{municipality.key}/\?rol=toezicht$"))
    expect(page.get_by_role("checkbox", name="Toezicht", exact=True)).to_be_checked()
    expect(page.get_by_role("checkbox", name="BBC-DR", exact=True)).not_to_be_checked()

    # Not yet in the target group: no self-registration; the (long) helpdesk address is the fallback.
    municipality.target_groups.remove(target_group)
    page.goto("/")
    expect(toezicht.get_by_role("link", name="Vraag toegang aan")).to_have_count(0)
    expect(toezicht.get_by_role("link", name=LONG_EMAIL)).to_be_visible()
    _no_overflow(page)

    # The search says so before any form: no link to a form that would refuse afterwards.
    page.goto("/toegang-aanvragen/?q=Aalst")
    row = page.locator("table tbody tr").first
    expect(row).to_contain_text(
        f"Nog niet aangesloten: vraag de helpdesk ({LONG_EMAIL}) om uw bestuur klaar te zetten."
    )
    expect(row.get_by_role("link")).to_have_count(0)
    _no_overflow(page)
