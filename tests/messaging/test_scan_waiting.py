"""Wacht op virusscan in the Berichtencentrum (issue 18 item 7), with a real clamd that the test stops and starts: an
agency attachment kept while clamd is down is listed as waiting and cannot be downloaded (pages, vendor API) until
the worker scanned it; infected, it leaves the message with a notice; a body's reply cannot be sent with a file
that waits (the reply is sent in the same post, so nothing of it is kept)."""

import pytest
from django.urls import reverse

from loket.core.ledger_models import LedgerEntry
from loket.core.models import AuditEvent, PendingScan, ScanNotice
from loket.messaging.models import Attachment, Message, StoredBlob
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


def test_a_reply_with_a_file_that_cannot_be_scanned_is_not_sent_and_keeps_nothing(  # type: ignore[no-untyped-def]
    client, message_clerk, conversation, own_clamd
):
    blobs, messages, entries = StoredBlob.objects.count(), Message.objects.count(), LedgerEntry.objects.count()
    own_clamd.stop()
    client.force_login(message_clerk)
    url = reverse("messaging:detail", args=[conversation.uuid])
    response = client.post(url, {"files": [pdf("antwoord.pdf", PDF_BYTES + b"antwoord")], "text": "Zie bijlage"})
    assert response.status_code == 400
    assert "antwoord.pdf wacht nog op de virusscan" in response.content.decode()
    assert (StoredBlob.objects.count(), Message.objects.count()) == (blobs, messages)
    assert LedgerEntry.objects.count() == entries and not PendingScan.objects.exists()
