"""Writes of the Berichtencentrum: the agency starts conversations (one body, or many at once as a circular), a
body replies with attachments through the secure-sending core, users mark what they read, bodies set their
notification addresses. Every write is audited in its own transaction; mails and circular work go to the worker
on commit."""

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core import scanwait
from loket.core.audit import audit_record
from loket.core.errors import ConflictError, DomainError
from loket.core.files import DOCX, GIF, JPEG, ODT, PDF, PNG, XLSX, FileRejected, format_size_nl, store_upload
from loket.core.ledger import SentFile, ledger_append
from loket.core.quota import Uploader, quota_refund
from loket.core.scanwait_models import PendingScan
from loket.messaging.models import (
    KNOWN_TYPES,
    TYPE_REPLY,
    Attachment,
    Circular,
    Conversation,
    DraftAttachment,
    Message,
    NotificationSetting,
    ReadMark,
    StoredBlob,
    due_date,
)
from loket.messaging.terms import term_from_input
from loket.organisations.models import Organisation, OrganisationKind

ATTACHMENT_TYPES = frozenset({PDF, ODT, DOCX, XLSX, PNG, JPEG, GIF})


def is_agency(organisation: Organisation | None) -> bool:
    kind = organisation.kind if organisation is not None and organisation.kind_id else None
    return bool(kind and kind.category == OrganisationKind.Category.AGENCY)


def agency_organisation() -> Organisation:
    agency = Organisation.objects.filter(kind__category=OrganisationKind.Category.AGENCY).order_by("pk").first()
    if agency is None:
        raise DomainError(_("Er is geen agentschap gekend in het Loket."), code="no_agency")
    return agency


def actor_name(actor: Any) -> str:
    if getattr(actor, "is_authenticated", False):
        return actor.get_full_name() or actor.get_username()
    return ""


# Attachments ------------------------------------------------------------------------------------------------------


def attachment_store(*, uploaded_file: File, uploader: Uploader) -> tuple[StoredBlob, str]:
    """Check one uploaded attachment (type from its bytes, size limits from settings, the sender's storage quota)
    and keep its bytes once. Returns the blob and the file name to show. Raises FileRejected with nothing stored."""
    minimum = settings.LOKET_MESSAGE_ATTACHMENT_MIN_BYTES
    if uploaded_file.size is not None and uploaded_file.size < minimum:
        raise FileRejected(
            _("Het bestand %(name)s is te klein (minstens %(size)s).")
            % {"name": uploaded_file.name, "size": format_size_nl(minimum)}
        )
    stored = store_upload(
        uploaded_file,
        allowed=ATTACHMENT_TYPES,
        max_bytes=settings.LOKET_MESSAGE_ATTACHMENT_MAX_BYTES,
        prefix="berichten",
        uploader=uploader,
    )
    blob = StoredBlob.objects.filter(sha256=stored.sha256).first()
    if blob is not None:  # the same bytes are already kept: one copy goes
        if stored.waits_for_scan or not _keep_scanned_copy(blob, stored.name):
            scanwait.forget(stored.name)
            default_storage.delete(stored.name)
    else:
        try:
            with transaction.atomic():
                blob = StoredBlob.objects.create(
                    sha256=stored.sha256, storage_name=stored.name, size=stored.size, content_type=stored.content_type
                )
        except IntegrityError:
            scanwait.forget(stored.name)
            default_storage.delete(stored.name)
            blob = StoredBlob.objects.get(sha256=stored.sha256)
    return blob, stored.original_name or "bijlage"


def _keep_scanned_copy(blob: StoredBlob, scanned_name: str) -> bool:
    """These bytes are kept once (`blob`); when the kept copy still waits for the virus scan and a new upload of them
    was just scanned clean, the blob keeps the scanned copy and the waiting one goes with its scan: every message and
    draft holding these bytes can be opened and sent now. False (nothing changed) when the kept copy no longer waits.
    The waiting row is locked first, as the scan does (`scanwait._remove`)."""
    with transaction.atomic():
        waiting = PendingScan.objects.select_for_update().filter(storage_name=blob.storage_name).first()
        if waiting is None or not StoredBlob.objects.filter(pk=blob.pk, storage_name=blob.storage_name).update(
            storage_name=scanned_name
        ):
            return False
        waiting.delete()
    old_name, blob.storage_name = blob.storage_name, scanned_name
    transaction.on_commit(lambda: default_storage.delete(old_name))
    return True


