"""Worship administrations (erediensten): the units, who finances and supervises them, their boards and ministers.

A *worship unit* is a body of a recognised religion: a local board (bestuur van de eredienst: kerkfabriek,
kerkraad, comité …), a central board (centraal bestuur, grouping the local boards of one area: Rooms-Katholiek,
Islamitisch, Orthodox only) or a representative body (representatief orgaan, e.g. a diocese). Each is an imported
`Organisation`; `WorshipUnit` adds what only worship knows: religion, cross-border flag, its central board
(`org:hasSubOrganization`) and representative body (`org:linkedTo`).

*Involved local governments* (betrokken lokale besturen) say which municipality or province supervises
(Toezichthoudend), co-finances (Mede-financierend) or advises (Adviserend) a unit, with a financing percentage;
the rules are in `involvements.py`, enforced by one service.

Boards are organised like any governing body (mirroring the vocabulary of `mandates`): an *organ*
(bestuursorgaan), its *terms* (bestuursorganen in de tijd, 3 years from 1 April to 31 March) and *mandates*
(mandaten, a role on one or more terms). Those live here rather than in `mandates` because the worship boards'
periods, half renewals and roles are their own.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from loket.worship.codes import BoardRole, InvolvementType, MinisterFunction, Religion


class WorshipUnit(models.Model):
    """Eredienstbestuurseenheid: a local board, a central board or a representative body."""

    class Kind(models.TextChoices):
        BOARD = "board", _("Bestuur van de eredienst")
        CENTRAL_BOARD = "central_board", _("Centraal bestuur van de eredienst")
        REPRESENTATIVE_BODY = "representative_body", _("Representatief orgaan")

    class Module(models.TextChoices):
        MANDATES = "mandates", _("Mandatenbeheer erediensten")
        MINISTERS = "ministers", _("Bedienarenbeheer")

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="worship_unit", verbose_name=_("bestuur")
    )
    kind = models.CharField(_("soort"), max_length=24, choices=Kind.choices, db_index=True)
    religion = models.CharField(_("eredienst"), max_length=24, choices=Religion.choices, blank=True)
    is_cross_border = models.BooleanField(_("grensoverschrijdend"), default=False)
    central_board = models.ForeignKey(
        "self",
        verbose_name=_("centraal bestuur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="boards",
        limit_choices_to={"kind": "central_board"},
    )
    representative_body = models.ForeignKey(
        "self",
        verbose_name=_("representatief orgaan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="linked_units",
        limit_choices_to={"kind": "representative_body"},
    )
    read_only_modules = models.JSONField(
        _("alleen lezen"),
        default=list,
        blank=True,
        help_text=_("Modules die voor dit bestuur alleen gelezen kunnen worden (mandates, ministers)."),
    )

    class Meta:
        verbose_name = _("eredienstbestuur")
        verbose_name_plural = _("eredienstbesturen")
        ordering = ["organisation__name", "pk"]

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def uri(self) -> str:
        return self.organisation.uri

    @property
    def is_board(self) -> bool:
        return self.kind == self.Kind.BOARD


class Involvement(models.Model):
    """Betrokken lokaal bestuur (`ere:BetrokkenLokaleBesturen`): a municipality or province and how it is involved."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        WorshipUnit, on_delete=models.CASCADE, related_name="involvements", verbose_name=_("eredienstbestuur")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="worship_involvements",
        verbose_name=_("betrokken bestuur"),
    )
    type = models.CharField(_("type betrokkenheid"), max_length=24, choices=InvolvementType.choices)
    percentage = models.DecimalField(_("financieringspercentage"), max_digits=5, decimal_places=2, null=True)

    class Meta:
        verbose_name = _("betrokken lokaal bestuur")
        verbose_name_plural = _("betrokken lokale besturen")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["unit", "organisation"], name="one_involvement_per_body")]
        indexes = [models.Index(fields=["organisation", "type"])]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.unit} ({self.get_type_display()})"

    @property
    def uri(self) -> str:
        return f"{settings.LOKET_URI_BASE}/id/betrokkenLokaleBesturen/{self.uuid}"


