"""Pages of Personeelsbeheer: the body's periods (history), the table of a period (one form post without
JavaScript; with it, cells save as you go through `cell_save`), the cell history, receipts; the agency's overview
of a period across bodies with CSV. The table page and the agency's period page answer with the RDF Data Cube to a
client that asks for Turtle, JSON-LD or N-Triples (content negotiation); not public unless the agency publishes."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loket.accounts.roles import Role
from loket.core.access import public, role_required
from loket.core.csvexport import csv_response
from loket.core.errors import DomainError
from loket.core.linkeddata import FORMATS, negotiate, serialize
from loket.core.receipts import receipt_pdf
from loket.core.security import as_download
from loket.personnel import access, presenters, rdf, selectors, services
from loket.personnel.dimensions import CELL_COUNT, FTE, HEADS
from loket.personnel.models import ObservationChange, PersonnelPeriod
from loket.personnel.receipts import confirmation_receipt
from loket.personnel.rules import totals_of


def _rdf_or_none(request: HttpRequest, graph) -> HttpResponse | None:  # type: ignore[no-untyped-def]
    requested = request.GET.get("format")
    fmt = negotiate(request)
    if requested and fmt is None:
        names = ", ".join(sorted({f.name for f in FORMATS}))
        return HttpResponse(
            f"Onbekend formaat '{requested}'. Kies uit: {names}.", status=406, content_type="text/plain"
        )
    if fmt is None:
        return None
    response = HttpResponse(serialize(graph(), fmt), content_type=f"{fmt.media_type}; charset=utf-8")
    response["Vary"] = "Accept"
    return response


@role_required(Role.PERSONEEL)
def overview(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    return render(
        request,
        "personnel/overview.html",
        {
            "history": selectors.history_for(organisation),
            "is_agency": access.is_agency(organisation),
            "periods": PersonnelPeriod.objects.all(),
        },
    )


def _not_opened(request: HttpRequest, year: int) -> HttpResponse:
    return render(request, "personnel/not_opened.html", {"year": year}, status=404)


def _posted_entries(request: HttpRequest) -> tuple[dict[tuple[str, int], str], dict[str, str]]:
    entries, posted = {}, {}
    for unit in (HEADS, FTE):
        for cell in range(CELL_COUNT):
            name = f"{unit}-{cell}"
            if name in request.POST:
                posted[name] = request.POST[name][:40]
                entries[(unit, cell)] = posted[name]
    return entries, posted


def _table_post(request: HttpRequest, period: PersonnelPeriod) -> tuple[HttpResponse | None, dict, dict]:  # type: ignore[type-arg]
    organisation = request.organisation  # type: ignore[attr-defined]
    action = request.POST.get("actie", "bewaren")
    entries, posted = _posted_entries(request)
    try:
        if action == "overnemen":  # what was typed is kept first, then the empty cells are filled
            services.figures_save(actor=request.user, organisation=organisation, period=period, entries=entries)
            result = services.figures_copy_previous(actor=request.user, organisation=organisation, period=period)
            flash.success(request, _("%(count)s cellen overgenomen.") % {"count": result.changed})
            return redirect("personnel:table", period.year), {}, {}
        result = services.figures_save(actor=request.user, organisation=organisation, period=period, entries=entries)
        if action == "bevestigen":
            confirmation = services.period_confirm(actor=request.user, organisation=organisation, period=period)
            flash.success(
                request,
                _("De aantallen van %(year)s werden bevestigd (versie %(version)s). Bewaar het ontvangstbewijs.")
                % {"year": period.year, "version": confirmation.version},
            )
        else:
            flash.success(request, _("Bewaard: %(count)s cel(len) gewijzigd.") % {"count": result.changed})
    except DomainError as error:
        errors = {"general": str(error.message), **{k: str(v) for k, v in error.fields.items()}}
        return None, errors, posted
    return redirect("personnel:table", period.year), {}, {}


@role_required(Role.PERSONEEL)
def table(request: HttpRequest, year: int) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    period = access.period_opened(year)
    if period is None:
        return _not_opened(request, year)
    errors: dict[str, str] = {}
    posted = None
    status = 200
    if request.method == "POST":
        response, errors, posted = _table_post(request, period)
        if response is not None:
            return response
        status = 400
    found = selectors.table_for(organisation, period)
    if found is None:
        return render(request, "personnel/not_opened.html", {"year": year, "not_eligible": True}, status=404)
    if request.method == "GET":
        cube = _rdf_or_none(request, lambda: rdf.cube_graph(found.slices.values()))
        if cube is not None:
            return cube
    return render(
        request,
        "personnel/table.html",
        {
            "table": found,
            "grid": presenters.grid(found, posted=posted or None, errors=errors),
            "header": presenters.header(),
            "errors": errors,
        },
        status=status,
    )


@role_required(Role.PERSONEEL)
@require_POST
def cell_save(request: HttpRequest, slice, cell: int) -> JsonResponse:  # type: ignore[no-untyped-def]
    """Save one cell (the table's script, as the clerk leaves it): the answer carries the cell's shown value, the
    dataset's totals and the table's warnings, or one error shape."""
    found = access.slice_for_clerk(request, slice)
    unit = found.dataset.unit
    try:
        result = services.figures_save(
            actor=request.user,
            organisation=request.organisation,  # type: ignore[attr-defined]
            period=found.period,
            entries={(unit, cell): request.POST.get("value", "")[:40]},
        )
    except DomainError as error:
        return JsonResponse(
            {
                "error": {
                    "code": error.code,
                    "message": str(error.message),
                    "fields": {k: str(v) for k, v in error.fields.items()},
                }
            },
            status=400,
        )
    values = selectors.values_for({unit: found})[unit]
    return JsonResponse(
        {
            "value": presenters.number(values[cell], unit),
            "changed": result.changed,
            "version": result.version,
            "totals": presenters.totals_text(totals_of(values), unit),
            "warnings": [
                {"message": w.message, "cell": f"{w.key[0]}-{w.key[1]}" if w.key else None} for w in result.warnings
            ],
        }
    )


@role_required(Role.PERSONEEL)
def changes(request: HttpRequest, year: int) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    period = access.period_opened(year)
    if period is None:
        return _not_opened(request, year)
    queryset = (
        ObservationChange.objects.filter(
            observation__slice__period=period, observation__slice__dataset__organisation=organisation
        )
        .select_related("observation__slice__dataset")
        .order_by("-changed_at", "-pk")
    )
    page = Paginator(queryset, 100).get_page(request.GET.get("pagina"))
    rows = [
        ChangeRow(
            change=change,
            cell_label=presenters.cell_label(change.observation.cell),
            old_text=presenters.number(change.old_value, change.observation.slice.dataset.unit) or "—",
            new_text=presenters.number(change.new_value, change.observation.slice.dataset.unit) or "—",
        )
        for change in page.object_list
    ]
    return render(request, "personnel/changes.html", {"period": period, "page": page, "rows": rows})


@dataclass(frozen=True)
class ChangeRow:
    """One line of the change history: the change and its cell and values as the page shows them."""

    change: ObservationChange
    cell_label: str
    old_text: str
    new_text: str


@role_required(Role.PERSONEEL)
def receipt(request: HttpRequest, confirmation, fmt: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    found = access.confirmation_for_clerk(request, confirmation)
    if fmt not in {"json", "pdf"}:
        raise Http404
    signed = confirmation_receipt(found)
    if fmt == "json":
        response: HttpResponse = JsonResponse(signed, json_dumps_params={"ensure_ascii": False, "indent": 2})
    else:
        response = HttpResponse(receipt_pdf(signed), content_type="application/pdf")
    as_download(response, filename=f"ontvangstbewijs-personeel-{found.period.year}-v{found.version}.{fmt}")
    return response


# The agency ---------------------------------------------------------------------------------------------------------


@role_required(Role.PERSONEEL)
def agency_periods(request: HttpRequest) -> HttpResponse:
    access.agency_only(request)
    periods = [(period, selectors.agency_counts(period)) for period in PersonnelPeriod.objects.all()]
    return render(request, "personnel/agency_periods.html", {"periods": periods})


@role_required(Role.PERSONEEL)
def agency_period(request: HttpRequest, year: int) -> HttpResponse:
    access.agency_only(request)
    period = access.period_opened(year)
    if period is None:
        return _not_opened(request, year)
    cube = _rdf_or_none(request, lambda: rdf.period_graph(period))
    if cube is not None:
        return cube
    rows = selectors.agency_rows(period)
    page = Paginator(rows, 200).get_page(request.GET.get("pagina"))
    return render(request, "personnel/agency_period.html", {"period": period, "page": page, "count": len(rows)})


@role_required(Role.PERSONEEL)
def agency_csv(request: HttpRequest, year: int) -> StreamingHttpResponse:
    access.agency_only(request)
    period = access.period_opened(year)
    if period is None:
        raise Http404
    return csv_response(selectors.agency_csv_rows(period), filename=f"personeelsaantallen-{year}.csv")


@public
def open_data(request: HttpRequest, year: int) -> HttpResponse:
    """The confirmed numbers of a period as an RDF Data Cube, only when the agency publishes them (setting
    LOKET_PERSONNEL_PUBLISH_CONFIRMED): a small body's cell can single out a person."""
    if not settings.LOKET_PERSONNEL_PUBLISH_CONFIRMED:
        raise Http404
    period = access.period_opened(year)
    if period is None:
        raise Http404
    graph = lambda: rdf.confirmed_graph(period)  # noqa: E731
    return _rdf_or_none(request, graph) or HttpResponse(
        serialize(graph(), next(f for f in FORMATS if f.name == "turtle")), content_type="text/turtle; charset=utf-8"
    )
