"""Roles: one per module, plus the access manager and the supervisor. A role is held per organisation.

The identity provider (ACM/IDM) names roles `LoketLB-<name>:<orgcode>`; `ACM_NAMES` maps them to ours.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from loket.core.errors import LazyText


class Role(models.TextChoices):
    TOEZICHT = "toezicht", _("Toezicht")
    BERICHTEN = "berichten", _("Berichtencentrum")
    BBCDR = "bbcdr", _("BBC-DR")
    MANDATEN = "mandaten", _("Mandatenbeheer")
    LEIDINGGEVENDEN = "leidinggevenden", _("Leidinggevendenbeheer")
    PERSONEEL = "personeel", _("Personeelsbeheer")
    SUBSIDIES = "subsidies", _("Subsidiebeheer")
    WORSHIP_MANDATES = "eredienst-mandaten", _("Eredienst mandatenbeheer")
    WORSHIP_MINISTERS = "eredienst-bedienaren", _("Eredienst bedienarenbeheer")
    MESSAGES_AGENCY = "berichten-abb", _("Berichten ABB")
    ACCESS_MANAGER = "toegangsbeheer", _("Toegangsbeheer")
    SUPERVISOR = "toezichthouder", _("Toezichthouder")


MODULE_ROLES = [
    Role.TOEZICHT,
    Role.BERICHTEN,
    Role.BBCDR,
    Role.MANDATEN,
    Role.LEIDINGGEVENDEN,
    Role.PERSONEEL,
    Role.SUBSIDIES,
]

ACM_NAMES: dict[str, Role] = {
    "LoketLB-toezichtGebruiker": Role.TOEZICHT,
    "LoketLB-berichtenGebruiker": Role.BERICHTEN,
    "LoketLB-bbcdrGebruiker": Role.BBCDR,
    "LoketLB-mandaatGebruiker": Role.MANDATEN,
    "LoketLB-eredienstMandaatGebruiker": Role.WORSHIP_MANDATES,
    "LoketLB-eredienstBedienaarGebruiker": Role.WORSHIP_MINISTERS,
    "LoketLB-leidinggevendenGebruiker": Role.LEIDINGGEVENDEN,
    "LoketLB-personeelsbeheer": Role.PERSONEEL,
    "LoketLB-subsidies": Role.SUBSIDIES,
    "LoketLB-toegangsbeheerder": Role.ACCESS_MANAGER,
    "LoketLB-toezichthouder": Role.SUPERVISOR,
}
# The ACM admin role makes a user agency staff (helpdesk, Django admin).
ACM_ADMIN_NAMES = {"LoketLB-admin"}


@dataclass(frozen=True)
class Module:
    code: str
    label: str | LazyText
    role: Role
    description: str | LazyText
    url_name: str | None = None  # None: not yet available in this Loket
    categories: frozenset[str] = frozenset()  # kinds of body (OrganisationKind.Category) it is for; empty: all


WORSHIP_UNITS = frozenset({"worship_board", "central_worship_board"})
# BBC-DR: the 14 classifications of the real Loket (gemeenten, OCMW's and their associations, provincies, districten,
# politie- and hulpverleningszones, intergemeentelijke verenigingen, autonome bedrijven, VGC): not worship bodies,
# representative bodies or the agency.
BBCDR_UNITS = frozenset({"municipality", "ocmw", "province", "district", "other"})

MODULES: list[Module] = [
    Module(
        "toezicht",
        _("Toezicht"),
        Role.TOEZICHT,
        _("Bezorg besluiten en overzichtslijsten aan de toezichthoudende overheid."),
        "supervision:list",
    ),
    Module(
        "berichtencentrum",
        _("Berichtencentrum"),
        Role.BERICHTEN,
        _("Bekijk en reageer op de berichten van de toezichthoudende overheid."),
        "messaging:list",
    ),
    Module(
        "bbcdr",
        _("BBC-DR"),
        Role.BBCDR,
        _("Bezorg de digitale rapporten over de beleids- en beheerscyclus."),
        "reports:list",
        BBCDR_UNITS,
    ),
    Module(
        "mandatenbeheer",
        _("Mandatenbeheer"),
        Role.MANDATEN,
        _("Hou de mandaten binnen uw bestuur bij."),
        "mandates:organs",
    ),
    Module(
        "leidinggevendenbeheer",
        _("Leidinggevendenbeheer"),
        Role.LEIDINGGEVENDEN,
        _("Hou de leidinggevende functies voor uw bestuur bij."),
        "officials:list",
    ),
    Module(
        "personeelsbeheer",
        _("Personeelsbeheer"),
        Role.PERSONEEL,
        _("Hou de personeelsaantallen bij: aantal werknemers en voltijdse equivalenten."),
        "personnel:overview",
        frozenset({"province", "municipality", "ocmw", "agency"}),
    ),
    Module(
        "subsidiebeheer",
        _("Subsidiebeheer"),
        Role.SUBSIDIES,
        _("Volg uw aanvragen voor subsidiemaatregelen op."),
        "subsidies:list",
    ),
    Module(
        "eredienst-mandatenbeheer",
        _("Eredienst mandatenbeheer"),
        Role.WORSHIP_MANDATES,
        _("Hou de bestuursleden van uw bestuur van de eredienst bij."),
        "worship:members",
        WORSHIP_UNITS,
    ),
    Module(
        "eredienst-bedienarenbeheer",
        _("Eredienst bedienarenbeheer"),
        Role.WORSHIP_MINISTERS,
        _("Hou de bedienaren van uw bestuur van de eredienst bij."),
        "worship:ministers",
        WORSHIP_UNITS,
    ),
]


def module_by_code(code: str) -> Module | None:
    return next((module for module in MODULES if module.code == code), None)
