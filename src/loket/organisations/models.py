"""Organisations (besturen), their kinds, target groups and the channel through which each works.

A body works through exactly one channel (kanaal): the Loket itself, or a *platform* that replaces it (e.g.
Religiopoint for worship boards). Switching is a recorded decision (`ChannelDecision`, append-only).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from loket.core.models import AppendOnlyModel
from loket.organisations.identifiers import validate_kbo, validate_ovo

CLASSIFICATION_BASE = "http://data.vlaanderen.be/id/concept/BestuurseenheidClassificatieCode/"


class OrganisationKind(models.Model):
    """Classificatie of a bestuurseenheid, from the code list (its URI is the identity)."""

    class Category(models.TextChoices):
        MUNICIPALITY = "municipality", _("Gemeente")
        OCMW = "ocmw", _("OCMW")
        PROVINCE = "province", _("Provincie")
        DISTRICT = "district", _("District")
        WORSHIP_BOARD = "worship_board", _("Bestuur van de eredienst")
        CENTRAL_WORSHIP_BOARD = "central_worship_board", _("Centraal bestuur van de eredienst")
        REPRESENTATIVE_BODY = "representative_body", _("Representatief orgaan")
        AGENCY = "agency", _("Agentschap")
        OTHER = "other", _("Ander lokaal bestuur")

    uri = models.CharField(_("URI"), max_length=300, unique=True)
    label = models.CharField(_("naam"), max_length=200)
    category = models.CharField(_("soort"), max_length=32, choices=Category.choices, default=Category.OTHER)

    class Meta:
        verbose_name = _("classificatie")
        verbose_name_plural = _("classificaties")
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_worship(self) -> bool:
        return self.category in {self.Category.WORSHIP_BOARD, self.Category.CENTRAL_WORSHIP_BOARD}

    @property
    def is_agency(self) -> bool:
        return self.category == self.Category.AGENCY


class TargetGroup(models.Model):
    """Doelgroep in the government's user management, e.g. "Lokale Besturen"."""

    LOCAL_BODIES = "LB"

    code = models.CharField(_("code"), max_length=16, unique=True)
    label = models.CharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("doelgroep")
        verbose_name_plural = _("doelgroepen")

    def __str__(self) -> str:
        return self.label


class Platform(models.Model):
    """A platform that replaces the Loket for the bodies it serves (e.g. Religiopoint)."""

    name = models.CharField(_("naam"), max_length=200, unique=True)
    contact_email = models.EmailField(_("e-mail contact"), blank=True)
    contact_url = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("platform")
        verbose_name_plural = _("platformen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    LOKET = "loket", _("Loket voor Lokale Besturen")
    PLATFORM = "platform", _("Platform")


class Organisation(models.Model):
    """Bestuur (bestuurseenheid): a local body known by its URI, KBO number and OVO code."""

    uri = models.CharField(_("URI"), max_length=300, unique=True)
    uuid = models.CharField(_("uuid"), max_length=80, blank=True, db_index=True)
    name = models.CharField(_("naam"), max_length=300, blank=True, db_index=True)
    kind = models.ForeignKey(
        OrganisationKind, verbose_name=_("classificatie"), null=True, blank=True, on_delete=models.PROTECT
    )
    kbo = models.CharField(_("KBO-nummer"), max_length=10, blank=True, db_index=True, validators=[validate_kbo])
    ovo_code = models.CharField(_("OVO-code"), max_length=9, blank=True, db_index=True, validators=[validate_ovo])
    province = models.CharField(_("provincie"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=40, blank=True)
    target_groups = models.ManyToManyField(TargetGroup, verbose_name=_("doelgroepen"), blank=True)
    access_manager = models.ForeignKey(
        "self",
        verbose_name=_("toegangsbeheerder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_organisations",
        help_text=_("Het bestuur dat toegangsaanvragen goedkeurt (bv. een bisdom); leeg: de helpdesk van ABB."),
    )
    supervised_by = models.ManyToManyField(
        "self",
        verbose_name=_("toezichthoudende besturen"),
        symmetrical=False,
        blank=True,
        related_name="supervises",
        help_text=_(
            "Voor besturen van de eredienst: de financierende gemeente of provincie en het "
            "representatief orgaan, die hun besluiten ook zien."
        ),
    )
    channel = models.CharField(_("kanaal"), max_length=16, choices=Channel.choices, default=Channel.LOKET)
    platform = models.ForeignKey(Platform, verbose_name=_("platform"), null=True, blank=True, on_delete=models.PROTECT)
    channel_since = models.DateTimeField(_("kanaal sinds"), null=True, blank=True)

    class Meta:
        verbose_name = _("bestuur")
        verbose_name_plural = _("besturen")
        ordering = ["name", "uri"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(channel="loket", platform__isnull=True))
                | (models.Q(channel="platform", platform__isnull=False)),
                name="organisation_one_channel",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name people can tell apart (kind and place where the name is shared): see `naming`."""
        from loket.organisations.naming import display_name

        return display_name(self)

    @property
    def fallback_name(self) -> str:
        """For a body with neither a name nor a KBO number: its kind and the start of its URI key."""
        kind = self.kind.label if self.kind else _("Bestuur")
        return f"{kind} {self.uri.rsplit('/', 1)[-1][:8]}"

    @property
    def key(self) -> str:
        """The last segment of the URI, used in our own page URLs."""
        return self.uri.rstrip("/").rsplit("/", 1)[-1]

    @property
    def uses_loket(self) -> bool:
        return self.channel == Channel.LOKET


class ChannelDecision(AppendOnlyModel):
    """A recorded switch of an organisation's channel: who, when, why (append-only)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="channel_decisions", verbose_name=_("bestuur")
    )
    channel = models.CharField(_("kanaal"), max_length=16, choices=Channel.choices)
    platform = models.ForeignKey(Platform, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("platform"))
    previous_channel = models.CharField(max_length=16, choices=Channel.choices, verbose_name=_("vorig kanaal"))
    previous_platform = models.ForeignKey(
        Platform, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("vorig platform")
    )
    reason = models.TextField(_("reden"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name=_("beslist door")
    )
    decided_at = models.DateTimeField(_("beslist op"))
    memberships_ended = models.PositiveIntegerField(default=0, verbose_name=_("beëindigde lidmaatschappen"))

    class Meta:
        verbose_name = _("kanaalbeslissing")
        verbose_name_plural = _("kanaalbeslissingen")
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.get_channel_display()}"