def attachments_store(files: Sequence[File], *, uploader: Uploader) -> list[tuple[StoredBlob, str]]:
    """All attachments of one post, or none: a refused file leaves no new bytes behind, and no charge on the quota
    of `uploader` (the body that sends them, and the person)."""
    kept: list[tuple[StoredBlob, str]] = []
    try:
        for uploaded in files:
            kept.append(attachment_store(uploaded_file=uploaded, uploader=uploader))
    except FileRejected:
        _forget_unused([blob for blob, _name in kept])
        raise
    return kept


def _forget_unused(blobs: list[StoredBlob]) -> None:
    for blob in blobs:
        if not blob_in_use(blob):
            scanwait.forget(blob.storage_name)
            quota_refund([blob.storage_name])
            default_storage.delete(blob.storage_name)
            blob.delete()


def blob_in_use(blob: StoredBlob) -> bool:
    """Whether a message, a reply draft or a circular the worker has not finished still carries these bytes. A
    circular names its files by id until the worker makes its messages (no Attachment row yet): without it, a
    refused post with the same bytes would delete the file a queued circular is about to send."""
    if Attachment.objects.filter(blob=blob).exists() or DraftAttachment.objects.filter(blob=blob).exists():
        return True
    unfinished = Circular.objects.filter(status__in=Circular.UNFINISHED).values_list("blob_ids", flat=True)
    return any(blob.pk in (ids or []) for ids in unfinished)


def attachments_discard(blobs: Sequence[tuple[StoredBlob, str]]) -> None:
    """A post that was refused after its attachments were kept (a reply with a file that waits for the virus scan,
    a text too long): the new bytes no message uses go again."""
    _forget_unused([blob for blob, _name in blobs])


def attachment_remove_infected(storage_name: str) -> list[str]:
    """Bytes that waited for the virus scan were infected: off every message and reply draft that carries them
    (sent replies never do: `ledger_append` refuses to send them), and every circular still to send them stops; the
    scan deletes the bytes and leaves a notice on each conversation, each circular (for the agency: one it stopped,
    or one that had already stopped or reached every body and whose bodies lose the file now) and each draft (shown
    with the draft only: the agency never learns of a draft)."""
    owners = []
    for blob in StoredBlob.objects.filter(storage_name=storage_name):
        owners += _circulars_stop(blob)  # first: a batch writing its messages is waited for, they lose the file too
        conversations = [
            attachment.message.conversation
            for attachment in Attachment.objects.filter(blob=blob).select_related("message__conversation")
        ]
        owners += [conversation.uri for conversation in conversations]
        owners += _circulars_ended_with(blob, {c.circular_id for c in conversations if c.circular_id is not None})
        drafted = DraftAttachment.objects.filter(blob=blob).select_related("draft")
        owners += [item.draft.uri for item in drafted]
        Attachment.objects.filter(blob=blob).delete()
        drafted.delete()
        blob.delete()
    return list(dict.fromkeys(owners))


def _circulars_ended_with(blob: StoredBlob, circular_ids: set[int]) -> list[str]:
    """The circulars among `circular_ids` the worker has finished with (klaar, or gestopt by another infected file
    after reaching some bodies) that announced these bytes: their bodies' conversations lose the file, and the
    agency, which sees the circular and not each conversation, is told on the circular."""
    ended = Circular.objects.filter(pk__in=circular_ids).exclude(status__in=Circular.UNFINISHED)
    return [circular.uri for circular in ended.only("uuid", "blob_ids") if blob.pk in (circular.blob_ids or [])]


