"""Pages of BBC-DR: the body's reports (list, new, detail with its files and check, send, receipt) and the agency's
overview (filters, CSV, the two figures of the real dashboard)."""

import itertools

from django.conf import settings
from django.contrib import messages as flash
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from loket.accounts.roles import Role
from loket.core import scanwait
from loket.core.access import login_required, recent_sign_in_required, role_required, staff_required
from loket.core.csvexport import csv_response
from loket.core.errors import DomainError
from loket.core.files import FileRejected, format_size_nl
from loket.core.linkeddata import linked_data_response
from loket.core.quota import Uploader
from loket.core.receipts import receipt_pdf
from loket.core.reopening import reason_page
from loket.core.security import as_download, stored_download
from loket.reports import access, checks, selectors, services
from loket.reports.models import Report
from loket.reports.receipts import report_receipt


def _findings(report: Report) -> list[dict[str, str]]:
    return [{"level": item["level"], "text": checks.finding_text(item)} for item in report.check_findings or []]


def _detail_context(request: HttpRequest, report: Report, **extra) -> dict:  # type: ignore[no-untyped-def]
    files = {f.kind: f for f in report.files.all()}
    return {
        "report": report,
        "xml_file": files.get("xml"),
        "xbrl_file": files.get("xbrl"),
        "file_rows": [("XML", files.get("xml")), ("XBRL", files.get("xbrl"))],
        "waiting": scanwait.waiting_names(f.storage_name for f in files.values()),
        "scan_notices": scanwait.notices_for(report.uri),
        "max_attempts": settings.LOKET_BBCDR_MAX_ATTEMPTS,
        "findings": _findings(report),
        "blockers": services.send_blockers(report),
        "checking": report.check_status == Report.Check.PENDING and not report.is_sent,
        "limits": _limits(),
        **extra,
    }


def _limits() -> dict[str, str]:
    return {
        "min": format_size_nl(settings.LOKET_BBCDR_MIN_BYTES),
        "max": format_size_nl(settings.LOKET_BBCDR_MAX_BYTES),
    }


def _uploader(request: HttpRequest) -> Uploader:
    """The body the clerk acts for and the clerk: whose storage quota pays for the files."""
    return Uploader(request.organisation, request.user)  # type: ignore[attr-defined]


def _uploads(request: HttpRequest, field: str = "bestanden") -> list:  # type: ignore[type-arg]
    return [f for f in request.FILES.getlist(field) if f.name]


@role_required(Role.BBCDR)
def report_list(request: HttpRequest) -> HttpResponse:
    page = selectors.reports_of(request.organisation, after=request.GET.get("na", ""))  # type: ignore[attr-defined]
    return render(
        request,
        "reports/report_list.html",
        {"page": page, "kbo": services.organisation_kbo(request.organisation)},  # type: ignore[attr-defined]
    )


