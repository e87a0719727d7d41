"""Gemeente → OCMW mirroring (reference §3.5): a gemeente holder of a paired role is offered a twin in the OCMW of the
same municipality — Gemeenteraadslid → Lid RMW, Voorzitter GR → Voorzitter RMW, (Toegevoegde) schepen → Lid Vast
Bureau, (aangewezen) burgemeester → Voorzitter Vast Bureau — with the same person, dates and status, an OCMW fractie
of the same name (or the person's own Onafhankelijk one), Niet bekrachtigd. Never for faciliteitengemeenten."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from loket.core.errors import DomainError
from loket.mandates.codes import RoleCode
from loket.mandates.models import Fractie, Holder, Mandate
from loket.mandates.services import HolderValues, fractie_independent_for, holder_create

R = RoleCode
PAIRS = {
    R.COUNCILLOR: R.WELFARE_MEMBER,
    R.COUNCIL_CHAIR: R.WELFARE_CHAIR,
    R.ALDERMAN: R.BUREAU_MEMBER,
    R.ADDED_ALDERMAN: R.BUREAU_MEMBER,
    R.MAYOR: R.BUREAU_CHAIR,
    R.DESIGNATED_MAYOR: R.BUREAU_CHAIR,
}


def mirror_target(holder: Holder) -> Mandate | None:
    """The OCMW mandate a twin would hold, or None when mirroring is not offered."""
    from loket.mandates.validation import is_facility_municipality, ocmw_of

    role = PAIRS.get(holder.mandate.role)  # type: ignore[call-overload]
    unit = holder.mandate.term.organ.organisation
    if role is None or is_facility_municipality(unit):
        return None
    ocmw = ocmw_of(unit)
    if ocmw is None:
        return None
    return (
        Mandate.objects.select_related("term__organ")
        .filter(term__organ__organisation=ocmw, term__period=holder.mandate.term.period, role=role)
        .first()
    )


@transaction.atomic
def holder_mirror(*, holder: Holder, actor: Any) -> Holder:
    target = mirror_target(holder)
    if target is None:
        raise DomainError(_("Voor deze mandataris wordt geen OCMW-mandaat aangeboden."))
    ocmw = target.term.organ.organisation
    fractie = None
    if holder.fractie is not None:
        if holder.fractie.kind == Fractie.Kind.INDEPENDENT:
            fractie = fractie_independent_for(organisation=ocmw, person=holder.person)
        else:
            fractie = Fractie.objects.filter(
                organisation=ocmw, name__iexact=holder.fractie.name, end__isnull=True
            ).first()
            fractie = fractie or Fractie.objects.create(organisation=ocmw, name=holder.fractie.name)
    twin, _warnings = holder_create(
        mandate=target,
        person=holder.person,
        actor=actor,
        values=HolderValues(start=holder.start, end=holder.end, status=holder.status, fractie=fractie),
    )
    return twin
