"""Decretal organs and mandates, made by `manage.py mandates organs` for every gemeente, OCMW, district, provincie
and politiezone: per unit its timeless organs (`codes.DECRETAL`), per legislature period an organ-in-time with the
period's binding dates, and per organ-in-time the mandates with their role code. Seats are set where the law fixes
them (one chair, one burgemeester); the others are set by the agency per unit. Idempotent: what exists is kept.
"""

from django.db import transaction

from loket.mandates.codes import DECRETAL, PERIODS
from loket.mandates.models import Mandate, Organ, OrganTerm
from loket.organisations.models import Organisation


@transaction.atomic
def decretal_organs_create(*, organisations: list[Organisation] | None = None) -> dict[str, int]:
    """Organs, organs-in-time and mandates for the given units (all units of the five kinds when None)."""
    units = (
        organisations
        if organisations is not None
        else list(Organisation.objects.filter(kind__uri__in=DECRETAL.keys()).select_related("kind"))
    )
    units = [unit for unit in units if unit.kind_id and unit.kind.uri in DECRETAL]  # type: ignore[union-attr]
    existing_organs = {
        (organ.organisation_id, organ.kind): organ for organ in Organ.objects.filter(organisation__in=units)
    }
    new_organs = [
        Organ(organisation=unit, kind=kind)
        for unit in units
        for kind in DECRETAL[unit.kind.uri]  # type: ignore[union-attr]
        if (unit.pk, kind) not in existing_organs
    ]
    Organ.objects.bulk_create(new_organs)
    organs = list(Organ.objects.filter(organisation__in=units).select_related("organisation__kind"))
    existing_terms = set(OrganTerm.objects.filter(organ__in=organs).values_list("organ_id", "period"))
    new_terms = [
        OrganTerm(organ=organ, period=period.key, binding_start=period.binding_start, binding_end=period.binding_end)
        for organ in organs
        for period in PERIODS
        if (organ.pk, period.key) not in existing_terms
    ]
    OrganTerm.objects.bulk_create(new_terms)
    terms = list(OrganTerm.objects.filter(organ__in=organs).select_related("organ__organisation__kind"))
    existing_mandates = set(Mandate.objects.filter(term__in=terms).values_list("term_id", "role"))
    new_mandates = [
        Mandate(term=term, role=role, seats=seats)
        for term in terms
        for role, seats in DECRETAL[term.organ.organisation.kind.uri][term.organ.kind]  # type: ignore[union-attr]
        if (term.pk, role) not in existing_mandates
    ]
    Mandate.objects.bulk_create(new_mandates)
    return {"organs": len(new_organs), "terms": len(new_terms), "mandates": len(new_mandates)}
