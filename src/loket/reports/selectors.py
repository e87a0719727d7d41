"""Reads of BBC-DR: a body's reports (keyset pages of 20, newest change first) and the agency's overview with its
two figures."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from loket.organisations.models import Organisation
from loket.reports.models import Report, ReportFile

PAGE_SIZE = 20


@dataclass
class Page:
    rows: list[Report]
    next_key: str  # the uuid to continue after, "" on the last page
    first: bool


def _with_files(reports: QuerySet[Report]) -> QuerySet[Report]:
    return reports.select_related("organisation__kind").prefetch_related(
        Prefetch("files", queryset=ReportFile.objects.only("uuid", "report_id", "kind", "file_name", "size"))
    )


def _keyset_page(reports: QuerySet[Report], *, after: str, time_field: str, size: int) -> Page:
    """Newest first by `time_field`, then id; `after` is the uuid of the previous page's last report."""
    if after:
        anchor = reports.filter(uuid=after).values(time_field, "pk").first() if _is_uuid(after) else None
        if anchor is not None:
            moment: datetime = anchor[time_field]
            reports = reports.filter(
                Q(**{f"{time_field}__lt": moment}) | Q(**{time_field: moment, "pk__lt": anchor["pk"]})
            )
    rows = list(_with_files(reports.order_by(f"-{time_field}", "-pk"))[: size + 1])
    next_key = str(rows[size - 1].uuid) if len(rows) > size else ""
    return Page(rows=rows[:size], next_key=next_key, first=not after)


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def reports_of(organisation: Organisation, *, after: str = "", size: int = PAGE_SIZE) -> Page:
    return _keyset_page(
        Report.objects.filter(organisation=organisation), after=after, time_field="modified_at", size=size
    )


@dataclass(frozen=True)
class AgencyFilter:
    delivery: str = ""
    year: int | None = None
    body: str = ""  # name or KBO number


def agency_reports(filters: AgencyFilter) -> QuerySet[Report]:
    reports = Report.objects.filter(status=Report.Status.SENT)
    if filters.delivery:
        reports = reports.filter(delivery_status=filters.delivery)
    if filters.year:
        reports = reports.filter(fiscal_year=filters.year)
    if filters.body:
        digits = "".join(c for c in filters.body if c.isdigit())
        query = Q(organisation__name__icontains=filters.body)
        if len(digits) >= 4:
            query |= Q(organisation__kbo__startswith=digits.zfill(10) if len(digits) >= 9 else digits)
        reports = reports.filter(query)
    return reports


def agency_page(filters: AgencyFilter, *, after: str = "", size: int = 50) -> Page:
    return _keyset_page(agency_reports(filters), after=after, time_field="sent_at", size=size)


@dataclass(frozen=True)
class Figures:
    total: int  # "Totaal aantal BBC-DR dossiers"
    failed: int  # "Aantal gefaalde synchronisaties naar MFT"
    by_delivery: dict[str, int]


def figures() -> Figures:
    counts = dict(
        Report.objects.filter(status=Report.Status.SENT)
        .values_list("delivery_status")
        .annotate(n=Count("pk"))
        .values_list("delivery_status", "n")
    )
    total = Report.objects.count()
    failed = counts.get(Report.Delivery.FAILED, 0) + counts.get(Report.Delivery.FAILED_FINAL, 0)
    return Figures(total=total, failed=failed, by_delivery=counts)
