"""Recognising files from their bytes and storing uploads."""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from loket.core.files import (
    ALLOWED_DECISION_TYPES,
    DOCX,
    HTML,
    MEGABYTE,
    ODT,
    PDF,
    XML,
    FileRejected,
    StoredFile,
    format_size_nl,
    sniff_content_type,
    store_upload,
)

PDF_BYTES = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
XML_BYTES = b'<?xml version="1.0" encoding="UTF-8"?>\n<besluit xmlns="http://data.vlaanderen.be/ns/besluit#"/>\n'


def make_odt(mimetype: str = ODT) -> bytes:
    """An OpenDocument package as LibreOffice writes it: an uncompressed `mimetype` entry first."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest/>')
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>' + "x" * 20_000)
    return buffer.getvalue()


def make_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


def make_zip(**entries: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 100 + b"This program"


# --- Sniffing -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF_BYTES, PDF),
        (make_odt(), ODT),
        (make_docx(), DOCX),
        (XML_BYTES, XML),
        (b"\xef\xbb\xbf" + XML_BYTES, XML),  # UTF-8 byte order mark
        ("\ufeff<?xml version='1.0' encoding='UTF-16'?><besluit/>".encode("utf-16-le"), XML),
        ("\ufeff<besluit/>".encode("utf-16-be"), XML),
        (b"  \n<besluit:Besluit xmlns:besluit='http://data.vlaanderen.be/ns/besluit#'>", XML),  # root element only
        (b"<!-- export van de notulen -->\n<notulen>", XML),
        (b"<!DOCTYPE html>\n<html lang='nl'><head><title>Besluiten</title>", HTML),
        (b"<HTML>\n<body>", HTML),
        (b"<!-- a page -->\n<!doctype HTML><html>", HTML),
    ],
)
def test_sniffs_from_the_bytes(content: bytes, expected: str) -> None:
    assert sniff_content_type(content, "bestand") == expected


@pytest.mark.parametrize(
    "content",
    [
        EXE_BYTES,
        make_zip(**{"readme.txt": "hallo"}),  # a ZIP without the markers of ODT or DOCX
        make_odt(mimetype="application/vnd.oasis.opendocument.spreadsheet"),  # ODS, not ODT
        b"PK\x03\x04 not really a zip",
        b"Gewone tekst, geen opmaak.",
        b'{"besluit": 1}',
        b"",
        b"<",
        b"< besluit>",
        b"<!-- never closed",
        b"%PD",
    ],
)
def test_recognises_nothing_else(content: bytes) -> None:
    assert sniff_content_type(content, "besluit.pdf") is None


def test_the_file_name_does_not_decide() -> None:
    assert sniff_content_type(PDF_BYTES, "besluit.docx") == PDF
    assert sniff_content_type(EXE_BYTES, "besluit.pdf") is None


@pytest.mark.parametrize(("content", "expected"), [(make_odt(), ODT), (make_docx(), DOCX)])
def test_sniffs_zip_formats_from_only_their_beginning(content: bytes, expected: str) -> None:
    # Without the central directory at the end, the local entries that fit are read.
    assert sniff_content_type(content[:2048], "") == expected


def test_format_size_nl() -> None:
    assert format_size_nl(100 * MEGABYTE) == "100 MB"
    assert format_size_nl(int(1.5 * MEGABYTE)) == "1,5 MB"
    assert format_size_nl(4096) == "4 kB"
    assert format_size_nl(999) == "999 bytes"


# --- Storing ------------------------------------------------------------------------------------------------


@pytest.fixture
def media_root(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


@pytest.mark.parametrize(
    ("content", "name", "content_type", "stored_suffix"),
    [
        (PDF_BYTES, "Besluit gemeenteraad 12-03.pdf", PDF, "Besluit_gemeenteraad_12-03.pdf"),
        (make_odt(), "notulen.odt", ODT, "notulen.odt"),
        (make_docx(), "reglement.docx", DOCX, "reglement.docx"),
        (XML_BYTES, "besluit.xml", XML, "besluit.xml"),
    ],
)
def test_stores_an_accepted_file(
    uploader, media_root: Path, content: bytes, name: str, content_type: str, stored_suffix: str
) -> None:
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")

    stored = store_upload(
        upload, allowed=ALLOWED_DECISION_TYPES, max_bytes=100 * MEGABYTE, prefix="toezicht/", uploader=uploader
    )

    prefix, folder, file_name = stored.name.split("/")
    assert (prefix, file_name) == ("toezicht", stored_suffix)
    assert len(folder) == 36  # a uuid4
    assert stored == StoredFile(
        name=stored.name,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content_type=content_type,
        original_name=name,
    )
    assert (media_root / stored.name).read_bytes() == content
    assert stored_files(media_root) == [media_root / stored.name]


def test_a_pdf_called_docx_is_stored_as_the_pdf_it_is(uploader, media_root: Path) -> None:
    upload = SimpleUploadedFile("besluit.docx", PDF_BYTES, content_type=DOCX)

    stored = store_upload(
        upload, allowed=ALLOWED_DECISION_TYPES, max_bytes=MEGABYTE, prefix="toezicht", uploader=uploader
    )

    assert stored.content_type == PDF
    assert stored.name.endswith("/besluit.pdf")
    assert stored.original_name == "besluit.docx"


def test_stores_a_large_upload_kept_on_disk(uploader, media_root: Path) -> None:
    content = PDF_BYTES + b"0" * (3 * MEGABYTE)  # more than one 64 kB chunk, hashed in pieces
    upload = TemporaryUploadedFile("groot.pdf", "application/pdf", len(content), None)
    upload.write(content)
    upload.seek(0)

    stored = store_upload(upload, allowed={PDF}, max_bytes=10 * MEGABYTE, prefix="toezicht", uploader=uploader)

    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.size == len(content)
    assert (media_root / stored.name).read_bytes() == content
    upload.close()


def test_a_docx_on_disk_is_recognised_from_its_directory(uploader, media_root: Path) -> None:
    content = make_docx()
    upload = TemporaryUploadedFile("reglement.docx", DOCX, len(content), None)
    upload.write(content)
    upload.seek(0)

    assert store_upload(upload, allowed={DOCX}, max_bytes=MEGABYTE, prefix="p", uploader=uploader).content_type == DOCX
    upload.close()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (EXE_BYTES, "besluit.pdf"),
        (make_zip(**{"readme.txt": "hallo"}), "besluit.docx"),
        (make_odt(mimetype="application/vnd.oasis.opendocument.spreadsheet"), "begroting.odt"),
        (b"<!DOCTYPE html><html><body>Besluit</body></html>", "besluit.xml"),  # HTML is no decision document
        (b"", "leeg.pdf"),
    ],
)
def test_rejects_other_types_and_stores_nothing(uploader, media_root: Path, content: bytes, name: str) -> None:
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")

    with pytest.raises(FileRejected) as caught:
        store_upload(
            upload, allowed=ALLOWED_DECISION_TYPES, max_bytes=100 * MEGABYTE, prefix="toezicht", uploader=uploader
        )

    # An empty file is called empty (a clerk who picked a 0-byte file was told it was no PDF).
    expected = "Het bestand is leeg (0 bytes): kies het juiste bestand." if not content else ""
    assert caught.value.message_nl == (expected or "Dit bestand is geen PDF, ODT, DOCX of XML.")
    assert caught.value.code == "file_rejected"
    assert stored_files(media_root) == []


def test_the_rejection_names_the_allowed_types(uploader, media_root: Path) -> None:
    with pytest.raises(FileRejected) as caught:
        store_upload(
            SimpleUploadedFile("a.xml", XML_BYTES), allowed={PDF}, max_bytes=MEGABYTE, prefix="p", uploader=uploader
        )

    assert caught.value.message_nl == "Dit bestand is geen PDF."


def test_rejects_a_file_over_the_limit_and_stores_nothing(uploader, media_root: Path) -> None:
    content = PDF_BYTES + b"0" * (100 * MEGABYTE)
    upload = SimpleUploadedFile("groot.pdf", content, content_type="application/pdf")

    with pytest.raises(FileRejected) as caught:
        store_upload(
            upload, allowed=ALLOWED_DECISION_TYPES, max_bytes=100 * MEGABYTE, prefix="toezicht", uploader=uploader
        )

    assert caught.value.message_nl == "Het bestand is groter dan 100 MB."
    assert stored_files(media_root) == []


class _SizeUnknown(SimpleUploadedFile):
    """An upload whose announced size is wrong: the limit must hold for the bytes actually read."""

    @property
    def size(self) -> int:  # type: ignore[override]
        return 1

    @size.setter
    def size(self, value: int) -> None:
        pass


def test_the_limit_holds_for_the_bytes_read_not_the_announced_size(uploader, media_root: Path) -> None:
    upload = _SizeUnknown("klein.pdf", PDF_BYTES + b"0" * 5000)

    with pytest.raises(FileRejected) as caught:
        store_upload(upload, allowed={PDF}, max_bytes=4096, prefix="toezicht", uploader=uploader)

    assert caught.value.message_nl == "Het bestand is groter dan 4 kB."
    assert stored_files(media_root) == []


def test_a_file_of_exactly_the_limit_is_accepted(uploader, media_root: Path) -> None:
    content = PDF_BYTES + b"0" * (4096 - len(PDF_BYTES))

    stored = store_upload(
        SimpleUploadedFile("a.pdf", content), allowed={PDF}, max_bytes=4096, prefix="p", uploader=uploader
    )

    assert stored.size == 4096


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\griffie\\besluit.pdf", "besluit.pdf"),
        ("..pdf", "pdf.pdf"),
        ("???.pdf", "bestand.pdf"),
        (".htaccess", "htaccess.pdf"),
        ("<script>.pdf", "script.pdf"),
        ("Beslissing – gemeenteraad.pdf", "Beslissing__gemeenteraad.pdf"),
        ("zonder-extensie", "zonder-extensie.pdf"),
        ("a" * 300 + ".pdf", "a" * 100 + ".pdf"),
    ],
)
def test_stored_names_are_safe(uploader, media_root: Path, name: str, expected: str) -> None:
    stored = store_upload(
        SimpleUploadedFile(name, PDF_BYTES), allowed={PDF}, max_bytes=MEGABYTE, prefix="p", uploader=uploader
    )

    assert stored.name.rsplit("/", 1)[1] == expected
    assert (media_root / stored.name).resolve().is_relative_to(media_root.resolve())


def test_uses_the_given_storage(uploader, tmp_path: Path, media_root: Path) -> None:
    storage = FileSystemStorage(location=tmp_path / "elders")

    stored = store_upload(
        SimpleUploadedFile("a.pdf", PDF_BYTES),
        allowed={PDF},
        max_bytes=MEGABYTE,
        storage=storage,
        prefix="p",
        uploader=uploader,
    )

    assert storage.open(stored.name).read() == PDF_BYTES
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"GIF89a\x01\x00", "image/gif"),
    ],
)
def test_recognises_images_by_their_signature(content: bytes, expected: str) -> None:
    assert sniff_content_type(content) == expected


def test_recognises_a_spreadsheet() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert sniff_content_type(buffer.getvalue()) == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
