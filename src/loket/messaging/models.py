"""Berichtencentrum: conversations between the agency (ABB) and one local body.

A conversation (conversatie) is one agency case (dossier) with one body; it holds messages (berichten). Only the
agency starts conversations; a body replies with at least one attachment. A reply is sent through the secure-sending
core: a ledger entry over its text and its attachments' SHA-256, and a signed receipt. Sent messages never change.

An attachment's bytes are stored once (`StoredBlob`, keyed by SHA-256): a circular (omzendbrief) to 319 bodies keeps
one copy of its attachment, linked from 319 messages.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from loket.core.ledger_models import LedgerEntry
from loket.organisations.models import Organisation

TYPE_NOTIFICATION = "Kennisgeving toezichtsbeslissing"
TYPE_REQUEST = "Opvraging"
TYPE_CIRCULAR = "Omzendbrief"
TYPE_REPLY = "Reactie"
KNOWN_TYPES = [TYPE_NOTIFICATION, TYPE_REQUEST, TYPE_CIRCULAR]
# The types are data (the case system and the linked data speak them in Dutch); a page shows a known one in its own
# language, and another type (typed by the agency) as it was written.
TYPE_LABELS = {
    TYPE_NOTIFICATION: _("Kennisgeving toezichtsbeslissing"),
    TYPE_REQUEST: _("Opvraging"),
    TYPE_CIRCULAR: _("Omzendbrief"),
    TYPE_REPLY: _("Reactie"),
}


def type_label(kind: str) -> str:
    """A message's or conversation's type in the language of the page."""
    return str(TYPE_LABELS.get(kind, kind))


class StoredBlob(models.Model):
    """The bytes of one attachment, stored once however many messages carry it."""

    sha256 = models.CharField(max_length=64, unique=True)
    storage_name = models.CharField(max_length=500)
    size = models.BigIntegerField()
    content_type = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.sha256


class Circular(models.Model):
    """Omzendbrief: one action of the agency that starts a conversation with many bodies, run by the worker.

    Queued, then running (batch by batch), then done; or stopped, for good, when a file it announces waited for the
    virus scan and was found infected: it never goes out without that file (the bodies it already reached keep their
    conversation, without the file), and a scan notice on the circular tells the agency; so does one for each file
    found infected after bodies received it (done or stopped), which leaves their conversations."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("in wachtrij")
        RUNNING = "running", _("bezig")
        DONE = "done", _("klaar")
        STOPPED = "stopped", _("gestopt")

    UNFINISHED = (Status.QUEUED, Status.RUNNING)  # the worker still has work on it

    uuid = models.UUIDField(_("uuid"), default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("door")
    )
    created_by_name = models.CharField(_("naam van de afzender"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"))
    dossier_number = models.CharField(_("dossiernummer"), max_length=100)
    subject = models.CharField(_("betreft"), max_length=500)
    kind = models.CharField(_("type communicatie"), max_length=200)
    reaction_term = models.CharField(_("reactietermijn"), max_length=20)
    text = models.TextField(_("tekst"), blank=True)
    recipient_ids = models.JSONField(_("ontvangers"), default=list)
    blob_ids = models.JSONField(_("bijlagen"), default=list)
    file_names = models.JSONField(_("bestandsnamen"), default=list)
    handler_email = models.EmailField(_("e-mail dossierbehandelaar"), blank=True)
    total = models.PositiveIntegerField(_("aantal besturen"), default=0)
    done = models.PositiveIntegerField(_("verwerkt"), default=0)
    skipped = models.JSONField(_("overgeslagen"), default=list)  # [[organisation name, reason], …]
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)

    class Meta:
        verbose_name = _("omzendbrief")
        verbose_name_plural = _("omzendbrieven")

    def __str__(self) -> str:
        return f"{self.dossier_number}: {self.subject}"

    @property
    def uri(self) -> str:
        """Names the circular in the audit trail and on its scan notices; never published."""
        return f"{settings.LOKET_URI_BASE}/id/omzendbrieven/{self.uuid}"


class Conversation(models.Model):
    """Conversatie: one agency dossier with one body."""

    uuid = models.UUIDField(_("uuid"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="conversations", verbose_name=_("bestuur")
    )
    dossier_number = models.CharField(_("dossiernummer"), max_length=100)
    subject = models.CharField(_("betreft"), max_length=500)
    current_type = models.CharField(_("type communicatie"), max_length=200)
    reaction_term = models.CharField(_("reactietermijn"), max_length=20, default="P30D")
    started_at = models.DateTimeField(_("gestart op"))
    due_at = models.DateTimeField(_("te beantwoorden tegen"), null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("dossierbehandelaar"),
    )
    handler_email = models.EmailField(_("e-mail dossierbehandelaar"), blank=True)
    circular = models.ForeignKey(
        Circular, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("omzendbrief")
    )
    last_message_at = models.DateTimeField(_("laatste bericht"), null=True, blank=True)
    last_sender_name = models.CharField(_("laatste bericht van"), max_length=300, blank=True)
    awaiting_body = models.BooleanField(_("wacht op reactie van het bestuur"), default=True)
    search_text = models.CharField(_("zoektekst"), max_length=700, blank=True)  # lower-case subject + number

    class Meta:
        verbose_name = _("conversatie")
        verbose_name_plural = _("conversaties")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "dossier_number"], name="unique_dossier_per_body")
        ]
        indexes = [models.Index(fields=["organisation", "-last_message_at", "-id"], name="conversation_list_idx")]

    def __str__(self) -> str:
        return f"{self.dossier_number}: {self.subject}"

    @property
    def uri(self) -> str:
        return f"{settings.LOKET_URI_BASE}/id/conversaties/{self.uuid}"


