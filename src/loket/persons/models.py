"""Persoon: one person for the whole Loket, shared by Mandatenbeheer, Leidinggevendenbeheer and the worship modules.

A person is identified by their national register number (rijksregisternummer) when it is known: at most one
person per number in the whole Loket. The number is never stored in clear, only as a keyed hash and sealed
(`number_protection.py`). Only the used first name and the family name are ever published; the number, birth date,
sex and nationality stay inside (see `rdf.py`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from loket.persons.national_number import FEMALE, MALE

SEX_URIS = {
    MALE: "http://data.vlaanderen.be/id/concept/GeslachtCode/5ab0e9b8a3b2ca7c5e000028",
    FEMALE: "http://data.vlaanderen.be/id/concept/GeslachtCode/5ab0e9b8a3b2ca7c5e000029",
}


class Person(models.Model):
    """Persoon."""

    class Sex(models.TextChoices):
        MALE = MALE, _("man")
        FEMALE = FEMALE, _("vrouw")

    uuid = models.UUIDField(_("uuid"), default=uuid.uuid4, unique=True, editable=False)
    given_names = models.CharField(_("voornamen"), max_length=200)
    used_given_name = models.CharField(_("gebruikte voornaam"), max_length=100)
    family_name = models.CharField(_("achternaam"), max_length=200)
    # The national register number is never stored in clear (number_protection.py): a keyed hash for exact lookup,
    # unique when present (several persons without a number are allowed: NULL is never equal), and a sealed copy.
    national_number_index = models.CharField(
        _("rijksregisternummer (sleutelhash)"), max_length=80, null=True, blank=True, unique=True, editable=False
    )
    national_number_sealed = models.TextField(_("rijksregisternummer (versleuteld)"), blank=True, editable=False)
    birth_date = models.DateField(_("geboortedatum"), null=True, blank=True)
    sex = models.CharField(_("geslacht"), max_length=8, choices=Sex.choices, blank=True)
    nationality = models.CharField(_("nationaliteit"), max_length=2, blank=True, help_text=_("ISO-landcode, bv. BE"))
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    # Retention (persons/retention.py), written only by the daily purge, with update() (no save, no change feed):
    # since when no record refers to the person (cleared when one does again), and the public dataset a record
    # published the person in (the deleted person's URI then answers 410 with a tombstone).
    unreferenced_since = models.DateTimeField(_("zonder verwijzing sinds"), null=True, blank=True, editable=False)
    published_in = models.CharField(_("gepubliceerd in"), max_length=40, blank=True, editable=False)

    class Meta:
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")
        ordering = ["family_name", "used_given_name", "pk"]
        indexes = [models.Index(fields=["family_name", "used_given_name"], name="person_name_idx")]

    def __str__(self) -> str:
        return f"{self.used_given_name} {self.family_name}"

    @property
    def uri(self) -> str:
        return f"{settings.LOKET_URI_BASE}/id/personen/{self.uuid}"
