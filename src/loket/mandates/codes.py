"""The code lists of Mandatenbeheer as the code knows them (`reference/codelists/`): legislature periods, organ
classifications, mandate roles (which roles each decretal organ has), statuses and publication statuses. URIs are
the real ones; keys are short English names."""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ORGAN = "http://data.vlaanderen.be/id/concept/BestuursorgaanClassificatieCode/"
ROLE = "http://data.vlaanderen.be/id/concept/BestuursfunctieCode/"
UNIT = "http://data.vlaanderen.be/id/concept/BestuurseenheidClassificatieCode/"
PERIOD = "http://data.lblod.info/id/concept/Bestuursperiode/"
STATUS = "http://data.vlaanderen.be/id/concept/MandatarisStatusCode/"
PUBLICATION = "http://data.lblod.info/id/concept/MandatarisPublicationStatusCode/"
POLICY_DOMAIN = "http://data.vlaanderen.be/id/concept/BeleidsdomeinCode/"
# The end the validation report reads for an organ of the current period (no bindingEinde yet).
OPEN_PERIOD_END = date(2030, 12, 31)


@dataclass(frozen=True)
class Period:
    """Bestuursperiode (`legislature-periods.ttl`) with the binding dates its organs-in-time get."""

    key: str
    label: str | Promise  # "heden" is translated on English pages (RDF names the period by its URI)
    uri: str
    start_year: int
    end_year: int | None
    binding_start: date
    binding_end: date | None


PERIODS = [
    Period(
        "2012",
        "2012 - 2019",
        PERIOD + "845dbc7f-139e-4632-b200-f90e180f1dba",
        2012,
        2019,
        date(2013, 1, 1),
        date(2018, 12, 31),
    ),
    Period(
        "2019",
        "2019 - 2024",
        PERIOD + "a2b977a3-ce68-4e42-80a6-4397f66fc5ca",
        2019,
        2024,
        date(2019, 1, 1),
        date(2024, 12, 1),
    ),
    Period(
        "2024", _("2024 - heden"), PERIOD + "96efb929-5d83-48fa-bfbb-b98dfb1180c7", 2024, None, date(2024, 12, 2), None
    ),
]
CURRENT_PERIOD = "2024"


class Status(models.TextChoices):
    """Mandataris status (`mandate-statuses.ttl`)."""

    EFFECTIVE = "effectief", _("Effectief")
    ACTING = "waarnemend", _("Waarnemend")
    PREVENTED = "verhinderd", _("Verhinderd")
    TITULAR = "titelvoerend", _("Titelvoerend")


STATUS_URIS = {
    Status.EFFECTIVE: STATUS + "21063a5b-912c-4241-841c-cc7fb3c73e75",
    Status.ACTING: STATUS + "e1ca6edd-55e1-4288-92a5-53f4cf71946a",
    Status.PREVENTED: STATUS + "c301248f-0199-45ca-b3e5-4c596731d5fe",
    Status.TITULAR: STATUS + "aacb3fed-b51d-4e0b-a411-f3fa641da1b3",
}


class Publication(models.TextChoices):
    """Publication status (`publication-statuses.ttl`): Draft is never public."""

    DRAFT = "draft", _("Draft")
    NOT_RATIFIED = "niet-bekrachtigd", _("Niet bekrachtigd")
    RATIFIED = "bekrachtigd", _("Bekrachtigd")


PUBLICATION_URIS = {
    Publication.DRAFT: PUBLICATION + "588ce330-4abb-4448-9776-a17d9305df07",
    Publication.NOT_RATIFIED: PUBLICATION + "d3b12468-3720-4cb0-95b4-6aa2996ab188",
    Publication.RATIFIED: PUBLICATION + "9d8fd14d-95d0-4f5e-b3a5-a56a126227b6",
}


