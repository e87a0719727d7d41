"""Subsidiebeheer: subsidy measures and multi-step applications with deadlines.

Definition side (the agency, in the back office or from Turtle with `manage.py subsidies_load`): a measure offer
(subsidiemaatregelaanbod) says who may apply (criteria by classification, or an explicit list of bodies); it has
calls (reeksen) with an informative period; a call has one flow of ordered steps; each step references a procedural
step (name, type Aanvraag or Externe verwerking, and the deadline window) and a form version (Turtle, the form
engine).

Instance side: a dossier (subsidiemaatregelconsumptie) is one body's application to one call; it has one
application form per step (the form version the step had when the form was opened stays with it), an active step
and a status (Concept, Actief, Aanvraag ingediend). Sending a step goes through the ledger. The agency may extend a
step's deadline for all or some bodies, reopen one body's sent step and append a step; every such act is a dossier
event with a reason.
"""

import hashlib
import uuid as uuid_module

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from loket.core.ledger_models import LedgerEntry
from loket.organisations.models import Organisation
from loket.subsidies.terms import DossierStatus, FormStatus, StepType


def _uri(kind: str, key: object) -> str:
    return f"{settings.LOKET_URI_BASE}/id/{kind}/{key}"


class Criterion(models.Model):
    """Criterium (m8g:Criterion) with its one requirement group: who may apply, by classification."""

    uuid = models.UUIDField(_("uuid"), default=uuid_module.uuid4, unique=True)
    group_uuid = models.UUIDField(_("uuid van de vereistengroep"), default=uuid_module.uuid4, unique=True)
    title = models.CharField(_("titel"), max_length=300)

    class Meta:
        verbose_name = _("criterium")
        verbose_name_plural = _("criteria")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def uri(self) -> str:
        return _uri("criterions", self.uuid)

    @property
    def group_uri(self) -> str:
        return _uri("requirement-groups", self.group_uuid)


class CriterionRequirement(models.Model):
    """Criteriumvereiste: satisfiable by (lblodSubsidie:isSatisfiableBy) one organisation classification."""

    uuid = models.UUIDField(_("uuid"), default=uuid_module.uuid4, unique=True)
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("criterium")
    )
    satisfiable_by = models.CharField(_("vervulbaar door (classificatie-URI)"), max_length=300)

    class Meta:
        verbose_name = _("criteriumvereiste")
        verbose_name_plural = _("criteriumvereisten")
        constraints = [
            models.UniqueConstraint(fields=["criterion", "satisfiable_by"], name="one_requirement_per_classification")
        ]

    def __str__(self) -> str:
        return self.satisfiable_by

    @property
    def uri(self) -> str:
        return _uri("criterion-requirement", self.uuid)


