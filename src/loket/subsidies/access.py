"""Who may see which dossier: the body's members with role subsidies see their own body's dossiers (absent and not
yours give the same 404); the agency's members with the same role see every dossier of a call and act on it."""

from uuid import UUID

from django.http import Http404, HttpRequest

from loket.organisations.models import Organisation
from loket.subsidies.models import Call, Dossier, Step


def dossier_for_clerk(request: HttpRequest, key: UUID | str) -> Dossier:
    found = (
        Dossier.objects.select_related("call__offer", "call__flow", "active_step__procedural_step", "organisation")
        .filter(uuid=key, organisation=request.organisation)  # type: ignore[attr-defined]
        .first()
    )
    if found is None:
        raise Http404
    return found


def step_of(dossier: Dossier, key: UUID | str | None) -> Step:
    if key is None:
        raise Http404
    found = (
        Step.objects.select_related("procedural_step", "form_version", "flow")
        .filter(uuid=key, flow__call_id=dossier.call_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def is_agency(organisation: Organisation | None) -> bool:
    return bool(organisation is not None and organisation.kind_id and organisation.kind.is_agency)  # type: ignore[union-attr]


def agency_only(request: HttpRequest) -> None:
    if not is_agency(request.organisation):  # type: ignore[attr-defined]
        raise Http404


def call_for_agency(request: HttpRequest, key: UUID | str) -> Call:
    agency_only(request)
    found = Call.objects.select_related("offer", "flow").filter(uuid=key).first()
    if found is None:
        raise Http404
    return found


def dossier_for_agency(request: HttpRequest, key: UUID | str) -> Dossier:
    agency_only(request)
    found = Dossier.objects.select_related("call__offer", "organisation__kind").filter(uuid=key).first()
    if found is None:
        raise Http404
    return found
