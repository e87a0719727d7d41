"""Who may see which conversation: the body's members with role Berichtencentrum see their body's; agency staff
(role berichten-abb at the agency) see all. Absent and not yours give the same 404."""

from uuid import UUID

from django.http import Http404, HttpRequest

from loket.messaging.models import Attachment, Circular, Conversation, Message, ReplyDraft
from loket.messaging.services import is_agency


def conversation_for_clerk(request: HttpRequest, key: UUID | str) -> Conversation:
    conversation = (
        Conversation.objects.select_related("organisation")
        .filter(
            uuid=key,
            organisation=request.organisation,  # type: ignore[attr-defined]
        )
        .first()
    )
    if conversation is None:
        raise Http404
    return conversation


def conversation_for_agency(request: HttpRequest, key: UUID | str) -> Conversation:
    if not is_agency(request.organisation):  # type: ignore[attr-defined]
        raise Http404
    conversation = Conversation.objects.select_related("organisation", "organisation__kind").filter(uuid=key).first()
    if conversation is None:
        raise Http404
    return conversation


def attachment_of(conversation: Conversation, key: UUID | str) -> Attachment:
    attachment = (
        Attachment.objects.select_related("blob", "message")
        .filter(uuid=key, message__conversation=conversation)
        .first()
    )
    if attachment is None:
        raise Http404
    return attachment


def reply_of(conversation: Conversation, key: UUID | str) -> Message:
    message = conversation.messages.filter(uuid=key, from_agency=False).select_related("sent_entry").first()
    if message is None:
        raise Http404
    return message


def reply_draft_of(conversation: Conversation, key: UUID | str) -> ReplyDraft:
    """A reply draft of a conversation the clerk may see (`conversation_for_clerk`): never the agency's to see."""
    draft = ReplyDraft.objects.filter(uuid=key, conversation=conversation).first()
    if draft is None:
        raise Http404
    return draft


def circular_for_agency(request: HttpRequest, key: UUID | str) -> Circular:
    if not is_agency(request.organisation):  # type: ignore[attr-defined]
        raise Http404
    circular = Circular.objects.filter(uuid=key).first()
    if circular is None:
        raise Http404
    return circular
