"""The rules for board members (worship mandatarissen), judged over plain facts so the service, the list page and
the platform push use the same ones (worship.md §4, issue point 4).

Errors (refused): no start, an end not after the start, a missing contact (e-mail, phone, address), and — better
than the real Loket — two Voorzitters, Secretarissen or Penningmeesters of one board on the same day.
Warnings (told, saved): a start before the mandate's term or an end after it; an officer without a bestuurslid
row on the same days; on the list: no members in the current period, more than 7 active members.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from loket.worship.codes import ELECTED_MEMBERS, OFFICERS, BoardRole

MAX_ACTIVE_MEMBERS = 7
FAR_FUTURE = date(9999, 12, 31)


@dataclass(frozen=True)
class MemberFacts:
    """One board-member row: who (`person` key), which mandate (role, its term), when."""

    person: str
    role: str
    term_start: date
    term_end: date | None  # planned end of the mandate (None: van rechtswege)
    start: date | None
    end: date | None
    key: str = ""  # the row itself (to leave it out when judging a change to it)


@dataclass
class MemberProblems:
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def error(self, field_name: str, message: str) -> None:
        self.errors.setdefault(field_name, []).append(message)


def _until(row: MemberFacts) -> date:
    return row.end or row.term_end or FAR_FUTURE


def _overlap(a: MemberFacts, b: MemberFacts) -> bool:
    return a.start is not None and b.start is not None and a.start <= _until(b) and b.start <= _until(a)


def member_problems(
    row: MemberFacts, others: list[MemberFacts], *, contact: dict[str, str], contact_required: bool = True
) -> MemberProblems:
    """Judge one row being saved against the unit's other (visible) rows. `contact_required=False`: a row whose
    contact data the retention cleared (worship/retention.py) may be saved without it."""
    problems = MemberProblems()
    if row.start is None:
        problems.error("start", _("De startdatum is verplicht."))
    if row.start and row.end and row.end <= row.start:
        problems.error("end", _("De einddatum moet na de startdatum liggen."))
    if contact_required:
        for name, label in (
            ("email", _("e-mail")),
            ("phone", _("telefoon")),
            ("street", _("straat")),
            ("house_number", _("huisnummer")),
            ("postcode", _("postcode")),
            ("municipality_name", _("gemeente")),
        ):
            if not (contact.get(name) or "").strip():
                problems.error(name, _("Vul %(field)s in: een contactgegeven is verplicht.") % {"field": label})
    if row.start is None:
        return problems
    if row.start < row.term_start:
        problems.warnings.append(_("De startdatum ligt voor het begin van de termijn van dit mandaat."))
    if row.end and row.term_end and row.end > row.term_end:
        problems.warnings.append(_("De einddatum ligt na het einde van de termijn van dit mandaat."))
    others = [other for other in others if other.key != row.key or not row.key]
    if row.role in OFFICERS:
        clash = [other for other in others if other.role == row.role and _overlap(row, other)]
        if clash:
            problems.error(
                "mandate",
                _("Er is al een %(role)s op die dagen: één %(role)s tegelijk.")
                % {"role": str(BoardRole(row.role).label).lower()},
            )
        member_rows = [o for o in others if o.person == row.person and o.role in ELECTED_MEMBERS and _overlap(row, o)]
        if not member_rows:
            problems.warnings.append(
                _("%(role)s zonder rij als bestuurslid: voeg voor deze persoon ook een rij als bestuurslid toe.")
                % {"role": BoardRole(row.role).label}
            )
    return problems


def list_warnings(rows: list[MemberFacts], *, period: tuple[date, date], today: date) -> list[str]:
    """What the list of a period says above the rows."""
    warnings: list[str] = []
    current = period[0] <= today <= period[1]
    active = [r for r in rows if r.start and r.start <= today and (r.end is None or r.end > today)]
    if current and not active:
        warnings.append(_("Er zijn geen bestuursleden in de huidige periode."))
    people = {r.person for r in active if r.role in ELECTED_MEMBERS or r.role in OFFICERS}
    if len(people) > MAX_ACTIVE_MEMBERS:
        warnings.append(
            _("Meer dan %(max)s actieve bestuursleden (%(count)s).") % {"max": MAX_ACTIVE_MEMBERS, "count": len(people)}
        )
    for officer in [r for r in active if r.role in OFFICERS]:
        if not any(o.person == officer.person and o.role in ELECTED_MEMBERS and _overlap(officer, o) for o in rows):
            warnings.append(_("%(role)s zonder rij als bestuurslid.") % {"role": BoardRole(officer.role).label})
    return warnings