def _circulars_stop(blob: StoredBlob) -> list[str]:
    """A circular never goes out without a file it announced: each one the worker has not finished that names these
    bytes stops for good (the bodies it reached keep their conversation). Locked, so that a batch of its messages
    is either committed (and loses the file with every other message) or sees the circular stopped."""
    naming = [
        pk
        for pk, ids in Circular.objects.filter(status__in=Circular.UNFINISHED).values_list("pk", "blob_ids")
        if blob.pk in (ids or [])
    ]
    stopped = []
    for circular in Circular.objects.select_for_update().filter(pk__in=naming, status__in=Circular.UNFINISHED):
        Circular.objects.filter(pk=circular.pk).update(status=Circular.Status.STOPPED)
        audit_record(
            action="message.circular_stopped",
            circular=str(circular.uuid),
            dossier=circular.dossier_number,
            file=circular.file_names[circular.blob_ids.index(blob.pk)],
            sha256=blob.sha256,
            done=circular.done,
            total=circular.total,
        )
        _forget_unused_on_commit([pk for pk in circular.blob_ids if pk != blob.pk])  # its other files, if unused
        stopped.append(circular.uri)
    return stopped


def _forget_unused_on_commit(blob_ids: list[int]) -> None:
    transaction.on_commit(lambda: _forget_unused(list(StoredBlob.objects.filter(pk__in=blob_ids))))


# Starting conversations -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConversationDraft:
    dossier_number: str
    subject: str
    kind: str
    reaction_term: str = "P30D"
    text: str = ""
    handler_email: str = ""


def _checked_draft(draft: ConversationDraft) -> ConversationDraft:
    fields = {}
    if not draft.dossier_number.strip():
        fields["dossier_number"] = _("Vul het dossiernummer in.")
    if not draft.subject.strip():
        fields["subject"] = _("Vul in waarover het gaat.")
    if not draft.kind.strip():
        fields["kind"] = _("Kies of vul het type communicatie in.")
    term = term_from_input(draft.reaction_term)
    if term is None:
        fields["reaction_term"] = _("Geef de reactietermijn als een aantal dagen, bv. 30.")
    if draft.handler_email:
        try:
            validate_email(draft.handler_email)
        except ValidationError:
            fields["handler_email"] = _("Dit is geen geldig e-mailadres.")
    if fields:
        raise DomainError(_("Het bericht is niet volledig: verbeter de aangeduide velden."), fields=fields)
    return ConversationDraft(
        dossier_number=draft.dossier_number.strip()[:100],
        subject=draft.subject.strip()[:500],
        kind=draft.kind.strip()[:200],
        reaction_term=term or "",
        text=draft.text.strip(),
        handler_email=draft.handler_email.strip(),
    )


def _agency_message(
    *,
    conversation: Conversation,
    agency: Organisation,
    actor: Any,
    author_name: str,
    kind: str,
    text: str,
    blobs: Sequence[tuple[StoredBlob, str]],
    at: Any,
    external_uri: str | None = None,
) -> Message:
    message = Message.objects.create(
        conversation=conversation,
        external_uri=external_uri,
        sender=agency,
        recipient=conversation.organisation,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        author_name=author_name,
        kind=kind,
        text=text,
        sent_at=at,
        received_at=at,
        from_agency=True,
    )
    Attachment.objects.bulk_create([Attachment(message=message, blob=blob, file_name=name) for blob, name in blobs])
    conversation.current_type = kind
    conversation.last_message_at = at
    conversation.last_sender_name = agency.name
    conversation.awaiting_body = True
    conversation.save(update_fields=["current_type", "last_message_at", "last_sender_name", "awaiting_body"])
    from loket.messaging.notifications import notify_body_of

    notify_body_of(message)
    return message


def _open_conversation(
    *, organisation: Organisation, draft: ConversationDraft, actor: Any, at: Any, circular: Circular | None = None
) -> Conversation:
    return Conversation.objects.create(
        organisation=organisation,
        dossier_number=draft.dossier_number,
        subject=draft.subject,
        current_type=draft.kind,
        reaction_term=draft.reaction_term,
        started_at=at,
        due_at=due_date(at, draft.reaction_term),
        handler=actor if getattr(actor, "is_authenticated", False) else None,
        handler_email=draft.handler_email or (getattr(actor, "email", "") or ""),
        circular=circular,
        search_text=f"{draft.subject} {draft.dossier_number}".lower()[:700],
    )


