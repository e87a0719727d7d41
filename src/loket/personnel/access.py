"""Who may see which period, slice or confirmation: the body's members with role personeel (their own body's
only; absent and not yours give the same 404), and the agency's members with the same role for the overview
across bodies."""

from uuid import UUID

from django.http import Http404, HttpRequest

from loket.organisations.models import Organisation
from loket.personnel.models import Confirmation, EmployeePeriodSlice, PersonnelPeriod


def period_opened(year: int) -> PersonnelPeriod | None:
    return PersonnelPeriod.objects.filter(year=year).first()


def slice_for_clerk(request: HttpRequest, key: UUID | str) -> EmployeePeriodSlice:
    found = (
        EmployeePeriodSlice.objects.select_related("dataset", "period")
        .filter(uuid=key, dataset__organisation=request.organisation)  # type: ignore[attr-defined]
        .first()
    )
    if found is None:
        raise Http404
    return found


def confirmation_for_clerk(request: HttpRequest, key: UUID | str) -> Confirmation:
    found = (
        Confirmation.objects.select_related("sent_entry", "organisation", "period")
        .filter(uuid=key, organisation=request.organisation)  # type: ignore[attr-defined]
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
