"""Which leading functions a body has, by its classification (the real Loket's 2019 migrations and later
onboardings): 4 for a municipality, 2 for a province, one leidend ambtenaar for autonomous companies and
intermunicipal associations. An OCMW has none: since 2020 the municipality's officials serve both."""

from dataclasses import dataclass

ROLE = "http://data.vlaanderen.be/id/concept/BestuursfunctieCode/"


ORGAN = "http://data.vlaanderen.be/id/concept/BestuursorgaanClassificatieCode/"


@dataclass(frozen=True)
class FunctionKind:
    role_code: str
    label: str
    organ_code: str  # the classification of the one-person governing body the function is modelled as
    only_appointed: bool = False  # Leidend ambtenaar: only "aangesteld"


GENERAL_DIRECTOR = FunctionKind(
    ROLE + "39e08271-68db-4282-897f-5cba88c71862", "Algemeen directeur", ORGAN + "39854196-f214-4688-87a1-d6ad12baa2fa"
)
DEPUTY_GENERAL_DIRECTOR = FunctionKind(
    ROLE + "f7b4e17b-6f4e-48e7-a558-bce61669f59a",
    "Adjunct Algemeen Directeur",
    ORGAN + "11f0af9e-016c-4e0b-983a-d8bc73804abc",
)
FINANCIAL_DIRECTOR = FunctionKind(
    ROLE + "6d4cf4dd-2080-4752-8733-d02a036b2df0",
    "Financieel directeur",
    ORGAN + "62644b9c-4514-41dd-a660-4c35257f2b35",
)
DEPUTY_FINANCIAL_DIRECTOR = FunctionKind(
    ROLE + "3200ffc1-bb72-4235-a81c-64aa578b0789",
    "Adjunct Financieel Directeur",
    ORGAN + "ed40469e-3b6f-4f38-99ba-18912ee352b0",
)
CLERK = FunctionKind(
    ROLE + "63195ec6-02cb-4f86-ac8e-29c5183a11dc", "Griffier", ORGAN + "5ab19107-82d2-4273-a986-3da86fda050d"
)
FINANCIAL_MANAGER = FunctionKind(
    ROLE + "b213c870-c762-4e39-9f78-3abdeda4b64a",
    "Financieel beheerder",
    ORGAN + "3e9f22c1-0d35-445b-8a37-494addedf2d8",
)
LEADING_OFFICIAL = FunctionKind(
    ROLE + "855489b9-b584-4f34-90b2-39aea808cd9f",
    "Leidend ambtenaar",
    ORGAN + "41caf7e6-b040-4720-9cc2-a96cfffed5b4",
    only_appointed=True,
)

FUNCTIONS_BY_KIND: dict[str, list[FunctionKind]] = {
    "Gemeente": [GENERAL_DIRECTOR, DEPUTY_GENERAL_DIRECTOR, FINANCIAL_DIRECTOR, DEPUTY_FINANCIAL_DIRECTOR],
    "Provincie": [CLERK, FINANCIAL_MANAGER],
    "Autonoom gemeentebedrijf": [LEADING_OFFICIAL],
    "Autonoom provinciebedrijf": [LEADING_OFFICIAL],
    "Projectvereniging": [LEADING_OFFICIAL],
    "Dienstverlenende vereniging": [LEADING_OFFICIAL],
    "Opdrachthoudende vereniging": [LEADING_OFFICIAL],
    "Opdrachthoudende vereniging met private deelname": [LEADING_OFFICIAL],
}
ONLY_APPOINTED = {kind.role_code for kinds in FUNCTIONS_BY_KIND.values() for kind in kinds if kind.only_appointed}

FUNCTION_KINDS = {kind.role_code: kind for kinds in FUNCTIONS_BY_KIND.values() for kind in kinds}
