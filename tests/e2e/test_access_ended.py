"""A worship board leaves the Loket for Religiopoint, in a real browser: the helpdesk's switch page says in advance
what is affected, keeps the typed reason through a forgotten confirmation, and the board member who was working
in the Loket is told on her next page why her access ended."""

import re

import pytest
from playwright.sync_api import expect

from loket.accounts.models import Membership
from tests.e2e.test_self_registration import assert_accessible, dev_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_channel_switch_seen_by_the_helpdesk_and_by_the_member(  # type: ignore[no-untyped-def]
    new_page, live_server, dev_login_on, agency, worship_board, religiopoint
):
    member = new_page()
    dev_login(
        member,
        first="Anna",
        last="Kerkraad",
        email="anna@kerk.example",
        organisation="St.-Margarita",
        roles=("Toezicht",),
    )
    expect(member.get_by_role("heading", level=1)).to_contain_text("St.-Margarita")

    helpdesk = new_page()
    helpdesk.goto("/aanmelden/ontwikkeling/")
    helpdesk.get_by_label("Voornaam").fill("Hilde")
    helpdesk.get_by_label("Familienaam").fill("Helpdesk")
    helpdesk.get_by_label("E-mailadres").fill("hilde@abb.example")
    helpdesk.get_by_label("Medewerker helpdesk ABB (back-office)").check()
    helpdesk.get_by_role("button", name="Aanmelden", exact=True).click()
    helpdesk.goto(f"/helpdesk/organisations/organisation/{worship_board.pk}/kanaal/")
    effects = helpdesk.locator("#effects > li")
    expect(effects).to_have_count(3)
    expect(effects.nth(0)).to_have_text(
        "1 actief lid: Hun toegang tot het Loket wordt stopgezet. Ze krijgen een e-mail met de reden en lezen die ook "
        "bij hun volgende bezoek aan het Loket."
    )
    expect(effects.nth(1)).to_have_text(
        "0 aanvragen in behandeling: Ze vervallen. De aanvragers krijgen een e-mail met de reden."
    )
    expect(effects.nth(2)).to_contain_text("0 concepten in Toezicht: Ze blijven bewaard")
    helpdesk.get_by_label("Nieuw kanaal").select_option("platform")
    helpdesk.locator("#id_platform").select_option(label="Religiopoint")
    reason = "Beslissing van de kerkraad van 3 december 2026"
    helpdesk.get_by_label("Reden (beslissing van het bestuur)").fill(reason)
    helpdesk.get_by_role("button", name="Kanaal wisselen").click()
    expect(
        helpdesk.get_by_text("Bevestig dat de toegang van alle bestuursleden tot het Loket wordt stopgezet.")
    ).to_be_visible()
    expect(helpdesk.get_by_label("Reden (beslissing van het bestuur)")).to_have_value(reason)
    helpdesk.locator("#id_confirmed").check()
    helpdesk.get_by_role("button", name="Kanaal wisselen").click()
    expect(helpdesk.locator(".messagelist")).to_contain_text("1 lidmaatschap beëindigd")
    assert not Membership.objects.filter(organisation=worship_board, is_active=True).exists()

    member.goto("/")
    warning = member.locator(".messages")
    expect(warning).to_contain_text("Uw toegang tot St.-Margarita (Tielen) is stopgezet op ")
    expect(warning).to_contain_text(f"Reden: Overgeschakeld naar Religiopoint: {reason}")
    expect(member.get_by_role("heading", level=1)).to_have_text("Welkom")
    assert_accessible(member, "the page telling why access ended")
    member.reload()
    expect(member.get_by_text(re.compile("is stopgezet op"))).to_have_count(0)
