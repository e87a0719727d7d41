"""Wacht op virusscan on the Toezicht page (issue 18 item 7): with the real clamd stopped an upload is kept, listed as
waiting, cannot be downloaded or sent; once clamd is back the worker's scan makes it an ordinary file (sent) or,
infected, removes it with a notice and an audit event (tests/support/clamd.py, the real worker)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from loket.core.ledger_models import LedgerEntry
from loket.core.models import AuditEvent, PendingScan, ScanNotice
from loket.core.tasks import rescan_upload
from loket.supervision.governing_bodies import governing_bodies_of
from loket.supervision.models import Submission, SubmissionFile
from loket.supervision.services import submission_create
from tests.supervision.conftest import BESLUITENLIJST, name_of
from tests.supervision.test_uploads import stored_files
from tests.support.clamd import SIGNATURE_NAME, eicar

pytestmark = pytest.mark.django_db

CLEAN_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture
def concept(db, clerk, municipality, document_types, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)


def _upload(client, concept, municipality, name: str, content: bytes):  # type: ignore[no-untyped-def]
    council = next(b for b in governing_bodies_of(municipality) if b.label == "Gemeenteraad")
    return client.post(
        f"/toezicht/{concept.uuid}/",
        {
            name_of(concept, "documentType"): BESLUITENLIJST,
            name_of(concept, "governingBody"): council.uri,
            name_of(concept, "sessionDate"): "2026-10-14",
            name_of(concept, "files") + "__upload": SimpleUploadedFile(name, content, content_type="application/pdf"),
            "save": "1",
        },
    )


def _send(client, concept):  # type: ignore[no-untyped-def]
    confirm = client.get(f"/toezicht/{concept.uuid}/versturen/")
    assert confirm.status_code == 200, confirm.status_code
    return client.post(
        f"/toezicht/{concept.uuid}/versturen/", {"fingerprint": confirm.context["fingerprint"]}, follow=True
    )


def _retry_now() -> None:
    DBTaskResult.objects.filter(task_path=rescan_upload.module_path, status=TaskResultStatus.READY).update(
        run_after=timezone.now()
    )


def test_an_upload_while_clamd_is_stopped_waits_cannot_be_sent_and_is_sent_once_scanned(  # type: ignore[no-untyped-def]
    client, clerk, municipality, concept, settings, own_clamd, run_worker
):
    own_clamd.stop()
    client.force_login(clerk)
    response = _upload(client, concept, municipality, "besluitenlijst.pdf", CLEAN_PDF)
    assert response.status_code == 200, response.content.decode()[:2000]
    record = SubmissionFile.objects.get(submission=concept)
    assert len(stored_files(settings)) == 1
    page = client.get(f"/toezicht/{concept.uuid}/").content.decode()
    assert "wacht op virusscan" in page and f"/toezicht/{concept.uuid}/bestanden/{record.uuid}/" not in page

    download = client.get(f"/toezicht/{concept.uuid}/bestanden/{record.uuid}/")
    assert download.status_code == 409 and "besluitenlijst.pdf wacht nog op de virusscan" in download.content.decode()

    refused = _send(client, concept)
    assert "besluitenlijst.pdf wacht nog op de virusscan" in refused.content.decode()
    concept.refresh_from_db()
    assert concept.status == Submission.Status.CONCEPT and not LedgerEntry.objects.exists()

    run_worker()  # clamd still down: the scan is asked again later and says why
    waiting = PendingScan.objects.get()
    assert waiting.attempts == 1 and "virusscanner niet bereikbaar" in waiting.last_error
    retry = DBTaskResult.objects.get(task_path=rescan_upload.module_path, status=TaskResultStatus.READY)
    assert retry.run_after > timezone.now() and retry.args_kwargs["kwargs"]["attempt"] == 2

    own_clamd.start()
    _retry_now()
    run_worker()
    assert not PendingScan.objects.exists()
    page = client.get(f"/toezicht/{concept.uuid}/").content.decode()
    assert "wacht op virusscan" not in page
    assert client.get(f"/toezicht/{concept.uuid}/bestanden/{record.uuid}/").status_code == 200
    sent = _send(client, concept)
    concept.refresh_from_db()
    assert concept.status == Submission.Status.SENT, sent.content.decode()[:2000]
    assert record.sha256 in concept.sent_entry.payload["files"][0]


def test_eicar_uploaded_while_clamd_is_stopped_is_removed_audited_and_blocks_sending(  # type: ignore[no-untyped-def]
    client, clerk, municipality, concept, settings, own_clamd, run_worker
):
    own_clamd.stop()
    client.force_login(clerk)
    _upload(client, concept, municipality, "besluit.pdf", b"%PDF-1.4\n" + eicar() + b"\n%%EOF\n")
    record = SubmissionFile.objects.get(submission=concept)
    assert not AuditEvent.objects.filter(action="core.virus_found").exists()
    own_clamd.start()
    run_worker()

    assert not SubmissionFile.objects.exists() and not PendingScan.objects.exists()
    assert stored_files(settings) == []
    concept.refresh_from_db()
    assert record.uri not in concept.source_ttl
    event = AuditEvent.objects.get(action="core.virus_found")
    assert event.actor == clerk
    assert event.details["sha256"] == record.sha256 and event.details["signature"] == SIGNATURE_NAME
    assert event.details["bron"] == "upload" and event.details["wachtte_op_virusscan"] is True
    notice = ScanNotice.objects.get()
    assert (notice.owner_uri, notice.file_name, notice.signature) == (concept.uri, "besluit.pdf", SIGNATURE_NAME)
    page = client.get(f"/toezicht/{concept.uuid}/").content.decode()
    assert "Het bestand besluit.pdf wachtte op de virusscan" in page and SIGNATURE_NAME in page

    confirm = client.get(f"/toezicht/{concept.uuid}/versturen/", follow=True)  # no file any more: incomplete
    assert "De inzending is niet volledig" in confirm.content.decode()
    concept.refresh_from_db()
    assert concept.status == Submission.Status.CONCEPT and not LedgerEntry.objects.exists()

    _upload(client, concept, municipality, "besluitenlijst.pdf", CLEAN_PDF)  # replaced by a clean file
    _send(client, concept)
    concept.refresh_from_db()
    assert concept.status == Submission.Status.SENT