class InvolvementReport(models.Model):
    """The nightly report: every unit that breaks an involvement rule, as it was at `created_at`."""

    created_at = models.DateTimeField(_("opgemaakt op"), db_index=True)
    unit_count = models.PositiveIntegerField(_("besturen nagekeken"), default=0)
    rows = models.JSONField(_("besturen met problemen"), default=list)  # [{unit, name, errors, warnings}]
    seconds = models.FloatField(_("duur (s)"), default=0)

    class Meta:
        verbose_name = _("rapport betrokken besturen")
        verbose_name_plural = _("rapporten betrokken besturen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}"


class Organ(models.Model):
    """Bestuursorgaan of a worship unit (its Kerkraad, Centraal kerkbestuur …)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(WorshipUnit, on_delete=models.CASCADE, related_name="organs", verbose_name=_("bestuur"))
    classification_uri = models.CharField(_("classificatie"), max_length=300)
    label = models.CharField(_("naam"), max_length=200)

    class Meta:
        verbose_name = _("bestuursorgaan eredienst")
        verbose_name_plural = _("bestuursorganen eredienst")
        constraints = [models.UniqueConstraint(fields=["unit", "classification_uri"], name="worship_one_organ")]

    def __str__(self) -> str:
        return f"{self.label} {self.unit}"

    @property
    def uri(self) -> str:
        return f"{settings.LOKET_URI_BASE}/id/eredienstbestuursorganen/{self.uuid}"


class OrganTerm(models.Model):
    """Bestuursorgaan in de tijd: the organ during one board period (1 April to 31 March, three years later)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organ = models.ForeignKey(Organ, on_delete=models.CASCADE, related_name="terms", verbose_name=_("orgaan"))
    start = models.DateField(_("begin"))
    end = models.DateField(_("einde"))

    class Meta:
        verbose_name = _("bestuursperiode")
        verbose_name_plural = _("bestuursperiodes")
        ordering = ["start"]
        constraints = [models.UniqueConstraint(fields=["organ", "start"], name="worship_one_term_per_start")]

    def __str__(self) -> str:
        return f"{self.organ} {self.start.year}-{self.end.year}"

    @property
    def uri(self) -> str:
        return f"{settings.LOKET_URI_BASE}/id/eredienstbestuursorganen/{self.uuid}"


class Mandate(models.Model):
    """Mandaat on a worship board: a role on one or more terms (van rechtswege: all; Grote/Kleine Helft: two)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(WorshipUnit, on_delete=models.CASCADE, related_name="mandates", verbose_name=_("bestuur"))
    role = models.CharField(_("bestuursfunctie"), max_length=40, choices=BoardRole.choices)
    terms = models.ManyToManyField(OrganTerm, related_name="mandates", verbose_name=_("bestuursperiodes"))
    start = models.DateField(_("begin van de termijn"))
    planned_end = models.DateField(_("gepland einde"), null=True, blank=True)  # none: van rechtswege

    class Meta:
        verbose_name = _("mandaat eredienst")
        verbose_name_plural = _("mandaten eredienst")
        ordering = ["start", "role"]
        constraints = [models.UniqueConstraint(fields=["unit", "role", "start"], name="worship_one_mandate")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.start.year}"

    @property
    def uri(self) -> str:
        return f"{settings.LOKET_URI_BASE}/id/mandaten/{self.uuid}"


class MinisterPosition(models.Model):
    """Positie bedienaar: a minister's position at a unit, created by the agency."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        WorshipUnit, on_delete=models.CASCADE, related_name="minister_positions", verbose_name=_("bestuur")
    )
    function = models.CharField(_("functie"), max_length=40, choices=MinisterFunction.choices)

    class Meta:
        verbose_name = _("positie bedienaar")
        verbose_name_plural = _("posities bedienaar")
        ordering = ["unit", "function", "pk"]

    def __str__(self) -> str:
        return f"{self.get_function_display()} ({self.unit})"

    @property
    def uri(self) -> str:
        return f"{settings.LOKET_URI_BASE}/id/positiesBedienaar/{self.uuid}"


