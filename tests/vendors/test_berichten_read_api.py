"""The vendors' read API of the Berichtencentrum: a body's messages since a date, paginated, with attachment
downloads — only for the bodies the vendor acts for."""

from datetime import timedelta

import pytest
from django.utils import timezone

from loket.messaging.models import Message
from loket.messaging.services import ConversationDraft, attachments_store, conversation_start, message_reply
from loket.vendors.services import vendor_create
from tests.conftest import grant, make_user
from tests.messaging.conftest import PDF_BYTES, pdf

pytestmark = pytest.mark.django_db
URL = "/api/vendor/berichtencentrum/berichten"


@pytest.fixture
def key(municipality) -> str:  # type: ignore[no-untyped-def]
    """The bearer key of meeting software acting for the municipality (a key of the Loket's own format: bearer
    authentication needs its key id)."""
    return vendor_create(
        uri="http://data.lblod.info/vendors/notulensoft", name="Notulensoft", organisations=[municipality]
    ).key


@pytest.fixture
def exchange(agency, municipality, uploader):  # type: ignore[no-untyped-def]
    from loket.accounts.roles import Role

    clerk = make_user("vera-vendor-clerk")
    grant(clerk, municipality, [Role.BERICHTEN])
    conversation = conversation_start(
        actor=None,
        organisation=municipality,
        draft=ConversationDraft(dossier_number="V/1", subject="Opvraging", kind="Opvraging"),
        blobs=attachments_store([pdf()], uploader=uploader),
    )
    message_reply(
        actor=clerk,
        conversation=conversation,
        text="Antwoord",
        blobs=attachments_store([pdf("antwoord.pdf", PDF_BYTES + b"v")], uploader=uploader),
    )
    return conversation


def _get(client, params, key):  # type: ignore[no-untyped-def]
    return client.get(URL, params, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_messages_since_a_date_with_downloads(client, key, municipality, exchange):
    since = (timezone.now() - timedelta(hours=1)).isoformat()
    body = _get(client, {"organisatie": municipality.uri, "sinds": since}, key).json()
    assert [m["type"] for m in body["messages"]] == ["Opvraging", "Reactie"] and body["next"] is None
    assert body["messages"][1]["text"] == "Antwoord"
    download = client.get(body["messages"][1]["attachments"][0]["download"], HTTP_AUTHORIZATION=f"Bearer {key}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES + b"v"
    later = _get(
        client, {"organisatie": municipality.uri, "sinds": (timezone.now() + timedelta(hours=1)).isoformat()}, key
    )
    assert later.json()["messages"] == []


def test_pages_follow_each_other(client, key, municipality, exchange, settings):
    settings.LOKET_VENDOR_MESSAGE_PAGE_SIZE = 1
    first = _get(client, {"organisatie": municipality.uri, "sinds": "2020-01-01T00:00:00"}, key).json()
    assert len(first["messages"]) == 1 and first["next"]
    second = _get(client, {"organisatie": municipality.uri, "sinds": "2020-01-01T00:00:00", "na": first["next"]}, key)
    assert second.json()["messages"][0]["type"] == "Reactie"


def test_another_body_is_403(client, key, other_municipality, exchange):
    response = _get(client, {"organisatie": other_municipality.uri, "sinds": "2020-01-01"}, key)
    assert response.status_code == 403


def test_an_attachment_of_another_body_is_404(uploader, client, key, other_municipality, agency):
    other = conversation_start(
        actor=None,
        organisation=other_municipality,
        draft=ConversationDraft(dossier_number="O/1", subject="x", kind="Opvraging"),
        blobs=attachments_store([pdf("ander.pdf", PDF_BYTES + b"o")], uploader=uploader),
    )
    attachment = other.messages.get().attachments.get()
    response = client.get(
        f"/api/vendor/berichtencentrum/bestanden/{attachment.uuid}", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "params, status",
    [
        ({"sinds": "gisteren"}, 400),
        ({"sinds": "2026-01-01", "organisatie": "http://data.lblod.info/id/bestuurseenheden/onbekend"}, 404),
        ({"sinds": "2026-01-01", "na": "geen-uuid"}, 400),
    ],
)
def test_bad_requests(client, key, municipality, exchange, params, status):
    response = _get(client, {"organisatie": municipality.uri, **params}, key)
    assert response.status_code == status and response.json()["error"]["message"]


def test_without_a_valid_key_401(client, key, municipality, exchange):
    assert _get(client, {"organisatie": municipality.uri, "sinds": "2026-01-01"}, "fout").status_code == 401
    assert Message.objects.count() == 2
