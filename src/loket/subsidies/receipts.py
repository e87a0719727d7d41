"""The receipt of a sent step: the core receipt over its ledger entry."""

from typing import Any

from django.conf import settings
from django.urls import reverse

from loket.core.receipts import receipt_build
from loket.subsidies.models import ApplicationForm


def form_receipt(form: ApplicationForm) -> dict[str, Any]:
    assert form.sent_entry is not None
    return receipt_build(
        sent=form.sent_entry,
        delivered=None,
        organisation_name=form.dossier.organisation.display_name,
        sender_name=form.sent_by,
        document_type=f"Subsidieaanvraag: {form.dossier.call} — {form.step.procedural_step.name}",
        check_url=settings.LOKET_SITE_URL + reverse("core:receipt-check"),
        files=[],
    )
