"""An infected attachment in the Berichtencentrum is refused with the signature named; nothing is sent or kept."""

import pytest
from django.urls import reverse

from loket.core.models import AuditEvent
from loket.messaging.models import Message, StoredBlob
from tests.messaging.conftest import pdf
from tests.support.clamd import SIGNATURE_NAME, eicar

pytestmark = pytest.mark.django_db


def test_a_reply_with_eicar_renamed_pdf_is_refused(client, message_clerk, conversation, clamd):  # type: ignore[no-untyped-def]
    blobs = StoredBlob.objects.count()
    client.force_login(message_clerk)
    content = b"%PDF-1.4\n" + eicar() + b"\n" + b"% opvulling\n" * 100
    url = reverse("messaging:detail", args=[conversation.uuid])
    response = client.post(url, {"files": [pdf("antwoord.pdf", content)]})
    assert response.status_code == 400 and SIGNATURE_NAME in response.content.decode()
    assert Message.objects.count() == 1 and StoredBlob.objects.count() == blobs
    assert AuditEvent.objects.get(action="core.virus_found").actor == message_clerk
