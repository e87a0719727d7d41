"""Mandatenbeheer: governing bodies per legislature and the people who hold their mandates.

A unit (gemeente, OCMW, district, provincie, politiezone) has timeless *organs* (bestuursorganen: the gemeenteraad,
the college…); per legislature period each organ has an *organ-in-time* (`OrganTerm`, binding start and end) with
its *mandates* (mandaten: a role code and a seat count, `aantalHouders`). Decretal organs and mandates are made by
`manage.py mandates organs` and never edited by clerks.

A *holder* (mandataris) is one version of a person holding a mandate: start, end, status, rangorde, policy domains,
fractie, publication status. A change of state at T (Wijziging) ends the version at T and starts a new one there;
a correction edits the version in place. Deleting writes a tombstone, and only while Draft or Niet bekrachtigd.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from loket.core.linkeddata import organ_in_time_uri
from loket.mandates.codes import (
    ORGAN,
    PERIODS,
    ROLE,
    OrganKind,
    Publication,
    RoleCode,
    Status,
)
from loket.organisations.models import Organisation
from loket.persons.models import Person

PERIOD_CHOICES = [(period.key, period.label) for period in PERIODS]


class Organ(models.Model):
    """Bestuursorgaan (timeless): the gemeenteraad of Aalst, whatever the period.

    Its URI is the Loket's one identity of that organ, the Toezicht governing body of the same unit and
    classification (`supervision.services.governing_body_uri_for`), which dereferences it; its organs-in-time are
    `<organ>/periode/<uuid5 of the period>` (`core.linkeddata.organ_in_time_uri`), the URIs Toezicht's forms answer
    with. What Mandatenbeheer knows about them (binding dates, period, mandates) is added to those pages by a
    registered describer (`rdf.organ_describe`)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    uri = models.CharField(_("URI"), max_length=300, unique=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("bestuur"), on_delete=models.CASCADE, related_name="mandate_organs"
    )
    kind = models.CharField(_("soort orgaan"), max_length=40, choices=OrganKind.choices)
    is_decretal = models.BooleanField(_("decretaal"), default=True)

    class Meta:
        verbose_name = _("bestuursorgaan")
        verbose_name_plural = _("bestuursorganen")
        constraints = [models.UniqueConstraint(fields=["organisation", "kind"], name="mandates_one_organ_per_kind")]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def classification_uri(self) -> str:
        return ORGAN + self.kind


class OrganTerm(models.Model):
    """Bestuursorgaan in de tijd: the organ for one legislature period."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organ = models.ForeignKey(Organ, on_delete=models.CASCADE, related_name="terms")
    period = models.CharField(_("bestuursperiode"), max_length=8, choices=PERIOD_CHOICES)
    binding_start = models.DateField(_("begin"))
    binding_end = models.DateField(_("einde"), null=True, blank=True)

    class Meta:
        verbose_name = _("bestuursorgaan in de tijd")
        verbose_name_plural = _("bestuursorganen in de tijd")
        constraints = [models.UniqueConstraint(fields=["organ", "period"], name="mandates_one_term_per_period")]

    def __str__(self) -> str:
        return f"{self.organ} ({self.get_period_display()})"

    @property
    def period_uri(self) -> str:
        return next(period.uri for period in PERIODS if period.key == self.period)

    @property
    def uri(self) -> str:
        return organ_in_time_uri(self.organ.uri, self.period_uri)


class Mandate(models.Model):
    """Mandaat: a role on an organ-in-time, with its number of seats (aantalHouders; unknown when empty)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    term = models.ForeignKey(
        OrganTerm, verbose_name=_("bestuursorgaan in de tijd"), on_delete=models.CASCADE, related_name="mandates"
    )
    role = models.CharField(_("bestuursfunctie"), max_length=40, choices=RoleCode.choices)
    seats = models.PositiveSmallIntegerField(_("aantal houders"), null=True, blank=True)

    class Meta:
        verbose_name = _("mandaat")
        verbose_name_plural = _("mandaten")
        constraints = [models.UniqueConstraint(fields=["term", "role"], name="mandates_one_mandate_per_role")]

    def __str__(self) -> str:
        return str(self.get_role_display())

    @property
    def uri(self) -> str:
        return f"{settings.LOKET_URI_BASE}/id/mandaten/{self.uuid}"

    @property
    def role_uri(self) -> str:
        return ROLE + self.role


