"""Leidinggevendenbeheer: the leading functions of a body (bestuursfuncties: algemeen directeur, financieel
directeur, their deputies, griffier, financieel beheerder, leidend ambtenaar) and who holds them over time
(functionarissen). Functions are made by the agency (`manage.py officials_functions`); clerks keep the holders and
the function's contact point. A holder is a `persons.Person`."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from loket.organisations.models import Organisation
from loket.persons.models import Person


class OfficialFunction(models.Model):
    """Bestuursfunctie, with its contact point (of the function, not of the person)."""

    uuid = models.UUIDField(_("uuid"), unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="official_functions", verbose_name=_("bestuur")
    )
    role_code = models.CharField(_("functiecode"), max_length=200)
    label = models.CharField(_("functie"), max_length=200)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    street = models.CharField(_("straat"), max_length=200, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    municipality_name = models.CharField(_("gemeente"), max_length=100, blank=True)
    contact_to_confirm = models.BooleanField(_("contactgegevens te bevestigen"), default=False)
    contact_confirmed_at = models.DateTimeField(_("contactgegevens bevestigd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("leidinggevende functie")
        verbose_name_plural = _("leidinggevende functies")
        constraints = [models.UniqueConstraint(fields=["organisation", "role_code"], name="one_function_per_role")]
        ordering = ["organisation", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def uri(self) -> str:
        return f"{settings.LOKET_URI_BASE}/id/bestuursfuncties/{self.uuid}"


class Official(models.Model):
    """Functionaris: one person holding one function from a start to an (optional) end, appointed or acting."""

    class Status(models.TextChoices):
        APPOINTED = "aangesteld", _("aangesteld")
        ACTING = "waarnemend", _("waarnemend")

    STATUS_URIS = {
        "aangesteld": "http://data.vlaanderen.be/id/concept/functionarisStatusCode/45b4b155-d22a-4eaf-be3a-97022c6b7fcd",
        "waarnemend": "http://data.vlaanderen.be/id/concept/functionarisStatusCode/188fc9c0-dae7-43b2-b2b3-6122c1594479",
    }

    uuid = models.UUIDField(_("uuid"), default=uuid.uuid4, unique=True, editable=False)
    function = models.ForeignKey(
        OfficialFunction, on_delete=models.PROTECT, related_name="officials", verbose_name=_("functie")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("persoon"))
    start = models.DateField(_("start aanstellingsperiode"))
    end = models.DateField(_("einde aanstellingsperiode"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.APPOINTED)

    class Meta:
        verbose_name = _("functionaris")
        verbose_name_plural = _("functionarissen")
        ordering = ["-start", "pk"]

    def __str__(self) -> str:
        return f"{self.person} ({self.function})"

    @property
    def uri(self) -> str:
        return f"{settings.LOKET_URI_BASE}/id/functionarissen/{self.uuid}"
