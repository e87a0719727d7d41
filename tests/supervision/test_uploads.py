"""A file too large or of the wrong type is refused while it is uploaded (core.uploads.CheckedUploadHandler):
the clerk gets a 400 page that says why, nothing is stored, and the data stops flowing to the handlers that
would buffer it or write it to a temporary file."""

import hashlib
import io
import os
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from loket.supervision.models import SubmissionFile
from loket.supervision.services import submission_create
from tests.supervision.conftest import BESLUITENLIJST, name_of

PDF_HEAD = b"%PDF-1.7\n1 0 obj<<>>endobj\n"


class RecordingHandler(FileUploadHandler):
    """Placed right after the checking handler: counts what it lets through."""

    received: list[int] = []  # shared on purpose: Django makes a new handler per request

    def new_file(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().new_file(*args, **kwargs)
        RecordingHandler.received.append(0)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        RecordingHandler.received[-1] += len(raw_data)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@pytest.fixture
def recorded(settings) -> list[int]:  # type: ignore[no-untyped-def]
    settings.FILE_UPLOAD_HANDLERS = [
        "loket.core.uploads.CheckedUploadHandler",
        "tests.supervision.test_uploads.RecordingHandler",
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10_000  # larger files go through a temporary file
    RecordingHandler.received = []
    return RecordingHandler.received


@pytest.fixture
def concept(db, clerk, municipality, document_types, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return submission_create(organisation=municipality, document_type=document_types[BESLUITENLIJST], actor=clerk)


def stored_files(settings) -> list:  # type: ignore[no-untyped-def]
    return [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def post_upload(client, concept, name: str, content: bytes):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(
        f"/toezicht/{concept.uuid}/",
        {
            name_of(concept, "documentType"): BESLUITENLIJST,
            name_of(concept, "sessionDate"): "2026-10-14",
            name_of(concept, "files") + "__upload": upload,
            "send": "1",
        },
    )


def test_a_file_too_large_is_refused_while_it_arrives(client, clerk, concept, settings, recorded):  # type: ignore[no-untyped-def]
    settings.LOKET_MAX_UPLOAD_BYTES = 100_000
    client.force_login(clerk)
    response = post_upload(client, concept, "besluit.pdf", PDF_HEAD + b"0" * 1_000_000)
    assert response.status_code == 400
    assert "Het bestand is groter dan 97,7 kB." in response.content.decode()
    assert not SubmissionFile.objects.exists() and stored_files(settings) == []
    concept.refresh_from_db()
    assert concept.status == "concept"
    # The handlers after the check saw at most the chunks up to the limit, not the megabyte.
    assert len(recorded) == 1 and 0 < recorded[0] <= 100_000


def test_a_file_of_the_wrong_type_is_refused_at_its_first_bytes(client, clerk, concept, settings, recorded):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    page = b"<!DOCTYPE html><html><body>" + b"<p>geen besluit</p>" * 20_000 + b"</body></html>"
    response = post_upload(client, concept, "besluit.pdf", page)
    assert response.status_code == 400
    assert "Dit bestand is geen PDF, ODT, DOCX of XML." in response.content.decode()
    assert not SubmissionFile.objects.exists() and stored_files(settings) == []
    assert recorded == [0]  # refused at the first chunk: nothing was passed on


def test_a_small_file_of_the_wrong_type_is_refused_too(client, clerk, concept, settings, recorded):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    response = post_upload(client, concept, "besluit.pdf", b"MZ\x90\x00 not a pdf")
    assert response.status_code == 400
    assert "Dit bestand is geen PDF, ODT, DOCX of XML." in response.content.decode()
    assert not SubmissionFile.objects.exists() and stored_files(settings) == []


def test_an_empty_file_is_called_empty_and_the_refusal_speaks_the_pages_language(  # type: ignore[no-untyped-def]
    client, clerk, concept, settings, recorded
):
    """Found by the hand walk: a 0-byte file was "geen PDF, ODT, DOCX of XML", and in Dutch in the English UI."""
    client.force_login(clerk)
    response = post_upload(client, concept, "leeg.pdf", b"")
    assert response.status_code == 400
    assert "leeg.pdf: Het bestand is leeg (0 bytes): kies het juiste bestand." in response.content.decode()
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    response = post_upload(client, concept, "setup.exe", b"MZ\x90\x00 not a pdf")
    assert response.status_code == 400
    assert "setup.exe: This file is not a PDF, ODT, DOCX or XML." in response.content.decode()
    response = post_upload(client, concept, "empty.pdf", b"")
    assert "empty.pdf: The file is empty (0 bytes): choose the right file." in response.content.decode()
    assert not SubmissionFile.objects.exists() and stored_files(settings) == []


def test_posting_a_page_again_keeps_the_files_stored_since_it_was_made(client, clerk, concept, settings):  # type: ignore[no-untyped-def]
    """Found by the hand walk: reloading the page of a save (the browser posts it again), the back button or a second
    tab posted a form that had not shown the file stored meanwhile, and that file was silently removed."""
    client.force_login(clerk)
    page_data = hidden_inputs(client, concept)
    upload = SimpleUploadedFile("besluit.pdf", PDF_HEAD, content_type="application/pdf")
    client.post(f"/toezicht/{concept.uuid}/", {**page_data, name_of(concept, "files") + "__upload": upload})
    assert [f.original_name for f in concept.files.all()] == ["besluit.pdf"]

    client.post(f"/toezicht/{concept.uuid}/", page_data)  # the same page posted again, without the new file's box
    assert [f.original_name for f in concept.files.all()] == ["besluit.pdf"]

    # A page that showed the file and had its box unticked removes it.
    client.post(f"/toezicht/{concept.uuid}/", hidden_inputs(client, concept))
    assert not concept.files.exists()


def hidden_inputs(client, concept) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """What the edit page posts besides the clerk's input: the fields it announced and the files it showed."""
    page = client.get(f"/toezicht/{concept.uuid}/").text
    data: dict[str, list[str]] = {name_of(concept, "documentType"): [BESLUITENLIJST]}
    for name, value in re.findall(r'name="(__fields|[^"]*__shown)" value="([^"]*)"', page):
        data.setdefault(name, []).append(value)
    return data


def test_a_good_file_passes_whole(client, clerk, concept, settings, recorded):  # type: ignore[no-untyped-def]
    settings.LOKET_MAX_UPLOAD_BYTES = 1_000_000
    client.force_login(clerk)
    content = PDF_HEAD + os.urandom(300_000)  # several chunks, through a temporary file
    response = post_upload(client, concept, "besluit.pdf", content)
    assert response.status_code == 400  # not sendable yet (no governing body), but the file is kept
    stored = SubmissionFile.objects.get()
    assert (stored.size, stored.sha256, stored.content_type) == (
        len(content),
        hashlib.sha256(content).hexdigest(),
        "application/pdf",
    )
    assert recorded == [len(content)]


def test_a_docx_whose_first_bytes_do_not_tell_is_checked_at_the_end(client, clerk, concept, settings, recorded):  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("[Content_Types].xml"), b"<Types/>" + os.urandom(20_000))
        archive.writestr("word/document.xml", b"<w:document/>")
    client.force_login(clerk)
    response = post_upload(client, concept, "besluit.docx", buffer.getvalue())
    assert response.status_code == 400  # not sendable yet, but the file is kept
    assert SubmissionFile.objects.get().content_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def test_an_upload_posted_with_the_link_field_is_kept(client, clerk, concept, settings):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    upload = SimpleUploadedFile("besluit.pdf", PDF_HEAD, content_type="application/pdf")
    client.post(
        f"/toezicht/{concept.uuid}/",
        {
            name_of(concept, "documentType"): BESLUITENLIJST,
            name_of(concept, "files") + "__upload": upload,
            name_of(concept, "links"): "",  # what a browser posts when the clerk gives no link
        },
    )
    assert SubmissionFile.objects.filter(submission=concept, kind="upload").count() == 1
