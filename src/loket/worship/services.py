"""Writes for worship units and their involved local governments. Every write is audited in its transaction."""

import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core.audit import audit_record
from loket.core.errors import DomainError
from loket.organisations.models import Organisation
from loket.worship.codes import FINANCING_TYPES, WITH_CENTRAL_BOARD, Religion
from loket.worship.involvements import Problems, involvement_problems
from loket.worship.models import Involvement, InvolvementReport, WorshipUnit
from loket.worship.selectors import (
    UNIT_KIND_BY_CATEGORY,
    involved_body_facts,
    unit_facts,
    units_breaking_rules,
)


class InvolvementsInvalid(DomainError):
    code = "involvements_invalid"

    def __init__(self, problems: Problems) -> None:
        super().__init__(" ".join(problems.errors), fields={"involvements": problems.errors})
        self.problems = problems


@transaction.atomic
def worship_units_sync() -> int:
    """A unit for every imported worship board, central board and representative body that has none (idempotent).
    Returns how many were made."""
    made = 0
    existing = set(WorshipUnit.objects.values_list("organisation_id", flat=True))
    bodies = Organisation.objects.filter(kind__category__in=list(UNIT_KIND_BY_CATEGORY)).values_list(
        "pk", "kind__category"
    )
    new = [
        WorshipUnit(organisation_id=pk, kind=UNIT_KIND_BY_CATEGORY[category])
        for pk, category in bodies
        if pk not in existing
    ]
    WorshipUnit.objects.bulk_create(new, batch_size=1000)
    made = len(new)
    if made:
        audit_record(action="worship.units_synced", count=made)
    return made


def worship_unit_check(
    unit: WorshipUnit, religion: str, central_board: WorshipUnit | None, representative_body: WorshipUnit | None
) -> None:
    if religion and religion not in Religion.values:
        raise DomainError(_("Onbekende eredienst."), fields={"religion": [_("Onbekende eredienst.")]})
    if central_board is not None:
        if unit.kind != WorshipUnit.Kind.BOARD or central_board.kind != WorshipUnit.Kind.CENTRAL_BOARD:
            message = _("Alleen een bestuur van de eredienst hoort bij een centraal bestuur.")
            raise DomainError(message, fields={"central_board": [message]})
        if religion not in WITH_CENTRAL_BOARD:
            message = _("Alleen Rooms-Katholieke, Islamitische en Orthodoxe besturen hebben een centraal bestuur.")
            raise DomainError(message, fields={"central_board": [message]})
        if central_board.religion and central_board.religion != religion:
            message = _("Het centraal bestuur is van een andere eredienst.")
            raise DomainError(message, fields={"central_board": [message]})
    if representative_body is not None and representative_body.kind != WorshipUnit.Kind.REPRESENTATIVE_BODY:
        message = _("Kies een representatief orgaan.")
        raise DomainError(message, fields={"representative_body": [message]})
    if unit.kind == WorshipUnit.Kind.REPRESENTATIVE_BODY and representative_body is not None:
        message = _("Een representatief orgaan hoort niet bij een ander representatief orgaan.")
        raise DomainError(message, fields={"representative_body": [message]})


@transaction.atomic
def worship_unit_update(
    *,
    unit: WorshipUnit,
    actor: Any,
    religion: str,
    is_cross_border: bool,
    central_board: WorshipUnit | None,
    representative_body: WorshipUnit | None,
    read_only_modules: list[str],
) -> WorshipUnit:
    """The helpdesk sets a unit's religion, cross-border flag, central board, representative body and read-only
    modules."""
    locked = WorshipUnit.objects.select_for_update().get(pk=unit.pk)
    worship_unit_check(locked, religion, central_board, representative_body)
    modules = sorted({module for module in read_only_modules if module in WorshipUnit.Module.values})
    before = _unit_state(locked)
    locked.religion = religion
    locked.is_cross_border = is_cross_border if locked.kind == WorshipUnit.Kind.BOARD else False
    locked.central_board = central_board
    locked.representative_body = representative_body
    locked.read_only_modules = modules
    locked.save()
    after = _unit_state(locked)
    if before != after:
        audit_record(
            action="worship.unit_changed",
            actor=actor,
            organisation=locked.organisation,
            unit=locked.uri,
            before=before,
            after=after,
        )
        if (before["central_board"], before["representative_body"]) != (
            after["central_board"],
            after["representative_body"],
        ):
            _redispatch_later(locked, actor, "relations")
    return locked


def _unit_state(unit: WorshipUnit) -> dict[str, object]:
    return {
        "religion": unit.religion,
        "cross_border": unit.is_cross_border,
        "central_board": unit.central_board.uri if unit.central_board_id else None,  # type: ignore[union-attr]
        "representative_body": unit.representative_body.uri if unit.representative_body_id else None,  # type: ignore[union-attr]
        "read_only": list(unit.read_only_modules),
    }


