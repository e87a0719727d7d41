"""Personeelsbeheer: a body's yearly personnel numbers. Every eligible body owns two datasets, one in heads
(Werknemers - Koppen) and one in full-time equivalents (Voltijds equivalenten - VTE). The agency opens one period
per year (`manage.py personnel_open_period 2026`), which gives every dataset a slice of 48 observations (see
`dimensions`). The body fills the table and confirms it (Aantallen bevestigen) through the secure-sending core; a
later change starts a new version to confirm. Every cell change is kept."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from loket.core.ledger_models import LedgerEntry
from loket.organisations.models import Organisation
from loket.personnel.dimensions import FTE, HEADS

DATA_BASE = "http://data.lblod.info"


class PersonnelPeriod(models.Model):
    """Periode: one year, opened by the agency."""

    uuid = models.UUIDField(_("uuid"), default=uuid.uuid4, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("jaar"), unique=True)
    opened_at = models.DateTimeField(_("geopend op"))

    class Meta:
        verbose_name = _("personeelsperiode")
        verbose_name_plural = _("personeelsperiodes")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def uri(self) -> str:
        return f"{DATA_BASE}/employee-time-periods/{self.uuid}"


class EmployeeDataset(models.Model):
    """Dataset (empl:EmployeeDataset): one body's numbers in one unit measure."""

    class Unit(models.TextChoices):
        HEADS = HEADS, _("Werknemers - Koppen")
        FTE = FTE, _("Voltijds equivalenten - VTE")

    uuid = models.UUIDField(_("uuid"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="employee_datasets", verbose_name=_("bestuur")
    )
    unit = models.CharField(_("meeteenheid"), max_length=8, choices=Unit.choices)
    modified = models.DateTimeField(_("laatst aangepast op"), null=True, blank=True)

    class Meta:
        verbose_name = _("personeelsdataset")
        verbose_name_plural = _("personeelsdatasets")
        constraints = [models.UniqueConstraint(fields=["organisation", "unit"], name="one_dataset_per_unit")]
        ordering = ["organisation", "-unit"]

    def __str__(self) -> str:
        return f"{self.get_unit_display()} ({self.organisation_id})"

    @property
    def uri(self) -> str:
        return f"{DATA_BASE}/employee-datasets/{self.uuid}"


class EmployeePeriodSlice(models.Model):
    """Periode van een dataset (empl:EmployeePeriodSlice). `version` counts the states to confirm; the period is
    confirmed when `confirmed_version` equals it."""

    uuid = models.UUIDField(_("uuid"), default=uuid.uuid4, unique=True, editable=False)
    dataset = models.ForeignKey(
        EmployeeDataset, on_delete=models.PROTECT, related_name="slices", verbose_name=_("dataset")
    )
    period = models.ForeignKey(
        PersonnelPeriod, on_delete=models.PROTECT, related_name="slices", verbose_name=_("periode")
    )
    version = models.PositiveIntegerField(_("versie"), default=1)
    confirmed_version = models.PositiveIntegerField(_("bevestigde versie"), null=True, blank=True)
    modified = models.DateTimeField(_("laatst aangepast op"), null=True, blank=True)

    class Meta:
        verbose_name = _("periode van een dataset")
        verbose_name_plural = _("periodes van datasets")
        constraints = [models.UniqueConstraint(fields=["dataset", "period"], name="one_slice_per_period")]

    def __str__(self) -> str:
        return f"{self.dataset.get_unit_display()} {self.period.year}"

    @property
    def uri(self) -> str:
        return f"{DATA_BASE}/employee-period-slices/{self.uuid}"

    def observation_uri(self, cell: int) -> str:
        """Observations have no uuid column (870,000 rows): their URI is derived from the slice and the cell."""
        return f"{DATA_BASE}/employee-observations/{uuid.uuid5(self.uuid, str(cell))}"


class Observation(models.Model):
    """One cell of a slice; empty (None) means "not filled", which is not 0."""

    slice = models.ForeignKey(
        EmployeePeriodSlice, on_delete=models.CASCADE, related_name="observations", verbose_name=_("periode")
    )
    cell = models.PositiveSmallIntegerField(_("cel"))
    value = models.DecimalField(_("waarde"), max_digits=9, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("observatie")
        verbose_name_plural = _("observaties")
        constraints = [models.UniqueConstraint(fields=["slice", "cell"], name="one_observation_per_cell")]

    def __str__(self) -> str:
        return f"{self.slice_id}/{self.cell}"


class ObservationChange(models.Model):
    """Who changed a cell, when, from what to what (append-only)."""

    observation = models.ForeignKey(
        Observation, on_delete=models.CASCADE, related_name="changes", verbose_name=_("observatie")
    )
    changed_at = models.DateTimeField(_("gewijzigd op"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("door")
    )
    actor_label = models.CharField(_("door (naam)"), max_length=300)
    old_value = models.DecimalField(_("oude waarde"), max_digits=9, decimal_places=2, null=True, blank=True)
    new_value = models.DecimalField(_("nieuwe waarde"), max_digits=9, decimal_places=2, null=True, blank=True)
    version = models.PositiveIntegerField(_("versie"))

    class Meta:
        verbose_name = _("wijziging van een cel")
        verbose_name_plural = _("wijzigingen van cellen")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.observation_id}: {self.old_value} → {self.new_value}"


class Confirmation(models.Model):
    """Bevestiging: one version of a body's numbers for a period, sent through the ledger. `figures` is exactly
    what was hashed (canonical JSON of both datasets); it never changes."""

    uuid = models.UUIDField(_("uuid"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="personnel_confirmations", verbose_name=_("bestuur")
    )
    period = models.ForeignKey(
        PersonnelPeriod, on_delete=models.PROTECT, related_name="confirmations", verbose_name=_("periode")
    )
    version = models.PositiveIntegerField(_("versie"))
    confirmed_at = models.DateTimeField(_("bevestigd op"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("door")
    )
    actor_label = models.CharField(_("door (naam)"), max_length=300)
    figures = models.JSONField(_("cijfers"))
    content_hash = models.CharField(_("inhoudshash"), max_length=64)
    sent_entry = models.OneToOneField(
        LedgerEntry, on_delete=models.PROTECT, related_name="+", verbose_name=_("registerregel")
    )

    class Meta:
        verbose_name = _("bevestiging personeelsaantallen")
        verbose_name_plural = _("bevestigingen personeelsaantallen")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "period", "version"], name="one_confirmation_per_version")
        ]
        ordering = ["-confirmed_at"]

    def __str__(self) -> str:
        return f"{self.period.year} v{self.version}"

    @property
    def uri(self) -> str:
        return f"{settings.LOKET_URI_BASE}/id/personeelsbevestigingen/{self.uuid}"
