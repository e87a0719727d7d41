"""The audit trail (auditspoor): an append-only list of events — who did what, for which organisation, when.

Rows are only ever inserted. The model refuses updates and deletes so that no service, admin page or shell
session can rewrite history by accident.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an append-only row."""


class AuditEvent(models.Model):
    """One event in the audit trail (auditspoor)."""

    at = models.DateTimeField(_("tijdstip"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("door"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_label = models.CharField(_("door (naam)"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("bestuur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("actie"), max_length=64, db_index=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("auditspoor")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.actor_label}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[override]
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[override]
        raise AppendOnlyError("Audit events cannot be deleted.")
from loket.core.ledger_models import LedgerEntry  # noqa: E402,F401