class DispatchRule(models.Model):
    """Who receives a worship decision (verdeelregel): for a type of dossier sent by a kind of body, the receivers
    by their relation to the *subject* — the sender itself, or the worship unit the decision is about
    (`eli:is_about`, for decisions of municipalities, provinces and representative bodies about a board).

    Receiver codes: `sender`, `subject`, `involved:<type>` (the subject's involved governments of that type),
    `central_board` (the subject's active central board), `central_board_else_subject`, `representative_body`,
    `boards_of_subject` (a central board's boards), `agency` (ABB). Seeded from the 34 rules of the real dispatcher
    (written as our own data in `dispatch_rules.py`); agency admins edit them in the back office.
    """

    class Sender(models.TextChoices):
        BOARD = "board", _("Bestuur van de eredienst")
        CENTRAL_BOARD = "central_board", _("Centraal bestuur van de eredienst")
        REPRESENTATIVE_BODY = "representative_body", _("Representatief orgaan")
        MUNICIPALITY = "municipality", _("Gemeente")
        PROVINCE = "province", _("Provincie")

    class CentralBoardCondition(models.TextChoices):
        ANY = "any", _("altijd")
        WITH = "with", _("alleen met een actief centraal bestuur")
        WITHOUT = "without", _("alleen zonder actief centraal bestuur")

    class Subject(models.TextChoices):
        SENDER = "sender", _("de afzender")
        ABOUT = "about", _("het bestuur waarover het besluit gaat")

    name = models.CharField(_("naam"), max_length=300)
    document_type_uri = models.CharField(_("type dossier (URI)"), max_length=300, db_index=True)
    senders = models.JSONField(
        _("afzenders"),
        default=list,
        help_text=_("Soorten afzender: board, central_board, representative_body, municipality, province."),
    )
    central_board_condition = models.CharField(
        _("voorwaarde centraal bestuur"),
        max_length=8,
        choices=CentralBoardCondition.choices,
        default=CentralBoardCondition.ANY,
    )
    subject = models.CharField(_("onderwerp"), max_length=8, choices=Subject.choices, default=Subject.SENDER)
    receivers = models.JSONField(_("ontvangers"), default=list)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("verdeelregel")
        verbose_name_plural = _("verdeelregels")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class ContactFields(models.Model):
    """A contact point (schema:ContactPoint + adres): required for board members and ministers."""

    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("telefoon"), max_length=40)
    secondary_phone = models.CharField(_("tweede telefoon"), max_length=40, blank=True)
    street = models.CharField(_("straat"), max_length=200)
    house_number = models.CharField(_("huisnummer"), max_length=20)
    postcode = models.CharField(_("postnummer"), max_length=10)
    municipality_name = models.CharField(_("gemeente"), max_length=100)
    # When the retention purge cleared the fields above (worship/retention.py): the term or position had ended longer
    # ago than LOKET_WORSHIP_CONTACT_RETENTION_DAYS. The row itself stays (the board's composition is a record).
    contact_purged_at = models.DateTimeField(_("contactgegevens gewist op"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class Hideable(models.Model):
    """Provenance (the platform that sent the row) and the agency's invalidation (duplicate / deleted)."""

    class Hidden(models.TextChoices):
        NONE = "", _("zichtbaar")
        DUPLICATE = "duplicate", _("dubbel")
        DELETED = "deleted", _("verwijderd")

    provided_by = models.CharField(_("beheerd via"), max_length=200, blank=True)
    provided_by_uri = models.CharField(_("platform (URI)"), max_length=300, blank=True)
    hidden = models.CharField(_("verborgen"), max_length=12, choices=Hidden.choices, default="", blank=True)
    hidden_comment = models.TextField(_("reden"), blank=True)
    hidden_at = models.DateTimeField(_("verborgen op"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verborgen door"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"))
    modified_at = models.DateTimeField(_("gewijzigd op"))

    class Meta:
        abstract = True


class MailSubscription(models.Model):
    """A receiver of worship decisions that wants the daily mail of new ones (the real `ext:wilMailOntvangen`
    and `ext:mailAdresVoorNotificaties`)."""

    organisation = models.OneToOneField(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="worship_mail_subscription",
        verbose_name=_("bestuur"),
    )
    email = models.EmailField(_("e-mailadres voor meldingen"))
    is_active = models.BooleanField(_("wil de dagelijkse mail ontvangen"), default=True)
    last_sent_at = models.DateTimeField(_("laatst verstuurd"), null=True, blank=True)

    class Meta:
        verbose_name = _("abonnement op de dagelijkse mail")
        verbose_name_plural = _("abonnementen op de dagelijkse mail")

    def __str__(self) -> str:
        return f"{self.organisation} → {self.email}"


class BoardMember(ContactFields, Hideable):
    """Bestuurslid (`ere:EredienstMandataris`): a person holding a mandate of a worship board, with the planned end
    of the term and a contact point. Not public (only the unit, its receivers and the agency see it)."""

    class Status(models.TextChoices):
        EFFECTIVE = "effectief", _("Effectief")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    external_uri = models.CharField(_("URI bij het platform"), max_length=300, blank=True, db_index=True)
    unit = models.ForeignKey(
        WorshipUnit, on_delete=models.CASCADE, related_name="board_members", verbose_name=_("bestuur")
    )
    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="members", verbose_name=_("mandaat"))
    person = models.ForeignKey(
        "persons.Person", on_delete=models.PROTECT, related_name="worship_mandates", verbose_name=_("persoon")
    )
    start = models.DateField(_("startdatum"))
    end = models.DateField(_("einddatum"), null=True, blank=True)
    planned_end = models.DateField(_("gepland einde"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.EFFECTIVE)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("dubbel van")
    )

    class Meta:
        verbose_name = _("bestuurslid eredienst")
        verbose_name_plural = _("bestuursleden eredienst")
        ordering = ["mandate__role", "start", "pk"]
        indexes = [models.Index(fields=["unit", "hidden", "start"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.mandate}"

    @property
    def uri(self) -> str:
        return self.external_uri or f"{settings.LOKET_URI_BASE}/id/mandatarissen/{self.uuid}"


class Minister(ContactFields, Hideable):
    """Bedienaar (`ere:RolBedienaar`): a person in a minister position of a unit. Not public."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    external_uri = models.CharField(_("URI bij het platform"), max_length=300, blank=True, db_index=True)
    position = models.ForeignKey(
        MinisterPosition, on_delete=models.PROTECT, related_name="holders", verbose_name=_("functie")
    )
    person = models.ForeignKey(
        "persons.Person", on_delete=models.PROTECT, related_name="worship_ministries", verbose_name=_("persoon")
    )
    start = models.DateField(_("startdatum"))
    end = models.DateField(_("einddatum"), null=True, blank=True)

    class Meta:
        verbose_name = _("bedienaar")
        verbose_name_plural = _("bedienaren")
        ordering = ["position__function", "start", "pk"]

    def __str__(self) -> str:
        return f"{self.person} — {self.position}"

    @property
    def uri(self) -> str:
        return self.external_uri or f"{settings.LOKET_URI_BASE}/id/rollenBedienaar/{self.uuid}"
