"""Self-registration in a real browser: a newcomer asks access to Aalst, the agency's access manager approves,
the newcomer opens the Toezicht module. Every page on the way is checked with axe (serious/critical)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from loket.accounts.models import AccessRequest, Membership
from loket.accounts.roles import MODULE_ROLES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/loket-e2e-home.png"
BLOCKING_IMPACTS = {"serious", "critical"}
# Without preloading the style sheets: axe copies a sheet's text into a <style> element of the page to read it, which
# the Content-Security-Policy rightly refuses (a CSP violation that fails the test) when the sheet has an @import,
# as the admin's forms.css has.
AXE_OPTIONS = {"resultTypes": ["violations"], "preload": False}


def assert_accessible(page: Page, what: str, *, within: str | None = None) -> None:
    """axe's serious and critical violations on the page, or on the part `within` (a CSS selector) of it."""
    results = Axe().run(page, context=within, options=AXE_OPTIONS)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    details = "\n".join(
        f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})\n"
        + "\n".join(f"    {node['target']}: {node.get('failureSummary', '')}" for node in v["nodes"])
        for v in blocking
    )
    assert not blocking, f"axe found serious/critical violations on {what} ({page.url}):\n{details}"


def dev_login(
    page: Page, *, first: str, last: str, email: str, organisation: str = "", roles: tuple[str, ...] = ()
) -> None:
    page.goto("/aanmelden/ontwikkeling/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden als testgebruiker")
    page.get_by_label("Voornaam").fill(first)
    page.get_by_label("Familienaam").fill(last)
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Bestuur (naam of KBO-nummer)").fill(organisation)
    for role in roles:
        page.get_by_role("checkbox", name=role, exact=True).check()
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_newcomer_requests_access_manager_approves_newcomer_opens_module(
    new_page, live_server, dev_login_on, agency, municipality, other_municipality
):
    # The landing page, anonymous.
    newcomer = new_page()
    newcomer.goto("/")
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Loket voor Lokale Besturen")
    assert_accessible(newcomer, "the landing page")

    # 1. The newcomer logs in without an organisation.
    dev_login(newcomer, first="Nina", last="Newcomer", email="nina@aalst.example")
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Welkom")
    expect(newcomer.locator("p.notice")).to_contain_text("U hebt nog geen toegang tot een bestuur.")

    # 2. Searches the organisation, by name and by KBO number.
    newcomer.get_by_role("link", name="Toegang aanvragen", exact=True).click()
    expect(newcomer).to_have_url(re.compile(r"/toegang-aanvragen/$"))
    search = newcomer.get_by_label("Naam of KBO-nummer")
    search.fill("aals")
    newcomer.get_by_role("button", name="Zoeken").click()
    results = newcomer.locator("table tbody tr")
    expect(results).to_have_count(1)
    expect(results.first.locator("td")).to_have_text(["Aalst", "Gemeente", "0207451227", ""])
    for typed in ("BE 0207.451.227", "207451227", "BE0207451227", "0207.451.227"):  # every way people write it
        search = newcomer.get_by_label("Naam of KBO-nummer")
        search.fill(typed)
        newcomer.get_by_role("button", name="Zoeken").click()
        expect(results).to_have_count(1)
        expect(results.first.locator("td").first).to_have_text("Aalst")
    newcomer.get_by_role("link", name="Aalst", exact=True).click()

    # 3. Fills in the request.
    expect(newcomer).to_have_url(re.compile(rf"/toegang-aanvragen/{municipality.key}/$"))
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Toegang aanvragen voor Aalst")
    expect(newcomer.get_by_label("Voornaam")).to_have_value("Nina")
    expect(newcomer.get_by_label("Familienaam")).to_have_value("Newcomer")
    expect(newcomer.get_by_label("E-mailadres")).to_have_value("nina@aalst.example")
    newcomer.get_by_label("Telefoon").fill("053 00 00 00")
    newcomer.get_by_label("Functie").fill("Schepen")
    assert_accessible(newcomer, "the registration form")
    newcomer.get_by_label("Alle rollen selecteren").check()
    newcomer.locator("#id_reason").fill("Bestuurslid")
    newcomer.get_by_role("button", name="Aanvraag versturen").click()

    # 4. Sees the pending request: who decides (named), how she will hear, what to do if nobody answers.
    request = AccessRequest.objects.get()
    expect(newcomer).to_have_url(re.compile(rf"/mijn-aanvragen/{request.pk}/$"))
    expect(newcomer.locator("p.step")).to_have_text("Stap 3 van 3: aanvraag verstuurd")
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Uw aanvraag voor Aalst is verstuurd")
    expect(newcomer.locator("#deciders")).to_have_text("Uw aanvraag gaat naar Agentschap Binnenlands Bestuur.")
    expect(newcomer.get_by_text("U kreeg een bevestiging per e-mail op nina@aalst.example.")).to_be_visible()
    expect(newcomer.get_by_role("heading", name="Geen antwoord?")).to_be_visible()
    expect(newcomer.get_by_text(f"nummer van uw aanvraag ({request.pk})")).to_be_visible()
    assert_accessible(newcomer, "the request-sent page")
    newcomer.get_by_role("link", name="Mijn aanvragen").last.click()
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Mijn aanvragen")
    rows = newcomer.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td").nth(0)).to_have_text("Aalst")
    expect(rows.first.locator("td").nth(3)).to_have_text("In behandeling")
    assert (request.organisation_id, request.status, request.roles, request.reason, request.phone) == (
        municipality.pk,
        "pending",
        sorted(r.value for r in MODULE_ROLES),
        "Bestuurslid",
        "053 00 00 00",
    )

    # 5. The agency's access manager, in another browser context, approves.
    manager = new_page()
    dev_login(
        manager,
        first="Hilde",
        last="Helpdesk",
        email="hilde@abb.example",
        organisation="Agentschap Binnenlands Bestuur",
        roles=("Toegangsbeheer",),
    )
    expect(manager.get_by_role("heading", level=1)).to_have_text("Agentschap Binnenlands Bestuur")
    manager.get_by_role("link", name="Toegangsbeheer").click()
    expect(manager).to_have_url(re.compile(r"/toegangsbeheer/$"))
    pending = manager.locator("table tbody tr")
    expect(pending).to_have_count(1)
    expect(pending.first).to_contain_text("Nina Newcomer")
    expect(pending.first).to_contain_text("Aalst")
    assert_accessible(manager, "the access manager's page")
    pending.first.get_by_role("link", name="Behandelen").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Aanvraag behandelen")
    # The approver sees which body this is, and grants fewer roles than asked.
    expect(manager.locator("#request-kind")).to_have_text("Gemeente")
    expect(manager.locator("#request-kbo")).to_have_text("0207.451.227")
    expect(manager.locator("#request-place")).to_have_text("Aalst")
    assert_accessible(manager, "the decision page")
    manager.get_by_role("checkbox", name="Subsidiebeheer").uncheck()
    manager.get_by_role("button", name="Goedkeuren").click()
    expect(manager).to_have_url(re.compile(r"/toegangsbeheer/$"))
    expect(manager.locator(".messages")).to_have_text("Toegang verleend aan Nina Newcomer.")
    expect(manager.get_by_text("Er zijn geen aanvragen in behandeling.")).to_be_visible()

    # 6. The newcomer reloads: she now works for Aalst and sees her modules.
    newcomer.goto("/")
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Aalst")
    tiles = newcomer.locator("ul.tiles > li")
    expect(tiles).to_have_count(len(MODULE_ROLES))
    expect(newcomer.locator("ul.tiles > li.locked")).to_have_count(1)
    newcomer.screenshot(path=SCREENSHOT, full_page=True)
    newcomer.get_by_role("link", name="Toezicht", exact=True).click()
    expect(newcomer).to_have_url(re.compile(r"/toezicht/$"))
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Toezicht: inzendingen")
    expect(newcomer.locator("p.notice")).to_contain_text("Er zijn nog geen inzendingen")

    membership = Membership.objects.get(user__username="dev:nina-newcomer", is_active=True)
    assert (membership.organisation_id, membership.source, membership.role_codes) == (
        municipality.pk,
        Membership.Source.REQUEST,
        sorted(r.value for r in MODULE_ROLES if r.value != "subsidies"),
    )


def test_pages_load_their_stylesheet_without_errors(new_page, live_server, dev_login_on, agency):
    page = new_page()
    for path in ("/", "/aanmelden/", "/aanmelden/ontwikkeling/"):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.evaluate("getComputedStyle(document.querySelector('.skip-link')).position") == "absolute", path
    # No failed requests, no CSP violations or script errors on the way.
    assert new_page.problems == []
