"""Concept-reacties: a body's reply whose file waits for the virus scan ("wacht op virusscan", `core.scanwait`).

A reply is sent in the same post as its files. When the virus scanner cannot be reached, `core.files.store_upload`
keeps a file and lets it wait for the worker's scan, and `ledger_append` refuses to send anything that holds it.
Instead of refusing the reply (and losing all but its text), `reply_post` keeps it as a `ReplyDraft`:

* only the body's clerks see it, on the conversation page, as "Concept — nog niet verstuurd, wacht op virusscan",
  with its files named but not downloadable; the agency, the lists and counts, the mails, the APIs and the open data
  never see a draft (it is not a `Message`);
* it cannot be sent while a file waits: `reply_draft_send` goes through `message_reply`, whose ledger entry is
  refused with the Dutch message that names the file. The page offers "Verstuur" by the same rule
  (`scanwait.waiting_names`: the file's own stored upload, not identical bytes kept elsewhere);
* once the worker found the files clean, a clerk sends it with one click. It is **never sent automatically**: the
  clerk decides whether the reply still fits the conversation (a draft can stay waiting for hours). The time of
  sending is that click's (the ledger entry's);
* an infected file is removed from the draft with a notice on the draft (`attachment_remove_infected`); a draft
  without files can only be discarded;
* `reply_draft_discard` deletes it and the bytes that nothing else carries.
"""

from collections.abc import Sequence
from functools import partial
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core import scanwait
from loket.core.audit import audit_record
from loket.core.errors import ConflictError
from loket.messaging.models import Conversation, DraftAttachment, Message, ReplyDraft, StoredBlob
from loket.messaging.services import actor_name, blob_in_use, message_reply, reply_text_checked


def reply_post(
    *, actor: Any, conversation: Conversation, text: str, blobs: Sequence[tuple[StoredBlob, str]]
) -> Message | ReplyDraft:
    """The clerk's reply form: sent at once, or kept as a draft when one of its files waits for the virus scan."""
    try:
        return message_reply(actor=actor, conversation=conversation, text=text, blobs=blobs)
    except scanwait.ScanPending:  # the send rolled back; what was posted is kept, not lost
        return reply_draft_keep(actor=actor, conversation=conversation, text=text, blobs=blobs)


@transaction.atomic
def reply_draft_keep(
    *, actor: Any, conversation: Conversation, text: str, blobs: Sequence[tuple[StoredBlob, str]]
) -> ReplyDraft:
    text = reply_text_checked(text=text, blobs=blobs)
    draft = ReplyDraft.objects.create(
        conversation=conversation,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        author_name=actor_name(actor),
        text=text,
        created_at=timezone.now(),
    )
    DraftAttachment.objects.bulk_create(
        [DraftAttachment(draft=draft, blob=blob, file_name=name) for blob, name in blobs]
    )
    waiting = scanwait.waiting_names(blob.storage_name for blob, _name in blobs)
    audit_record(
        action="message.reply_draft_kept",
        actor=actor,
        organisation=conversation.organisation,
        conversation=conversation.uri,
        draft=draft.uri,
        files=", ".join(name for blob, name in blobs if blob.storage_name in waiting),
    )
    return draft


def _locked(draft: ReplyDraft) -> ReplyDraft:
    locked = (
        ReplyDraft.objects.select_for_update().select_related("conversation__organisation").filter(pk=draft.pk).first()
    )
    if locked is None:
        raise ConflictError(_("Deze concept-reactie werd intussen al verstuurd of verwijderd."))
    return locked


@transaction.atomic
def reply_draft_send(*, actor: Any, draft: ReplyDraft) -> Message:
    """Send a draft as the reply it is (the actor is the sender; the time is now). ScanPending while a file waits."""
    locked = _locked(draft)
    blobs = [(item.blob, item.file_name) for item in locked.attachments.select_related("blob")]
    message = message_reply(
        actor=actor, conversation=locked.conversation, text=locked.text, blobs=blobs, draft_uri=locked.uri
    )
    locked.delete()
    return message


@transaction.atomic
def reply_draft_discard(*, actor: Any, draft: ReplyDraft) -> None:
    """Delete a draft; its bytes go with it unless a message or another draft carries them."""
    locked = _locked(draft)
    blobs = {item.blob_id: item.blob for item in locked.attachments.select_related("blob")}.values()
    audit_record(
        action="message.reply_draft_discarded",
        actor=actor,
        organisation=locked.conversation.organisation,
        conversation=locked.conversation.uri,
        draft=locked.uri,
    )
    locked.delete()
    for blob in blobs:
        if not blob_in_use(blob):
            scanwait.forget(blob.storage_name)
            blob.delete()
            transaction.on_commit(partial(default_storage.delete, blob.storage_name))
