"""The Berichtencentrum in a real browser: the agency starts a conversation with Aalst, the clerk gets the mail
(real SMTP), opens its link, replies with a file; the agency sees the reply, downloads the receipt and the receipt
verifies against the register."""

import json
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from loket.core.receipts import receipt_verify
from loket.messaging.models import NotificationSetting
from tests.e2e.test_self_registration import assert_accessible, dev_login
from tests.support.smtp import smtp_server  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LETTER = b"%PDF-1.4\n" + b"% brief\n" * 200


def test_agency_writes_clerk_replies_receipt_verifies(
    new_page,
    live_server,
    dev_login_on,
    settings,
    municipality,
    smtp_server,  # noqa: F811 - the fixture imported above
    run_worker,
    tmp_path,
):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LOKET_SITE_URL = live_server.url
    NotificationSetting.objects.create(organisation=municipality, is_enabled=True, addresses=["griffie@aalst.example"])
    letter, answer = tmp_path / "opvraging.pdf", tmp_path / "antwoord.pdf"
    letter.write_bytes(LETTER)
    answer.write_bytes(LETTER + b"% antwoord\n")

    agency = new_page()
    dev_login(agency, first="Abby", last="Agentschap", email="abby@abb.example",
              organisation="Agentschap Binnenlands Bestuur", roles=("Berichten ABB",))  # fmt: skip
    agency.goto("/berichtencentrum-abb/nieuw/")
    assert_accessible(agency, "the new conversation page")
    agency.get_by_label("Besturen: KBO-nummer of URI, één per regel").fill("0207.451.227")
    agency.get_by_label("Dossiernummer").fill("OPV/2026/42")
    agency.get_by_label("Betreft").fill("Opvraging notulen gemeenteraad")
    agency.get_by_label("Type communicatie").select_option("Opvraging")
    agency.get_by_label("Bijlagen").set_input_files(letter)
    agency.get_by_role("button", name="Verstuur").click()
    expect(agency.get_by_role("heading", level=1)).to_have_text("Opvraging")

    run_worker()
    [mail] = smtp_server.messages
    assert mail.message["Subject"] == "Dossier OPV/2026/42: 'Opvraging notulen gemeenteraad' - Nieuw bericht: Opvraging"
    link = next(word for word in mail.message.get_body().get_content().split() if word.startswith(live_server.url))

    clerk = new_page()
    dev_login(clerk, first="Clara", last="Clerk", email="clara@aalst.example", organisation="Aalst",
              roles=("Berichtencentrum",))  # fmt: skip
    clerk.goto("/berichtencentrum/")
    expect(clerk.get_by_role("link", name="Opvraging notulen gemeenteraad ongelezen")).to_be_visible()
    clerk.goto(urlparse(link).path)
    expect(clerk.get_by_text("Dossiernummer: OPV/2026/42")).to_be_visible()
    expect(clerk.get_by_role("link", name="opvraging.pdf")).to_be_visible()
    assert_accessible(clerk, "the conversation page")
    clerk.get_by_label("Uw antwoord als bijlage").set_input_files(answer)
    clerk.get_by_role("button", name="Verstuur bericht").click()
    expect(clerk.get_by_text("Uw reactie werd verstuurd.")).to_be_visible()
    expect(clerk.get_by_role("link", name="antwoord.pdf")).to_be_visible()

    run_worker()  # the agency's side receives it (second register entry)
    agency.reload()
    expect(agency.get_by_role("link", name="antwoord.pdf")).to_be_visible()
    with agency.expect_download() as info:
        agency.get_by_role("link", name="JSON").click()
    receipt = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert receipt["delivered_at"] is not None
    assert receipt_verify(receipt).ok is True
