"""The register covers the content of replies: a reply's text and attachments are re-hashed from what is stored and
compared with its ledger entry (see core.ledger_content)."""

import hashlib
import uuid
from collections.abc import Iterator

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Prefetch

from loket.core.ledger_content import ContentReport, Mismatch, register_content_checker
from loket.messaging.models import Attachment, Message
from loket.messaging.services import reply_content_hash

_PREFIX = f"{settings.LOKET_URI_BASE}/id/berichten/"


def _file_hash(storage_name: str) -> str | None:
    digest = hashlib.sha256()
    try:
        with default_storage.open(storage_name, "rb") as handle:
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def reply_problems(message: Message, *, check_bytes: bool = True) -> list[str]:
    attachments = list(message.attachments.all())  # prefetched with their blobs by the callers that list many
    problems = []
    recomputed = reply_content_hash(message.text, [a.blob.sha256 for a in attachments])
    if message.sent_entry is None or recomputed != message.sent_entry.content_hash:
        problems.append("the stored text or attachments differ from the ledger entry")
    if message.content_hash != (message.sent_entry.content_hash if message.sent_entry else ""):
        problems.append("the stored content hash differs from the ledger entry")
    if check_bytes:
        for attachment in attachments:
            actual = _file_hash(attachment.blob.storage_name)
            if actual is None:
                problems.append(f"attachment {attachment.file_name} is missing")
            elif actual != attachment.blob.sha256:
                problems.append(f"attachment {attachment.file_name} was replaced")
    return problems


def _replies() -> "Iterator[Message]":
    return (
        Message.objects.filter(from_agency=False, sent_entry__isnull=False)
        .select_related("sent_entry")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.select_related("blob")))
        .order_by("pk")
        .iterator(chunk_size=500)
    )


def _check_subject(subject_uri: str) -> list[str] | None:
    message = Message.objects.filter(external_uri=subject_uri).select_related("sent_entry").first()
    if message is None and subject_uri.startswith(_PREFIX):
        try:
            key = uuid.UUID(subject_uri[len(_PREFIX) :])
        except ValueError:  # not one of our message URIs
            return None
        message = Message.objects.filter(uuid=key).select_related("sent_entry").first()
    if message is None or message.from_agency:
        return None
    return reply_problems(message)


def _check_all(*, check_bytes: bool, report: ContentReport) -> Iterator[Mismatch]:
    for message in _replies():
        report.checked += 1
        problems = reply_problems(message, check_bytes=check_bytes)
        if problems:
            yield message.uri, problems


register_content_checker("berichtencentrum", check_subject=_check_subject, check_all=_check_all)
