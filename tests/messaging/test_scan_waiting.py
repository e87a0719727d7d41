"""Wacht op virusscan in the Berichtencentrum (issue 18 item 7), with a real clamd that the test stops and starts: an
agency attachment kept while clamd is down is listed as waiting and cannot be downloaded (pages, vendor API) until
the worker scanned it; infected, it leaves the message with a notice. A body's reply whose file waits is kept as a
draft that only the body's clerks see: it cannot be sent until the file is scanned, is then sent by a clerk's click
(never by itself), loses an infected file with a notice, and can be discarded."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse

from loket.core.ledger_models import LedgerEntry
from loket.core.models import AuditEvent, PendingScan, ScanNotice
from loket.messaging.models import (
    Attachment,
    Circular,
    Conversation,
    DraftAttachment,
    Message,
    Notification,
    ReplyDraft,
    StoredBlob,
)
from loket.vendors.services import vendor_create
from tests.messaging.conftest import PDF_BYTES, pdf
from tests.support.clamd import SIGNATURE_NAME, eicar

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _agency_post(client, agency_staff, conversation, upload):  # type: ignore[no-untyped-def]
    client.force_login(agency_staff)
    url = reverse("messaging:agency-detail", args=[conversation.uuid])
    return client.post(url, {"type": "Opvraging", "text": "Bijkomende stukken", "files": [upload]})


def test_an_agency_attachment_waits_while_clamd_is_down_and_opens_once_scanned(  # type: ignore[no-untyped-def]
    client, agency_staff, message_clerk, conversation, municipality, own_clamd, run_worker
):
    run_worker()  # the conversation's own notification mail
    own_clamd.stop()
    response = _agency_post(client, agency_staff, conversation, pdf("bijkomend.pdf", PDF_BYTES + b"bijkomend"))
    assert response.status_code == 302, response.content.decode()[:2000]
    attachment = Attachment.objects.get(file_name="bijkomend.pdf")
    client.force_login(message_clerk)
    page = client.get(reverse("messaging:detail", args=[conversation.uuid])).content.decode()
    file_url = reverse("messaging:file", args=[conversation.uuid, attachment.uuid])
    assert "wacht op virusscan" in page and file_url not in page
    refused = client.get(file_url)
    assert refused.status_code == 409 and "bijkomend.pdf wacht nog op de virusscan" in refused.content.decode()

    key = vendor_create(
        uri="http://data.lblod.info/vendors/notulensoft", name="Notulensoft", organisations=[municipality]
    ).key
    api = client.get(f"/api/vendor/berichtencentrum/bestanden/{attachment.uuid}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.status_code == 409 and api.json()["error"]["code"] == "scan_pending"

    own_clamd.start()
    run_worker()
    assert not PendingScan.objects.exists()
    assert (
        "wacht op virusscan" not in client.get(reverse("messaging:detail", args=[conversation.uuid])).content.decode()
    )
    assert client.get(file_url).status_code == 200


def test_an_infected_agency_attachment_leaves_the_message_with_a_notice(  # type: ignore[no-untyped-def]
    client, agency_staff, message_clerk, conversation, own_clamd, run_worker
):
    own_clamd.stop()
    content = b"%PDF-1.4\n" + eicar() + b"\n" + b"% opvulling\n" * 100
    _agency_post(client, agency_staff, conversation, pdf("besmet.pdf", content))
    blob = Attachment.objects.get(file_name="besmet.pdf").blob
    own_clamd.start()
    run_worker()
    assert not Attachment.objects.filter(file_name="besmet.pdf").exists()
    assert not StoredBlob.objects.filter(pk=blob.pk).exists() and not PendingScan.objects.exists()
    event = AuditEvent.objects.get(action="core.virus_found")
    assert event.actor == agency_staff and event.details["sha256"] == blob.sha256
    assert ScanNotice.objects.get().owner_uri == conversation.uri
    client.force_login(message_clerk)
    page = client.get(reverse("messaging:detail", args=[conversation.uuid])).content.decode()
    assert "Het bestand besmet.pdf wachtte op de virusscan" in page and SIGNATURE_NAME in page


CASE_KEY = "case-system-test-key"
KEPT_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SENT_AT = datetime(2026, 3, 2, 11, 30, tzinfo=UTC)


def _reply(client, clerk, conversation, upload, text="Zie bijlage"):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    return client.post(reverse("messaging:detail", args=[conversation.uuid]), {"files": [upload], "text": text})


def _page(client, user, conversation, *, agency=False) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    name = "messaging:agency-detail" if agency else "messaging:detail"
    return client.get(reverse(name, args=[conversation.uuid])).content.decode()


def _draft_url(conversation, draft, action="draft-send") -> str:  # type: ignore[no-untyped-def]
    return reverse(f"messaging:{action}", args=[conversation.uuid, draft.uuid])


@pytest.fixture
def outside(client, settings, municipality, conversation):  # type: ignore[no-untyped-def]
    """Everything outside the body's own conversation page that could show a reply: the agency's case system, a
    vendor's list of the body's messages, the conversation's state in every list and count, the handler's mails."""
    settings.LOKET_CASE_SYSTEM_KEY_SHA256 = hashlib.sha256(CASE_KEY.encode()).hexdigest()
    vendor_key = vendor_create(
        uri="http://data.lblod.info/vendors/notulensoft", name="Notulensoft", organisations=[municipality]
    ).key

    def look() -> dict:  # type: ignore[type-arg]
        client.logout()
        replies = client.get("/api/berichtencentrum/replies", HTTP_AUTHORIZATION=f"Bearer {CASE_KEY}").json()
        listed = client.get(
            "/api/vendor/berichtencentrum/berichten",
            {"organisatie": municipality.uri, "sinds": "2000-01-01T00:00:00+00:00"},
            HTTP_AUTHORIZATION=f"Bearer {vendor_key}",
        ).json()
        conversation.refresh_from_db()
        return {
            "replies": [reply["uri"] for reply in replies["replies"]],
            "vendor": [item["type"] for item in listed["messages"]],
            "awaiting_body": conversation.awaiting_body,
            "last_message_at": conversation.last_message_at,
            "mails": Notification.objects.filter(audience="handler").count(),
        }

    return look


def test_a_reply_whose_file_waits_is_kept_as_a_draft_and_sent_by_a_click_once_scanned(  # type: ignore[no-untyped-def]
    client, message_clerk, agency_staff, conversation, outside, own_clamd, run_worker
):
    run_worker()  # the conversation's own notification mail
    before = outside()
    messages, entries = Message.objects.count(), LedgerEntry.objects.count()
    own_clamd.stop()
    with time_machine.travel(KEPT_AT, tick=False):
        response = _reply(client, message_clerk, conversation, pdf("antwoord.pdf", PDF_BYTES + b"antwoord"))
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = ReplyDraft.objects.get()
    assert (draft.text, draft.author, draft.created_at) == ("Zie bijlage", message_clerk, KEPT_AT)
    assert [a.file_name for a in draft.attachments.all()] == ["antwoord.pdf"]
    assert (Message.objects.count(), LedgerEntry.objects.count()) == (messages, entries)
    assert AuditEvent.objects.get(action="message.reply_draft_kept").details["files"] == "antwoord.pdf"

    page = _page(client, message_clerk, conversation)
    assert "Uw reactie werd nog niet verstuurd: een bijlage wacht op de virusscan" in page
    assert "Concept — nog niet verstuurd, wacht op virusscan" in page and "antwoord.pdf" in page
    assert "Verstuur reactie" not in page and ">antwoord.pdf</a>" not in page  # no download link, no send button
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Draft — not sent yet, waiting for the virus scan" in _page(client, message_clerk, conversation)
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    assert "Concept" not in _page(client, agency_staff, conversation, agency=True)
    assert "antwoord.pdf" not in _page(client, agency_staff, conversation, agency=True)
    assert outside() == before

    client.force_login(message_clerk)
    refused = client.post(_draft_url(conversation, draft))
    assert refused.status_code == 409
    assert "antwoord.pdf wacht nog op de virusscan" in refused.content.decode()
    assert (Message.objects.count(), LedgerEntry.objects.count(), ReplyDraft.objects.count()) == (messages, entries, 1)

    own_clamd.start()
    run_worker()
    assert not PendingScan.objects.exists() and ReplyDraft.objects.filter(pk=draft.pk).exists()  # never sent by itself
    assert Message.objects.count() == messages
    page = _page(client, message_clerk, conversation)
    assert "wacht op virusscan" not in page and "Concept — nog niet verstuurd" in page and "Verstuur reactie" in page

    with time_machine.travel(SENT_AT, tick=False):
        sent = client.post(_draft_url(conversation, draft))
    assert sent.status_code == 302 and sent["Location"] == reverse("messaging:detail", args=[conversation.uuid])
    assert not ReplyDraft.objects.exists() and not DraftAttachment.objects.exists()
    reply = Message.objects.get(from_agency=False)
    assert (reply.kind, reply.text, reply.author, reply.sent_at) == ("Reactie", "Zie bijlage", message_clerk, SENT_AT)
    assert reply.sent_entry.recorded_at == SENT_AT and LedgerEntry.objects.count() == entries + 1
    assert [a.file_name for a in reply.attachments.all()] == ["antwoord.pdf"]
    assert AuditEvent.objects.get(action="message.reply_sent").details["draft"] == draft.uri
    run_worker()  # delivery to the agency and the handler's mail
    after = outside()
    assert after["replies"] == [reply.uri] and sorted(after["vendor"]) == sorted([*before["vendor"], "Reactie"])
    assert (after["awaiting_body"], after["last_message_at"], after["mails"]) == (False, SENT_AT, before["mails"] + 1)
    agency_page = _page(client, agency_staff, conversation, agency=True)
    assert "antwoord.pdf" in agency_page and "Concept" not in agency_page


def test_an_infected_draft_file_leaves_the_draft_with_a_notice_that_only_the_body_sees(  # type: ignore[no-untyped-def]
    client, message_clerk, agency_staff, conversation, own_clamd, run_worker
):
    own_clamd.stop()
    content = b"%PDF-1.4\n" + eicar() + b"\n" + b"% opvulling\n" * 100
    _reply(client, message_clerk, conversation, pdf("besmet.pdf", content))
    draft = ReplyDraft.objects.get()
    blob = draft.attachments.get().blob
    own_clamd.start()
    run_worker()
    assert not DraftAttachment.objects.exists() and not StoredBlob.objects.filter(pk=blob.pk).exists()
    assert not default_storage.exists(blob.storage_name)
    assert ScanNotice.objects.get().owner_uri == draft.uri
    assert AuditEvent.objects.get(action="core.virus_found").actor == message_clerk
    page = _page(client, message_clerk, conversation)
    assert "Het bestand besmet.pdf wachtte op de virusscan" in page and SIGNATURE_NAME in page
    assert "Dit concept heeft geen bijlagen meer" in page and "Verstuur reactie" not in page
    agency_page = _page(client, agency_staff, conversation, agency=True)
    assert "besmet.pdf" not in agency_page and SIGNATURE_NAME not in agency_page

    client.force_login(message_clerk)
    refused = client.post(_draft_url(conversation, draft))
    assert refused.status_code == 400 and "Voeg minstens één bijlage toe" in refused.content.decode()
    assert ReplyDraft.objects.filter(pk=draft.pk).exists() and not Message.objects.filter(from_agency=False).exists()


def test_a_discarded_draft_takes_its_waiting_bytes_with_it(  # type: ignore[no-untyped-def]
    client, message_clerk, other_clerk, conversation, own_clamd, run_worker, django_capture_on_commit_callbacks
):
    blobs = StoredBlob.objects.count()
    own_clamd.stop()
    _reply(client, message_clerk, conversation, pdf("antwoord.pdf", PDF_BYTES + b"weg"))
    draft = ReplyDraft.objects.get()
    name = draft.attachments.get().blob.storage_name
    assert default_storage.exists(name) and PendingScan.objects.filter(storage_name=name).exists()

    client.force_login(other_clerk)  # another body's clerk: the same 404 as for a draft that does not exist
    for action in ("draft-send", "draft-discard"):
        assert client.post(_draft_url(conversation, draft, action)).status_code == 404
    assert ReplyDraft.objects.filter(pk=draft.pk).exists()

    client.force_login(message_clerk)
    with django_capture_on_commit_callbacks(execute=True):  # the bytes go once the discard has committed
        response = client.post(_draft_url(conversation, draft, "draft-discard"))
    assert response.status_code == 302
    assert not ReplyDraft.objects.exists() and StoredBlob.objects.count() == blobs
    assert not PendingScan.objects.exists() and not default_storage.exists(name)
    assert AuditEvent.objects.get(action="message.reply_draft_discarded").details["draft"] == draft.uri
    assert client.post(_draft_url(conversation, draft, "draft-discard")).status_code == 404
    own_clamd.start()
    run_worker()
    assert not Message.objects.filter(from_agency=False).exists() and not ScanNotice.objects.exists()


def _toezicht_upload(client, clerk, municipality, name: str, content: bytes):  # type: ignore[no-untyped-def]
    """The same clerk's body uploads a file to a Toezicht concept (another module, its own stored copy)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from loket.supervision.codelists import document_types_load
    from loket.supervision.governing_bodies import governing_bodies_of
    from loket.supervision.models import DocumentType
    from loket.supervision.services import submission_create
    from tests.supervision.conftest import BESLUITENLIJST, name_of

    document_types_load()
    concept = submission_create(
        organisation=municipality, document_type=DocumentType.objects.get(uri=BESLUITENLIJST), actor=clerk
    )
    council = next(b for b in governing_bodies_of(municipality) if b.label == "Gemeenteraad")
    client.force_login(clerk)
    response = client.post(
        f"/toezicht/{concept.uuid}/",
        {
            name_of(concept, "documentType"): BESLUITENLIJST,
            name_of(concept, "governingBody"): council.uri,
            name_of(concept, "sessionDate"): "2026-10-14",
            name_of(concept, "files") + "__upload": SimpleUploadedFile(name, content, content_type="application/pdf"),
            "save": "1",
        },
    )
    assert response.status_code == 200, response.content.decode()[:2000]


