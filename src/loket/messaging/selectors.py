"""Reads of the Berichtencentrum: a body's conversations with filters, search, sorting and unread marks; the
agency's overview; a conversation's messages with their attachments."""

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, TypedDict
from uuid import UUID

from django.db.models import BooleanField, Case, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from loket.accounts.models import User
from loket.core import scanwait
from loket.core.scanwait_models import ScanNotice
from loket.messaging.models import Attachment, Circular, Conversation, DraftAttachment, Message, ReadMark, ReplyDraft
from loket.organisations.models import Organisation

PAGE_SIZE = 20

# Sortable columns as the real list has them (ascending name; "-name" descends), newest last message first by default.
SORTS = {
    "betreft": "subject",
    "type": "current_type",
    "dossiernummer": "dossier_number",
    "laatste-bericht": "last_message_at",
    "laatste-bericht-van": "last_sender_name",
    "termijn": "due_at",
}
DEFAULT_SORT = "-laatste-bericht"


@dataclass(frozen=True)
class ConversationFilter:
    kind: str = ""
    since: date | None = None
    until: date | None = None
    awaiting_us: bool = False
    overdue: bool = False
    unread: bool = False
    query: str = ""
    sort: str = DEFAULT_SORT


def _aware(day: date, end: bool = False) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


class _Unread(TypedDict):
    is_read: bool


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    ConversationWithUnread = WithAnnotations[Conversation, _Unread]


def with_unread(
    queryset: QuerySet[Conversation], user: User, *, for_agency: bool = False
) -> "QuerySet[ConversationWithUnread]":
    """`is_read`: the user opened the conversation since its last message, or that message came from the side the
    user reads for (the agency, or the body): nobody is told to read what their own side sent."""
    seen = ReadMark.objects.filter(user=user, conversation=OuterRef("pk"), read_at__gte=OuterRef("last_message_at"))
    last = Message.objects.filter(conversation=OuterRef("pk")).order_by("-sent_at", "-id").values("from_agency")[:1]
    own_last = Q(last_from_agency=for_agency)
    read = Case(When(Q(Exists(seen)) | own_last, then=Value(True)), default=Value(False), output_field=BooleanField())
    return queryset.annotate(last_from_agency=Subquery(last)).annotate(is_read=read)


def conversations_filtered(
    queryset: QuerySet[Conversation], filters: ConversationFilter, user: User, *, for_agency: bool = False
) -> "QuerySet[ConversationWithUnread]":
    conditions = Q()
    if filters.kind:
        conditions &= Q(current_type=filters.kind)
    if filters.since:
        conditions &= Q(last_message_at__gte=_aware(filters.since))
    if filters.until:
        conditions &= Q(last_message_at__lte=_aware(filters.until, end=True))
    if filters.awaiting_us:
        conditions &= Q(awaiting_body=True)
    if filters.overdue:
        conditions &= Q(awaiting_body=True, due_at__lt=timezone.now())
    for word in filters.query.lower().split()[:5]:
        conditions &= Q(search_text__contains=word)
    unread = with_unread(queryset.filter(conditions), user, for_agency=for_agency)
    if filters.unread:
        unread = unread.filter(is_read=False)
    sort = filters.sort if filters.sort.lstrip("-") in SORTS else DEFAULT_SORT
    field = SORTS[sort.lstrip("-")]
    order = f"-{field}" if sort.startswith("-") else field
    return unread.order_by(order, "-id" if sort.startswith("-") else "id")


def conversations_of(organisation: Organisation) -> QuerySet[Conversation]:
    return Conversation.objects.filter(organisation=organisation)


def conversations_for_agency() -> QuerySet[Conversation]:
    return Conversation.objects.select_related("organisation", "organisation__kind")


def conversation_kinds(queryset: QuerySet[Conversation]) -> list[str]:
    return sorted(set(queryset.values_list("current_type", flat=True).distinct()))


def messages_of(conversation: Conversation) -> QuerySet[Message]:
    """Oldest first, with sender body, author and attachments in a fixed number of queries."""
    return (
        conversation.messages.select_related("sender", "sender__kind", "sent_entry", "delivered_entry")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.select_related("blob")))
        .order_by("sent_at", "id")
    )


