"""Reads for worship: units, their involvements judged by the rules, and what the nightly report lists."""

from collections import defaultdict

from django.db.models import Q, QuerySet

from loket.organisations.models import Organisation, OrganisationKind
from loket.organisations.naming import display_name
from loket.organisations.selectors import organisation_is_active_status
from loket.worship.involvements import InvolvementFacts, Problems, UnitFacts, involvement_problems
from loket.worship.models import Involvement, WorshipUnit

UNIT_KIND_BY_CATEGORY: dict[str, str] = {
    OrganisationKind.Category.WORSHIP_BOARD: WorshipUnit.Kind.BOARD,
    OrganisationKind.Category.CENTRAL_WORSHIP_BOARD: WorshipUnit.Kind.CENTRAL_BOARD,
    OrganisationKind.Category.REPRESENTATIVE_BODY: WorshipUnit.Kind.REPRESENTATIVE_BODY,
}


def unit_of(organisation: Organisation | None) -> WorshipUnit | None:
    """The worship unit of a body, or None when it is not one."""
    if organisation is None:
        return None
    return WorshipUnit.objects.select_related("organisation").filter(organisation=organisation).first()


def unit_facts(unit: WorshipUnit) -> UnitFacts:
    return UnitFacts(kind=unit.kind, religion=unit.religion, is_cross_border=unit.is_cross_border)


def involved_body_facts(organisation: Organisation, *, type: str, percentage: object) -> InvolvementFacts:
    category = organisation.kind.category if organisation.kind_id else ""  # type: ignore[union-attr]
    return InvolvementFacts(
        name=display_name(organisation),
        category=category,
        is_active=organisation_is_active_status(organisation.status),
        type=type,
        percentage=percentage,  # type: ignore[arg-type]
        key=str(organisation.pk),
    )


def involvements_of(unit: WorshipUnit) -> QuerySet[Involvement]:
    return unit.involvements.select_related("organisation", "organisation__kind").order_by("pk")


def unit_involvement_problems(unit: WorshipUnit) -> Problems:
    rows = [
        involved_body_facts(row.organisation, type=row.type, percentage=row.percentage) for row in involvements_of(unit)
    ]
    return involvement_problems(unit_facts(unit), rows)


def involvable_bodies() -> QuerySet[Organisation]:
    """The bodies that can be involved: municipalities and provinces (inactive ones too, with confirmation)."""
    return (
        Organisation.objects.filter(
            kind__category__in=[OrganisationKind.Category.MUNICIPALITY, OrganisationKind.Category.PROVINCE]
        )
        .select_related("kind")
        .order_by("name", "pk")
    )


def units_breaking_rules() -> tuple[int, list[dict[str, object]]]:
    """Every local and central board judged by the involvement rules (two queries): (units judged, the ones with an
    error or a warning, as plain rows for the report)."""
    by_unit: dict[int, list[InvolvementFacts]] = defaultdict(list)
    involvement_rows = Involvement.objects.values_list(
        "unit_id",
        "organisation_id",
        "organisation__name",
        "organisation__kbo",
        "organisation__kind__category",
        "organisation__status",
        "type",
        "percentage",
    )
    for unit_id, org_id, name, kbo, category, status, type_, percentage in involvement_rows.iterator(chunk_size=5000):
        by_unit[unit_id].append(
            InvolvementFacts(
                name=name or kbo,
                category=category or "",
                is_active=organisation_is_active_status(status),
                type=type_,
                percentage=percentage,
                key=str(org_id),
            )
        )
    units = WorshipUnit.objects.exclude(kind=WorshipUnit.Kind.REPRESENTATIVE_BODY).values_list(
        "pk", "kind", "religion", "is_cross_border", "organisation__name", "organisation__kbo", "organisation__uri"
    )
    found: list[dict[str, object]] = []
    count = 0
    for pk, kind, religion, cross_border, name, kbo, uri in units.iterator(chunk_size=5000):
        count += 1
        problems = involvement_problems(UnitFacts(kind, religion, cross_border), by_unit.get(pk, []))
        if problems.errors or problems.warnings:
            found.append(
                {
                    "unit": pk,
                    "name": name or kbo,
                    "kbo": kbo,
                    "uri": uri,
                    "errors": problems.errors,
                    "warnings": problems.warnings,
                }
            )
    return count, found


def units_supervised_by(organisation: Organisation | None) -> QuerySet[WorshipUnit]:
    """The boards and central boards whose board members and ministers `organisation` may read: all, for the
    agency; else those it is involved in, is the central board of, or is the representative body of."""
    units = WorshipUnit.objects.exclude(kind=WorshipUnit.Kind.REPRESENTATIVE_BODY)
    if organisation is None:
        return units.none()
    category = organisation.kind.category if organisation.kind_id else ""  # type: ignore[union-attr]
    if category != OrganisationKind.Category.AGENCY:
        units = units.filter(
            Q(pk__in=Involvement.objects.filter(organisation=organisation).values("unit_id"))
            | Q(central_board__organisation=organisation)
            | Q(representative_body__organisation=organisation)
        )
    return units.select_related("organisation__kind").order_by("organisation__name", "pk")
