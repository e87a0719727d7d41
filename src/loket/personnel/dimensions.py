"""The grid of a personnel table: sex × working time × legal status × education level, the concepts of
`personnel-dimensions.ttl` (the real URIs). A slice holds one observation per cell; a cell is numbered 0–47:
`level * 8 + working_time * 4 + legal_status * 2 + sex`, levels in the real table's order (by label: IFIC-personeel
first, then Niveau A–E), working time Voltijds before Deeltijds, Vastbenoemd before Contractueel, men before women.
The legal-status scheme's label in the source is wrong (it says "Werktijd categorie"); it is never shown here."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CONCEPT = "http://lblod.data.gift/concepts/"
SCHEME = "http://lblod.data.gift/concept-schemes/"
HUMAN_SEX = "http://publications.europa.eu/resource/authority/human-sex"


@dataclass(frozen=True)
class Concept:
    code: str
    uri: str
    label: Promise


SEXES = (
    Concept("MALE", f"{HUMAN_SEX}/MALE", _("Mannen")),
    Concept("FEMALE", f"{HUMAN_SEX}/FEMALE", _("Vrouwen")),
)
WORKING_TIMES = (
    Concept("voltijds", f"{CONCEPT}58c0fc8f-1ec9-469d-a13d-87a0e48fc0a3", _("Voltijds")),
    Concept("deeltijds", f"{CONCEPT}00b0467e-4dac-42ff-a5be-2892f0e6eca5", _("Deeltijds")),
)
LEGAL_STATUSES = (
    Concept("vastbenoemd", f"{CONCEPT}a29dd9d3-f0a2-4e40-b19a-dbc0ffd6f682", _("Vastbenoemd")),
    Concept("contractueel", f"{CONCEPT}5ac28613-801b-4b2e-ab79-68a6ad0a584d", _("Contractueel")),
)
LEVELS = (
    Concept("ific", f"{CONCEPT}d1a7ac1f-587c-48fb-ba6f-1a3bd19aa853", _("IFIC-personeel")),
    Concept("A", f"{CONCEPT}53abea92-8a33-4d6c-8813-6e3a0d8c70e5", _("Niveau A")),
    Concept("B", f"{CONCEPT}fe0c5ed6-ee8e-466e-b4eb-4e1a580c2133", _("Niveau B")),
    Concept("C", f"{CONCEPT}ce9f9a39-ded6-4920-8c69-d2d3ea75b8f6", _("Niveau C")),
    Concept("D", f"{CONCEPT}78ae17dd-45f6-40d4-ab03-729231c1071e", _("Niveau D")),
    Concept("E", f"{CONCEPT}92bbd6c5-acee-43ac-9462-f5e260e2b900", _("Niveau E")),
)
# The unit measures: what a dataset counts.
HEADS = "koppen"
FTE = "vte"
UNITS = {
    HEADS: Concept(HEADS, f"{CONCEPT}feed220b-f398-456e-8635-94a04dfbdbe8", _("Werknemers - Koppen")),
    FTE: Concept(FTE, f"{CONCEPT}a97325c1-f572-4dd8-8952-c2cb254f114a", _("Voltijds equivalenten - VTE")),
}
SCHEMES = {
    "working_time": f"{SCHEME}95d22e7f-de86-4a2c-9974-0e3de5013d87",
    "legal_status": f"{SCHEME}31d5b7f2-fd44-4ef6-8fbe-95ba26d0b3fb",
    "level": f"{SCHEME}ac6766b6-6d9c-458a-b60b-1338db2f870c",
    "unit": f"{SCHEME}6facb675-63f5-44ef-a3bd-38a0cb87e1c5",
    "sex": HUMAN_SEX,
}


@dataclass(frozen=True)
class Cell:
    index: int
    level: int
    working_time: int
    legal_status: int
    sex: int

    @property
    def column(self) -> int:
        """The table column (0–7): working time × legal status × sex."""
        return self.index % 8

    @property
    def is_full_time(self) -> bool:
        return self.working_time == 0


CELLS = tuple(
    Cell(level * 8 + working * 4 + status * 2 + sex, level, working, status, sex)
    for level in range(len(LEVELS))
    for working in range(len(WORKING_TIMES))
    for status in range(len(LEGAL_STATUSES))
    for sex in range(len(SEXES))
)
CELL_COUNT = len(CELLS)  # 48
