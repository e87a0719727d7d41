"""BBC-DR: a body's digital financial report (one XML and one XBRL file), its check, and once sent its package and
delivery to ABB's managed file transfer (MFT).

A sent report never changes: the model refuses every change to a sent report except the fields of its packaging
and delivery (`DELIVERY_FIELDS`), and refuses deleting it or its files; the register (ledger) holds the hashes that
were sent, so a change behind the model's back is found by `manage.py ledger verify --content`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from loket.core.ledger_models import LedgerEntry
from loket.organisations.models import Organisation

STATUS_URIS = {
    "concept": "http://data.lblod.info/document-statuses/concept",
    "verstuurd": "http://data.lblod.info/document-statuses/verstuurd",
}


class SentReportChanged(Exception):
    """Code tried to change or delete a sent report (a programming error: services never do)."""


class Report(models.Model):
    class Status(models.TextChoices):
        CONCEPT = "concept", _("Concept")
        SENT = "verstuurd", _("Verstuurd")

    class Check(models.TextChoices):
        NONE = "", _("Nog niet gecontroleerd")
        PENDING = "bezig", _("Wordt gecontroleerd")
        VALID = "in-orde", _("In orde")
        WARNINGS = "waarschuwingen", _("In orde, met waarschuwingen")
        INVALID = "fouten", _("Fouten gevonden")

    class Delivery(models.TextChoices):
        NONE = "", _("—")
        QUEUED = "wachtrij", _("In wachtrij")
        PACKAGED = "verpakt", _("Verpakt")
        DELIVERING = "bezig", _("Bezig met afleveren")
        DELIVERED = "afgeleverd", _("Afgeleverd")
        FAILED = "mislukt", _("Mislukt")
        FAILED_FINAL = "definitief-mislukt", _("Definitief mislukt")

    uuid = models.UUIDField(_("uuid"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("bestuur"), on_delete=models.PROTECT, related_name="bbcdr_reports"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.CONCEPT)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    modified_at = models.DateTimeField(_("bewerkt op"))
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gewijzigd door (gebruiker)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    modified_by_name = models.CharField(_("gewijzigd door"), max_length=300, blank=True)
    # What the files say (read by the check): shown in the lists.
    report_type = models.CharField(_("soort rapport"), max_length=60, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(_("boekjaar"), null=True, blank=True)
    period = models.CharField(_("periode"), max_length=60, blank=True)
    # The check of both files.
    check_status = models.CharField(_("controle"), max_length=16, choices=Check.choices, default=Check.NONE, blank=True)
    check_findings = models.JSONField(_("bevindingen"), default=list, blank=True)
    check_fingerprint = models.CharField(_("vingerafdruk van de controle"), max_length=64, blank=True)
    checked_at = models.DateTimeField(_("gecontroleerd op"), null=True, blank=True)
    # Sending (secure-sending core).
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    sent_by_name = models.CharField(_("verstuurd door"), max_length=300, blank=True)
    content_hash = models.CharField(_("inhoud (SHA-256)"), max_length=64, blank=True)
    sent_entry = models.OneToOneField(
        LedgerEntry,
        verbose_name=_("registratie van verzending"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivered_entry = models.OneToOneField(
        LedgerEntry,
        verbose_name=_("registratie van aflevering"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A correction the agency opened (report_reopen): the sent report it replaces, why, and the register entry
    # "reopened" of that report. The sent report itself never changes.
    replaces = models.ForeignKey(
        "self", verbose_name=_("vervangt"), null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    reopen_reason = models.TextField(_("reden van heropening"), blank=True)
    reopened_entry = models.ForeignKey(
        LedgerEntry,
        verbose_name=_("registratie van de heropening"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Packaging and delivery (worker).
    delivery_status = models.CharField(
        _("aflevering"), max_length=20, choices=Delivery.choices, default=Delivery.NONE, blank=True
    )
    delivery_attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(_("volgende poging"), null=True, blank=True)
    delivery_started_at = models.DateTimeField(_("aflevering begonnen op"), null=True, blank=True)
    # Renewed while the upload makes progress: "bezig" with no sign of life for a task lease is taken over.
    delivery_alive_at = models.DateTimeField(_("aflevering laatst gevorderd op"), null=True, blank=True)
    delivery_error = models.TextField(_("laatste fout"), blank=True)
    delivered_at = models.DateTimeField(_("afgeleverd op"), null=True, blank=True)
    delivery_target = models.CharField(_("bestemming"), max_length=300, blank=True)
    package_name = models.CharField(_("pakket"), max_length=200, blank=True)
    package_storage_name = models.CharField(_("pakket (opslag)"), max_length=300, blank=True)
    package_sha256 = models.CharField(_("pakket (SHA-256)"), max_length=64, blank=True)
    package_size = models.PositiveBigIntegerField(_("pakket (grootte)"), null=True, blank=True)
    packaged_at = models.DateTimeField(_("verpakt op"), null=True, blank=True)

    DELIVERY_FIELDS = frozenset(
        {
            "delivered_entry",
            "delivery_status",
            "delivery_attempts",
            "next_attempt_at",
            "delivery_started_at",
            "delivery_alive_at",
            "delivery_error",
            "delivered_at",
            "delivery_target",
            "package_name",
            "package_storage_name",
            "package_sha256",
            "package_size",
            "packaged_at",
        }
    )

    class Meta:
        verbose_name = _("BBC-DR-rapport")
        verbose_name_plural = _("BBC-DR-rapporten")
        ordering = ["-modified_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-modified_at", "-id"], name="bbcdr_org_modified"),
            models.Index(fields=["delivery_status", "next_attempt_at"], name="bbcdr_delivery"),
            models.Index(fields=["-sent_at", "-id"], name="bbcdr_sent"),
        ]

    def __str__(self) -> str:
        return f"BBC-DR {self.uuid}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self.pk is not None:
            stored = Report.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            update_fields = kwargs.get("update_fields")
            if stored == self.Status.SENT and (update_fields is None or not set(update_fields) <= self.DELIVERY_FIELDS):
                raise SentReportChanged(f"Report {self.uuid} is sent: only its delivery may change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Report.objects.filter(pk=self.pk, status=self.Status.SENT).exists():
            raise SentReportChanged(f"Report {self.uuid} is sent: it cannot be deleted.")
        return super().delete(*args, **kwargs)

    @property
    def uri(self) -> str:
        return f"{settings.LOKET_URI_BASE}/bbcdr-reports/{self.uuid}"

    @property
    def status_uri(self) -> str:
        return STATUS_URIS[self.status]

    @property
    def is_sent(self) -> bool:
        return self.status == self.Status.SENT


class ReportFile(models.Model):
    class Kind(models.TextChoices):
        XML = "xml", _("XML")
        XBRL = "xbrl", _("XBRL")

    uuid = models.UUIDField(_("uuid"), default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, verbose_name=_("rapport"), on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("soort"), max_length=4, choices=Kind.choices)
    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    storage_name = models.CharField(_("opslag"), max_length=300)
    size = models.PositiveBigIntegerField(_("grootte"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    root_element = models.CharField(_("hoofdelement"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(_("opgeladen op"), auto_now_add=True)
    uploaded_by_name = models.CharField(_("opgeladen door"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("BBC-DR-bestand")
        verbose_name_plural = _("BBC-DR-bestanden")
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["report", "kind"], name="bbcdr_one_file_per_kind")]

    def __str__(self) -> str:
        return self.file_name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self.report_id is not None and self._report_is_sent():
            raise SentReportChanged(f"Report {self.report_id} is sent: its files cannot change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self._report_is_sent():
            raise SentReportChanged(f"Report {self.report_id} is sent: its files cannot be deleted.")
        return super().delete(*args, **kwargs)

    @property
    def uri(self) -> str:
        return f"{settings.LOKET_URI_BASE}/files/{self.uuid}"

    def _report_is_sent(self) -> bool:
        return Report.objects.filter(pk=self.report_id, status=Report.Status.SENT).exists()
