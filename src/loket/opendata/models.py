"""The change feed of the public datasets, the dumps made from them, and how far the SPARQL store has read."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedEntry(models.Model):
    """One change of an instance of a public dataset (saved or deleted). The position orders all changes; what an
    instance looks like now (or that it is gone or no longer public) is read from the database when the entry is
    used, through the mapping and its public rule."""

    position = models.BigAutoField(_("positie"), primary_key=True)
    dataset = models.CharField(_("dataset"), max_length=40)
    model_label = models.CharField(_("model"), max_length=80)
    object_pk = models.CharField(_("sleutel"), max_length=64)
    subject = models.CharField(_("onderwerp"), max_length=500, blank=True)
    at = models.DateTimeField(_("tijdstip"), db_index=True)
    deleted = models.BooleanField(_("verwijderd"), default=False)
    # The version object as the change feed (LDES) publishes it, fixed once by the worker (never changed after):
    # N-Triples of the version (or of its tombstone when the instance is gone or no longer public).
    snapshot = models.TextField(_("versie"), null=True, blank=True)  # noqa: DJ001 - null: not fixed yet
    is_tombstone = models.BooleanField(_("grafsteen"), default=False)

    class Meta:
        verbose_name = _("wijziging")
        verbose_name_plural = _("wijzigingen")
        indexes = [models.Index(fields=["dataset", "position"], name="opendata_feed_dataset")]

    def __str__(self) -> str:
        return f"#{self.position} {self.dataset} {self.model_label}:{self.object_pk}"


class Dump(models.Model):
    """One generated file of a dataset (the last few are kept)."""

    class Kind(models.TextChoices):
        NTRIPLES = "nt", "N-Triples"
        TURTLE = "ttl", "Turtle"

    dataset = models.CharField(_("dataset"), max_length=40)
    kind = models.CharField(_("soort"), max_length=4, choices=Kind.choices)
    storage_name = models.CharField(_("opslag"), max_length=300)
    size = models.PositiveBigIntegerField(_("grootte"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    triples = models.PositiveBigIntegerField(_("triples"))
    feed_position = models.BigIntegerField(_("positie in de wijzigingen"))
    created_at = models.DateTimeField(_("gemaakt op"))

    class Meta:
        verbose_name = _("dump")
        verbose_name_plural = _("dumps")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["dataset", "kind", "-created_at"], name="opendata_dump_latest")]

    def __str__(self) -> str:
        return f"{self.dataset}.{self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class StoreState(models.Model):
    """How far the SPARQL store has applied the change feed (one row)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    position = models.BigIntegerField(_("positie"), default=0)
    rebuilt_at = models.DateTimeField(_("herbouwd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("stand van de SPARQL-store")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="opendata_store_state_single_row")]

    def __str__(self) -> str:
        return f"store at #{self.position}"