def test_a_draft_whose_own_file_was_scanned_is_sent_while_the_same_bytes_wait_in_another_upload(  # type: ignore[no-untyped-def]
    client, clerk, message_clerk, municipality, conversation, own_clamd, run_worker
):
    """Waiting is a stored upload's, not its bytes': the page's "Verstuur reactie" and the send ask the same rule.
    Before, the register refused by SHA-256: the page offered to send a draft whose file had been scanned, and the
    send was refused (409) because a Toezicht upload of identical bytes still waited."""
    run_worker()  # the conversation's own notification mail
    content = PDF_BYTES + b"besluit van de gemeenteraad"
    own_clamd.stop()
    _reply(client, message_clerk, conversation, pdf("besluit.pdf", content))
    draft = ReplyDraft.objects.get()
    own_clamd.start()
    run_worker()  # the draft's own file is scanned: clean
    assert not PendingScan.objects.exists()
    own_clamd.stop()  # down again while the same decision is uploaded to Toezicht
    _toezicht_upload(client, clerk, municipality, "besluit.pdf", content)
    elsewhere = PendingScan.objects.get()
    assert elsewhere.sha256 == hashlib.sha256(content).hexdigest() == draft.attachments.get().blob.sha256
    assert elsewhere.storage_name != draft.attachments.get().blob.storage_name

    page = _page(client, message_clerk, conversation)
    assert "wacht op virusscan" not in page and "Verstuur reactie" in page
    sent = client.post(_draft_url(conversation, draft))
    assert sent.status_code == 302, sent.content.decode()[:3000]
    reply = Message.objects.get(from_agency=False)
    assert [a.file_name for a in reply.attachments.all()] == ["besluit.pdf"] and not ReplyDraft.objects.exists()

    own_clamd.start()  # a new reply with these bytes is scanned when it comes in, and sent at once: no draft
    again = _reply(client, message_clerk, conversation, pdf("besluit-bis.pdf", content), text="Nogmaals")
    assert again.status_code == 302 and not ReplyDraft.objects.exists()
    assert Message.objects.filter(from_agency=False).count() == 2
    assert list(PendingScan.objects.all()) == [elsewhere]  # the Toezicht copy still waits for its own scan


