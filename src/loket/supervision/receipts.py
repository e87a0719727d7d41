"""The receipt of a sent submission (ontvangstbewijs), built from its ledger entries and what was sent."""

from typing import Any

from django.conf import settings
from django.urls import reverse

from loket.core.receipts import receipt_build
from loket.supervision.models import Submission, SubmissionFile


def check_page_url() -> str:
    """The absolute URL of the public check page (`LOKET_SITE_URL` + path), printed on every receipt."""
    return settings.LOKET_SITE_URL + reverse("core:receipt-check")


def submission_receipt(submission: Submission) -> dict[str, Any]:
    if submission.sent_entry is None:
        raise ValueError("Only a sent submission has a receipt.")
    sender = submission.sent_entry.actor_label or (submission.sent_by.get_full_name() if submission.sent_by else "")
    sent_files = {line.split(" ", 1)[0] for line in (submission.sent_entry.payload or {}).get("files", [])}
    records = list(submission.files.all())
    body = submission.governing_body
    return receipt_build(
        sent=submission.sent_entry,
        delivered=submission.delivered_entry,
        organisation_name=submission.organisation.display_name,
        sender_name=sender,
        document_type=submission.document_type.label,
        check_url=check_page_url(),
        files=[
            {"name": f.original_name, "size": f.size, "sha256": f.sha256, "uri": f.uri}
            for f in records
            if f.kind == SubmissionFile.Kind.UPLOAD and f.uri in sent_files
        ],
        links=[
            {
                "url": f.url,
                "name": f.original_name or None,
                "size": f.size if f.cache_status == SubmissionFile.CacheStatus.DONE else None,
                "sha256": f.sha256 or None,
            }
            for f in records
            if f.kind == SubmissionFile.Kind.LINK
        ],
        session_date=submission.session_date.isoformat() if submission.session_date else None,
        governing_body={"name": body.label, "uri": body.uri} if body else None,
    )


def receipt_page_context(submission: Submission, receipt: dict[str, Any], supervisor: bool) -> dict[str, Any]:
    """What the HTML receipt shows: the receipt itself, its times for people, and where to get and check it."""
    from loket.core.receipts import human_time

    return {
        "submission": submission,
        "receipt": receipt,
        "sent_at": human_time(receipt["sent_at"]),
        "delivered_at": human_time(receipt["delivered_at"]),
        "supervisor": supervisor,
        "receipt_url": "supervision:inbox-receipt" if supervisor else "supervision:receipt",
        "back_url": "supervision:inbox-detail" if supervisor else "supervision:edit",
    }
