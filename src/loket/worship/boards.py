"""Board members (bestuursleden) of worship boards: periods, the rows of a period, saving and hiding rows.

Rules are in `members.py`; this module reads and writes. A row is editable in the Loket only when the unit works
in the Loket (on a platform such as Religiopoint its rows come only through the platform's push and are shown as
"beheerd via <platform>"), the module is not switched to read-only for the unit, and the row is not hidden.
Rows a platform sent keep their provenance after the unit switches back to the Loket, and become editable.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core.audit import audit_record
from loket.core.errors import DomainError
from loket.persons.services import person_claim
from loket.worship.codes import BoardRole
from loket.worship.members import MemberFacts, list_warnings, member_problems
from loket.worship.models import BoardMember, Mandate, OrganTerm, WorshipUnit

CONTACT_FIELDS = ("email", "phone", "secondary_phone", "street", "house_number", "postcode", "municipality_name")


def contact_kept_cleared(row: BoardMember | Any | None, contact: dict[str, str]) -> bool:
    """True when a row whose contact data the retention cleared is saved still without any: allowed, and the mark
    stays (worship/retention.py). Contact data given again clears the mark."""
    return (
        row is not None
        and row.contact_purged_at is not None
        and not any((contact.get(name) or "").strip() for name in CONTACT_FIELDS)
    )


def read_only_reason(unit: WorshipUnit, module: str) -> str:
    """Why the unit's rows of `module` cannot be edited in the Loket ('' when they can)."""
    organisation = unit.organisation
    if not organisation.uses_loket:
        name = organisation.platform.name if organisation.platform_id else _("een platform")  # type: ignore[union-attr]
        return _("Beheerd via %(platform)s.") % {"platform": name}
    if module in unit.read_only_modules:
        return _("Deze module staat voor dit bestuur op alleen lezen.")
    return ""


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def key(self) -> str:
        return str(self.start.year)

    def __str__(self) -> str:
        return f"{self.start.year}-{self.end.year}"


def periods_of(unit: WorshipUnit) -> list[Period]:
    """The distinct periods (start, end) of the unit's organs-in-time, oldest first."""
    pairs = OrganTerm.objects.filter(organ__unit=unit).values_list("start", "end").distinct().order_by("start")
    return [Period(start, end) for start, end in pairs]


def default_period(periods: list[Period], today: date) -> Period | None:
    """The current period, else the first future one, else the last."""
    for period in periods:
        if period.start <= today <= period.end:
            return period
    future = [period for period in periods if period.start > today]
    return future[0] if future else (periods[-1] if periods else None)


def mandates_in(unit: WorshipUnit, period: Period) -> QuerySet[Mandate]:
    return Mandate.objects.filter(unit=unit, terms__start=period.start).distinct().order_by("role", "start")


def members_in(unit: WorshipUnit, period: Period, *, include_hidden: bool = False) -> QuerySet[BoardMember]:
    rows = BoardMember.objects.filter(unit=unit, mandate__terms__start=period.start).distinct()
    if not include_hidden:
        rows = rows.filter(hidden="")
    return rows.select_related("mandate", "person").order_by("mandate__role", "start", "pk")


def facts_of(member: BoardMember) -> MemberFacts:
    return MemberFacts(
        person=str(member.person_id),
        role=member.mandate.role,
        term_start=member.mandate.start,
        term_end=member.mandate.planned_end,
        start=member.start,
        end=member.end,
        key=str(member.pk),
    )


def period_warnings(unit: WorshipUnit, period: Period, rows: list[BoardMember]) -> list[str]:
    return list_warnings([facts_of(row) for row in rows], period=(period.start, period.end), today=timezone.localdate())


@dataclass
class MemberInput:
    person: Any
    mandate: Mandate
    start: date | None
    end: date | None
    contact: dict[str, str]


