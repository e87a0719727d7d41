"""The rules for involved local governments (betrokken lokale besturen), in one place.

`involvement_problems` judges a unit's whole set of involvements at once (the rules are about the set: exactly one
supervisor, percentages adding up to 100) and is used by the service that saves them, by the page that shows the
running total, and by the nightly report over every unit. It reads nothing from the database: the callers give
it plain facts (`UnitFacts`, `InvolvementFacts`), so the report judges 2,000 units from two queries.

Sources (worship.md §2): OP's validation (`local-involvement.js`, `worship-service.js`), its 2025 rule on who is
involved per religion, and the data-quality checks 1.2.4–1.2.10. Percentages are `Decimal`: 33.33 + 33.33 +
33.34 is exactly 100.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from loket.worship.codes import (
    FINANCING_TYPES,
    MUNICIPALITY_ORGANISED,
    PROVINCE_ORGANISED,
    InvolvementType,
    Religion,
)

HUNDRED = Decimal("100")
MUNICIPALITY = "municipality"
PROVINCE = "province"


@dataclass(frozen=True)
class UnitFacts:
    kind: str  # WorshipUnit.Kind
    religion: str  # Religion or ""
    is_cross_border: bool


@dataclass(frozen=True)
class InvolvementFacts:
    name: str  # the involved body's display name
    category: str  # OrganisationKind.Category of the involved body
    is_active: bool
    type: str  # InvolvementType or ""
    percentage: Decimal | None
    key: str = ""  # the body's identity, to find the same body twice


@dataclass
class Problems:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    inactive: list[str] = field(default_factory=list)  # inactive bodies: saved only after confirmation
    total: Decimal = Decimal("0")

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_percentage(value: object) -> Decimal | None:
    """'33,33' or '33.33' → Decimal('33.33'); '' → None. Raises ValueError for anything else."""
    text = str(value if value is not None else "").strip().replace(",", ".").rstrip("%").strip()
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise ValueError(text) from error
    if not number.is_finite():
        raise ValueError(text)
    return number


def _percentage_problem(row: InvolvementFacts) -> str:
    if row.type in FINANCING_TYPES:
        if row.percentage is None:
            return _("%(body)s: een financieringspercentage is verplicht voor %(type)s.")
        if not (Decimal("1") <= row.percentage <= HUNDRED):
            return _("%(body)s: het percentage moet tussen 1 en 100 liggen.")
        if row.percentage != row.percentage.quantize(Decimal("0.01")):
            return _("%(body)s: het percentage heeft hoogstens 2 cijfers na de komma.")
    elif row.type == InvolvementType.ADVISORY and row.percentage not in (None, Decimal("0")):
        return _("%(body)s: een adviserend bestuur heeft geen financieringspercentage.")
    return ""


def _row_problems(row: InvolvementFacts, problems: Problems) -> None:
    words = {"body": row.name, "type": InvolvementType(row.type).label if row.type else ""}
    if row.category not in (MUNICIPALITY, PROVINCE):
        problems.errors.append(_("%(body)s is geen gemeente of provincie.") % words)
    if not row.is_active:
        problems.inactive.append(row.name)
    if row.type not in InvolvementType.values:
        problems.errors.append(_("%(body)s: kies een type betrokkenheid.") % words)
        return
    if row.type == InvolvementType.ADVISORY and row.category == PROVINCE:
        problems.errors.append(_("%(body)s: een provincie kan niet adviserend betrokken zijn.") % words)
    if message := _percentage_problem(row):
        problems.errors.append(message % words)


def _religion_problems(unit: UnitFacts, rows: list[InvolvementFacts], problems: Problems) -> None:
    supervisors = [row for row in rows if row.type == InvolvementType.SUPERVISING]
    if unit.religion in MUNICIPALITY_ORGANISED:
        words = {"religion": _religion_label(unit)}
        if any(row.category == PROVINCE for row in rows):
            problems.errors.append(_("Bij de eredienst %(religion)s is geen provincie betrokken.") % words)
        if any(row.type == InvolvementType.ADVISORY for row in rows):
            problems.errors.append(_("Bij de eredienst %(religion)s is geen bestuur adviserend.") % words)
        if any(row.category != MUNICIPALITY for row in supervisors):
            problems.errors.append(_("Bij de eredienst %(religion)s is de toezichthouder een gemeente.") % words)
    elif unit.religion in PROVINCE_ORGANISED:
        words = {"religion": _religion_label(unit)}
        if any(row.category != PROVINCE for row in supervisors):
            problems.errors.append(_("Bij de eredienst %(religion)s is de toezichthouder de provincie.") % words)
        if any(row.category == MUNICIPALITY and row.type != InvolvementType.ADVISORY for row in rows):
            problems.errors.append(
                _("Bij de eredienst %(religion)s kan een gemeente alleen adviserend betrokken zijn.") % words
            )
    else:
        problems.warnings.append(_("De eredienst is niet ingevuld: de regels per eredienst zijn niet nagekeken."))


def _religion_label(unit: UnitFacts) -> str:
    return str(Religion(unit.religion).label)


def _count_warnings(unit: UnitFacts, rows: list[InvolvementFacts], problems: Problems) -> None:
    if unit.kind != "board" or unit.religion not in MUNICIPALITY_ORGANISED:
        return
    if not unit.is_cross_border and len(rows) > 1:
        problems.warnings.append(
            _("Een niet-grensoverschrijdend bestuur heeft gewoonlijk één betrokken gemeente (nu %(count)s).")
            % {"count": len(rows)}
        )
    if unit.is_cross_border and len(rows) == 1:
        problems.warnings.append(_("Een grensoverschrijdend bestuur heeft gewoonlijk meer dan één betrokken gemeente."))


def involvement_problems(unit: UnitFacts, rows: list[InvolvementFacts]) -> Problems:
    """Every rule of issue point 2 over one unit's involvements: errors (refused), warnings (told), inactive bodies
    (saved only when confirmed) and the running total of the percentages."""
    problems = Problems()
    if unit.kind == "representative_body":
        if rows:
            problems.errors.append(_("Een representatief orgaan heeft geen betrokken lokale besturen."))
        return problems
    keys = [row.key for row in rows if row.key]
    if len(keys) != len(set(keys)):
        problems.errors.append(_("Hetzelfde bestuur staat meer dan eens in de lijst: één regel per bestuur."))
    for row in rows:
        _row_problems(row, problems)
    supervisors = [row for row in rows if row.type == InvolvementType.SUPERVISING]
    if not supervisors:
        problems.errors.append(_("U dient een toezichthoudende overheid aan te duiden."))
    elif len(supervisors) > 1:
        problems.errors.append(
            _("Slechts één gemeente- of provincieoverheid kan toezichthoudend zijn (nu %(count)s).")
            % {"count": len(supervisors)}
        )
    problems.total = sum((row.percentage or Decimal("0") for row in rows if row.type in FINANCING_TYPES), Decimal("0"))
    if unit.kind == "board" and rows and problems.total != HUNDRED:
        problems.errors.append(
            _("Het totaal van alle percentages moet gelijk zijn aan 100 (nu %(total)s).")
            % {"total": f"{problems.total:.2f}".replace(".", ",")}
        )
    _religion_problems(unit, rows, problems)
    _count_warnings(unit, rows, problems)
    return problems