class OrganKind(models.TextChoices):
    COUNCIL = "5ab0e9b8a3b2ca7c5e000005", _("Gemeenteraad")
    COLLEGE = "5ab0e9b8a3b2ca7c5e000006", _("College van Burgemeester en Schepenen")
    MAYOR = "4955bd72cd0e4eb895fdbfab08da0284", _("Burgemeester")
    WELFARE_COUNCIL = "5ab0e9b8a3b2ca7c5e000007", _("Raad voor Maatschappelijk Welzijn")
    PERMANENT_BUREAU = "5ab0e9b8a3b2ca7c5e000008", _("Vast Bureau")
    SOCIAL_COMMITTEE = "5ab0e9b8a3b2ca7c5e000009", _("Bijzonder Comité voor de Sociale Dienst")
    DISTRICT_COUNCIL = "5ab0e9b8a3b2ca7c5e00000a", _("Districtsraad")
    DISTRICT_COLLEGE = "5ab0e9b8a3b2ca7c5e00000b", _("Districtscollege")
    DISTRICT_MAYOR = "9314533e-891f-4d84-a492-0338af104065", _("Districtsburgemeester")
    PROVINCIAL_COUNCIL = "5ab0e9b8a3b2ca7c5e00000c", _("Provincieraad")
    DEPUTATION = "5ab0e9b8a3b2ca7c5e00000d", _("Deputatie")
    GOVERNOR = "180a2fba-6ca9-4766-9b94-82006bb9c709", _("Gouverneur")
    POLICE_COUNCIL = "1afce932-53c1-46d8-8aab-90dcc331e67d", _("Politieraad")


class RoleCode(models.TextChoices):
    """Bestuursfunctie codes of the decretal mandates (`mandate-roles.ttl`)."""

    COUNCILLOR = "5ab0e9b8a3b2ca7c5e000011", _("Gemeenteraadslid")
    COUNCIL_CHAIR = "5ab0e9b8a3b2ca7c5e000012", _("Voorzitter van de gemeenteraad")
    MAYOR = "5ab0e9b8a3b2ca7c5e000013", _("Burgemeester")
    ALDERMAN = "5ab0e9b8a3b2ca7c5e000014", _("Schepen")
    ADDED_ALDERMAN = "59a90e03-4f22-4bb9-8c91-132618db4b38", _("Toegevoegde schepen")
    DESIGNATED_MAYOR = "7b038cc40bba10bec833ecfe6f15bc7a", _("Aangewezen burgemeester")
    WELFARE_MEMBER = "5ab0e9b8a3b2ca7c5e000015", _("Lid van de Raad voor Maatschappelijk Welzijn")
    WELFARE_CHAIR = "5ab0e9b8a3b2ca7c5e000016", _("Voorzitter van de Raad voor Maatschappelijk Welzijn")
    BUREAU_MEMBER = "5ab0e9b8a3b2ca7c5e000017", _("Lid van het Vast Bureau")
    BUREAU_CHAIR = "5ab0e9b8a3b2ca7c5e000018", _("Voorzitter van het Vast Bureau")
    SOCIAL_MEMBER = "5ab0e9b8a3b2ca7c5e000019", _("Lid van het Bijzonder Comité voor de Sociale Dienst")
    SOCIAL_CHAIR = "5ab0e9b8a3b2ca7c5e00001a", _("Voorzitter van het Bijzonder Comité voor de Sociale Dienst")
    DISTRICT_COUNCILLOR = "5ab0e9b8a3b2ca7c5e00001b", _("Districtsraadslid")
    DISTRICT_CHAIR = "5ab0e9b8a3b2ca7c5e00001c", _("Voorzitter van de districtsraad")
    DISTRICT_MAYOR = "5ab0e9b8a3b2ca7c5e00001d", _("Districtsburgemeester")
    DISTRICT_ALDERMAN = "5ab0e9b8a3b2ca7c5e00001e", _("Districtsschepen")
    PROVINCIAL_COUNCILLOR = "5ab0e9b8a3b2ca7c5e00001f", _("Provincieraadslid")
    PROVINCIAL_CHAIR = "5ab0e9b8a3b2ca7c5e000027", _("Voorzitter van de provincieraad")
    DEPUTY = "5ab0e9b8a3b2ca7c5e000020", _("Gedeputeerde")
    GOVERNOR = "d7c00cd1-baf1-4346-83c0-6796c0bedd85", _("Gouverneur")
    POLICE_COUNCILLOR = "9210094bcdeb4fc8aabd458fe5a1d711", _("Politieraadslid")
    POLICE_CHAIR = "00801a4ba8104832a8430f014be9172f", _("Voorzitter van de politieraad")


