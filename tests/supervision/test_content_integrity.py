"""Issue 11.6: tampering with sent content is noticed. `ledger verify --content` re-hashes every sent submission
from what is stored and names each mismatch; pages say so; the receipt check is no longer "echt"; a changed
file is not handed out (audited)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from loket.core.models import AuditEvent
from loket.core.receipts import receipt_verify
from loket.supervision.governing_bodies import governing_bodies_of
from loket.supervision.models import Submission
from loket.supervision.receipts import submission_receipt
from loket.supervision.services import submission_create, submission_deliver, submission_send
from tests.supervision.conftest import BESLUITENLIJST, name_of

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WARNING = "De inhoud klopt niet met het register"


@pytest.fixture
def sent(client, clerk, municipality, document_types, settings, tmp_path):  # type: ignore[no-untyped-def]
    """A submission sent over HTTP with one uploaded decision, delivered to the supervisor."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LOKET_SIGNING_KEY_FILE = tmp_path / "key.pem"
    concept = submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)
    council = next(b for b in governing_bodies_of(municipality) if b.label == "Gemeenteraad")
    client.force_login(clerk)
    response = client.post(
        f"/toezicht/{concept.uuid}/",
        {
            name_of(concept, "documentType"): BESLUITENLIJST,
            name_of(concept, "governingBody"): council.uri,
            name_of(concept, "sessionDate"): "2026-10-14",
            name_of(concept, "files") + "__upload": SimpleUploadedFile("besluitenlijst.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 200
    submission_send(submission=concept, actor=clerk)
    submission_deliver(submission_id=concept.pk)
    return Submission.objects.select_related("sent_entry").get(pk=concept.pk)


def verify_content() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ledger", "verify", "--content", stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_info:
        code = int(exit_info.code or 0)
    return code, out.getvalue(), err.getvalue()


def _sql(statement: str, params: list) -> None:  # type: ignore[type-arg]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_untouched_content_verifies_and_is_shown_without_warning(client, helpdesk, sent):  # type: ignore[no-untyped-def]
    assert verify_content() == (
        0,
        "OK: 2 entries verified\nOK: content of 1 sent submissions matches the register\n",
        "",
    )
    assert WARNING not in client.get(f"/toezicht/{sent.uuid}/").content.decode()
    record = sent.files.get()
    download = client.get(f"/toezicht/{sent.uuid}/bestanden/{record.uuid}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert receipt_verify(submission_receipt(sent)).ok
    event = AuditEvent.objects.get(action="ledger.content_verified")
    assert (event.details["checked"], event.details["mismatches"]) == (1, 0)


def test_edited_form_data_is_named_shown_and_fails_the_receipt(client, helpdesk, sent):  # type: ignore[no-untyped-def]
    receipt = submission_receipt(sent)
    edited = sent.form_data_nt.replace("2026-10-14", "2026-10-15")
    assert edited != sent.form_data_nt
    _sql("UPDATE supervision_submission SET form_data_nt = %s WHERE id = %s", [edited, sent.pk])
    code, out, err = verify_content()
    assert code == 1 and out == "OK: 2 entries verified\n"
    assert err == (
        f"MISMATCH {sent.uri}: the stored form data differs from what was sent\n"
        "MISMATCH: content of 1 of 1 sent submissions differs from the register\n"
    )
    assert WARNING in client.get(f"/toezicht/{sent.uuid}/").content.decode()
    client.force_login(helpdesk)
    page = client.get(f"/toezichthouder/inzendingen/{sent.uuid}/")
    assert page.status_code == 200 and WARNING in page.content.decode()
    check = receipt_verify(receipt)
    assert check.ok is False and "werd na het verzenden gewijzigd" in check.message
    event = AuditEvent.objects.get(action="ledger.content_verified")
    assert event.details["subjects"] == [sent.uri]


def test_a_changed_stored_content_hash_is_named(client, sent):  # type: ignore[no-untyped-def]
    _sql("UPDATE supervision_submission SET content_hash = %s WHERE id = %s", ["a" * 64, sent.pk])
    code, _out, err = verify_content()
    assert code == 1
    assert f"MISMATCH {sent.uri}: the stored content hash differs from the register\n" in err
    assert WARNING in client.get(f"/toezicht/{sent.uuid}/").content.decode()


def test_a_replaced_file_is_named_and_its_download_refused_and_audited(client, clerk, sent, settings):  # type: ignore[no-untyped-def]
    record = sent.files.get()
    (settings.MEDIA_ROOT / record.storage_name).write_bytes(PDF.replace(b"1 0 obj", b"2 0 obj"))
    code, _out, err = verify_content()
    assert code == 1
    assert err.splitlines()[0] == (
        f"MISMATCH {sent.uri}: file besluitenlijst.pdf ({record.uri}): the bytes in storage differ from the "
        "recorded SHA-256"
    )
    response = client.get(f"/toezicht/{sent.uuid}/bestanden/{record.uuid}/")
    assert response.status_code == 409
    assert "Het bestand „besluitenlijst.pdf” wordt niet gedownload" in response.content.decode()
    event = AuditEvent.objects.get(action="submission.file_refused")
    assert (event.actor, event.details["file"], event.details["submission"]) == (clerk, record.uri, sent.uri)


def test_a_removed_file_and_a_rewritten_file_hash_are_named(sent, settings):  # type: ignore[no-untyped-def]
    record = sent.files.get()
    (settings.MEDIA_ROOT / record.storage_name).unlink()
    code, _out, err = verify_content()
    assert code == 1 and f"file besluitenlijst.pdf ({record.uri}) is missing from storage" in err
    _sql("UPDATE supervision_submissionfile SET sha256 = %s WHERE id = %s", ["b" * 64, record.pk])
    code, _out, err = verify_content()
    assert f"file besluitenlijst.pdf ({record.uri}): its recorded SHA-256 differs from the register" in err


def test_edited_form_data_is_not_downloaded_and_the_refusal_audited(client, clerk, sent):  # type: ignore[no-untyped-def]
    assert client.get(f"/toezicht/{sent.uuid}/formuliergegevens.nt").content.decode() == sent.form_data_nt
    edited = sent.form_data_nt.replace("2026-10-14", "2026-10-15")
    _sql("UPDATE supervision_submission SET form_data_nt = %s WHERE id = %s", [edited, sent.pk])
    response = client.get(f"/toezicht/{sent.uuid}/formuliergegevens.nt")
    assert response.status_code == 409
    assert "De verstuurde formuliergegevens worden niet gedownload" in response.content.decode()
    event = AuditEvent.objects.get(action="submission.file_refused")
    assert (event.details["file"], event.details["problem"]) == (
        "formuliergegevens",
        "the stored form data differs from what was sent",
    )


def test_a_sent_submission_whose_row_is_gone_is_named(sent):  # type: ignore[no-untyped-def]
    _sql("UPDATE supervision_submission SET status = 'concept' WHERE id = %s", [sent.pk])
    code, out, err = verify_content()
    assert code == 1 and "OK: content of" not in out
    assert f"MISMATCH {sent.uri}: the register records it as sent, but no sent submission is stored\n" in err


def test_the_public_page_of_a_tampered_submission_says_so(client, sent):  # type: ignore[no-untyped-def]
    client.logout()
    assert WARNING not in client.get(f"/submissions/{sent.uuid}").content.decode()
    edited = sent.form_data_nt.replace("2026-10-14", "2026-10-15")
    _sql("UPDATE supervision_submission SET form_data_nt = %s WHERE id = %s", [edited, sent.pk])
    page = client.get(f"/submissions/{sent.uuid}")
    assert page.status_code == 200 and WARNING in page.content.decode()