def test_the_same_bytes_uploaded_again_and_scanned_clean_end_the_wait_of_the_kept_copy(  # type: ignore[no-untyped-def]
    client, message_clerk, conversation, own_clamd, run_worker, django_capture_on_commit_callbacks
):
    """The Berichtencentrum keeps each content once. Before, a clean upload of bytes already waiting for the scan
    was dropped for the waiting copy: the new reply was kept as a draft too, though clamd had just found its bytes
    clean. Now the scanned copy is kept and the waiting one goes: both replies can be sent at once."""
    run_worker()  # the conversation's own notification mail
    content = PDF_BYTES + b"antwoord dat wacht"
    these_bytes = StoredBlob.objects.filter(sha256=hashlib.sha256(content).hexdigest())
    own_clamd.stop()
    _reply(client, message_clerk, conversation, pdf("antwoord.pdf", content))
    draft = ReplyDraft.objects.get()
    waiting = PendingScan.objects.get()
    assert these_bytes.get().storage_name == waiting.storage_name

    own_clamd.start()  # back up, before the worker's retry
    with django_capture_on_commit_callbacks(execute=True):
        again = _reply(client, message_clerk, conversation, pdf("antwoord-bis.pdf", content), text="Nogmaals")
    assert again.status_code == 302, again.content.decode()[:2000]
    reply = Message.objects.get(from_agency=False)  # sent at once, no second draft
    assert [a.file_name for a in reply.attachments.all()] == ["antwoord-bis.pdf"]
    assert list(ReplyDraft.objects.all()) == [draft] and not PendingScan.objects.exists()
    blob = these_bytes.get()  # still one copy of these bytes: the one that was scanned
    assert blob.storage_name != waiting.storage_name and default_storage.exists(blob.storage_name)
    assert not default_storage.exists(waiting.storage_name)
    assert draft.attachments.get().blob == blob

    page = _page(client, message_clerk, conversation)
    assert "wacht op virusscan" not in page and "Verstuur reactie" in page
    assert client.post(_draft_url(conversation, draft)).status_code == 302
    assert Message.objects.filter(from_agency=False).count() == 2 and not ReplyDraft.objects.exists()
    run_worker()  # the waiting copy's scan has nothing left to do
    assert _no_failed_task() and these_bytes.get() == blob


