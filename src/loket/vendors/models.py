"""Leveranciers (vendors) and the jobs their pushed decisions (automatische meldingen) go through.

A vendor is software that submits decisions for local bodies through the API the real Loket offers
(`POST /melding`): either *meeting software* used beside the Loket (it may act for the bodies listed for it), or
a *platform* such as Religiopoint that replaces the Loket for the bodies it serves (the body's channel decides).
Every accepted melding becomes a `Job` whose tasks (register → download → import → validate → send) run in the
background worker; the job holds the decision's URI until it fails or its submission is deleted, so the same
decision cannot be submitted twice.
"""

import uuid as uuid_lib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Vendor(models.Model):
    """Leverancier: software with API credentials (its key is stored only as an Argon2 hash)."""

    class Kind(models.TextChoices):
        MEETING_SOFTWARE = "meeting_software", _("Vergadersoftware (naast het Loket)")
        PLATFORM = "platform", _("Platform (in plaats van het Loket)")

    uri = models.CharField(_("URI"), max_length=300, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.MEETING_SOFTWARE)
    platform = models.ForeignKey(
        "organisations.Platform",
        verbose_name=_("platform"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vendors",
        help_text=_("Alleen voor een platform: de besturen die dit platform gebruiken."),
    )
    organisations = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=_("mag optreden voor"),
        blank=True,
        related_name="vendors",
        help_text=_("Voor vergadersoftware: de besturen waarvoor deze leverancier mag inzenden."),
    )
    key_hash = models.CharField(_("sleutel (Argon2-hash)"), max_length=200, editable=False)
    # The public first part of keys the Loket generates ("<key_id>.<secret>"): finds the vendor for a bearer token.
    key_id = models.CharField(_("sleutel-ID"), max_length=24, blank=True, db_index=True, editable=False)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("leverancier")
        verbose_name_plural = _("leveranciers")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="meeting_software", platform__isnull=True)
                | models.Q(kind="platform", platform__isnull=False),
                name="vendor_platform_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_platform(self) -> bool:
        return self.kind == self.Kind.PLATFORM


class Job(models.Model):
    """One pushed decision on its way from the vendor's published page to a submission."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("gepland")
        BUSY = "busy", _("bezig")
        SUCCESS = "success", _("geslaagd")
        FAILED = "failed", _("mislukt")

    class RequestedStatus(models.TextChoices):
        CONCEPT = "concept", _("Concept")
        SUBMITTABLE = "submittable", _("Inzendbaar")

    uuid = models.UUIDField(default=uuid_lib.uuid4, unique=True, editable=False)
    submission_uuid = models.UUIDField(
        default=uuid_lib.uuid4, unique=True, editable=False, verbose_name=_("uuid van de inzending")
    )
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="jobs", verbose_name=_("leverancier"))
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("bestuur")
    )
    submitted_resource = models.CharField(_("ingezonden besluit (URI)"), max_length=500)
    # True while this job claims the decision's URI: released when the job fails or its submission is deleted.
    holds_resource = models.BooleanField(default=True, verbose_name=_("houdt het besluit vast"))
    href = models.CharField(_("gepubliceerde pagina"), max_length=2000)
    requested_status = models.CharField(
        max_length=16, choices=RequestedStatus.choices, verbose_name=_("gevraagde status")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    error_message = models.TextField(_("foutmelding"), blank=True)
    submission = models.ForeignKey(
        "supervision.Submission",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("inzending"),
    )
    page_storage_name = models.CharField(max_length=500, blank=True, verbose_name=_("opslagnaam van de pagina"))
    download_attempts = models.PositiveIntegerField(default=0, verbose_name=_("downloadpogingen"))
    # While busy: the lease of the worker running the job (see transitions.py), renewed with the heartbeat.
    lease = models.UUIDField(null=True, blank=True, editable=False, verbose_name=_("lease"))
    heartbeat_at = models.DateTimeField(null=True, blank=True, verbose_name=_("laatste teken van leven"))
    created_at = models.DateTimeField(verbose_name=_("aangemaakt op"))
    modified_at = models.DateTimeField(verbose_name=_("gewijzigd op"))

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_resource"],
                condition=models.Q(holds_resource=True),
                name="vendor_job_unique_submitted_resource",
            )
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return self.uri

    @property
    def uri(self) -> str:
        return f"{settings.LOKET_URI_BASE}/id/automatic-submission-job/{self.uuid}"

    @property
    def submission_uri(self) -> str:
        return f"{settings.LOKET_URI_BASE}/submissions/{self.submission_uuid}"


class JobTask(models.Model):
    """One step of a job; the operations and their order are those of the real Loket's pipeline."""

    class Operation(models.TextChoices):
        REGISTER = "register", _("registreren")
        DOWNLOAD = "download", _("downloaden")
        IMPORT = "import", _("importeren")
        VALIDATE = "validate", _("valideren")
        SEND = "send", _("versturen")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="tasks")
    operation = models.CharField(max_length=16, choices=Operation.choices)
    index = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=Job.Status.choices, default=Job.Status.SCHEDULED)
    error_message = models.TextField(blank=True)
    message = models.TextField(blank=True)  # what the step found, e.g. why the data is not yet complete
    created_at = models.DateTimeField()
    modified_at = models.DateTimeField()

    class Meta:
        ordering = ["job", "index"]
        constraints = [models.UniqueConstraint(fields=["job", "operation"], name="vendor_job_task_once")]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.operation}"


class JobCredential(models.Model):
    """Credentials to fetch a non-public page: encrypted (Fernet, key derived from SECRET_KEY) and deleted as soon
    as the page and its attachments are downloaded or the job ends."""

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="credential")
    scheme = models.CharField(max_length=16)
    secret = models.BinaryField()

    def __str__(self) -> str:
        return f"{self.scheme} for job {self.job_id}"


class MessageJob(models.Model):
    """A vendor's Berichtencentrum melding: the page at `href` describes a new message (`resource`) of the body in an
    existing conversation; the worker downloads it, imports the message with its attachments and sends it as the
    body's reply (through the ledger)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("ingepland")
        BUSY = "busy", _("bezig")
        SUCCESS = "success", _("gelukt")
        FAILED = "failed", _("mislukt")

    uuid = models.UUIDField(_("uuid"), default=uuid_lib.uuid4, unique=True, editable=False)
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="+", verbose_name=_("leverancier"))
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("bestuur")
    )
    href = models.URLField(_("pagina"), max_length=2000)
    resource = models.CharField(_("bericht"), max_length=500, unique=True)
    secret = models.BinaryField(_("versleutelde toegang"), null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    error = models.TextField(_("fout"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    modified_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("melding van een bericht")
        verbose_name_plural = _("meldingen van berichten")

    def __str__(self) -> str:
        return self.resource

    @property
    def uri(self) -> str:
        return f"http://data.lblod.info/id/jobs/{self.uuid}"
