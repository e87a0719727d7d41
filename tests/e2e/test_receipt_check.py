"""The receipt in a real browser: the clerk opens the receipt of a sent decision list (HTML), follows its link to
the public check page, downloads the PDF and checks it there — anyone can, without logging in; the verdict names
the submission. Then the stored content is tampered with and the same PDF is no longer "echt"."""

from pathlib import Path

import pytest
from django.db import connection
from django.utils.datastructures import MultiValueDict
from playwright.sync_api import expect

from loket.supervision.codelists import document_types_load
from loket.supervision.governing_bodies import governing_bodies_of
from loket.supervision.models import DocumentType, Submission
from loket.supervision.services import submission_create, submission_deliver, submission_send, submission_update
from tests.e2e.test_self_registration import assert_accessible, dev_login
from tests.supervision.conftest import BESLUITENLIJST, name_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _sent_decision_list(municipality) -> Submission:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    document_types_load()
    concept = submission_create(
        organisation=municipality, document_type=DocumentType.objects.get(uri=BESLUITENLIJST), actor=None
    )
    council = next(b for b in governing_bodies_of(municipality) if b.label == "Gemeenteraad")
    upload = SimpleUploadedFile("besluitenlijst.pdf", PDF, "application/pdf")
    outcome = submission_update(
        submission=concept,
        actor=None,
        data={
            name_of(concept, "documentType"): BESLUITENLIJST,
            name_of(concept, "governingBody"): council.uri,
            name_of(concept, "sessionDate"): "2026-10-14",
        },
        files=MultiValueDict({name_of(concept, "files") + "__upload": [upload]}),
    )
    assert outcome.valid, outcome.errors
    submission_send(submission=concept, actor=None, actor_label="Clara Clerk")
    submission_deliver(submission_id=concept.pk)
    return Submission.objects.get(pk=concept.pk)


def test_the_pdf_receipt_is_checked_on_the_public_page(
    new_page, live_server, dev_login_on, settings, municipality, tmp_path
):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LOKET_SITE_URL = live_server.url
    sent = _sent_decision_list(municipality)

    clerk = new_page()
    dev_login(clerk, first="Clara", last="Clerk", email="clara@aalst.example", organisation="Aalst",
              roles=("Toezicht",))  # fmt: skip
    clerk.goto(f"/toezicht/{sent.uuid}/")
    clerk.get_by_role("link", name="Ontvangstbewijs bekijken").click()
    expect(clerk.get_by_role("heading", level=1)).to_have_text("Ontvangstbewijs")
    expect(clerk.get_by_role("cell", name="besluitenlijst.pdf")).to_be_visible()
    assert_accessible(clerk, "the receipt")
    with clerk.expect_download() as info:
        clerk.get_by_role("link", name="Ontvangstbewijs (PDF)").click()
    pdf_path = Path(info.value.path())
    check_url = f"{live_server.url}/ontvangstbewijs/controleren/"
    clerk.get_by_role("link", name=check_url).click()
    expect(clerk).to_have_url(check_url)

    anyone = new_page()  # not logged in
    anyone.goto("/ontvangstbewijs/controleren/")
    assert_accessible(anyone, "the receipt check page")
    anyone.get_by_label("Of kies het bestand (PDF of JSON)").set_input_files(pdf_path)
    anyone.get_by_role("button", name="Controleren").click()
    result = anyone.locator("#result")
    expect(result.get_by_role("heading")).to_have_text("Echt")
    expect(result).to_contain_text("Dit ontvangstbewijs is echt en komt overeen met het register van het Loket.")
    expect(result.locator("#checked-submission")).to_contain_text(sent.uri)
    expect(result.locator("#checked-submission")).to_contain_text("Besluitenlijst")

    with connection.cursor() as cursor:  # someone edits the stored form data behind the Loket's back
        cursor.execute(
            "UPDATE supervision_submission SET form_data_nt = REPLACE(form_data_nt, '2026-10-14', '2026-10-15') "
            "WHERE id = %s",
            [sent.pk],
        )
    anyone.get_by_label("Of kies het bestand (PDF of JSON)").set_input_files(pdf_path)
    anyone.get_by_role("button", name="Controleren").click()
    expect(result.get_by_role("heading")).to_have_text("Niet echt")
    expect(result).to_contain_text("werd na het verzenden gewijzigd")
    expect(result.locator("#checked-submission")).to_contain_text(sent.uri)
    download = f"request failed {live_server.url}/toezicht/{sent.uuid}/ontvangstbewijs.pdf: net::ERR_ABORTED"
    assert new_page.problems == [download]  # type: ignore[attr-defined]  # a download ends its navigation
