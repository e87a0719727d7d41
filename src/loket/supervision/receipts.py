"""The receipt of a sent submission (ontvangstbewijs), built from its ledger entries."""

from typing import Any

from loket.core.receipts import receipt_build
from loket.supervision.models import Submission


def submission_receipt(submission: Submission) -> dict[str, Any]:
    if submission.sent_entry is None:
        raise ValueError("Only a sent submission has a receipt.")
    sender = submission.sent_entry.actor_label or (submission.sent_by.get_full_name() if submission.sent_by else "")
    return receipt_build(
        sent=submission.sent_entry,
        delivered=submission.delivered_entry,
        organisation_name=submission.organisation.display_name,
        sender_name=sender,
        document_type=submission.document_type.label,
    )
