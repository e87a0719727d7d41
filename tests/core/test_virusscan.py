"""Virus scanning (core.virusscan) against a real clamd whose database holds only the repository's EICAR signature:
infected uploads are refused with the signature named and audited, nothing is stored; clean files pass; with clamd
unreachable nothing unscanned is stored."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from loket.core.files import DOCX, PDF, FileRejected, store_upload
from loket.core.models import AuditEvent, PendingScan
from loket.core.quota import Uploader
from loket.core.tasks import rescan_upload
from loket.core.virusscan import scan_chunks, uploading_as
from tests.support.clamd import SIGNATURE_NAME, eicar, running_clamd

pytestmark = pytest.mark.django_db


def _docx_with(entry: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/bijlage.bin", entry)
    return buffer.getvalue()


_PAYER: list[Uploader] = []


@pytest.fixture(autouse=True)
def quota_payer(uploader):  # type: ignore[no-untyped-def]
    """Every file stored is charged to a body (core.quota): `_store` charges the cast's municipality."""
    _PAYER[:] = [uploader]


def _store(tmp_path, name: str, content: bytes, settings):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return store_upload(
        SimpleUploadedFile(name, content), allowed={PDF, DOCX}, max_bytes=10**7, prefix="test", uploader=_PAYER[0]
    )


def _stored(settings) -> list:  # type: ignore[no-untyped-def]
    root = settings.MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_the_scanner_tells_clean_from_infected(clamd):  # type: ignore[no-untyped-def]
    assert scan_chunks([b"%PDF-1.4\nniets aan de hand\n"]) is None
    assert scan_chunks([b"%PDF-1.4\n", eicar(), b"\n%%EOF"]) == SIGNATURE_NAME


def test_eicar_renamed_pdf_is_refused_named_audited_and_not_stored(clamd, clerk, tmp_path, settings):  # type: ignore[no-untyped-def]
    content = b"%PDF-1.4\n" + eicar() + b"\n%%EOF\n"
    with uploading_as(clerk), pytest.raises(FileRejected) as refused:
        _store(tmp_path, "besluit.pdf", content, settings)
    assert SIGNATURE_NAME in refused.value.message_nl and "besluit.pdf" in refused.value.message_nl
    assert _stored(settings) == []
    event = AuditEvent.objects.get(action="core.virus_found")
    assert event.actor == clerk
    assert event.details["sha256"] == hashlib.sha256(content).hexdigest()
    assert event.details["signature"] == SIGNATURE_NAME and event.details["bestand"] == "besluit.pdf"


def test_eicar_inside_a_docx_is_refused(clamd, tmp_path, settings):  # type: ignore[no-untyped-def]
    with pytest.raises(FileRejected) as refused:
        _store(tmp_path, "besluit.docx", _docx_with(eicar()), settings)
    assert SIGNATURE_NAME in refused.value.message_nl
    assert _stored(settings) == []
    assert AuditEvent.objects.filter(action="core.virus_found").count() == 1


def test_a_clean_docx_is_stored(clamd, tmp_path, settings):  # type: ignore[no-untyped-def]
    stored = _store(tmp_path, "besluit.docx", _docx_with(b"gewoon een bijlage"), settings)
    assert stored.content_type == DOCX and len(_stored(settings)) == 1
    assert not AuditEvent.objects.filter(action="core.virus_found").exists()


def test_with_clamd_stopped_the_upload_is_kept_and_waits_for_the_scan(own_clamd, tmp_path, settings):  # type: ignore[no-untyped-def]
    own_clamd.stop()
    stored = _store(tmp_path, "besluit.pdf", b"%PDF-1.4\nniets aan de hand\n", settings)
    assert stored.waits_for_scan and len(_stored(settings)) == 1
    waiting = PendingScan.objects.get()
    assert (waiting.storage_name, waiting.sha256, waiting.file_name) == (stored.name, stored.sha256, "besluit.pdf")
    task = DBTaskResult.objects.get(task_path=rescan_upload.module_path)
    assert task.args_kwargs["kwargs"] == {"pending_id": waiting.pk}


def test_a_type_or_size_refusal_comes_first_while_clamd_is_stopped(own_clamd, tmp_path, settings):  # type: ignore[no-untyped-def]
    own_clamd.stop()
    with pytest.raises(FileRejected) as refused:
        _store(tmp_path, "besluit.pdf", b"gewoon tekst, geen PDF", settings)
    assert "geen PDF" in refused.value.message_nl
    assert _stored(settings) == [] and not PendingScan.objects.exists()


def test_scanning_off_stores_without_asking(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.LOKET_CLAMD_SOCKET = ""
    stored = _store(tmp_path, "besluit.pdf", b"%PDF-1.4\nniets aan de hand\n", settings)
    assert len(_stored(settings)) == 1 and stored.content_type == PDF


def test_a_file_longer_than_clamds_stream_limit_is_refused_not_stored(tmp_path, settings):  # type: ignore[no-untyped-def]
    with running_clamd(stream_max_length="1M") as small:
        settings.LOKET_CLAMD_SOCKET = small.socket_path
        with pytest.raises(FileRejected) as refused:
            _store(tmp_path, "besluit.pdf", b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024), settings)
    assert "te groot om op virussen te controleren" in refused.value.message_nl
    assert _stored(settings) == [] and not PendingScan.objects.exists()
