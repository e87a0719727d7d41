"""The agency's case-system API over HTTP: put agency messages (idempotent by URI), collect the bodies' replies
with acknowledgement, download their attachments; every request authenticated."""

import base64
import hashlib

import pytest

from loket.messaging.models import Conversation, Message
from loket.messaging.services import attachments_store, message_reply
from tests.messaging.conftest import PDF_BYTES, pdf

pytestmark = pytest.mark.django_db
KEY = "case-system-test-key"


@pytest.fixture(autouse=True)
def case_system_key(settings):  # type: ignore[no-untyped-def]
    settings.LOKET_CASE_SYSTEM_KEY_SHA256 = hashlib.sha256(KEY.encode()).hexdigest()


def _post(client, path, body, key=KEY):  # type: ignore[no-untyped-def]
    return client.post(path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")


def _message(uri: str, dossier: str = "KAL/2026/1") -> dict:  # type: ignore[type-arg]
    return {
        "uri": uri,
        "organisation": "0207451227",
        "dossier_number": dossier,
        "subject": "Klacht",
        "type": "Opvraging",
        "attachments": [{"name": "brief.pdf", "content_base64": base64.b64encode(PDF_BYTES).decode()}],
    }


def test_put_agency_message_is_idempotent_by_uri(client, municipality, agency):
    first = _post(client, "/api/berichtencentrum/agency-messages", _message("https://kalliope.example/poststuk/1"))
    assert first.status_code == 201
    assert first.json()["organisation"] == municipality.uri
    again = _post(client, "/api/berichtencentrum/agency-messages", _message("https://kalliope.example/poststuk/1"))
    assert again.status_code == 200 and again.json()["uri"] == "https://kalliope.example/poststuk/1"
    second = _post(client, "/api/berichtencentrum/agency-messages", _message("https://kalliope.example/poststuk/2"))
    assert second.status_code == 201
    assert Conversation.objects.count() == 1 and Message.objects.count() == 2  # same dossier: same conversation


@pytest.mark.parametrize(
    "change, status, code",
    [
        ({"uri": "ftp://x"}, 400, "uri"),
        ({"organisation": "0999999999"}, 400, "organisation"),
        ({"attachments": []}, 400, "attachments"),
        ({"attachments": [{"name": "a.pdf", "content_base64": "@@@"}]}, 400, "attachments"),
        (
            {"attachments": [{"name": "a.exe", "content_base64": base64.b64encode(b"MZ" * 800).decode()}]},
            400,
            "attachments",
        ),
        ({"dossier_number": ""}, 400, "domain_error"),
        # NUL reached the database (a 500 on PostgreSQL): refused with the JSON errors
        ({"uri": "https://k.example/9\x00"}, 400, "invalid_json"),
        ({"text": "tekst\x00"}, 400, "invalid_json"),
        (
            {"attachments": [{"name": "a\x00.pdf", "content_base64": base64.b64encode(PDF_BYTES).decode()}]},
            400,
            "invalid_json",
        ),
    ],
)
def test_bad_agency_messages_store_nothing(client, municipality, agency, change, status, code):
    response = _post(client, "/api/berichtencentrum/agency-messages", {**_message("https://k.example/9"), **change})
    assert response.status_code == status and response.json()["error"]["code"] == code
    assert Message.objects.count() == 0 and Conversation.objects.count() == 0


def test_a_wrong_key_is_401_and_changes_nothing(client, municipality, agency):
    response = _post(client, "/api/berichtencentrum/agency-messages", _message("https://k.example/1"), key="fout")
    assert response.status_code == 401 and Message.objects.count() == 0
    assert client.get("/api/berichtencentrum/replies").status_code == 401


def test_not_json_is_415(client, agency):
    response = client.post(
        "/api/berichtencentrum/agency-messages", "x=1", content_type="text/plain", HTTP_AUTHORIZATION=f"Bearer {KEY}"
    )
    assert response.status_code == 415


def test_replies_are_collected_once_with_acknowledgement(uploader, client, conversation, message_clerk):
    reply = message_reply(
        actor=message_clerk,
        conversation=conversation,
        text="Zie bijlage",
        blobs=attachments_store([pdf("antwoord.pdf", PDF_BYTES + b"r")], uploader=uploader),
    )
    listed = client.get("/api/berichtencentrum/replies", HTTP_AUTHORIZATION=f"Bearer {KEY}").json()["replies"]
    assert [r["uri"] for r in listed] == [reply.uri]
    assert listed[0]["ledger_position"] == reply.sent_entry.position
    download = client.get(listed[0]["attachments"][0]["download"], HTTP_AUTHORIZATION=f"Bearer {KEY}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES + b"r"
    ack = _post(client, "/api/berichtencentrum/replies/ack", {"uris": [reply.uri, "https://x.example/unknown"]})
    assert ack.json() == {"acknowledged": 1}
    assert client.get("/api/berichtencentrum/replies", HTTP_AUTHORIZATION=f"Bearer {KEY}").json() == {"replies": []}


def test_the_api_is_off_without_a_configured_key(client, settings, agency):
    settings.LOKET_CASE_SYSTEM_KEY_SHA256 = ""
    response = client.get("/api/berichtencentrum/replies", HTTP_AUTHORIZATION=f"Bearer {KEY}")
    assert response.status_code == 401 and response.json()["error"]["code"] == "not_configured"


def test_failed_attempts_are_throttled(client, agency):
    from django.core.cache import cache

    cache.clear()  # earlier tests' failed attempts in the same window
    statuses = [
        client.get("/api/berichtencentrum/replies", HTTP_AUTHORIZATION="Bearer fout").status_code for _ in range(21)
    ]
    assert statuses[:20] == [401] * 20 and statuses[20] == 429