# A circular (omzendbrief) whose file waited for the scan and is found infected stops for good: it never goes out
# without a file it announced; the bodies it already reached keep their conversation (without the file).

INFECTED_PDF = b"%PDF-1.4\n" + eicar() + b"\n" + b"% opvulling\n" * 100
STOPPED_NOTICE = (
    "De circulaire werd niet verstuurd: bijlage besmet.pdf bevat een virus (" + SIGNATURE_NAME + ") en werd "
    "verwijderd. Maak de circulaire opnieuw aan zonder dit bestand."
)


def _circular(client, agency_staff, municipality, files=None):  # type: ignore[no-untyped-def]
    files = files or [pdf("besmet.pdf", INFECTED_PDF), pdf("bijlage.pdf", PDF_BYTES + b"schoon")]
    client.force_login(agency_staff)
    response = client.post(
        reverse("messaging:agency-new"),
        {
            "soort": municipality.kind.uri,  # Aalst and Gent
            "dossiernummer": "OMZ/2026/5",
            "betreft": "Omzendbrief met twee bijlagen",
            "type": "Omzendbrief",
            "files": files,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Circular.objects.get()


def _no_failed_task() -> bool:
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return not DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).exists()


def test_a_circular_whose_file_is_found_infected_before_it_ran_stops_with_a_notice(  # type: ignore[no-untyped-def]
    client, agency_staff, municipality, other_municipality, own_clamd, run_worker, django_capture_on_commit_callbacks
):
    own_clamd.stop()
    circular = _circular(client, agency_staff, municipality)
    stored = list(StoredBlob.objects.values_list("storage_name", flat=True))
    assert len(stored) == 2 and PendingScan.objects.count() == 2
    own_clamd.start()
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()  # the scans first, then the circular
    circular.refresh_from_db()
    assert (circular.status, circular.done, circular.total) == ("stopped", 0, 2)
    assert not Conversation.objects.exists() and not Message.objects.exists() and _no_failed_task()
    # the clean file goes too: nothing carries it any more
    assert not StoredBlob.objects.exists() and not PendingScan.objects.exists()
    assert not any(default_storage.exists(name) for name in stored)
    notice = ScanNotice.objects.get()
    assert (notice.owner_uri, notice.file_name, notice.signature) == (circular.uri, "besmet.pdf", SIGNATURE_NAME)
    stopped = AuditEvent.objects.get(action="message.circular_stopped")
    assert stopped.details == {
        "circular": str(circular.uuid),
        "dossier": "OMZ/2026/5",
        "file": "besmet.pdf",
        "sha256": hashlib.sha256(INFECTED_PDF).hexdigest(),
        "done": 0,
        "total": 2,
    }
    url = reverse("messaging:circular", args=[circular.uuid])
    page = client.get(url).content.decode()
    assert STOPPED_NOTICE in page and 'http-equiv="refresh"' not in page and "Klaar:" not in page
    assert "al verwerkt" not in page
    assert client.get(url, {"format": "json"}).json()["status"] == "stopped"


def test_a_circular_stops_midway_when_its_file_is_found_infected_and_the_bodies_reached_keep_theirs(  # type: ignore[no-untyped-def]
    client, agency_staff, municipality, other_municipality, own_clamd, run_worker, monkeypatch
):
    from loket.core import scanwait
    from loket.messaging import services

    own_clamd.stop()
    circular = _circular(client, agency_staff, municipality)
    infected = PendingScan.objects.get(file_name="besmet.pdf")
    monkeypatch.setattr(services, "CIRCULAR_BATCH", 1)
    batch = services._circular_batch
    scanned: list[str] = []

    def batch_then_scan(*args, **kwargs):  # type: ignore[no-untyped-def]
        """The real batch; after the first, clamd is back and the real scan of the waiting file runs."""
        written = batch(*args, **kwargs)
        if not scanned:
            own_clamd.start()
            scanned.append(scanwait.rescan(infected.pk))
        return written

    monkeypatch.setattr(services, "_circular_batch", batch_then_scan)
    run_worker()  # the scans fail (clamd down) and wait for their retry; the circular runs
    assert scanned == [f"besmet ({SIGNATURE_NAME}): verwijderd"]
    circular.refresh_from_db()
    assert (circular.status, circular.done, circular.total) == ("stopped", 1, 2) and _no_failed_task()
    reached = Conversation.objects.get(dossier_number="OMZ/2026/5")  # the first body keeps its conversation …
    assert reached.organisation_id == circular.recipient_ids[0]
    assert [a.file_name for a in Attachment.objects.filter(message__conversation=reached)] == ["bijlage.pdf"]
    assert set(ScanNotice.objects.values_list("owner_uri", flat=True)) == {reached.uri, circular.uri}
    assert AuditEvent.objects.get(action="message.circular_stopped").details["done"] == 1
    page = client.get(reverse("messaging:circular", args=[circular.uuid])).content.decode()
    assert (
        STOPPED_NOTICE in page
        and "De besturen die al verwerkt waren (1), houden hun conversatie, zonder dit bestand." in page
    )
    # … the other never gets it, not even from a restarted worker or the recovery
    monkeypatch.setattr(services, "_circular_batch", batch)
    assert services.circular_run(circular_id=circular.pk).status == "stopped"
    from loket.messaging.recovery import recover_messaging

    assert "0 omzendbrief/-brieven" in recover_messaging(older_than=timedelta(seconds=0))
    assert Conversation.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_scan_during_a_batch_waits_for_it_and_takes_the_file_off_its_messages_too(
    uploader,  # type: ignore[no-untyped-def]
    agency_staff,
    municipality,
    other_municipality,
    own_clamd,
    monkeypatch,
):
    """PostgreSQL, real row locks: the scan finds the file infected while the worker is writing a batch of the
    circular's messages. The scan waits for that batch, takes the file off its messages too, and stops the circular;
    the next batch sees the stop (without the lock the scan deleted the bytes under the batch: an integrity error)."""
    import threading

    from django.db import connection

    from loket.core import scanwait
    from loket.messaging import services
    from loket.messaging.services import ConversationDraft, attachments_store, circular_run, circular_start

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL); SQLite serialises writers by itself")
    own_clamd.stop()
    circular = circular_start(
        actor=agency_staff,
        organisations=[municipality, other_municipality],
        draft=ConversationDraft(dossier_number="OMZ/2026/6", subject="Omzendbrief", kind="Omzendbrief"),
        blobs=attachments_store([pdf("besmet.pdf", INFECTED_PDF)], uploader=uploader),
    )
    infected = PendingScan.objects.get()
    own_clamd.start()
    monkeypatch.setattr(services, "CIRCULAR_BATCH", 1)
    written, go = threading.Event(), threading.Event()
    write = services._agency_message

    def write_then_wait(**kwargs):  # type: ignore[no-untyped-def]
        message = write(**kwargs)
        if not written.is_set():  # the first batch's message is written, not committed
            written.set()
            assert go.wait(20)
        return message

    monkeypatch.setattr(services, "_agency_message", write_then_wait)
    outcomes: dict[str, object] = {}

    def worker() -> None:
        try:
            outcomes["circular"] = circular_run(circular_id=circular.pk)
        except Exception as error:  # the test reports what the worker raised
            outcomes["circular"] = error
        finally:
            connection.close()

    def scan() -> None:
        try:
            outcomes["scan"] = scanwait.rescan(infected.pk)
        except Exception as error:  # the test reports what the scan raised
            outcomes["scan"] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker), threading.Thread(target=scan)]
    threads[0].start()
    assert written.wait(20)
    threads[1].start()
    with connection.cursor() as cursor:  # the scan is queued on a row lock before the batch commits
        for _ in range(200):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                break
            threading.Event().wait(0.05)
    go.set()
    for thread in threads:
        thread.join(30)
    assert outcomes["scan"] == f"besmet ({SIGNATURE_NAME}): verwijderd", outcomes
    assert isinstance(outcomes["circular"], Circular), outcomes
    assert (outcomes["circular"].status, outcomes["circular"].done) == ("stopped", 1)
    reached = Conversation.objects.get()
    assert not Attachment.objects.exists() and not StoredBlob.objects.exists()
    assert set(ScanNotice.objects.values_list("owner_uri", flat=True)) == {reached.uri, circular.uri}