@role_required(Role.BBCDR)
def report_new(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            received = services.receive_files(_uploads(request), uploader=_uploader(request))
            try:
                report = services.report_create(
                    actor=request.user,
                    organisation=request.organisation,  # type: ignore[attr-defined]
                    received=received,
                )
            except DomainError:
                services.discard(received)
                raise
        except FileRejected as refused:
            error = refused.message_nl
        except DomainError as refused:
            error = str(refused.message)
        else:
            flash.success(request, _("Het concept is bewaard; de bestanden worden gecontroleerd."))
            return redirect("reports:detail", report=report.uuid)
    return render(
        request,
        "reports/report_new.html",
        {"error": error, "limits": _limits(), "kbo": services.organisation_kbo(request.organisation)},  # type: ignore[attr-defined]
        status=400 if error else 200,
    )


@role_required(Role.BBCDR)
def report_detail(request: HttpRequest, report) -> HttpResponse:  # type: ignore[no-untyped-def]
    found = access.report_for_clerk(request, report)
    error = ""
    if request.method == "POST":
        try:
            received = services.receive_files(_uploads(request), uploader=_uploader(request))
            try:
                services.report_files_add(actor=request.user, report=found, received=received)
            except DomainError:
                services.discard(received)
                raise
        except FileRejected as refused:
            error = refused.message_nl
        except DomainError as refused:
            error = str(refused.message)
        else:
            flash.success(request, _("Het bestand is toegevoegd; de bestanden worden gecontroleerd."))
            return redirect("reports:detail", report=found.uuid)
        found = access.report_for_clerk(request, report)
    return render(
        request,
        "reports/report_detail.html",
        _detail_context(request, found, error=error),
        status=400 if error else 200,
    )


@role_required(Role.BBCDR)
def report_file_replace(request: HttpRequest, report, file) -> HttpResponse:  # type: ignore[no-untyped-def]
    found = access.report_for_clerk(request, report)
    report_file = access.file_of(found, file)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    uploads = _uploads(request, "bestand")
    try:
        if len(uploads) != 1:
            raise DomainError(_("Kies één bestand om %(name)s te vervangen.") % {"name": report_file.file_name})
        [received] = services.receive_files(uploads, uploader=_uploader(request))
        try:
            services.report_file_replace(actor=request.user, report=found, report_file=report_file, received=received)
        except DomainError:
            services.discard([received])
            raise
    except FileRejected as refused:
        error = refused.message_nl
    except DomainError as refused:
        error = str(refused.message)
    else:
        flash.success(request, _("Het bestand is vervangen; de bestanden worden gecontroleerd."))
        return redirect("reports:detail", report=found.uuid)
    found = access.report_for_clerk(request, report)
    return render(request, "reports/report_detail.html", _detail_context(request, found, error=error), status=400)


@role_required(Role.BBCDR)
def report_file_delete(request: HttpRequest, report, file) -> HttpResponse:  # type: ignore[no-untyped-def]
    found = access.report_for_clerk(request, report)
    report_file = access.file_of(found, file)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.report_file_delete(actor=request.user, report=found, report_file=report_file)
    except DomainError as refused:
        flash.error(request, str(refused.message))
    else:
        flash.success(request, _("%(name)s is verwijderd.") % {"name": report_file.file_name})
    return redirect("reports:detail", report=found.uuid)


def _file_response(report: Report, key) -> HttpResponse | FileResponse:  # type: ignore[no-untyped-def]
    report_file = access.file_of(report, key)
    try:
        same = services.stored_sha256(report_file.storage_name) == report_file.sha256
    except OSError:
        raise Http404 from None
    if not same:
        return HttpResponse(
            _("Dit bestand komt niet meer overeen met wat werd opgeladen; meld dit aan de helpdesk."),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    return stored_download(report_file.storage_name, filename=report_file.file_name, content_type="application/xml")


@role_required(Role.BBCDR)
def report_file(request: HttpRequest, report, file) -> HttpResponse | FileResponse:  # type: ignore[no-untyped-def]
    return _file_response(access.report_for_clerk(request, report), file)


@role_required(Role.BBCDR)
def report_delete(request: HttpRequest, report) -> HttpResponse:  # type: ignore[no-untyped-def]
    found = access.report_for_clerk(request, report)
    files = list(found.files.all())
    if found.is_sent:  # never deleted: the page says so (409 to a post)
        status = 409 if request.method == "POST" else 200
        return render(request, "reports/report_delete.html", {"report": found, "files": files}, status=status)
    if request.method == "POST":
        try:
            services.report_delete(actor=request.user, report=found)
        except DomainError as refused:
            flash.error(request, str(refused.message))
            return redirect("reports:detail", report=found.uuid)
        flash.success(request, _("Het concept en zijn bestanden zijn verwijderd."))
        return redirect("reports:list")
    return render(request, "reports/report_delete.html", {"report": found, "files": files})


@role_required(Role.BBCDR)
def report_send(request: HttpRequest, report) -> HttpResponse:  # type: ignore[no-untyped-def]
    found = access.report_for_clerk(request, report)
    error = ""
    if request.method == "POST":
        try:
            services.report_send(actor=request.user, report=found)
        except DomainError as refused:
            error = str(refused.message)
        else:
            flash.success(request, _("Rapport verstuurd. Het wordt nu verpakt en afgeleverd bij de Vlaamse overheid."))
            return redirect("reports:detail", report=found.uuid)
        found = access.report_for_clerk(request, report)
    return render(
        request,
        "reports/report_send.html",
        {**_detail_context(request, found), "error": error},
        status=409 if error else 200,
    )


def _receipt_response(report: Report, fmt: str) -> HttpResponse:
    if not report.is_sent or fmt not in {"json", "pdf"}:
        raise Http404
    receipt = report_receipt(report)
    if fmt == "json":
        response: HttpResponse = JsonResponse(receipt, json_dumps_params={"ensure_ascii": False, "indent": 2})
    else:
        response = HttpResponse(receipt_pdf(receipt), content_type="application/pdf")
    as_download(response, filename=f"ontvangstbewijs-bbcdr-{report.uuid}.{fmt}")
    return response


@role_required(Role.BBCDR)
def report_receipt_view(request: HttpRequest, report, fmt: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    return _receipt_response(access.report_for_clerk(request, report), fmt)


# The agency -----------------------------------------------------------------------------------------------------------


def _agency_filters(request: HttpRequest) -> tuple[selectors.AgencyFilter, dict[str, str]]:
    params = {key: request.GET.get(key, "").strip() for key in ("aflevering", "boekjaar", "bestuur")}
    delivery = params["aflevering"] if params["aflevering"] in Report.Delivery.values else ""
    text = params["boekjaar"]  # "²²²²" is four digits to isdigit, not to int(): only ASCII digits make a year
    year = int(text) if text.isascii() and text.isdigit() and len(text) == 4 else None
    return selectors.AgencyFilter(delivery=delivery, year=year, body=params["bestuur"][:100]), params


def _require_agency(request: HttpRequest) -> None:
    if not access.is_agency(request):
        raise Http404


@role_required(Role.SUPERVISOR)
def agency_list(request: HttpRequest) -> HttpResponse:
    _require_agency(request)
    filters, params = _agency_filters(request)
    page = selectors.agency_page(filters, after=request.GET.get("na", ""))
    query = "&".join(f"{k}={v}" for k, v in params.items() if v)
    return render(
        request,
        "reports/agency_list.html",
        {
            "page": page,
            "params": params,
            "query": query,
            "figures": selectors.figures(),
            "deliveries": [(value, label) for value, label in Report.Delivery.choices if value],
        },
    )


@role_required(Role.SUPERVISOR)
def agency_csv(request: HttpRequest) -> StreamingHttpResponse:
    _require_agency(request)
    filters, _params = _agency_filters(request)
    rows = (
        selectors.agency_reports(filters)
        .select_related("organisation")
        .order_by("-sent_at", "-pk")
        .values_list(
            "uuid",
            "organisation__name",
            "organisation__kbo",
            "report_type",
            "fiscal_year",
            "period",
            "sent_at",
            "sent_by_name",
            "delivery_status",
            "delivery_attempts",
            "delivered_at",
            "package_name",
        )
    )
    labels = dict(Report.Delivery.choices)
    header = [
        _("Rapport"),
        _("Bestuur"),
        _("KBO-nummer"),
        _("Soort"),
        _("Boekjaar"),
        _("Periode"),
        _("Verstuurd op"),
        _("Verstuurd door"),
        _("Aflevering"),
        _("Pogingen"),
        _("Afgeleverd op"),
        _("Pakket"),
    ]
    body = (
        [str(r[0]), r[1], r[2], r[3], r[4] or "", r[5], r[6], r[7], str(labels.get(r[8], r[8])), r[9], r[10], r[11]]
        for r in rows.iterator(chunk_size=2000)
    )
    return csv_response(itertools.chain([header], body), filename="bbcdr-rapporten.csv")


@role_required(Role.SUPERVISOR)
def agency_detail(request: HttpRequest, report) -> HttpResponse:  # type: ignore[no-untyped-def]
    found = access.report_for_agency(request, report)
    return render(request, "reports/agency_detail.html", _detail_context(request, found, agency=True))


@staff_required
@recent_sign_in_required
def agency_reopen(request: HttpRequest, report) -> HttpResponse:  # type: ignore[no-untyped-def]
    """The agency reopens a sent report with a reason (services.report_reopen)."""
    found = access.sent_report_for_agency_admin(request, report)
    return reason_page(
        request,
        act=lambda reason: services.report_reopen(actor=request.user, report=found, reason=reason),
        done_message=_("Het rapport is heropend: een nieuw concept staat klaar voor %(org)s, dat een e-mail krijgt.")
        % {"org": found.organisation.display_name},
        done_url=reverse("reports:agency-reopen", args=[found.uuid]),
        template="reports/agency_reopen.html",
        context={"report": found, "correction": found.replaced_by.first()},
    )


@role_required(Role.SUPERVISOR)
def agency_file(request: HttpRequest, report, file) -> HttpResponse | FileResponse:  # type: ignore[no-untyped-def]
    return _file_response(access.report_for_agency(request, report), file)


@login_required
def report_resource(request: HttpRequest, report) -> HttpResponse:  # type: ignore[no-untyped-def]
    found = Report.objects.select_related("organisation").filter(uuid=report).first()
    if found is None or not access.may_see_linked_data(request, found):
        raise Http404
    return linked_data_response(
        request,
        instance=found,
        template="reports/resource.html",
        context={"title": _("BBC-DR-rapport"), "report": found},
    )