@transaction.atomic
def conversation_start(
    *,
    actor: Any,
    organisation: Organisation,
    draft: ConversationDraft,
    blobs: Sequence[tuple[StoredBlob, str]],
    external_uri: str | None = None,
    author_name: str = "",
) -> Conversation:
    """The agency starts a conversation with one body: a dossier number new for that body, and a first message
    with at least one attachment."""
    draft = _checked_draft(draft)
    if not blobs:
        raise DomainError(_("Voeg minstens één bijlage toe."), fields={"files": _("Voeg minstens één bijlage toe.")})
    if is_agency(organisation):
        raise DomainError(_("Een conversatie is met een lokaal bestuur, niet met het agentschap zelf."))
    if Conversation.objects.filter(organisation=organisation, dossier_number=draft.dossier_number).exists():
        raise ConflictError(
            _("Dit bestuur heeft al een conversatie met dossiernummer %(nr)s.") % {"nr": draft.dossier_number},
            fields={"dossier_number": _("Dit dossiernummer bestaat al voor dit bestuur.")},
        )
    at = timezone.now()
    agency = agency_organisation()
    conversation = _open_conversation(organisation=organisation, draft=draft, actor=actor, at=at)
    message = _agency_message(
        conversation=conversation,
        agency=agency,
        actor=actor,
        author_name=author_name or actor_name(actor),
        kind=draft.kind,
        text=draft.text,
        blobs=blobs,
        at=at,
        external_uri=external_uri,
    )
    audit_record(
        action="message.conversation_started",
        actor=actor,
        organisation=organisation,
        conversation=conversation.uri,
        dossier=draft.dossier_number,
        message=message.uri,
    )
    return conversation


@transaction.atomic
def agency_message_add(
    *,
    actor: Any,
    conversation: Conversation,
    kind: str,
    text: str,
    blobs: Sequence[tuple[StoredBlob, str]],
    external_uri: str | None = None,
    author_name: str = "",
) -> Message:
    """A new agency message in an existing conversation (from a page or the case system)."""
    if not blobs:
        raise DomainError(_("Voeg minstens één bijlage toe."), fields={"files": _("Voeg minstens één bijlage toe.")})
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    message = _agency_message(
        conversation=locked,
        agency=agency_organisation(),
        actor=actor,
        author_name=author_name or actor_name(actor),
        kind=(kind or locked.current_type).strip()[:200],
        text=text.strip(),
        blobs=blobs,
        at=timezone.now(),
        external_uri=external_uri,
    )
    audit_record(
        action="message.agency_sent",
        actor=actor,
        organisation=locked.organisation,
        conversation=locked.uri,
        message=message.uri,
    )
    return message


@transaction.atomic
def circular_start(
    *,
    actor: Any,
    organisations: Sequence[Organisation],
    draft: ConversationDraft,
    blobs: Sequence[tuple[StoredBlob, str]],
) -> Circular:
    """One action that starts the same conversation with many bodies; the worker creates them (progress shown)."""
    from loket.messaging.tasks import run_circular

    draft = _checked_draft(draft)
    if not blobs:
        raise DomainError(_("Voeg minstens één bijlage toe."), fields={"files": _("Voeg minstens één bijlage toe.")})
    recipients = [org.pk for org in organisations if not is_agency(org)]
    if not recipients:
        raise DomainError(_("Kies minstens één bestuur."), fields={"recipients": _("Kies minstens één bestuur.")})
    circular = Circular.objects.create(
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_by_name=actor_name(actor),
        created_at=timezone.now(),
        dossier_number=draft.dossier_number,
        subject=draft.subject,
        kind=draft.kind,
        reaction_term=draft.reaction_term,
        text=draft.text,
        handler_email=draft.handler_email or (getattr(actor, "email", "") or ""),
        recipient_ids=recipients,
        blob_ids=[blob.pk for blob, _name in blobs],
        file_names=[name for _blob, name in blobs],
        total=len(recipients),
    )
    audit_record(
        action="message.circular_started",
        actor=actor,
        circular=str(circular.uuid),
        dossier=draft.dossier_number,
        count=len(recipients),
    )
    run_circular.enqueue(circular_id=circular.pk)  # the queue row commits with the circular
    return circular


CIRCULAR_BATCH = 50


