"""Who may see which report: a body's own reports for its members with role BBC-DR (pages declare the role), every
body's sent reports for the agency's supervisors. Another body's report answers 404, as an absent one."""

from uuid import UUID

from django.http import Http404, HttpRequest

from loket.accounts.roles import Role
from loket.organisations.models import OrganisationKind
from loket.reports.models import Report, ReportFile


def is_agency(request: HttpRequest) -> bool:
    organisation = getattr(request, "organisation", None)
    kind = organisation.kind if organisation is not None and organisation.kind_id else None
    return bool(kind and kind.category == OrganisationKind.Category.AGENCY)


def report_for_clerk(request: HttpRequest, key: UUID | str) -> Report:
    report = (
        Report.objects.select_related("organisation__kind", "sent_entry", "delivered_entry")
        .filter(uuid=key, organisation=request.organisation)  # type: ignore[attr-defined]
        .first()
    )
    if report is None:
        raise Http404
    return report


def report_for_agency(request: HttpRequest, key: UUID | str) -> Report:
    """A sent report, for the agency; a body's concept is still the body's own (as in the real Loket, where it stays
    in the body's graph) and answers 404, as an absent report."""
    if not is_agency(request):
        raise Http404
    report = (
        Report.objects.select_related("organisation__kind", "sent_entry", "delivered_entry")
        .filter(uuid=key, status=Report.Status.SENT)
        .first()
    )
    if report is None:
        raise Http404
    return report


def may_see_linked_data(request: HttpRequest, report: Report) -> bool:
    roles: frozenset[str] = getattr(request, "roles", frozenset())
    if is_agency(request) and Role.SUPERVISOR in roles:
        return True
    return report.organisation_id == getattr(request.organisation, "pk", None) and Role.BBCDR in roles  # type: ignore[attr-defined]


def file_of(report: Report, key: UUID | str) -> ReportFile:
    found = report.files.filter(uuid=key).first()
    if found is None:
        raise Http404
    return found


def sent_report_for_agency_admin(request: HttpRequest, key: UUID | str) -> Report:
    """Any body's sent report, for agency staff (the page rule has checked `is_staff`); else 404."""
    if not request.user.is_staff:
        raise Http404
    report = Report.objects.select_related("organisation").filter(uuid=key, status=Report.Status.SENT).first()
    if report is None:
        raise Http404
    return report