class FormVersion(models.Model):
    """Formulierversie: the Turtle of a semantic form, frozen (a new version is a new row)."""

    uuid = models.UUIDField(_("uuid"), default=uuid_module.uuid4, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    turtle = models.TextField(_("formulier (Turtle)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)

    class Meta:
        verbose_name = _("formulierversie")
        verbose_name_plural = _("formulierversies")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}@{self.sha256[:12]}"

    @staticmethod
    def hash_of(turtle: str) -> str:
        return hashlib.sha256(turtle.encode("utf-8")).hexdigest()

    @property
    def uri(self) -> str:
        return _uri("subsidy-form-versions", self.uuid)


class MeasureOffer(models.Model):
    """Subsidiemaatregelaanbod."""

    uuid = models.UUIDField(_("uuid"), default=uuid_module.uuid4, unique=True)
    title = models.CharField(_("titel"), max_length=300)
    info_url = models.URLField(_("meer info"), max_length=500, blank=True)
    criteria = models.ManyToManyField(
        Criterion, blank=True, verbose_name=_("toepasselijke criteria"), related_name="offers"
    )
    bodies = models.ManyToManyField(
        Organisation,
        blank=True,
        verbose_name=_("besturen (expliciete lijst)"),
        related_name="subsidy_offers",
        help_text=_("Besturen die mogen aanvragen, naast wie aan een criterium voldoet."),
    )

    class Meta:
        verbose_name = _("subsidiemaatregelaanbod")
        verbose_name_plural = _("subsidiemaatregelaanbod")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def uri(self) -> str:
        return _uri("subsidy-measure-offers", self.uuid)


class Call(models.Model):
    """Reeks (subsidiemaatregelaanbodreeks): one call of an offer; its period is informative (e.g. 2021 - 2025)."""

    uuid = models.UUIDField(_("uuid"), default=uuid_module.uuid4, unique=True)
    offer = models.ForeignKey(MeasureOffer, on_delete=models.PROTECT, related_name="calls", verbose_name=_("aanbod"))
    title = models.CharField(_("titel"), max_length=300)
    description = models.TextField(_("beschrijving"), blank=True)
    period_start = models.DateTimeField(_("begin van de periode"), null=True, blank=True)
    period_end = models.DateTimeField(_("einde van de periode"), null=True, blank=True)

    class Meta:
        verbose_name = _("reeks")
        verbose_name_plural = _("reeksen")
        ordering = ["offer__title", "title"]

    def __str__(self) -> str:
        return f"{self.offer.title} — {self.title}"

    @property
    def uri(self) -> str:
        return _uri("subsidy-measure-offer-series", self.uuid)


class Flow(models.Model):
    """Aanvraagflow (lblodSubsidie:ApplicationFlow): the active flow of a call."""

    uuid = models.UUIDField(_("uuid"), default=uuid_module.uuid4, unique=True)
    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="flow", verbose_name=_("reeks"))

    class Meta:
        verbose_name = _("aanvraagflow")
        verbose_name_plural = _("aanvraagflows")

    def __str__(self) -> str:
        return str(self.call)

    @property
    def uri(self) -> str:
        return _uri("subsidie-application-flows", self.uuid)


class ProceduralStep(models.Model):
    """Subsidieprocedurestap: the step's name, type and deadline window (stored in UTC, entered and shown in
    Brussels time). No start: not yet open; no end: never expires."""

    uuid = models.UUIDField(_("uuid"), default=uuid_module.uuid4, unique=True)
    period_uuid = models.UUIDField(_("uuid van de periode"), default=uuid_module.uuid4, unique=True)
    name = models.CharField(_("naam"), max_length=300)
    type = models.CharField(_("soort stap"), max_length=120, choices=StepType.choices, default=StepType.APPLICATION)
    start = models.DateTimeField(_("begin"), null=True, blank=True)
    end = models.DateTimeField(_("einde (deadline)"), null=True, blank=True)

    class Meta:
        verbose_name = _("procedurestap")
        verbose_name_plural = _("procedurestappen")

    def __str__(self) -> str:
        return self.name

    @property
    def uri(self) -> str:
        return _uri("subsidy-procedural-steps", self.uuid)

    @property
    def period_uri(self) -> str:
        return _uri("periodes", self.period_uuid)


class Step(models.Model):
    """Stap van een flow (lblodSubsidie:ApplicationStep), 0-based order."""

    uuid = models.UUIDField(_("uuid"), default=uuid_module.uuid4, unique=True)
    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="steps", verbose_name=_("aanvraagflow"))
    order = models.PositiveSmallIntegerField(_("volgorde"))
    procedural_step = models.OneToOneField(
        ProceduralStep, on_delete=models.PROTECT, related_name="step", verbose_name=_("procedurestap")
    )
    form_version = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, related_name="steps", verbose_name=_("formulierversie")
    )

    class Meta:
        verbose_name = _("stap")
        verbose_name_plural = _("stappen")
        ordering = ["flow", "order"]
        constraints = [models.UniqueConstraint(fields=["flow", "order"], name="one_step_per_order")]

    def __str__(self) -> str:
        return f"{self.order + 1}. {self.procedural_step.name}"

    @property
    def uri(self) -> str:
        return _uri("subsidie-application-flow-steps", self.uuid)


