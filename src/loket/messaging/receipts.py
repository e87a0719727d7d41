"""The receipt of a body's reply: the core receipt over its ledger entries and its attachments."""

from typing import Any

from django.conf import settings
from django.urls import reverse

from loket.core.receipts import receipt_build
from loket.messaging.models import Message


def reply_receipt(message: Message) -> dict[str, Any]:
    if message.sent_entry is None:
        raise ValueError("Only a reply sent by a body has a receipt.")
    return receipt_build(
        sent=message.sent_entry,
        delivered=message.delivered_entry,
        organisation_name=message.conversation.organisation.display_name,
        sender_name=message.sent_entry.actor_label,
        document_type=f"Berichtencentrum: {message.kind} (dossier {message.conversation.dossier_number})",
        check_url=settings.LOKET_SITE_URL + reverse("core:receipt-check"),
        files=[
            {"name": a.file_name, "size": a.blob.size, "sha256": a.blob.sha256, "uri": a.uri}
            for a in message.attachments.select_related("blob")
        ],
    )