DONE_NOTICE = (
    "Bijlage besmet.pdf bevat een virus (" + SIGNATURE_NAME + "). Dat bleek pas na het versturen: het bestand "
    "wachtte nog op de virusscan en niemand kon het openen. Het werd verwijderd uit de conversaties van alle besturen "
    "die deze omzendbrief ontvingen; zij zien daar een melding. De rest van de omzendbrief blijft bij hen staan."
)
DONE_NOTICE_EN = (
    "Attachment besmet.pdf contains a virus (" + SIGNATURE_NAME + "). This was found only after sending: the file was "
    "still waiting for the virus scan and nobody could open it. It was removed from the conversations of every body "
    "that received this circular; they see a notice there. The rest of the circular stays with them."
)


def test_a_circular_already_done_when_its_file_is_found_infected_says_so_on_its_page(  # type: ignore[no-untyped-def]
    client, agency_staff, message_clerk, municipality, other_municipality, own_clamd, run_worker
):
    """The circular reached every body while its file still waited for the scan (nobody could open it); the scan
    found it infected afterwards. Before, the file left the bodies' conversations (a notice on each) but the
    agency's circular page still said only "Klaar"."""
    from django.utils import timezone
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from loket.core.tasks import rescan_upload

    own_clamd.stop()
    circular = _circular(client, agency_staff, municipality)
    run_worker()  # the scans fail (clamd down) and wait for their retry; the circular runs to the end
    circular.refresh_from_db()
    assert (circular.status, circular.done, circular.total) == ("done", 2, 2)
    reached = list(Conversation.objects.filter(circular=circular))
    assert len(reached) == 2 and Attachment.objects.filter(file_name="besmet.pdf").count() == 2

    own_clamd.start()
    DBTaskResult.objects.filter(task_path=rescan_upload.module_path, status=TaskResultStatus.READY).update(
        run_after=timezone.now()
    )
    run_worker()
    assert not PendingScan.objects.exists() and _no_failed_task()
    circular.refresh_from_db()
    assert circular.status == "done"  # it was sent: nothing to stop
    assert not Attachment.objects.filter(file_name="besmet.pdf").exists()
    assert Attachment.objects.filter(file_name="bijlage.pdf").count() == 2  # the rest stays with the bodies
    assert set(ScanNotice.objects.values_list("owner_uri", "file_name", "signature")) == {
        (owner, "besmet.pdf", SIGNATURE_NAME) for owner in [circular.uri, *(c.uri for c in reached)]
    }
    # audited once, by the scan's own event (the uploader, the hash, the signature); the circular was not stopped
    event = AuditEvent.objects.get(action="core.virus_found")
    assert (event.actor, event.details["sha256"], event.details["signature"]) == (
        agency_staff,
        hashlib.sha256(INFECTED_PDF).hexdigest(),
        SIGNATURE_NAME,
    )
    assert not AuditEvent.objects.filter(action="message.circular_stopped").exists()

    client.force_login(agency_staff)
    url = reverse("messaging:circular", args=[circular.uuid])
    page = client.get(url).content.decode()
    assert "Klaar: elk bestuur heeft de conversatie in zijn Berichtencentrum." in page and DONE_NOTICE in page
    assert "De circulaire werd niet verstuurd" not in page
    assert client.get(url, {"format": "json"}).json()["status"] == "done"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert DONE_NOTICE_EN in client.get(url).content.decode()
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    body_page = _page(client, message_clerk, Conversation.objects.get(circular=circular, organisation=municipality))
    assert "Het bestand besmet.pdf wachtte op de virusscan" in body_page and "bijlage.pdf</a>" in body_page


