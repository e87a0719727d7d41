"""The worship code lists (`reference/codelists/worship.ttl`) as the code knows them: religions, involvement types,
board roles, minister functions. URIs are the real ones; our keys are short English names."""

from django.db import models
from django.utils.translation import gettext_lazy as _

CONCEPTS = "http://lblod.data.gift/concepts/"
BOARD_ROLE_BASE = "http://data.vlaanderen.be/id/concept/BestuursfunctieCode/"
ORGAN_CLASSIFICATION_BASE = "http://data.vlaanderen.be/id/concept/BestuursorgaanClassificatieCode/"
ERE = "http://data.lblod.info/vocabularies/erediensten/"


class Religion(models.TextChoices):
    """Erkende erediensten (`code:TypeEredienst`)."""

    ROMAN_CATHOLIC = "rooms-katholiek", _("Rooms-Katholiek")
    PROTESTANT = "protestants", _("Protestants")
    ANGLICAN = "anglicaans", _("Anglicaans")
    ISRAELITE = "israelitisch", _("Israëlitisch")
    ISLAMIC = "islamitisch", _("Islamitisch")
    ORTHODOX = "orthodox", _("Orthodox")


RELIGION_URIS: dict[str, str] = {
    Religion.ROMAN_CATHOLIC: CONCEPTS + "b13d1d623626bc1ee75c7d20bc60e3c0",
    Religion.PROTESTANT: CONCEPTS + "e8cba1540b35a32e9cb45126c38c03c6",
    Religion.ANGLICAN: CONCEPTS + "99536dd6eb0d2ef38a89efafb17e7389",
    Religion.ISRAELITE: CONCEPTS + "1a1abeafc973d27cebcb2d7a15b2d823",
    Religion.ISLAMIC: CONCEPTS + "9d8bd472a00bf0a5c7b7186606365a52",
    Religion.ORTHODOX: CONCEPTS + "84bcd6896f575bae4857ff8d2764bed8",
}

# Who supervises whom (OP's rule, worship.md §2): these four are organised per municipality...
MUNICIPALITY_ORGANISED = frozenset(
    {Religion.ROMAN_CATHOLIC, Religion.PROTESTANT, Religion.ANGLICAN, Religion.ISRAELITE}
)
# ...these two per province (the municipality can only advise).
PROVINCE_ORGANISED = frozenset({Religion.ISLAMIC, Religion.ORTHODOX})
# Only these have central boards (`WITH_CENTRAL_WORSHIP_SERVICE`).
WITH_CENTRAL_BOARD = frozenset({Religion.ROMAN_CATHOLIC, Religion.ISLAMIC, Religion.ORTHODOX})


class InvolvementType(models.TextChoices):
    """Type betrokkenheid (`code:TypeBetrokkenheid`)."""

    SUPERVISING = "toezichthoudend", _("Toezichthoudend")
    CO_FINANCING = "mede-financierend", _("Mede-financierend")
    ADVISORY = "adviserend", _("Adviserend")


INVOLVEMENT_TYPE_URIS: dict[str, str] = {
    InvolvementType.SUPERVISING: CONCEPTS + "ac400cc9f135ac7873fb3e551ec738c1",
    InvolvementType.CO_FINANCING: CONCEPTS + "86fcbbbff764f1cba4c7e10dbbae578e",
    InvolvementType.ADVISORY: CONCEPTS + "0f845f00ee76099c89518cbaf6a7b77f",
}
FINANCING_TYPES = frozenset({InvolvementType.SUPERVISING, InvolvementType.CO_FINANCING})


class BoardRole(models.TextChoices):
    """Bestuursfunctie of a worship board mandate (`BestuursfunctieCode`)."""

    EX_OFFICIO = "5972fccd87f864c4ec06bfbd20b5008b", _("Bestuurslid van rechtswege")
    CHAIR = "67e6e585166cd97575b3e17ffc430a43", _("Voorzitter")
    SECRETARY = "5ac134b9800b81da3c450d6b9605cef2", _("Secretaris")
    TREASURER = "180d13930d6f1a3938e0aa7fa9990002", _("Penningmeester")
    MEMBER_MAJOR_HALF = "a8b5509b-f86b-48f8-94d6-fe463a9b77e3", _("Bestuurslid (Grote Helft)")
    MEMBER_MINOR_HALF = "2962f0bd-2836-4758-9866-8ce8ea2c536f", _("Bestuurslid (Kleine Helft)")
    CENTRAL_CHAIR = "5960262f753661cf84329f3afa9f7df7", _("Voorzitter van het centraal bestuur")
    CENTRAL_SECRETARY = "e2af0ea1a6af96cfb698ac39ad985eea", _("Secretaris van het centraal bestuur")
    CENTRAL_MEMBER = "f848fa3cc2c5fb7c581a116866293925", _("Bestuurslid van het centraal bestuur")
    CENTRAL_EXPERT = "8c91c321ad477c4fc372ee36358d3ed4", _("Expert van het centraal bestuur")
    CENTRAL_REPRESENTATIVE = (
        "6e26e94ea4b127eeb850fb6debe07271",
        _("Vertegenwoordiger aangesteld door het representatief orgaan"),
    )

    @property
    def uri(self) -> str:
        return BOARD_ROLE_BASE + self.value