# Unit classification → its decretal organs → the mandates of each (role, seats when fixed by law).
UNIT_MUNICIPALITY = UNIT + "5ab0e9b8a3b2ca7c5e000001"
UNIT_PROVINCE = UNIT + "5ab0e9b8a3b2ca7c5e000000"
UNIT_OCMW = UNIT + "5ab0e9b8a3b2ca7c5e000002"
UNIT_DISTRICT = UNIT + "5ab0e9b8a3b2ca7c5e000003"
UNIT_POLICE_ZONE = UNIT + "a3922c6d-425b-474f-9a02-ffb71a436bfc"

R = RoleCode
DECRETAL: dict[str, dict[str, list[tuple[str, int | None]]]] = {
    UNIT_MUNICIPALITY: {
        OrganKind.COUNCIL: [(R.COUNCILLOR, None), (R.COUNCIL_CHAIR, 1)],
        OrganKind.COLLEGE: [(R.ALDERMAN, None), (R.ADDED_ALDERMAN, 1), (R.DESIGNATED_MAYOR, 1)],
        OrganKind.MAYOR: [(R.MAYOR, 1)],
    },
    UNIT_OCMW: {
        OrganKind.WELFARE_COUNCIL: [(R.WELFARE_MEMBER, None), (R.WELFARE_CHAIR, 1)],
        OrganKind.PERMANENT_BUREAU: [(R.BUREAU_MEMBER, None), (R.BUREAU_CHAIR, 1)],
        OrganKind.SOCIAL_COMMITTEE: [(R.SOCIAL_MEMBER, None), (R.SOCIAL_CHAIR, 1)],
    },
    UNIT_DISTRICT: {
        OrganKind.DISTRICT_COUNCIL: [(R.DISTRICT_COUNCILLOR, None), (R.DISTRICT_CHAIR, 1)],
        OrganKind.DISTRICT_COLLEGE: [(R.DISTRICT_ALDERMAN, None)],
        OrganKind.DISTRICT_MAYOR: [(R.DISTRICT_MAYOR, 1)],
    },
    UNIT_PROVINCE: {
        OrganKind.PROVINCIAL_COUNCIL: [(R.PROVINCIAL_COUNCILLOR, None), (R.PROVINCIAL_CHAIR, 1)],
        OrganKind.DEPUTATION: [(R.DEPUTY, None)],
        OrganKind.GOVERNOR: [(R.GOVERNOR, 1)],
    },
    UNIT_POLICE_ZONE: {
        OrganKind.POLICE_COUNCIL: [(R.POLICE_COUNCILLOR, None), (R.POLICE_CHAIR, 1)],
    },
}

# Rules at save (issue point 5, reference §3.1/3.2).
FRACTIE_REQUIRED = {OrganKind.COUNCIL, OrganKind.COLLEGE, OrganKind.MAYOR}
FRACTIE_REFUSED = {OrganKind.POLICE_COUNCIL, OrganKind.SOCIAL_COMMITTEE}
POLICY_DOMAIN_ORGANS = {OrganKind.MAYOR, OrganKind.COLLEGE, OrganKind.DEPUTATION}
MAYOR_ROLES = {R.MAYOR, R.DESIGNATED_MAYOR, R.DISTRICT_MAYOR}
RANGORDE_REQUIRED = {R.ALDERMAN, R.ADDED_ALDERMAN, R.COUNCILLOR}
# For these organs Niet bekrachtigd is final: no Bekrachtigd (reference §4).
NOT_RATIFIABLE_ORGANS = {OrganKind.WELFARE_COUNCIL, OrganKind.PERMANENT_BUREAU}

