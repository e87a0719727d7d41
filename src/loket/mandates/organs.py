"""Decretal organs and mandates, made by `manage.py mandates organs` for every gemeente, OCMW, district, provincie
and politiezone: per unit its timeless organs (`codes.DECRETAL`), per legislature period an organ-in-time with the
period's binding dates, and per organ-in-time the mandates with their role code. Seats are set where the law fixes
them (one chair, one burgemeester); the others are set by the agency per unit. Idempotent: what exists is kept.
"""

from django.db import transaction

from loket.mandates.codes import DECRETAL, ORGAN, PERIODS, UNIT_MUNICIPALITY, UNIT_OCMW, OrganKind
from loket.mandates.models import Mandate, OcmwPairing, Organ, OrganTerm
from loket.organisations.models import Organisation
from loket.supervision.services import governing_body_uri_for


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
        Organ(organisation=unit, kind=kind, uri=_organ_uri(unit, kind))
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
    pairs = ocmw_pairings_create(organisations=units)
    return {"organs": len(new_organs), "terms": len(new_terms), "mandates": len(new_mandates), "pairs": pairs}


def _organ_uri(unit: Organisation, kind: str) -> str:
    """The organ's one identity in the Loket: Toezicht's governing body of that unit and classification."""
    return governing_body_uri_for(organisation=unit, classification_uri=ORGAN + kind, label=str(OrganKind(kind).label))


def _pair_key(unit: Organisation) -> tuple[str, str]:
    return (unit.name.strip().lower(), unit.province.strip().lower())


@transaction.atomic
def ocmw_pairings_create(*, organisations: list[Organisation] | None = None) -> int:
    """Pair each Gemeente with its OCMW as the reference data has them (`ext:isOCMWVoor`; there: the same name in the
    same province, 319 pairs). Only a Gemeente and an OCMW; a unit already paired is left as it is. Idempotent."""
    kinds = [UNIT_MUNICIPALITY, UNIT_OCMW]
    candidates = Organisation.objects.filter(kind__uri__in=kinds).select_related("kind")
    if organisations is not None:
        names = {unit.name for unit in organisations if unit.kind_id and unit.kind.uri in kinds}  # type: ignore[union-attr]
        candidates = candidates.filter(name__in=names)
    municipalities: dict[tuple[str, str], list[Organisation]] = {}
    ocmws: dict[tuple[str, str], list[Organisation]] = {}
    for unit in candidates:
        side = municipalities if unit.kind.uri == UNIT_MUNICIPALITY else ocmws  # type: ignore[union-attr]
        side.setdefault(_pair_key(unit), []).append(unit)
    paired = set(OcmwPairing.objects.values_list("municipality_id", flat=True)) | set(
        OcmwPairing.objects.values_list("ocmw_id", flat=True)
    )
    new = []
    for key, found in municipalities.items():
        partners = ocmws.get(key, [])
        if len(found) == 1 and len(partners) == 1 and not {found[0].pk, partners[0].pk} & paired:
            new.append(OcmwPairing(municipality=found[0], ocmw=partners[0]))
    OcmwPairing.objects.bulk_create(new)
    return len(new)
