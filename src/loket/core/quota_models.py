"""What the storage quota counts (`core.quota`): one row per file stored for a body."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class QuotaCharge(models.Model):
    """A file stored for a body (and the user who sent it, if any): its size and when. Written in the transaction
    that stores the file, so a rolled-back upload leaves no charge; the worker deletes charges older than the
    window."""

    at = models.DateTimeField(_("tijdstip"))
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("bestuur"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    size = models.BigIntegerField(_("grootte (bytes)"))
    storage_name = models.CharField(_("opslagnaam"), max_length=500, db_index=True)
    source = models.CharField(_("bron"), max_length=32)

    class Meta:
        verbose_name = _("opgeslagen bestand (quotum)")
        verbose_name_plural = _("opgeslagen bestanden (quotum)")
        indexes = [models.Index(fields=["organisation", "at"]), models.Index(fields=["user", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.size} {self.storage_name}"