@dataclass(frozen=True)
class InvolvementInput:
    organisation: Organisation
    type: str
    percentage: Decimal | None


def _stored(row: InvolvementInput) -> Decimal | None:
    return row.percentage if row.type in FINANCING_TYPES else None


@transaction.atomic
def involvements_save(
    *, unit: WorshipUnit, rows: list[InvolvementInput], actor: Any, confirm_inactive: bool = False
) -> Problems:
    """Replace a unit's involved local governments by `rows`, all or nothing: refused (`InvolvementsInvalid`) when a
    rule of issue point 2 is broken or an inactive body is not confirmed; the warnings are returned."""
    locked = WorshipUnit.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=unit.pk)
    facts = [involved_body_facts(row.organisation, type=row.type, percentage=row.percentage) for row in rows]
    problems = involvement_problems(unit_facts(locked), facts)
    if problems.inactive and not confirm_inactive:
        problems.errors.append(
            _("Niet actief: %(bodies)s. Bevestig dat u een niet-actief bestuur wilt betrekken.")
            % {"bodies": ", ".join(problems.inactive)}
        )
    if problems.errors:
        raise InvolvementsInvalid(problems)
    before = _involvement_state(locked)
    existing = {row.organisation_id: row for row in locked.involvements.all()}
    wanted = {row.organisation.pk: row for row in rows}
    locked.involvements.exclude(organisation_id__in=list(wanted)).delete()
    for org_id, row in wanted.items():
        current = existing.get(org_id)
        if current is None:
            Involvement.objects.create(
                unit=locked, organisation=row.organisation, type=row.type, percentage=_stored(row)
            )
        elif (current.type, current.percentage) != (row.type, _stored(row)):
            current.type, current.percentage = row.type, _stored(row)
            current.save(update_fields=["type", "percentage"])
    after = _involvement_state(locked)
    if before != after:
        audit_record(
            action="worship.involvements_changed",
            actor=actor,
            organisation=locked.organisation,
            unit=locked.uri,
            before=before,
            after=after,
            confirmed_inactive=problems.inactive,
        )
        _redispatch_later(locked, actor, "involvements")
    return problems


def _redispatch_later(unit: WorshipUnit, actor: Any, reason: str) -> None:
    """The unit's relations changed: its decisions' receivers are recomputed by a task (enqueued in this
    transaction, so it exists exactly when the change commits)."""
    from loket.worship.tasks import redispatch_unit

    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    redispatch_unit.enqueue(unit_id=unit.pk, actor_id=actor_id, reason=reason)


def _involvement_state(unit: WorshipUnit) -> list[str]:
    return [
        f"{uri} {type_} {percentage if percentage is not None else '-'}"
        for uri, type_, percentage in unit.involvements.order_by("organisation__uri").values_list(
            "organisation__uri", "type", "percentage"
        )
    ]


def involvement_report_create() -> InvolvementReport:
    """The nightly report: judge every unit and keep the ones that break a rule."""
    started = time.monotonic()
    count, rows = units_breaking_rules()
    report = InvolvementReport.objects.create(
        created_at=timezone.now(), unit_count=count, rows=rows, seconds=round(time.monotonic() - started, 3)
    )
    audit_record(action="worship.involvement_report", report=report.pk, units=count, problems=len(rows))
    return report


def minister_function_check(unit: WorshipUnit, function: str) -> None:
    """A minister position's function must belong to the unit's religion (no Imam on a Catholic board)."""
    from loket.worship.codes import FUNCTIONS_BY_RELIGION, MinisterFunction

    if function not in MinisterFunction.values:
        message = _("Onbekende functie.")
        raise DomainError(message, fields={"function": [message]})
    if not unit.religion:
        message = _("Vul eerst de eredienst van het bestuur in.")
        raise DomainError(message, fields={"function": [message]})
    if function not in FUNCTIONS_BY_RELIGION.get(unit.religion, frozenset()):
        message = _("De functie %(function)s hoort niet bij de eredienst %(religion)s.") % {
            "function": MinisterFunction(function).label,
            "religion": Religion(unit.religion).label,
        }
        raise DomainError(message, fields={"function": [message]})


@transaction.atomic
def minister_position_create(*, unit: WorshipUnit, function: str, actor: Any) -> Any:
    """The agency creates a minister position at a unit (checked against the unit's religion; audited)."""
    from loket.worship.models import MinisterPosition

    locked = WorshipUnit.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=unit.pk)
    if locked.kind == WorshipUnit.Kind.REPRESENTATIVE_BODY:
        message = _("Een representatief orgaan heeft geen posities voor bedienaren.")
        raise DomainError(message, fields={"unit": [message]})
    minister_function_check(locked, function)
    position = MinisterPosition.objects.create(unit=locked, function=function)
    audit_record(
        action="worship.position_created",
        actor=actor,
        organisation=locked.organisation,
        unit=locked.uri,
        position=str(position.uuid),
        function=position.get_function_display(),
    )
    return position
