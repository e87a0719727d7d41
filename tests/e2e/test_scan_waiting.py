"""Wacht op virusscan in a real browser: a BBC-DR clerk uploads while the virus scanner is stopped, sees both files
labelled "wacht op virusscan" (no download link, no send link), and ordinary files once clamd is back and the worker
has scanned them. A Berichtencentrum clerk's reply sent while the scanner is stopped is kept as a draft and sent with
one click once the worker has scanned its file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from loket.messaging.models import Message
from loket.messaging.services import ConversationDraft, attachments_store, conversation_start
from loket.reports import samples
from tests.e2e.test_self_registration import assert_accessible, dev_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_waiting_label_until_the_scan_is_done(  # type: ignore[no-untyped-def]
    new_page, live_server, dev_login_on, settings, municipality, run_worker, own_clamd, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LOKET_BBCDR_TAXONOMY_DIR = str(samples.SAMPLE_TAXONOMY_DIR)
    settings.LOKET_BBCDR_XSD = {samples.XML_NAMESPACE: str(samples.SAMPLE_XSD)}
    xml, xbrl = tmp_path / "jaarrekening.xml", tmp_path / "jaarrekening.xbrl"
    xml.write_bytes(samples.sample_xml(kbo=municipality.kbo))
    xbrl.write_bytes(samples.sample_xbrl(kbo=municipality.kbo))
    own_clamd.stop()

    page = new_page()
    dev_login(page, first="Bea", last="Boekhouding", email="bea@aalst.example", organisation="Aalst",
              roles=("BBC-DR",))  # fmt: skip
    page.goto("/bbcdr/nieuw/")
    page.get_by_label("Upload één XML- en één XBRL-bestand").set_input_files([xml, xbrl])
    page.get_by_role("button", name="Bewaar concept").click()
    expect(page.get_by_text("wacht op virusscan")).to_have_count(2)
    expect(page.get_by_role("link", name="jaarrekening.xml")).to_have_count(0)
    expect(page.get_by_text("jaarrekening.xml wacht nog op de virusscan")).to_be_visible()  # why it cannot be sent
    expect(page.get_by_role("link", name="Verstuur naar Vlaamse overheid")).to_have_count(0)
    # (no accessibility check here: the page refreshes itself while the check is pending, as it does without a scan)

    own_clamd.start()
    run_worker()  # the scans, then the check
    page.reload()
    expect(page.get_by_text("In orde: beide bestanden zijn goedgevormd")).to_be_visible(timeout=10_000)
    expect(page.get_by_text("wacht op virusscan")).to_have_count(0)
    expect(page.get_by_role("link", name="jaarrekening.xml")).to_be_visible()
    assert_accessible(page, "the report once its files were scanned")


def test_a_reply_waits_as_a_draft_and_is_sent_with_one_click(
    uploader,  # type: ignore[no-untyped-def]
    new_page,
    live_server,
    dev_login_on,
    settings,
    municipality,
    agency,
    run_worker,
    own_clamd,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    letter = b"%PDF-1.4\n" + b"% brief\n" * 200
    conversation = conversation_start(
        actor=None,
        organisation=municipality,
        draft=ConversationDraft(dossier_number="OPV/2026/7", subject="Opvraging notulen", kind="Opvraging"),
        blobs=attachments_store([SimpleUploadedFile("opvraging.pdf", letter)], uploader=uploader),
    )
    answer = tmp_path / "antwoord.pdf"
    answer.write_bytes(letter + b"% antwoord\n")
    own_clamd.stop()

    page = new_page()
    dev_login(page, first="Clara", last="Clerk", email="clara@aalst.example", organisation="Aalst",
              roles=("Berichtencentrum",))  # fmt: skip
    page.goto(f"/berichtencentrum/{conversation.uuid}/")
    page.get_by_label("Uw antwoord als bijlage").set_input_files(answer)
    page.get_by_label("Korte begeleidende tekst (niet verplicht)").fill("De notulen")
    page.get_by_role("button", name="Verstuur bericht").click()
    expect(page.get_by_text("Uw reactie werd nog niet verstuurd")).to_be_visible()
    draft = page.get_by_role("region", name="Concept — nog niet verstuurd, wacht op virusscan")
    expect(draft.get_by_text("wacht op virusscan", exact=True)).to_be_visible()
    expect(draft.get_by_role("link", name="antwoord.pdf")).to_have_count(0)
    expect(draft.get_by_role("button", name="Verstuur reactie")).to_have_count(0)
    assert_accessible(page, "the conversation with a waiting reply draft")

    own_clamd.start()
    run_worker()
    page.reload()
    draft = page.get_by_role("region", name="Concept — nog niet verstuurd")
    expect(draft.get_by_text("De virusscan is klaar.")).to_be_visible()
    assert not Message.objects.filter(from_agency=False).exists()  # the clerk decides, not the worker
    draft.get_by_role("button", name="Verstuur reactie").click()
    expect(page.get_by_text("Uw reactie werd verstuurd.")).to_be_visible()
    expect(page.get_by_role("link", name="antwoord.pdf")).to_be_visible()
    expect(page.get_by_role("region", name="Concept — nog niet verstuurd")).to_have_count(0)
    assert Message.objects.get(from_agency=False).text == "De notulen"