SECOND_INFECTED_PDF = b"%PDF-1.4\n" + eicar() + b"\n" + b"% andere opvulling\n" * 100
STOPPED_LATER_NOTICE = (
    "Ook bijlage tweede.pdf bevat een virus (" + SIGNATURE_NAME + "). Dat bleek pas nadat de circulaire gestopt was: "
    "het bestand wachtte nog op de virusscan en niemand kon het openen. Het werd verwijderd uit de conversaties van de "
    "besturen die al verwerkt waren; zij zien daar een melding. De rest van hun conversatie blijft bij hen staan."
)
STOPPED_LATER_NOTICE_EN = (
    "Attachment tweede.pdf also contains a virus (" + SIGNATURE_NAME + "). This was found only after the circular "
    "had stopped: the file was still waiting for the virus scan and nobody could open it. It was removed from the "
    "conversations of the bodies already processed; they see a notice there. The rest of their conversation stays "
    "with them."
)


def test_a_stopped_circular_whose_other_file_is_found_infected_later_says_so_on_its_page(  # type: ignore[no-untyped-def]
    client, agency_staff, message_clerk, municipality, other_municipality, own_clamd, run_worker, monkeypatch
):
    """besmet.pdf stops the circular after the first body; that body still has tweede.pdf, which waits for its
    scan and is found infected afterwards. Before, the file left the body's conversation (with a notice there) but
    the agency's page of the stopped circular named only besmet.pdf."""
    from django.utils import timezone
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from loket.core import scanwait
    from loket.core.tasks import rescan_upload
    from loket.messaging import services

    own_clamd.stop()
    files = [pdf("besmet.pdf", INFECTED_PDF), pdf("tweede.pdf", SECOND_INFECTED_PDF), pdf("bijlage.pdf", PDF_BYTES)]
    circular = _circular(client, agency_staff, municipality, files=files)
    first = PendingScan.objects.get(file_name="besmet.pdf")
    monkeypatch.setattr(services, "CIRCULAR_BATCH", 1)
    batch = services._circular_batch

    def batch_then_scan(*args, **kwargs):  # type: ignore[no-untyped-def]
        """The real batch; after the first, clamd is back and the real scan of besmet.pdf runs (only that one)."""
        written = batch(*args, **kwargs)
        if PendingScan.objects.filter(pk=first.pk).exists():
            own_clamd.start()
            assert scanwait.rescan(first.pk) == f"besmet ({SIGNATURE_NAME}): verwijderd"
        return written

    monkeypatch.setattr(services, "_circular_batch", batch_then_scan)
    run_worker()  # the scans fail (clamd down) and wait for their retry; the circular runs and stops
    circular.refresh_from_db()
    assert (circular.status, circular.done, circular.total) == ("stopped", 1, 2)
    reached = Conversation.objects.get(circular=circular)
    assert sorted(Attachment.objects.values_list("file_name", flat=True)) == ["bijlage.pdf", "tweede.pdf"]

    DBTaskResult.objects.filter(task_path=rescan_upload.module_path, status=TaskResultStatus.READY).update(
        run_after=timezone.now()
    )
    run_worker()  # the retries: tweede.pdf infected, bijlage.pdf clean
    assert not PendingScan.objects.exists() and _no_failed_task()
    circular.refresh_from_db()
    assert (circular.status, circular.done) == ("stopped", 1)
    assert list(Attachment.objects.values_list("file_name", flat=True)) == ["bijlage.pdf"]
    notices = list(ScanNotice.objects.values_list("owner_uri", "file_name", "signature"))
    assert len(notices) == 4 and set(notices) == {
        (owner, name, SIGNATURE_NAME) for owner in (reached.uri, circular.uri) for name in ("besmet.pdf", "tweede.pdf")
    }
    assert AuditEvent.objects.filter(action="core.virus_found").count() == 2
    assert AuditEvent.objects.filter(action="message.circular_stopped").count() == 1  # stopped once, by besmet.pdf

    client.force_login(agency_staff)
    url = reverse("messaging:circular", args=[circular.uuid])
    page = client.get(url).content.decode()
    assert STOPPED_NOTICE in page and STOPPED_LATER_NOTICE in page and "Klaar:" not in page
    assert page.index(STOPPED_NOTICE) < page.index(STOPPED_LATER_NOTICE)
    assert "De circulaire werd niet verstuurd: bijlage tweede.pdf" not in page  # it did not stop the circular
    assert "De besturen die al verwerkt waren (1), houden hun conversatie, zonder dit bestand." in page
    assert client.get(url, {"format": "json"}).json()["status"] == "stopped"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert STOPPED_LATER_NOTICE_EN in client.get(url).content.decode()
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    body_page = _page(client, message_clerk, reached)
    assert "Het bestand tweede.pdf wachtte op de virusscan" in body_page and "bijlage.pdf</a>" in body_page
