"""The receipt of a confirmation: the core receipt over its ledger entry."""

from typing import Any

from django.conf import settings
from django.urls import reverse

from loket.core.receipts import receipt_build
from loket.personnel.models import Confirmation


def confirmation_receipt(confirmation: Confirmation) -> dict[str, Any]:
    return receipt_build(
        sent=confirmation.sent_entry,
        delivered=None,
        organisation_name=confirmation.organisation.display_name,
        sender_name=confirmation.sent_entry.actor_label,
        document_type=f"Personeelsaantallen {confirmation.period.year} (versie {confirmation.version})",
        check_url=settings.LOKET_SITE_URL + reverse("core:receipt-check"),
        files=[],
    )