def circular_run(*, circular_id: int) -> Circular:
    """Create the circular's conversations in batches, each batch one transaction; a restarted run continues
    where the last committed batch ended (bodies that already have the dossier are skipped)."""
    Circular.objects.filter(pk=circular_id, status=Circular.Status.QUEUED).update(status=Circular.Status.RUNNING)
    circular = Circular.objects.get(pk=circular_id)
    if circular.status != Circular.Status.RUNNING:  # done, or stopped (a file was infected)
        return circular
    ids = list(circular.recipient_ids)
    blobs_by_id = StoredBlob.objects.in_bulk(circular.blob_ids)  # an infected one is gone: its batch sees the stop
    blobs = [
        (blobs_by_id[pk], name)
        for pk, name in zip(circular.blob_ids, circular.file_names, strict=True)
        if pk in blobs_by_id
    ]
    draft = ConversationDraft(
        dossier_number=circular.dossier_number,
        subject=circular.subject,
        kind=circular.kind,
        reaction_term=circular.reaction_term,
        text=circular.text,
        handler_email=circular.handler_email,
    )
    agency = agency_organisation()
    for start in range(0, len(ids), CIRCULAR_BATCH):
        if not _circular_batch(circular, ids[start : start + CIRCULAR_BATCH], draft, blobs, agency):
            break
    else:
        Circular.objects.filter(pk=circular_id, status=Circular.Status.RUNNING).update(
            status=Circular.Status.DONE, done=len(ids)
        )
    circular.refresh_from_db()
    return circular


@transaction.atomic
def _circular_batch(
    circular: Circular,
    ids: list[int],
    draft: ConversationDraft,
    blobs: list[tuple[StoredBlob, str]],
    agency: Organisation,
) -> bool:
    """One batch of the circular's conversations; False (nothing written) once the circular was stopped."""
    if not Circular.objects.select_for_update().filter(pk=circular.pk, status=Circular.Status.RUNNING).exists():
        return False
    existing = set(
        Conversation.objects.filter(organisation_id__in=ids, dossier_number=draft.dossier_number).values_list(
            "organisation_id", flat=True
        )
    )
    organisations = Organisation.objects.in_bulk(ids)
    skipped = []
    for pk in ids:
        organisation = organisations.get(pk)
        if organisation is None:
            continue
        if pk in existing:
            if not Conversation.objects.filter(
                organisation_id=pk, dossier_number=draft.dossier_number, circular=circular
            ).exists():
                skipped.append([organisation.name, "dossiernummer bestaat al"])
            continue
        at = timezone.now()
        conversation = _open_conversation(
            organisation=organisation, draft=draft, actor=circular.created_by, at=at, circular=circular
        )
        _agency_message(
            conversation=conversation,
            agency=agency,
            actor=circular.created_by,
            author_name=circular.created_by_name,
            kind=draft.kind,
            text=draft.text,
            blobs=blobs,
            at=at,
        )
    done = ids[-1]
    position = circular.recipient_ids.index(done) + 1
    Circular.objects.filter(pk=circular.pk).update(done=position)
    if skipped:
        circular.refresh_from_db(fields=["skipped"])
        Circular.objects.filter(pk=circular.pk).update(skipped=[*circular.skipped, *skipped])
    return True


# Replies ------------------------------------------------------------------------------------------------------