def reply_drafts_of(conversation: Conversation) -> list[ReplyDraft]:
    """The body's reply drafts in this conversation, oldest first, with their files (for the body's clerks only)."""
    return list(
        conversation.reply_drafts.prefetch_related(
            Prefetch("attachments", queryset=DraftAttachment.objects.select_related("blob"))
        )
    )


def unread_count(user: User, organisation: Organisation) -> int:
    return with_unread(conversations_of(organisation), user).filter(is_read=False).count()


def circular_progress(circular: Circular) -> dict[str, object]:
    percent = 100 if circular.total == 0 else int(circular.done * 100 / circular.total)
    return {
        "done": circular.done,
        "total": circular.total,
        "percent": percent,
        "status": circular.status,
        "skipped": circular.skipped,
    }


def circular_scan_notices(circular: Circular) -> tuple[ScanNotice | None, list[ScanNotice]]:
    """The file that stopped the circular (None unless it is stopped), and the files found infected after bodies had
    received them. A stopped circular's first notice is its stop: a file found infected earlier would have stopped it
    first."""
    notices = scanwait.notices_for(circular.uri)
    if circular.status == Circular.Status.STOPPED and notices:
        return notices[0], notices[1:]
    return None, notices


def messages_since(*, organisation: Organisation, since: datetime, after: str = "", limit: int = 100) -> list[Message]:
    """A body's messages (both directions) sent at or after `since`, oldest first, `limit` per page; `after` is
    the uuid of the last message of the previous page (keyset: pages never skip or repeat a message)."""
    queryset = Message.objects.filter(conversation__organisation=organisation, sent_at__gte=since)
    if after:
        last = (
            Message.objects.filter(uuid=after, conversation__organisation=organisation).values("sent_at", "pk").first()
        )
        if last is None:
            return []
        queryset = queryset.filter(Q(sent_at__gt=last["sent_at"]) | Q(sent_at=last["sent_at"], pk__gt=last["pk"]))
    return list(
        queryset.select_related("conversation", "sender", "recipient")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.select_related("blob")))
        .order_by("sent_at", "pk")[:limit]
    )


def attachment_by_key(key: UUID | str) -> Attachment | None:
    return Attachment.objects.select_related("blob", "message__conversation__organisation").filter(uuid=key).first()


def message_uri_known(uri: str) -> bool:
    return Message.objects.filter(external_uri=uri).exists()


def conversation_by_uri(organisation: Organisation, uri: str) -> Conversation | None:
    """The body's conversation with this URI (`…/id/conversaties/<uuid>`), or None."""
    import uuid as uuid_lib

    try:
        key = uuid_lib.UUID(uri.rstrip("/").rsplit("/", 1)[-1])
    except ValueError:
        return None
    conversation = Conversation.objects.filter(organisation=organisation, uuid=key).first()
    return (
        conversation
        if conversation is not None and conversation.uri.split("://", 1)[-1] == uri.split("://", 1)[-1]
        else None
    )


def recipients_chosen(*, references: list[str], kind_uri: str, province: str) -> list[Organisation]:
    """The bodies an agency message goes to: those named (URI, KBO number or OVO code, one per line), or else every
    active body of a kind, optionally in one province. Raises a DomainError naming what is unknown or missing."""
    from django.utils.translation import gettext as _

    from loket.core.errors import DomainError
    from loket.organisations.selectors import INACTIVE_STATUS, organisations_by_reference

    if any(reference.strip() for reference in references):
        found, unknown = organisations_by_reference(references)
        if unknown:
            raise DomainError(
                _("Onbekend bestuur: %(list)s. Er werd niets verstuurd.") % {"list": ", ".join(unknown[:10])},
                fields={"besturen": _("Verbeter de aangeduide besturen.")},
            )
    elif kind_uri:
        queryset = Organisation.objects.filter(kind__uri=kind_uri).exclude(status__iexact=INACTIVE_STATUS)
        if province:
            queryset = queryset.filter(province=province)
        found = list(queryset.select_related("kind").order_by("name", "pk"))
    else:
        found = []
    if not found:
        raise DomainError(_("Kies minstens één bestuur."), fields={"besturen": _("Kies minstens één bestuur.")})
    return found
