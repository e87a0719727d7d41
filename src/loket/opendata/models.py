"""The change feed of the public datasets, the dumps made from them, and how far the SPARQL store has read."""

import uuid

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
    # N-Triples of the version (or of its tombstone when the instance is gone or no longer public); "" once pruned
    # (outside the retention policy: the row stays as the page's skeleton, see ldes.prune).
    snapshot = models.TextField(_("versie"), null=True, blank=True)  # noqa: DJ001 - null: not fixed yet
    is_tombstone = models.BooleanField(_("grafsteen"), default=False)

    class Meta:
        verbose_name = _("wijziging")
        verbose_name_plural = _("wijzigingen")
        indexes = [
            models.Index(fields=["dataset", "position"], name="opendata_feed_dataset"),
            models.Index(fields=["model_label", "object_pk", "position"], name="opendata_feed_instance"),
        ]

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
    # Compaction (store.compact_if_due): when the store was last compacted, and how many syncs wrote to it since.
    compacted_at = models.DateTimeField(_("gecompacteerd op"), null=True, blank=True)
    writes_since_compaction = models.PositiveIntegerField(_("schrijfbeurten sinds de compactie"), default=0)

    class Meta:
        verbose_name = _("stand van de SPARQL-store")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="opendata_store_state_single_row")]

    def __str__(self) -> str:
        return f"store at #{self.position}"


class DeltaStream(models.Model):
    """A delta stream in the real Loket's format (`/sync/<name>/files`): how far it has read the change feed."""

    name = models.CharField(_("stroom"), max_length=40, primary_key=True)
    position = models.BigIntegerField(_("positie"), default=0)
    started_at = models.DateTimeField(_("gestart op"))

    class Meta:
        verbose_name = _("deltastroom")
        verbose_name_plural = _("deltastromen")

    def __str__(self) -> str:
        return f"{self.name} at #{self.position}"


class DeltaMember(models.Model):
    """What a delta stream last published of one instance (its N-Triples lines): the next change is the difference."""

    stream = models.CharField(_("stroom"), max_length=40)
    member = models.CharField(_("instantie"), max_length=150)
    lines = models.TextField(_("triples"))

    class Meta:
        verbose_name = _("lid van een deltastroom")
        verbose_name_plural = _("leden van een deltastroom")
        constraints = [models.UniqueConstraint(fields=["stream", "member"], name="opendata_delta_member_unique")]

    def __str__(self) -> str:
        return f"{self.stream} {self.member}"


class DeltaTriple(models.Model):
    """How many instances of a stream publish one triple (by hash): a triple leaves the stream when none does."""

    stream = models.CharField(_("stroom"), max_length=40)
    key = models.CharField(_("sleutel"), max_length=32)
    count = models.PositiveIntegerField(_("aantal"))

    class Meta:
        verbose_name = _("triple van een deltastroom")
        verbose_name_plural = _("triples van een deltastroom")
        constraints = [models.UniqueConstraint(fields=["stream", "key"], name="opendata_delta_triple_unique")]

    def __str__(self) -> str:
        return f"{self.stream} {self.key} ×{self.count}"


class DeltaFile(models.Model):
    """One delta file (a JSON array of changesets), published once and never changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    stream = models.CharField(_("stroom"), max_length=40)
    created = models.DateTimeField(_("gemaakt op"))
    name = models.CharField(_("naam"), max_length=200)
    body = models.TextField(_("inhoud"))
    position = models.BigIntegerField(_("positie in de wijzigingen"))

    class Meta:
        verbose_name = _("deltabestand")
        verbose_name_plural = _("deltabestanden")
        constraints = [models.UniqueConstraint(fields=["stream", "created"], name="opendata_delta_file_created")]

    def __str__(self) -> str:
        return f"{self.stream} {self.name}"


class DeltaDump(models.Model):
    """The initial dump of a delta stream (a `dcat:Dataset` with one Turtle distribution), matching the stream at
    `created`: a consumer loads it, then follows the files created after it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)  # the dataset
    distribution = models.UUIDField(_("distributie"), default=uuid.uuid4, unique=True)
    file = models.UUIDField(_("bestand"), default=uuid.uuid4, unique=True)
    stream = models.CharField(_("stroom"), max_length=40)
    created = models.DateTimeField(_("gemaakt op"))
    storage_name = models.CharField(_("opslag"), max_length=300)
    size = models.PositiveBigIntegerField(_("grootte"))
    triples = models.PositiveBigIntegerField(_("triples"))

    class Meta:
        verbose_name = _("dump van een deltastroom")
        verbose_name_plural = _("dumps van een deltastroom")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.stream} {self.created:%Y-%m-%d %H:%M}"


class Tombstone(models.Model):
    """A public resource that was deleted: dereferencing its URI answers 410 Gone with an `as:Tombstone` (a resource
    that was never public, or is private now, stays a plain 404)."""

    subject = models.CharField(_("onderwerp"), max_length=500, unique=True)
    former_type = models.CharField(_("vroeger type"), max_length=500, blank=True)
    dataset = models.CharField(_("dataset"), max_length=40)
    deleted_at = models.DateTimeField(_("verwijderd op"))

    class Meta:
        verbose_name = _("grafsteen")
        verbose_name_plural = _("grafstenen")

    def __str__(self) -> str:
        return self.subject


class CodeList(models.Model):
    """One concept scheme of the code lists the Loket uses (`data/codelists/*.ttl`), with its concepts, as the public
    dataset `codelijsten` publishes it. Loaded from the files by a migration and by `manage.py opendata codelists`
    (after the files changed): the content is the scheme's triples as sorted N-Triples."""

    uri = models.CharField(_("URI"), max_length=300, unique=True)
    label = models.CharField(_("naam"), max_length=300, blank=True)
    content = models.TextField(_("inhoud"))

    class Meta:
        verbose_name = _("codelijst")
        verbose_name_plural = _("codelijsten")
        ordering = ["uri"]

    def __str__(self) -> str:
        return self.label or self.uri
