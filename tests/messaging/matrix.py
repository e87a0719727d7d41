"""Objects of the authorisation matrix's own organisation (the agency) for the Berichtencentrum's pages: a
conversation with the agency's own organisation (made directly: the service refuses it, the matrix is about access),
its first message and attachment, a sent reply, a reply draft, and a circular."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone


def messaging_kwargs(cast: dict, converters: set[str]) -> dict:  # type: ignore[type-arg]
    from loket.core.quota import Uploader
    from loket.messaging.models import Attachment, Circular, Conversation, DraftAttachment, Message, ReplyDraft
    from loket.messaging.services import attachments_store, message_reply

    if "messaging" not in cast:
        agency = cast["with_role"].memberships.get().organisation
        now = timezone.now()
        conversation = Conversation.objects.create(
            organisation=agency,
            dossier_number="MATRIX.1",
            subject="Matrix",
            current_type="Opvraging",
            started_at=now,
            last_message_at=now,
        )
        [(blob, name)] = attachments_store(
            [SimpleUploadedFile("m.pdf", b"%PDF-1.4 matrix " * 100)], uploader=Uploader(agency)
        )
        first = Message.objects.create(
            conversation=conversation, sender=agency, recipient=agency, kind="Opvraging", sent_at=now, from_agency=True
        )
        attachment = Attachment.objects.create(message=first, blob=blob, file_name=name)
        reply = message_reply(actor=cast["with_role"], conversation=conversation, text="", blobs=[(blob, name)])
        draft = ReplyDraft.objects.create(conversation=conversation, author=cast["with_role"], created_at=now)
        DraftAttachment.objects.create(draft=draft, blob=blob, file_name=name)
        circular = Circular.objects.create(
            created_at=now,
            dossier_number="MATRIX.2",
            subject="m",
            kind="Omzendbrief",
            reaction_term="P30D",
            total=0,
            status=Circular.Status.DONE,
        )
        cast["messaging"] = {
            "conversation": conversation.uuid,
            "attachment": attachment.uuid,
            "message": reply.uuid,
            "circular": circular.uuid,
            "draft": draft.uuid,
        }
    return {name: value for name, value in cast["messaging"].items() if name in converters}