def reply_content_hash(text: str, attachment_hashes: Sequence[str]) -> str:
    """What a reply's ledger entry covers: its text and its attachments' SHA-256, in order."""
    canonical = json.dumps({"text": text, "files": list(attachment_hashes)}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def reply_text_checked(*, text: str, blobs: Sequence[tuple[StoredBlob, str]]) -> str:
    """What every reply needs, sent or kept as a draft: at least one attachment, a text that is not too long."""
    if not blobs:
        raise DomainError(
            _("Voeg minstens één bijlage toe: een reactie bestaat uit bijlagen."),
            fields={"files": _("Voeg minstens één bijlage toe.")},
        )
    text = (text or "").strip()
    if len(text) > settings.LOKET_MESSAGE_TEXT_MAX:
        raise DomainError(
            _("De begeleidende tekst is te lang (hoogstens %(n)s tekens).") % {"n": settings.LOKET_MESSAGE_TEXT_MAX},
            fields={"text": _("Te lang.")},
        )
    return text


@transaction.atomic
def message_reply(
    *,
    actor: Any,
    conversation: Conversation,
    text: str,
    blobs: Sequence[tuple[StoredBlob, str]],
    actor_label: str | None = None,
    external_uri: str | None = None,
    kind: str = TYPE_REPLY,
    draft_uri: str | None = None,
) -> Message:
    """A body's reply to the agency: at least one attachment, an optional short text, type "Reactie". Sent through
    the secure-sending core: a ledger entry in this transaction, delivery to the agency as a second entry. Refused
    (ScanPending) while one of the files waits for the virus scan; `draft_uri` names the reply draft it sends."""
    from loket.messaging.tasks import deliver_reply

    text = reply_text_checked(text=text, blobs=blobs)
    locked = Conversation.objects.select_for_update().select_related("organisation").get(pk=conversation.pk)
    hashes = [blob.sha256 for blob, _name in blobs]
    content_hash = reply_content_hash(text, hashes)
    sender_name = actor_label or actor_name(actor)
    message_uuid = uuid.uuid4()
    message_uri = external_uri or f"{settings.LOKET_URI_BASE}/id/berichten/{message_uuid}"
    attachments = [(uuid.uuid4(), blob, name) for blob, name in blobs]
    entry = ledger_append(
        kind="sent",
        subject_uri=message_uri,
        organisation_uri=locked.organisation.uri,
        actor_label=sender_name,
        content_hash=content_hash,
        payload={
            "module": "berichtencentrum",
            "conversation": locked.uri,
            "dossier": locked.dossier_number,
            "type": kind,
            "files": sorted(f"{settings.LOKET_URI_BASE}/files/{key} {blob.sha256}" for key, blob, _n in attachments),
        },
        stored_files=[SentFile(blob.storage_name, name, blob.sha256) for blob, name in blobs],
    )
    message = Message.objects.create(
        uuid=message_uuid,
        external_uri=external_uri,
        conversation=locked,
        sender=locked.organisation,
        recipient=agency_organisation(),
        author=actor if getattr(actor, "is_authenticated", False) else None,
        author_name=sender_name,
        kind=kind,
        text=text,
        sent_at=entry.recorded_at,
        from_agency=False,
        content_hash=content_hash,
        sent_entry=entry,
    )
    Attachment.objects.bulk_create(
        [Attachment(uuid=key, message=message, blob=blob, file_name=name) for key, blob, name in attachments]
    )
    locked.last_message_at = entry.recorded_at
    locked.last_sender_name = locked.organisation.name
    locked.awaiting_body = False
    locked.save(update_fields=["last_message_at", "last_sender_name", "awaiting_body"])
    audit_record(
        action="message.reply_sent",
        actor=actor,
        organisation=locked.organisation,
        conversation=locked.uri,
        message=message.uri,
        content_hash=content_hash,
        ledger_position=entry.position,
        **({"draft": draft_uri} if draft_uri else {}),
        **({"actor_label": actor_label} if actor_label and not getattr(actor, "is_authenticated", False) else {}),
    )
    deliver_reply.enqueue(message_id=message.pk)  # the queue row commits with the reply
    return message


@transaction.atomic
def reply_deliver(*, message_id: int) -> Message:
    """The agency's side receives a reply: the second ledger entry (delivery time on the receipt), once."""
    message = Message.objects.select_for_update().select_related("conversation__organisation").get(pk=message_id)
    if message.from_agency or message.delivered_entry_id:
        return message
    entry = ledger_append(
        kind="delivered",
        subject_uri=message.uri,
        organisation_uri=message.conversation.organisation.uri,
        actor_label="Loket",
        content_hash=message.content_hash,
        payload={"module": "berichtencentrum", "sent_position": message.sent_entry.position},  # type: ignore[union-attr]
        stored_files=(),  # not a send
    )
    message.delivered_entry = entry
    message.received_at = entry.recorded_at
    message.save(update_fields=["delivered_entry", "received_at"])
    from loket.messaging.notifications import notify_handler_of

    notify_handler_of(message)
    return message


# Reading and settings ---------------------------------------------------------------------------------------------


def conversation_mark_read(*, user: Any, conversation: Conversation) -> None:
    ReadMark.objects.update_or_create(user=user, conversation=conversation, defaults={"read_at": timezone.now()})


def parse_addresses(text: str) -> list[str]:
    """Addresses separated by commas, semicolons or new lines; each one must be valid (named when it is not)."""
    parts = [part.strip() for part in text.replace(";", ",").replace("\n", ",").split(",")]
    addresses: list[str] = []
    bad: list[str] = []
    for part in parts:
        if not part:
            continue
        try:
            validate_email(part)
        except ValidationError:
            bad.append(part)
        else:
            if part.lower() not in {a.lower() for a in addresses}:
                addresses.append(part)
    if bad:
        raise DomainError(
            _("Geen geldig e-mailadres: %(bad)s. Er werd niets bewaard.") % {"bad": ", ".join(bad)},
            fields={"addresses": _("Verbeter de aangeduide adressen.")},
        )
    return addresses


@transaction.atomic
def notification_setting_update(
    *, actor: Any, organisation: Organisation, is_enabled: bool, addresses_text: str
) -> NotificationSetting:
    addresses = parse_addresses(addresses_text)
    if is_enabled and not addresses:
        raise DomainError(
            _("Geef minstens één e-mailadres om mails te ontvangen."),
            fields={"addresses": _("Geef minstens één e-mailadres.")},
        )
    setting = NotificationSetting.objects.select_for_update().filter(organisation=organisation).first()
    before = {"is_enabled": setting.is_enabled, "addresses": list(setting.addresses)} if setting else None
    if before == {"is_enabled": is_enabled, "addresses": addresses} or (
        setting is None and not is_enabled and not addresses
    ):
        return setting or NotificationSetting(organisation=organisation)  # nothing changes: nothing written
    setting = setting or NotificationSetting(organisation=organisation)
    setting.is_enabled, setting.addresses = is_enabled, addresses
    setting.save()
    audit_record(
        action="message.notifications_changed",
        actor=actor,
        organisation=organisation,
        before=before,
        after={"is_enabled": is_enabled, "addresses": addresses},
    )
    return setting


def known_types() -> list[str]:
    return list(KNOWN_TYPES)


# The agency's case system ---------------------------------------------------------------------------------------


def agency_message_put(
    *,
    organisation: Organisation,
    external_uri: str,
    draft: ConversationDraft,
    files: Sequence[File],
    author_name: str = "",
) -> tuple[Message, bool]:
    """One agency message from the case system, idempotent by its URI: (the message, whether it is new). A dossier
    number the body already has adds the message to that conversation; a new one starts a conversation."""
    existing = Message.objects.filter(external_uri=external_uri).first()
    if existing is not None:
        return existing, False
    blobs = attachments_store(files, uploader=Uploader(agency_organisation()))
    try:
        with transaction.atomic():
            conversation = Conversation.objects.filter(
                organisation=organisation, dossier_number=draft.dossier_number.strip()
            ).first()
            if conversation is None:
                started = conversation_start(
                    actor=None,
                    organisation=organisation,
                    draft=draft,
                    blobs=blobs,
                    external_uri=external_uri,
                    author_name=author_name,
                )
                return started.messages.get(), True
            message = agency_message_add(
                actor=None,
                conversation=conversation,
                kind=draft.kind,
                text=draft.text,
                blobs=blobs,
                external_uri=external_uri,
                author_name=author_name,
            )
            return message, True
    except IntegrityError:  # put twice at once: the other request stored it (or the same new dossier)
        existing = Message.objects.filter(external_uri=external_uri).first()
        if existing is None:
            raise ConflictError(_("Dit dossier werd net gelijktijdig aangemaakt; stuur het bericht opnieuw.")) from None
        return existing, False


@transaction.atomic
def replies_collect(*, uris: Sequence[str]) -> int:
    """Mark the bodies' replies the case system collected (by their URIs); returns how many were new to it."""
    wanted = set(uris)
    keys = []
    for uri in wanted:
        try:
            keys.append(uuid.UUID(uri.rstrip("/").rsplit("/", 1)[-1]))
        except ValueError:
            continue
    candidates = Message.objects.filter(from_agency=False, collected_at__isnull=True).filter(
        Q(external_uri__in=wanted) | Q(uuid__in=keys)
    )
    found = [message.pk for message in candidates if message.uri in wanted]
    Message.objects.filter(pk__in=found).update(collected_at=timezone.now())
    if found:
        audit_record(action="message.case_system_collected", actor=None, actor_label="dossiersysteem", count=len(found))
    return len(found)