@transaction.atomic
def board_member_save(
    *,
    unit: WorshipUnit,
    data: MemberInput,
    actor: Any,
    member: BoardMember | None = None,
    provenance: tuple[str, str] | None = None,
    external_uri: str = "",
) -> tuple[BoardMember, list[str]]:
    """Create or change a board-member row; refused (DomainError with fields) when a rule of issue point 4 is
    broken. `provenance` = (platform name, vendor URI) for rows a platform pushes. Returns (row, warnings)."""
    locked = (
        WorshipUnit.objects.select_for_update(of=("self",)).select_related("organisation__platform").get(pk=unit.pk)
    )
    if provenance is None and (reason := read_only_reason(locked, WorshipUnit.Module.MANDATES)):
        raise DomainError(reason, code="read_only")
    if member is not None and member.hidden:
        raise DomainError(_("Deze rij is verborgen en kan niet gewijzigd worden."), code="read_only")
    if data.mandate.unit_id != locked.pk:
        raise DomainError(
            _("Kies een mandaat van dit bestuur."), fields={"mandate": [_("Kies een mandaat van dit bestuur.")]}
        )
    end = None if data.mandate.role == BoardRole.EX_OFFICIO else data.end
    facts = MemberFacts(
        person=str(data.person.pk),
        role=data.mandate.role,
        term_start=data.mandate.start,
        term_end=data.mandate.planned_end,
        start=data.start,
        end=end,
        key=str(member.pk) if member else "",
    )
    others = [facts_of(row) for row in BoardMember.objects.filter(unit=locked, hidden="").select_related("mandate")]
    kept_cleared = contact_kept_cleared(member, data.contact)
    problems = member_problems(facts, others, contact=data.contact, contact_required=not kept_cleared)
    if problems.errors:
        first = next(iter(problems.errors.values()))[0]
        raise DomainError(first, code="invalid", fields=problems.errors)
    assert data.start is not None  # member_problems gave an error for a missing start, raised just above
    person_claim(person=data.person)
    now = timezone.now()
    row = member or BoardMember(unit=locked, created_at=now)
    row.mandate, row.person, row.start, row.end = data.mandate, data.person, data.start, end
    row.planned_end = data.mandate.planned_end
    row.status = BoardMember.Status.EFFECTIVE
    for name in CONTACT_FIELDS:
        setattr(row, name, (data.contact.get(name) or "").strip())
    row.contact_purged_at = row.contact_purged_at if kept_cleared else None
    if provenance is not None:
        row.provided_by, row.provided_by_uri = provenance
    if external_uri:
        row.external_uri = external_uri
    row.modified_at = now
    row.save()
    audit_record(
        action="worship.board_member_saved",
        actor=actor,
        organisation=locked.organisation,
        member=row.uri,
        mandate=row.mandate.get_role_display(),
        created=member is None,
        **({"actor_label": provenance[0]} if provenance and not getattr(actor, "is_authenticated", False) else {}),
    )
    return row, problems.warnings


@transaction.atomic
def board_member_hide(
    *, member: BoardMember, hidden: str, actor: Any, comment: str = "", duplicate_of: BoardMember | None = None
) -> BoardMember:
    """An agency admin hides a row as a duplicate (of another row) or as deleted; `hidden=''` shows it again."""
    locked = BoardMember.objects.select_for_update(of=("self",)).select_related("unit__organisation").get(pk=member.pk)
    if hidden not in BoardMember.Hidden.values:
        raise DomainError(_("Kies dubbel of verwijderd."))
    if hidden == BoardMember.Hidden.DUPLICATE and (duplicate_of is None or duplicate_of.unit_id != locked.unit_id):
        raise DomainError(_("Kies de rij waarvan dit een dubbel is (van hetzelfde bestuur)."))
    before = locked.hidden
    locked.hidden = hidden
    locked.duplicate_of = duplicate_of if hidden == BoardMember.Hidden.DUPLICATE else None
    locked.hidden_comment = comment.strip()[:2000] if hidden else ""
    locked.hidden_at = timezone.now() if hidden else None
    locked.hidden_by = actor if hidden and getattr(actor, "is_authenticated", False) else None
    locked.save()
    audit_record(
        action="worship.board_member_hidden",
        actor=actor,
        organisation=locked.unit.organisation,
        member=locked.uri,
        before=before or "zichtbaar",
        after=hidden or "zichtbaar",
        comment=comment,
    )
    return locked
