"""Issue 10.12: the receipt of a sent submission (JSON, PDF, HTML): Brussels times with offset, every file with
name, size and SHA-256, session date and governing body, the absolute URL of the check page (linked from every
view), and the PDF itself can be checked."""

import hashlib
import json
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from loket.core.receipts import receipt_from_pdf
from tests.supervision.test_content_integrity import PDF, sent  # noqa: F401 - sent is a fixture

CHECK = "https://loket.example.be/ontvangstbewijs/controleren/"


def test_the_json_receipt_says_everything(client, sent, settings):  # type: ignore[no-untyped-def]  # noqa: F811
    settings.LOKET_SITE_URL = "https://loket.example.be"
    receipt = json.loads(client.get(f"/toezicht/{sent.uuid}/ontvangstbewijs.json").content)
    record = sent.files.get()
    assert receipt["files"] == [
        {"name": "besluitenlijst.pdf", "size": len(PDF), "sha256": hashlib.sha256(PDF).hexdigest(), "uri": record.uri}
    ]
    assert receipt["session_date"] == "2026-10-14"
    assert receipt["governing_body"] == {"name": "Gemeenteraad", "uri": sent.governing_body.uri}
    brussels = sent.sent_entry.recorded_at.astimezone(ZoneInfo("Europe/Brussels"))
    offset = brussels.isoformat()[-6:]
    assert offset in ("+01:00", "+02:00")
    assert receipt["sent_at"] == brussels.isoformat(timespec="microseconds") and receipt["sent_at"][-6:] == offset
    assert receipt["delivered_at"][-6:] == offset
    assert receipt["check_url"] == CHECK


def test_the_pdf_receipt_embeds_the_json_and_is_accepted_by_the_check_page(client, sent, settings):  # type: ignore[no-untyped-def]  # noqa: F811
    settings.LOKET_SITE_URL = "https://loket.example.be"
    pdf = client.get(f"/toezicht/{sent.uuid}/ontvangstbewijs.pdf").content
    receipt = json.loads(receipt_from_pdf(pdf))
    assert receipt["subject_uri"] == sent.uri and receipt["files"][0]["name"] == "besluitenlijst.pdf"
    client.logout()
    response = client.post(
        "/ontvangstbewijs/controleren/",
        {"receipt_file": SimpleUploadedFile("ontvangstbewijs.pdf", pdf, "application/pdf")},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Dit ontvangstbewijs is echt" in html
    assert f"<code>{sent.uri}</code>" in html and '<dd lang="nl">Besluitenlijst</dd>' in html


def test_the_html_receipt_and_the_detail_pages_link_the_check_page(client, helpdesk, sent, settings):  # type: ignore[no-untyped-def]  # noqa: F811
    settings.LOKET_SITE_URL = "https://loket.example.be"
    page = client.get(f"/toezicht/{sent.uuid}/ontvangstbewijs.html")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<a href="{CHECK}">{CHECK}</a>' in html
    assert (
        '<td data-label="Naam">besluitenlijst.pdf</td><td data-label="Grootte">' in html
        and hashlib.sha256(PDF).hexdigest() in html
    )
    assert "<dd>Gemeenteraad</dd>" in html and "<dd>2026-10-14</dd>" in html
    offset = sent.sent_entry.recorded_at.astimezone(ZoneInfo("Europe/Brussels")).isoformat()[-6:]
    assert f"(UTC{offset}, Europe/Brussels)" in html
    detail = client.get(f"/toezicht/{sent.uuid}/").content.decode()
    assert f'href="/toezicht/{sent.uuid}/ontvangstbewijs.html"' in detail
    assert 'href="/ontvangstbewijs/controleren/"' in detail
    client.force_login(helpdesk)
    inbox_receipt = client.get(f"/toezichthouder/inzendingen/{sent.uuid}/ontvangstbewijs.html")
    assert inbox_receipt.status_code == 200 and f'<a href="{CHECK}">' in inbox_receipt.content.decode()