OFFICERS = frozenset({BoardRole.CHAIR, BoardRole.SECRETARY, BoardRole.TREASURER})
ELECTED_MEMBERS = frozenset({BoardRole.MEMBER_MAJOR_HALF, BoardRole.MEMBER_MINOR_HALF, BoardRole.EX_OFFICIO})
LOCAL_PER_PERIOD = (BoardRole.CHAIR, BoardRole.SECRETARY, BoardRole.TREASURER)
CENTRAL_PER_PERIOD = (
    BoardRole.CENTRAL_CHAIR,
    BoardRole.CENTRAL_SECRETARY,
    BoardRole.CENTRAL_MEMBER,
    BoardRole.CENTRAL_EXPERT,
    BoardRole.CENTRAL_REPRESENTATIVE,
)

# Organ classifications: a local board's organ ("Kerkraad") and a central board's ("Centraal kerkbestuur").
LOCAL_ORGAN = (ORGAN_CLASSIFICATION_BASE + "04f65457bf125b2dc59fd71917ac3d08", "Kerkraad")
CENTRAL_ORGAN = (ORGAN_CLASSIFICATION_BASE + "0d985699479162198b889f10e4f1a8ce", "Centraal kerkbestuur")


class MinisterFunction(models.TextChoices):
    """Functie of a minister position (`code:EredienstBeroepen`)."""

    COORDINATOR = "ea58c73d9b4fc8a24a4b3eaa73a33995", _("Coördinator")
    CO_PASTOR = "59837b12c14f215a4efadae950be0072", _("Medepastoor")
    APPOINTED_PRIEST = "84b3a2321d1b69b6de782bb04e1a6862", _("Aangesteld priester")
    PASTOR = "5c7fefe1b921dfd4c550924bb7a9331d", _("Pastoor")
    CHAPLAIN = "fa4191f9d7050fe62ec3fc0e16541711", _("Kapelaan")
    FIRST_IMAM = "e357bc8f4cc3a694fde2239748768a22", _("Eerste Imam in rang")
    SECOND_IMAM = "c4a3fd586211b17b06f574885e23f355", _("Tweede Imam in rang")
    THIRD_IMAM = "5ebb798bd59c3b48c25116032caa02b7", _("Derde Imam in rang")
    ACTING_IMAM = "7d8e0c15-7726-4196-9416-6dc40ed858bb", _("Waarnemende Imam")
    OFFICIATING_MINISTER = "17e7177aba2596705ad3c209019c729a", _("Officiërend bedienaar")
    RABBI = "27b3d149dd2a726effe749572177682e", _("Rabbijn")
    DEACON = "f274cb5a-ba44-4931-a1a8-38ec34513215", _("Diaken")
    PRIEST = "efbf2ff50b5c4f693f129ac03319c4f2", _("Priester")
    RECTOR = "04d3b5325f2ebc5eaf96849519af4254", _("Rector")
    PREACHER = "83d50e9184ae4a628851370079d162f6", _("Predikant")

    @property
    def uri(self) -> str:
        return CONCEPTS + self.value


# Which functions a religion has (`MAPPING_POSITION_RELIGION`, worship.md §5).
FUNCTIONS_BY_RELIGION: dict[str, frozenset[str]] = {
    Religion.ROMAN_CATHOLIC: frozenset(
        {
            MinisterFunction.COORDINATOR,
            MinisterFunction.CO_PASTOR,
            MinisterFunction.APPOINTED_PRIEST,
            MinisterFunction.PASTOR,
        }
    ),
    Religion.ANGLICAN: frozenset({MinisterFunction.CHAPLAIN}),
    Religion.ISLAMIC: frozenset(
        {
            MinisterFunction.FIRST_IMAM,
            MinisterFunction.SECOND_IMAM,
            MinisterFunction.THIRD_IMAM,
            MinisterFunction.ACTING_IMAM,
        }
    ),
    Religion.ISRAELITE: frozenset({MinisterFunction.OFFICIATING_MINISTER, MinisterFunction.RABBI}),
    Religion.ORTHODOX: frozenset({MinisterFunction.DEACON, MinisterFunction.PRIEST, MinisterFunction.RECTOR}),
    Religion.PROTESTANT: frozenset({MinisterFunction.PREACHER}),
}