ORDINALS = [
    "Eerste",
    "Tweede",
    "Derde",
    "Vierde",
    "Vijfde",
    "Zesde",
    "Zevende",
    "Achtste",
    "Negende",
    "Tiende",
    "Elfde",
    "Twaalfde",
    "Dertiende",
    "Veertiende",
    "Vijftiende",
    "Zestiende",
    "Zeventiende",
    "Achttiende",
    "Negentiende",
    "Twintigste",
    "Eenentwintigste",
    "Tweeëntwintigste",
    "Drieëntwintigste",
    "Vierentwintigste",
    "Vijfentwintigste",
    "Zesentwintigste",
    "Zevenentwintigste",
    "Achtentwintigste",
    "Negenentwintigste",
    "Dertigste",
    "Eenendertigste",
    "Tweeëndertigste",
    "Drieëndertigste",
    "Vierendertigste",
    "Vijfendertigste",
    "Zesendertigste",
    "Zevenendertigste",
    "Achtendertigste",
    "Negenendertigste",
    "Veertigste",
    "Eenenveertigste",
    "Tweeënveertigste",
    "Drieënveertigste",
    "Vierenveertigste",
]


def period_by_key(key: str) -> Period | None:
    return next((period for period in PERIODS if period.key == key), None)


def role_uri(code: str) -> str:
    return ROLE + code


def organ_classification_uri(code: str) -> str:
    return ORGAN + code


# Roles whose holders are public: LMB's `ext:publicMandate` (migration 2025/20250421135100-mark-public-mandates of
# app-lokaal-mandatenbeheer). Politieraad roles are not among them.
PUBLIC_ROLES = frozenset(
    {
        R.ADDED_ALDERMAN,
        R.COUNCILLOR,
        R.COUNCIL_CHAIR,
        R.MAYOR,
        R.ALDERMAN,
        R.WELFARE_MEMBER,
        R.WELFARE_CHAIR,
        R.BUREAU_MEMBER,
        R.BUREAU_CHAIR,
        R.SOCIAL_MEMBER,
        R.SOCIAL_CHAIR,
        R.DISTRICT_COUNCILLOR,
        R.DISTRICT_CHAIR,
        R.DISTRICT_MAYOR,
        R.PROVINCIAL_COUNCILLOR,
        R.PROVINCIAL_CHAIR,
        R.DESIGNATED_MAYOR,
        R.GOVERNOR,
        R.DISTRICT_ALDERMAN,
        R.DEPUTY,
    }
)


POLICY_DOMAIN_SCHEME = "http://data.vlaanderen.be/id/conceptscheme/BeleidsdomeinCode"


@lru_cache(maxsize=1)
def policy_domains() -> dict[str, str]:
    """Beleidsdomeinen (`policy-domains.ttl`, 143 codes): URI → label, sorted by label. A holder's policy domains
    are URIs of this list, picked in the holder form, checked by the services and published as they are."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF, SKOS

    graph = Graph().parse(settings.REPO_DIR / "data" / "codelists" / "policy-domains.ttl", format="turtle")
    scheme = URIRef(POLICY_DOMAIN_SCHEME)
    found = {
        str(concept): str(graph.value(concept, SKOS.prefLabel))
        for concept in graph.subjects(RDF.type, SKOS.Concept)
        if (concept, SKOS.inScheme, scheme) in graph
    }
    return dict(sorted(found.items(), key=lambda item: item[1].lower()))


def policy_domain_by_label(label: str) -> str | None:
    """The URI of the code with this label (case and surrounding spaces ignored), as the CSV import names them."""
    wanted = label.strip().lower()
    return next((uri for uri, name in policy_domains().items() if name.lower() == wanted), None)
