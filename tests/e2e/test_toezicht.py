"""Toezicht in a real browser: a clerk of Aalst makes a Besluitenlijst, saves a concept with an error, fixes it,
sends it with a link to the published decision, downloads the receipt; the worker delivers it and keeps a copy of
the decision; the agency's supervisor finds it in the inbox, downloads the copy and marks it handled. The edit
page, the sent page and the inbox are checked with axe (serious/critical); the browser-side file check is tried
with a wrong file."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from loket.supervision.codelists import document_types_load
from loket.supervision.models import Submission
from tests.core.fetch_support import SMALL_BODY, LocalServer, serve
from tests.e2e.test_self_registration import assert_accessible, dev_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def decision_server(settings) -> LocalServer:  # type: ignore[no-untyped-def]
    """Where the municipality publishes its decisions: a local server the Loket is allowed to fetch from."""
    settings.LOKET_ALLOW_PRIVATE_FETCH = ["127.0.0.1"]
    with serve() as server:
        yield server


def download(page: Page, link_name: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name, exact=True).click()
    saved = info.value
    return saved.suggested_filename, Path(saved.path()).read_bytes()


def test_clerk_sends_supervisor_handles(
    new_page, live_server, dev_login_on, settings, agency, municipality, run_worker, decision_server, tmp_path
):  # type: ignore[no-untyped-def]
    document_types_load()
    settings.MEDIA_ROOT = tmp_path / "media"

    # 1. The clerk starts a Besluitenlijst.
    clerk = new_page()
    dev_login(clerk, first="Clara", last="Clerk", email="clara@aalst.example", organisation="Aalst",
              roles=("Toezicht",))  # fmt: skip
    clerk.goto("/toezicht/nieuw/")
    clerk.get_by_label("Besluitenlijst", exact=True).check()
    clerk.get_by_role("button", name="Verder").click()
    expect(clerk.get_by_role("heading", level=1)).to_contain_text("Besluitenlijst")
    submission = Submission.objects.get()
    assert_accessible(clerk, "the edit page")

    # 2. The browser refuses a file of the wrong type before anything is sent.
    file_input = clerk.get_by_label("Bestand toevoegen")
    assert file_input.get_attribute("accept") == ".pdf,.odt,.docx,.xml"
    file_input.set_input_files(files=[{"name": "setup.exe", "mimeType": "application/octet-stream", "buffer": b"MZ"}])
    alert = clerk.get_by_role("alert")
    expect(alert).to_have_text("Het bestand setup.exe is geen PDF, ODT, DOCX of XML en wordt niet opgeladen.")
    assert file_input.evaluate("input => input.files.length") == 0

    # 3. Saves a concept with an error, sees it, and nothing is lost.
    clerk.get_by_label("Bestuursorgaan").select_option(label="Gemeenteraad")
    clerk.get_by_label("Korte omschrijving").fill("Besluitenlijst van de gemeenteraad van 14 oktober.")
    clerk.get_by_role("button", name="Bewaren als concept").click()  # without the session date
    expect(clerk.locator(".messages")).to_have_text("Bewaard als concept.")
    expect(clerk.get_by_role("link", name="Datum van de zitting: Geef de datum van de zitting.")).to_be_visible()
    expect(clerk.locator(".form-error")).to_have_text(
        [
            "Fout: Geef de datum van de zitting.",
            "Fout: Voeg het besluit toe als bestand of als link naar de publicatie.",
        ]
    )
    expect(clerk.get_by_label("Bestuursorgaan")).to_have_value(re.compile("^http"))
    expect(clerk.get_by_label("Korte omschrijving")).to_have_value("Besluitenlijst van de gemeenteraad van 14 oktober.")
    assert_accessible(clerk, "the edit page with errors")

    # 4. Fixes the date, gives the link to the published decision, sends. (Not with an uploaded file: the form
    # engine drops an upload whenever the link field is posted, see tests/supervision/test_uploads.py.)
    clerk.get_by_label("Datum van de zitting").fill("2026-10-14")
    clerk.get_by_label("Link 1").fill(decision_server.url("/small/besluitenlijst.pdf"))
    clerk.get_by_role("button", name="Versturen").click()

    # 4b. Before the irreversible step: exactly what will be sent, and what of it becomes public.
    expect(clerk.get_by_role("heading", level=1)).to_have_text("Nakijken en versturen")
    summary = clerk.locator("dl.data-summary")
    expect(summary.locator("dt")).to_contain_text(["Type dossier", "Bestuursorgaan", "Datum van de zitting"])
    expect(summary).to_contain_text("Gemeenteraad")
    expect(summary).to_contain_text("14 oktober 2026")
    expect(summary).to_contain_text(decision_server.url("/small/besluitenlijst.pdf"))
    expect(clerk.get_by_text("Deze inzending wordt na het versturen gepubliceerd als open data")).to_be_visible()
    assert_accessible(clerk, "the confirmation page")
    submission.refresh_from_db()
    assert submission.status == "concept"
    clerk.get_by_role("button", name="Definitief versturen").click()
    expect(clerk.locator(".messages")).to_have_text("De inzending is verstuurd. U vindt het ontvangstbewijs hieronder.")
    expect(clerk.get_by_role("heading", level=1)).to_contain_text("(verstuurd)")
    expect(clerk.get_by_text("nog niet afgeleverd")).to_be_visible()
    assert_accessible(clerk, "the sent submission")
    submission.refresh_from_db()
    assert submission.status == "sent"

    # 5. The receipt, as PDF and as JSON.
    name, body = download(clerk, "Ontvangstbewijs (PDF)")
    assert name == f"ontvangstbewijs-{submission.uuid}.pdf" and body.startswith(b"%PDF")
    name, body = download(clerk, "Ontvangstbewijs (JSON)")
    receipt = json.loads(body)
    assert name == f"ontvangstbewijs-{submission.uuid}.json"
    assert (receipt["content_hash"], receipt["delivered_at"]) == (submission.content_hash, None)

    # 6. The worker delivers it and keeps a copy of the linked decision.
    run_worker()
    clerk.reload()
    expect(clerk.get_by_text("nog niet afgeleverd")).to_have_count(0)
    expect(clerk.get_by_text("kopie: opgehaald")).to_be_visible()
    submission.refresh_from_db()
    assert submission.delivered_at is not None

    # 7. The supervisor finds it in the inbox and marks it handled.
    supervisor = new_page()
    dev_login(supervisor, first="Tom", last="Toezicht", email="tom@abb.example",
              organisation="Agentschap Binnenlands Bestuur", roles=("Toezichthouder",))  # fmt: skip
    supervisor.goto("/toezichthouder/inzendingen/")
    rows = supervisor.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td")).to_have_text(
        ["Aalst", "Besluitenlijst", "Gemeenteraad", "14 Okt 2026", re.compile(r"\d{4}"), "nee"]
    )
    assert_accessible(supervisor, "the inbox")
    rows.first.get_by_role("link", name="Besluitenlijst").click()
    expect(supervisor.get_by_role("heading", level=1)).to_have_text(re.compile("Besluitenlijst — .*Aalst"))
    expect(supervisor.locator("dl.data-summary")).to_contain_text("Gemeenteraad")
    expect(supervisor.get_by_text("<http://data.europa.eu/eli/ontology#passed_by>")).to_have_count(0)
    name, body = download(supervisor, "besluitenlijst.pdf")
    assert (name, body) == ("besluitenlijst.pdf", SMALL_BODY)
    supervisor.get_by_label("Notitie").fill("Geen opmerkingen.")
    supervisor.get_by_role("button", name="Markeren als behandeld").click()
    expect(supervisor.locator(".messages")).to_have_text("Gemarkeerd als behandeld.")
    expect(supervisor.locator(".handled")).to_have_text(
        re.compile(r"^Behandeld door Tom Toezicht op \d+ \w+ 2026 \d\d:\d\d\.$")
    )
    submission.refresh_from_db()
    assert submission.handled_note == "Geen opmerkingen." and submission.handled_at is not None
    supervisor.get_by_role("button", name="Markering als behandeld ongedaan maken").click()
    expect(supervisor.locator(".messages")).to_have_text("De markering als behandeld is ongedaan gemaakt.")
    expect(supervisor.get_by_text("Nog niet behandeld.")).to_be_visible()
    supervisor.get_by_role("button", name="Markeren als behandeld").click()
    expect(supervisor.locator(".messages")).to_have_text("Gemarkeerd als behandeld.")
    supervisor.goto("/toezichthouder/inzendingen/?behandeld=no")
    expect(supervisor.get_by_text("Geen inzendingen gevonden met deze filters.")).to_be_visible()
    # A download ends its navigation: Chromium reports it as an aborted request, which it is not.
    downloads = [p for p in new_page.problems if p.startswith("request failed") and p.endswith("net::ERR_ABORTED")]
    assert len(downloads) == 3 and [p for p in new_page.problems if p not in downloads] == []
