"""The audit trail (auditspoor): an append-only list of events — who did what, for which organisation, when.

Rows are only ever inserted. The model refuses updates and deletes so that no service, admin page or shell
session can rewrite history by accident. The one change ever made to an event is deliberate: after its retention
period its client addresses and a typed user name are pseudonymised (`core.audit.audit_pseudonymise`, ASVS 8.3.8).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an append-only row."""


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk `update()` and `delete()` would bypass the model's refusal; refuse them here too."""

    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be changed.")

    def delete(self):  # type: ignore[no-untyped-def]
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be deleted.")


class AppendOnlyModel(models.Model):
    """A row that is written once and never changed or deleted (audit events, ledger entries, decisions)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:  # type: ignore[override]
        if self.pk is not None:
            raise AppendOnlyError(f"{type(self).__name__} rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[override]
        raise AppendOnlyError(f"{type(self).__name__} rows cannot be deleted.")


class AuditEvent(AppendOnlyModel):
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


from loket.core.ledger_models import LedgerEntry  # noqa: E402,F401
from loket.core.quota_models import QuotaCharge  # noqa: E402,F401
from loket.core.scanwait_models import PendingScan, ScanNotice  # noqa: E402,F401
