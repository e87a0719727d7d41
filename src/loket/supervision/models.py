"""Toezicht: decisions and lists that a body sends to its supervisor (inzendingen voor toezicht).

A submission starts as a concept that the clerk edits through the semantic form of its document type; its
editing state is an RDF graph (`source_ttl`). Sending freezes the form data (the triples the applicable fields
cover) as canonical N-Triples, hashes it together with the files' hashes, and writes a ledger entry: from then
on the submission is immutable. A correction is a new submission that `replaces` the old one.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from loket.core.fetch import reason_text
from loket.core.models import AppendOnlyError, AppendOnlyModel


class DocumentType(models.Model):
    """Type dossier: a concept of the code list "Type dossier inzending voor toezicht"."""

    uri = models.CharField(_("URI"), max_length=300, unique=True)
    label = models.CharField(_("naam"), max_length=300)
    definition = models.TextField(_("omschrijving"), blank=True)
    decidable_by = models.JSONField(_("classificaties die dit kunnen beslissen"), default=list, blank=True)
    is_public = models.BooleanField(
        _("publiceren op de publieke beslissingsdatabank"),
        default=False,
        help_text=_("Verstuurde inzendingen van dit type (niet van erediensten) worden open data."),
    )
    is_selectable = models.BooleanField(_("kiesbaar in het Loket"), default=True)

    class Meta:
        verbose_name = _("type dossier")
        verbose_name_plural = _("types dossier")
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class GoverningBody(models.Model):
    """Bestuursorgaan of an organisation (e.g. its Gemeenteraad)."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="governing_bodies",
        verbose_name=_("bestuur"),
    )
    uri = models.CharField(_("URI"), max_length=300, unique=True)
    classification_uri = models.CharField(_("classificatie"), max_length=300)
    label = models.CharField(_("naam"), max_length=200)

    class Meta:
        verbose_name = _("bestuursorgaan")
        verbose_name_plural = _("bestuursorganen")
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "classification_uri"], name="one_organ_per_classification")
        ]

    def __str__(self) -> str:
        return self.label