class Extension(models.Model):
    """A later deadline of one step for one body (the agency's decision, with a reason)."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("stap"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="subsidy_extensions", verbose_name=_("bestuur")
    )
    end = models.DateTimeField(_("nieuwe deadline"))

    class Meta:
        verbose_name = _("verlenging")
        verbose_name_plural = _("verlengingen")
        constraints = [models.UniqueConstraint(fields=["step", "organisation"], name="one_extension_per_body")]

    def __str__(self) -> str:
        return f"{self.step} → {self.end}"


class Dossier(models.Model):
    """Subsidiemaatregelconsumptie: one body's application to one call."""

    uuid = models.UUIDField(_("uuid"), default=uuid_module.uuid4, unique=True, editable=False)
    participation_uuid = models.UUIDField(_("uuid van de deelname"), default=uuid_module.uuid4, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="subsidy_dossiers", verbose_name=_("bestuur")
    )
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("reeks"))
    active_step = models.ForeignKey(
        Step, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("actieve stap")
    )
    status = models.CharField(_("status"), max_length=120, choices=DossierStatus.choices, default=DossierStatus.CONCEPT)
    created_at = models.DateTimeField(_("aangemaakt op"))
    modified_at = models.DateTimeField(_("laatst aangepast op"))
    created_by = models.CharField(_("aangemaakt door"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("subsidiedossier")
        verbose_name_plural = _("subsidiedossiers")
        ordering = ["-modified_at"]
        constraints = [models.UniqueConstraint(fields=["organisation", "call"], name="one_dossier_per_body_per_call")]

    def __str__(self) -> str:
        return f"{self.call} ({self.organisation_id})"

    @property
    def uri(self) -> str:
        return _uri("subsidy-measure-consumptions", self.uuid)

    @property
    def participation_uri(self) -> str:
        return _uri("participations", self.participation_uuid)


class ApplicationForm(models.Model):
    """Aanvraagformulier: a dossier's form for one step. One live form per step; a reopened step keeps its sent
    form (`is_replaced`) and gets a new concept copy."""

    uuid = models.UUIDField(_("uuid"), default=uuid_module.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="forms", verbose_name=_("dossier"))
    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="forms", verbose_name=_("stap"))
    form_version = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, related_name="forms", verbose_name=_("formulierversie")
    )
    status = models.CharField(_("status"), max_length=120, choices=FormStatus.choices, default=FormStatus.NEW)
    source_ttl = models.TextField(_("formuliergegevens (Turtle)"), blank=True)
    is_replaced = models.BooleanField(_("vervangen na heropening"), default=False)
    created_at = models.DateTimeField(_("aangemaakt op"))
    modified_at = models.DateTimeField(_("laatst aangepast op"))
    form_data_nt = models.TextField(_("verstuurde gegevens (N-Triples)"), blank=True)
    content_hash = models.CharField(_("inhoudshash"), max_length=64, blank=True)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    sent_by = models.CharField(_("verstuurd door"), max_length=300, blank=True)
    sent_entry = models.ForeignKey(
        LedgerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("registratie")
    )

    class Meta:
        verbose_name = _("aanvraagformulier")
        verbose_name_plural = _("aanvraagformulieren")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "step"], condition=Q(is_replaced=False), name="one_live_form_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.step} ({self.get_status_display()})"

    @property
    def uri(self) -> str:
        return _uri("application-forms", self.uuid)

    @property
    def is_sent(self) -> bool:
        return self.status == FormStatus.SENT


class DossierEvent(models.Model):
    """The dossier's history: what the body and the agency did, with the agency's reason."""

    class Kind(models.TextChoices):
        STARTED = "started", _("Dossier gestart")
        SENT = "sent", _("Stap verstuurd")
        EXTENDED = "extended", _("Deadline verlengd")
        REOPENED = "reopened", _("Stap heropend")
        STEP_ADDED = "step_added", _("Stap toegevoegd")
        REMINDED = "reminded", _("Herinnering verstuurd")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events", verbose_name=_("dossier"))
    at = models.DateTimeField(_("tijdstip"))
    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices)
    step = models.ForeignKey(
        Step, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("stap")
    )
    actor_label = models.CharField(_("door"), max_length=300, blank=True)
    reason = models.TextField(_("reden"), blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("dossiergebeurtenis")
        verbose_name_plural = _("dossiergebeurtenissen")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Reminder(models.Model):
    """One reminder mail per body per step per moment (14 or 3 days before the deadline): idempotent."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("stap"))
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("dossier"))
    days_before = models.PositiveSmallIntegerField(_("dagen voor de deadline"))
    sent_at = models.DateTimeField(_("verstuurd op"))

    class Meta:
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        constraints = [
            models.UniqueConstraint(fields=["step", "dossier", "days_before"], name="one_reminder_per_moment")
        ]

    def __str__(self) -> str:
        return f"{self.days_before}"
