"""The register (register van verzendingen): an append-only, hash-chained list of what was sent and delivered.

Each entry carries the hash of the entry before it, so changing or removing any row breaks every hash after it;
each entry hash is signed with the server key and, when a timestamp authority is configured, timestamped.
Rows are only ever inserted, through `loket.core.ledger.ledger_append`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from loket.core.models import AppendOnlyModel

GENESIS_HASH = "0" * 64


class LedgerEntry(AppendOnlyModel):
    """One entry in the register (registratie)."""

    position = models.PositiveBigIntegerField(_("positie"), unique=True)
    recorded_at = models.DateTimeField(_("tijdstip"))
    kind = models.CharField(_("soort"), max_length=32, db_index=True)
    subject_uri = models.CharField(_("onderwerp"), max_length=500, db_index=True)
    organisation_uri = models.CharField(_("bestuur"), max_length=500, db_index=True)
    actor_label = models.CharField(_("door"), max_length=300)
    content_hash = models.CharField(_("inhoud (SHA-256)"), max_length=64)
    payload = models.JSONField(_("gegevens"), default=dict)
    previous_hash = models.CharField(_("vorige hash"), max_length=64)
    entry_hash = models.CharField(_("hash"), max_length=64, unique=True)
    signature = models.CharField(_("handtekening"), max_length=128)
    key_id = models.CharField(_("sleutel"), max_length=16)
    tsa_token = models.BinaryField(_("tijdstempel"), null=True, blank=True)

    class Meta:
        app_label = "core"
        verbose_name = _("registratie")
        verbose_name_plural = _("register")
        ordering = ["position"]
        constraints = [models.CheckConstraint(condition=models.Q(position__gte=1), name="ledger_position_positive")]

    def __str__(self) -> str:
        return f"#{self.position} {self.kind} {self.subject_uri}"

    @property
    def timestamp_token(self) -> bytes | None:
        """The RFC 3161 token over the entry hash: obtained at append, or later (`LedgerTimestamp`) after an outage."""
        if self.tsa_token is not None:
            return bytes(self.tsa_token)
        try:
            late = self.late_timestamp  # type: ignore[attr-defined]
        except LedgerTimestamp.DoesNotExist:
            return None
        return bytes(late.token)


class LedgerTimestamp(AppendOnlyModel):
    """A timestamp obtained after its entry was appended, because the TSA could not be reached then. Its own row,
    appended once, so that no register entry is ever changed; the token is over the same entry hash (its time is
    then later than the entry's `recorded_at`)."""

    entry = models.OneToOneField(
        LedgerEntry, on_delete=models.PROTECT, related_name="late_timestamp", verbose_name=_("registratie")
    )
    token = models.BinaryField(_("tijdstempel"))
    obtained_at = models.DateTimeField(_("verkregen op"))

    class Meta:
        app_label = "core"
        verbose_name = _("latere tijdstempel")
        verbose_name_plural = _("latere tijdstempels")


class LedgerHead(models.Model):
    """The one row every append locks (so appends are serialised even on an empty register) and that remembers
    the last position and hash, so that removing the newest entries is noticed too."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    position = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        app_label = "core"
        verbose_name = _("kop van het register")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="ledger_head_single_row")]

    def __str__(self) -> str:
        return f"head #{self.position}"