class Submission(models.Model):
    """Inzending voor toezicht."""

    class Status(models.TextChoices):
        CONCEPT = "concept", _("Concept")
        SENT = "sent", _("Verstuurd")

    # Fields that may still change after sending: delivery, the supervisor's handling, publication.
    MUTABLE_AFTER_SENDING = frozenset(
        {"delivered_at", "delivered_entry", "handled_at", "handled_by", "handled_note", "modified_at"}
    )

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="submissions", verbose_name=_("bestuur")
    )
    document_type = models.ForeignKey(DocumentType, verbose_name=_("type dossier"), on_delete=models.PROTECT)
    governing_body = models.ForeignKey(
        GoverningBody, verbose_name=_("bestuursorgaan"), null=True, blank=True, on_delete=models.PROTECT
    )
    session_date = models.DateField(_("zittingsdatum"), null=True, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.CONCEPT)
    form_version = models.CharField(_("formulierversie"), max_length=120)
    source_ttl = models.TextField(_("formuliergegevens (bewerking)"), blank=True)
    form_data_nt = models.TextField(_("verstuurde formuliergegevens"), blank=True)
    content_hash = models.CharField(_("inhoud (SHA-256)"), max_length=64, blank=True)
    is_public = models.BooleanField(_("publiek"), default=False)
    # Submissions pushed through the vendor API: the decision's URI, the published page, the vendor's URI.
    submitted_resource = models.CharField(_("ingezonden besluit (URI)"), max_length=500, blank=True)
    href = models.URLField(_("gepubliceerde pagina"), max_length=2000, blank=True)
    provided_by = models.CharField(_("ingezonden via software van"), max_length=300, blank=True)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("vervangt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    # A correction the agency opened (submission_reopen): why, and the register entry "reopened" of the original.
    reopen_reason = models.TextField(_("reden van heropening"), blank=True)
    reopened_entry = models.ForeignKey(
        "core.LedgerEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registratie van de heropening"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    modified_at = models.DateTimeField(_("laatst gewijzigd"), db_index=True)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True, db_index=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verstuurd door"),
    )
    sent_entry = models.ForeignKey(
        "core.LedgerEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registratie van de verzending"),
    )
    delivered_at = models.DateTimeField(_("afgeleverd op"), null=True, blank=True)
    delivered_entry = models.ForeignKey(
        "core.LedgerEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registratie van de aflevering"),
    )
    handled_at = models.DateTimeField(_("behandeld op"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("behandeld door"),
    )
    handled_note = models.TextField(_("notitie behandeling"), blank=True)

    class Meta:
        verbose_name = _("inzending")
        verbose_name_plural = _("inzendingen")
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_resource"],
                condition=~models.Q(submitted_resource=""),
                name="unique_submitted_resource",
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "-modified_at", "-id"]),
            models.Index(fields=["organisation", "-sent_at", "-id"], name="submission_org_sent_idx"),
            models.Index(fields=["status", "-sent_at", "-id"]),
            models.Index(fields=["document_type", "-sent_at"]),
            # The supervisor's inbox (sent and delivered, newest first). The included columns let PostgreSQL
            # filter a page's keys on them without reading the table (keyset_page's first query).
            models.Index(
                fields=["-sent_at", "-id"],
                include=["session_date", "handled_at", "document_type", "organisation", "governing_body"],
                condition=models.Q(status="sent", delivered_at__isnull=False),
                name="submission_inbox_idx",
            ),
            models.Index(
                fields=["document_type", "-sent_at", "-id"],
                condition=models.Q(status="sent", delivered_at__isnull=False),
                name="submission_inbox_type_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_type} – {self.organisation}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[override]
        """Sent content is immutable: only delivery, handling and publication fields may still be written. A save of
        only those fields is allowed whatever the stored status, so it needs no read of it (delivery, handling)."""
        update_fields = kwargs.get("update_fields")
        writes_only_mutable = update_fields is not None and set(update_fields) <= self.MUTABLE_AFTER_SENDING
        if self.pk is not None and not writes_only_mutable:
            stored = Submission.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.SENT:
                raise AppendOnlyError("A sent submission cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[override]
        if self.is_sent:
            raise AppendOnlyError("A sent submission cannot be deleted.")
        return super().delete(*args, **kwargs)

    @property
    def uri(self) -> str:
        return f"{settings.LOKET_URI_BASE}/submissions/{self.uuid}"

    @property
    def is_sent(self) -> bool:
        return self.status == self.Status.SENT


class SubmissionFile(models.Model):
    """A decision attached to a submission: an uploaded file, or a link with its cached copy."""

    class Kind(models.TextChoices):
        UPLOAD = "upload", _("bestand")
        LINK = "link", _("link")

    class CacheStatus(models.TextChoices):
        NOT_APPLICABLE = "", _("n.v.t.")
        PENDING = "pending", _("wordt opgehaald")
        DONE = "done", _("opgehaald")
        FAILED = "failed", _("ophalen mislukt")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="files", verbose_name=_("inzending")
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, verbose_name=_("soort"))
    url = models.URLField(_("link"), max_length=2000, blank=True)
    storage_name = models.CharField(max_length=500, blank=True, verbose_name=_("opslagnaam"))
    original_name = models.CharField(_("bestandsnaam"), max_length=255, blank=True)
    size = models.BigIntegerField(default=0, verbose_name=_("grootte (bytes)"))
    sha256 = models.CharField(max_length=64, blank=True, verbose_name=_("SHA-256"))
    content_type = models.CharField(max_length=120, blank=True, verbose_name=_("mediatype"))
    cache_status = models.CharField(
        max_length=8, choices=CacheStatus.choices, default="", blank=True, verbose_name=_("status van de kopie")
    )
    cache_attempts = models.PositiveIntegerField(default=0, verbose_name=_("pogingen om te kopiëren"))
    cache_error = models.CharField(max_length=500, blank=True, verbose_name=_("fout bij het kopiëren"))
    # The same as data (`core.fetch.FetchError.reason`), so a page says it in its own language; empty for a reason
    # worded elsewhere (virus scanner, storage quota) and for copies that failed before it was kept.
    cache_error_reason = models.JSONField(default=dict, blank=True, verbose_name=_("reden van de fout"))
    created_at = models.DateTimeField(verbose_name=_("aangemaakt op"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("bestand")
        verbose_name_plural = _("bestanden")

    def __str__(self) -> str:
        return self.original_name or self.url

    @property
    def cache_error_text(self) -> str:
        """Why the copy failed, in the language of the page."""
        return reason_text(self.cache_error_reason) if self.cache_error_reason else self.cache_error

    @property
    def uri(self) -> str:
        if self.kind == self.Kind.LINK:
            return f"{settings.LOKET_URI_BASE}/remote-files/{self.uuid}"
        return f"{settings.LOKET_URI_BASE}/files/{self.uuid}"


class PublicationFlagChange(AppendOnlyModel):
    """Who changed a document type's publication flag, when (append-only; also in the audit trail)."""

    document_type = models.ForeignKey(DocumentType, on_delete=models.CASCADE, verbose_name=_("type dossier"))
    is_public = models.BooleanField(verbose_name=_("publiek"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name=_("gewijzigd door")
    )
    changed_at = models.DateTimeField(verbose_name=_("gewijzigd op"))

    class Meta:
        verbose_name = _("wijziging van de publicatie")
        verbose_name_plural = _("wijzigingen van de publicatie")

    def __str__(self) -> str:
        return f"{self.document_type} → {self.is_public}"


class SubmissionReceiver(models.Model):
    """A body that sees a sent submission in its supervisor inbox besides the default receivers (shared
    supervision): for worship decisions, the receivers the worship dispatch rules name (the supervising
    municipality or province, the central board, the representative body …). Written only through
    `submission_receivers_replace`; the inbox selector reads it."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="receivers", verbose_name=_("inzending")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="received_submissions",
        verbose_name=_("ontvanger"),
    )
    reason = models.CharField(_("waarom"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ontvanger")
        verbose_name_plural = _("ontvangers")
        constraints = [models.UniqueConstraint(fields=["submission", "organisation"], name="one_receiver_row_per_body")]
        indexes = [models.Index(fields=["organisation", "submission"], name="receiver_org_submission_idx")]

    def __str__(self) -> str:
        return f"{self.organisation} ← {self.submission_id}"