class Message(models.Model):
    """Bericht. Immutable once created; a body's reply carries its ledger entry (secure sending)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    external_uri = models.CharField(max_length=500, null=True, blank=True, unique=True)  # case system / vendor
    conversation = models.ForeignKey(Conversation, on_delete=models.PROTECT, related_name="messages")
    sender = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    author_name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(_("type communicatie"), max_length=200)
    text = models.TextField(blank=True)
    sent_at = models.DateTimeField(_("verzonden"))
    received_at = models.DateTimeField(_("aangekomen"), null=True, blank=True)
    from_agency = models.BooleanField(default=False)
    content_hash = models.CharField(max_length=64, blank=True)
    sent_entry = models.ForeignKey(LedgerEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    delivered_entry = models.ForeignKey(LedgerEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    collected_at = models.DateTimeField(null=True, blank=True)  # picked up by the agency's case system

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["from_agency", "collected_at"], name="message_collect_idx")]

    def __str__(self) -> str:
        return f"{self.kind} ({self.sent_at:%Y-%m-%d})"

    @property
    def uri(self) -> str:
        return self.external_uri or f"{settings.LOKET_URI_BASE}/id/berichten/{self.uuid}"


class Attachment(models.Model):
    """Bijlage: one file of one message (its bytes in a shared `StoredBlob`)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="attachments")
    blob = models.ForeignKey(StoredBlob, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=255)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def uri(self) -> str:
        return f"{settings.LOKET_URI_BASE}/files/{self.uuid}"


class ReplyDraft(models.Model):
    """Concept-reactie: a body's reply whose file waited for the virus scan when it was posted (the scanner could
    not be reached), kept instead of refused. It is not a message: only the body's clerks see it, on the
    conversation page, and nothing else (the agency, lists, mails, APIs, open data) knows of it until a clerk sends
    it (`messaging.drafts`); sending makes an ordinary reply and deletes the draft."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    conversation = models.ForeignKey(Conversation, on_delete=models.PROTECT, related_name="reply_drafts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    author_name = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("concept-reactie")
        verbose_name_plural = _("concept-reacties")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.conversation_id} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def uri(self) -> str:
        """Names the draft in the audit trail and on its scan notices; never published."""
        return f"{settings.LOKET_URI_BASE}/id/concept-reacties/{self.uuid}"


class DraftAttachment(models.Model):
    """One file of a reply draft (its bytes in a shared `StoredBlob`, as a message's)."""

    draft = models.ForeignKey(ReplyDraft, on_delete=models.CASCADE, related_name="attachments")
    blob = models.ForeignKey(StoredBlob, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=255)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.file_name


class ReadMark(models.Model):
    """When a user last opened a conversation: unread when a message came after it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="read_marks")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "conversation"], name="one_read_mark")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.conversation_id}"


class NotificationSetting(models.Model):
    """Per body: whether new agency messages are mailed, and to which addresses."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    is_enabled = models.BooleanField(_("ontvang mails bij nieuwe berichten"), default=False)
    addresses = models.JSONField(default=list)

    def __str__(self) -> str:
        return ", ".join(self.addresses)


class Notification(models.Model):
    """One notification mail for one message and one kind of receiver: its existence means it was queued."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    audience = models.CharField(max_length=8)  # "body" or "handler"
    to = models.JSONField(default=list)
    queued_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "audience"], name="one_mail_per_message")]

    def __str__(self) -> str:
        return f"{self.audience}: {self.message_id}"


def due_date(start, term: str):  # type: ignore[no-untyped-def]
    """The due date of an ISO-8601 day/week term (P30D, P2W); None for a term we cannot read."""
    from loket.messaging.terms import term_days

    days = term_days(term)
    return start + timedelta(days=days) if days is not None else None
