"""Uploads kept while the virus scanner was down ("wacht op virusscan"), and what became of infected ones."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from loket.core.models import AppendOnlyModel


class PendingScan(models.Model):
    """Wacht op virusscan: an upload stored while clamd could not be reached. Until the worker has scanned it
    (`core.tasks.rescan_upload`) nobody may download it and nothing holding it can be sent. Deleted once scanned."""

    storage_name = models.CharField(_("opslagnaam"), max_length=500, unique=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    file_name = models.CharField(_("bestandsnaam"), max_length=255, blank=True)
    size = models.BigIntegerField(_("grootte (bytes)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opgeladen door"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("opgeladen op"))
    attempts = models.PositiveIntegerField(_("scanpogingen"), default=0)
    last_error = models.CharField(_("laatste fout"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("volgende poging"), null=True, blank=True)

    class Meta:
        verbose_name = _("bestand dat wacht op virusscan")
        verbose_name_plural = _("bestanden die wachten op virusscan")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.file_name or self.storage_name


class ScanNotice(AppendOnlyModel):
    """A file that waited for the scan and was then found infected: removed from `owner_uri` (a concept, a
    conversation, a report), and this notice tells its users so."""

    owner_uri = models.CharField(_("verwijderd uit"), max_length=500, db_index=True)
    file_name = models.CharField(_("bestandsnaam"), max_length=255, blank=True)
    signature = models.CharField(_("gevonden"), max_length=300)
    at = models.DateTimeField(_("tijdstip"))

    class Meta:
        verbose_name = _("melding van een verwijderd bestand")
        verbose_name_plural = _("meldingen van verwijderde bestanden")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.file_name}: {self.signature}"