class Fractie(models.Model):
    """Fractie: a Samenwerkingsverband of a unit, or the Onafhankelijk fractie of one person."""

    class Kind(models.TextChoices):
        COALITION = "samenwerkingsverband", _("Samenwerkingsverband")
        INDEPENDENT = "onafhankelijk", _("Onafhankelijk")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="fracties")
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=24, choices=Kind.choices, default=Kind.COALITION)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    start = models.DateField(_("begin"), null=True, blank=True)
    end = models.DateField(_("einde"), null=True, blank=True)
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by")

    class Meta:
        verbose_name = _("fractie")
        verbose_name_plural = _("fracties")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person"],
                condition=models.Q(kind="onafhankelijk"),
                name="mandates_one_independent_fractie_per_person",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def uri(self) -> str:
        return f"{settings.LOKET_URI_BASE}/id/fracties/{self.uuid}"


class Holder(models.Model):
    """Mandataris: one version of a person holding a mandate."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, verbose_name=_("persoon"), on_delete=models.PROTECT, related_name="+")
    mandate = models.ForeignKey(Mandate, verbose_name=_("mandaat"), on_delete=models.PROTECT, related_name="holders")
    start = models.DateField(_("begin"))
    end = models.DateField(_("einde"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, blank=True)
    rangorde = models.CharField(_("rang"), max_length=100, blank=True)
    policy_domains = models.JSONField(_("beleidsdomeinen"), default=list, blank=True)
    fractie = models.ForeignKey(
        Fractie,
        verbose_name=_("politieke fractie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="holders",
    )
    publication = models.CharField(
        _("publicatiestatus"), max_length=20, choices=Publication.choices, default=Publication.NOT_RATIFIED
    )
    decision_link = models.URLField(_("link naar het besluit"), max_length=500, blank=True)
    ratified_by_uri = models.CharField(_("bekrachtigd door besluit"), max_length=500, blank=True)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("vorige versie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("tijdelijk vervangen door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )
    deleted_at = models.DateTimeField(_("verwijderd op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    modified_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("mandataris")
        verbose_name_plural = _("mandatarissen")
        indexes = [models.Index(fields=["mandate", "start"], name="mandates_holder_by_mandate")]

    def __str__(self) -> str:
        return f"{self.person} — {self.mandate}"

    @property
    def uri(self) -> str:
        return f"{settings.LOKET_URI_BASE}/id/mandatarissen/{self.uuid}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class OcmwPairing(models.Model):
    """The OCMW of a gemeente (LMB's `ext:isOCMWVoor`): the two units that share a werkingsgebied. Made from the
    reference data by `manage.py mandates organs` (a Gemeente and an OCMW with the same name in the same province);
    read by the validation report (a unit plus its OCMW), mirroring and ratification. Never made by the name alone
    for another kind of unit (a province or a district called Antwerpen has no OCMW)."""

    municipality = models.OneToOneField(
        Organisation, verbose_name=_("gemeente"), on_delete=models.CASCADE, related_name="mandates_ocmw_pairing"
    )
    ocmw = models.OneToOneField(
        Organisation, verbose_name=_("OCMW"), on_delete=models.CASCADE, related_name="mandates_municipality_pairing"
    )

    class Meta:
        verbose_name = _("OCMW van een gemeente")
        verbose_name_plural = _("OCMW's van de gemeenten")

    def __str__(self) -> str:
        return f"{self.municipality} ↔ {self.ocmw}"


class ValidationSilence(models.Model):
    """A validation result a clerk silenced, with the reason (rule + the holder or mandate it is about)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(_("regel"), max_length=8)
    subject = models.UUIDField(_("onderwerp"))
    reason = models.TextField(_("reden"))
    silenced_by = models.CharField(max_length=200)
    silenced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stilgezet validatieresultaat")
        verbose_name_plural = _("stilgezette validatieresultaten")
        constraints = [models.UniqueConstraint(fields=["organisation", "rule", "subject"], name="mandates_one_silence")]

    def __str__(self) -> str:
        return f"{self.rule} {self.subject}"


class ValidationReport(models.Model):
    """The last nightly (or on-demand) report of a unit and period: counts, for the overview."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=8, choices=PERIOD_CHOICES)
    ran_at = models.DateTimeField()
    findings = models.PositiveIntegerField(default=0)
    silenced = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("validatierapport")
        verbose_name_plural = _("validatierapporten")
        constraints = [models.UniqueConstraint(fields=["organisation", "period"], name="mandates_one_report")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.period}"
