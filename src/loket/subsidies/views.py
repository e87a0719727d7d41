"""Pages of Subsidiebeheer: the body's dossiers and the calls it may start, a dossier (steps, status, history), a
step's form (save as concept, send), the receipt; the agency's calls, every dossier of a call with CSV, and its
actions (extend a deadline, reopen a sent step, append a step). Linked data: the public definitions and, per
dossier, only status, participation and modified date."""

import uuid

from django.conf import settings
from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loket.accounts.roles import Role
from loket.core.access import public, recent_sign_in_required, role_required
from loket.core.csvexport import csv_response
from loket.core.errors import DomainError
from loket.core.linkeddata import graph_response
from loket.core.receipts import receipt_pdf
from loket.core.security import as_download
from loket.forms.collect import collect_post
from loket.forms.render import render_form
from loket.organisations.models import Organisation
from loket.subsidies import access, formengine, rdf, rules, selectors, services
from loket.subsidies.models import ApplicationForm, Call, FormVersion, Step
from loket.subsidies.receipts import form_receipt
from loket.subsidies.resources import resource_graph
from loket.subsidies.terms import DossierStatus, StepType


def _message(error: DomainError) -> str:
    return str(error.message)


def _uuid(text: object) -> uuid.UUID | None:
    """A posted key: a UUID, or None for anything else (a clear message, never a 500)."""
    try:
        return uuid.UUID(str(text))
    except ValueError:
        return None


@role_required(Role.SUBSIDIES)
def dossier_list(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    dossiers = list(selectors.dossiers_of(organisation))
    for dossier in dossiers:
        dossier.status_text = selectors.status_text(dossier)  # type: ignore[attr-defined]
    return render(
        request,
        "subsidies/list.html",
        {
            "dossiers": dossiers,
            "calls": selectors.open_calls_for(organisation),
            "is_agency": access.is_agency(organisation),
        },
    )


@role_required(Role.SUBSIDIES)
@require_POST
def dossier_start(request: HttpRequest, call) -> HttpResponse:  # type: ignore[no-untyped-def]
    found = Call.objects.filter(uuid=call).first()
    if found is None:
        raise Http404
    try:
        dossier = services.dossier_start(call=found, organisation=request.organisation, actor=request.user)  # type: ignore[attr-defined]
    except DomainError as error:
        flash.error(request, _message(error))
        return redirect("subsidies:list")
    return redirect("subsidies:dossier", dossier.uuid)


@role_required(Role.SUBSIDIES)
def dossier_detail(request: HttpRequest, dossier) -> HttpResponse:  # type: ignore[no-untyped-def]
    found = access.dossier_for_clerk(request, dossier)
    return render(request, "subsidies/dossier.html", _dossier_context(found))


def _dossier_context(dossier):  # type: ignore[no-untyped-def]
    return {
        "dossier": dossier,
        "status_text": selectors.status_text(dossier),
        "steps": selectors.steps_of(dossier),
        "events": dossier.events.select_related("step__procedural_step")[:200],
        "may_delete": dossier.status == DossierStatus.CONCEPT,
    }


@role_required(Role.SUBSIDIES)
@require_POST
def dossier_delete(request: HttpRequest, dossier) -> HttpResponse:  # type: ignore[no-untyped-def]
    found = access.dossier_for_clerk(request, dossier)
    try:
        services.dossier_delete(dossier=found, actor=request.user)
    except DomainError as error:
        flash.error(request, _message(error))
        return redirect("subsidies:dossier", found.uuid)
    flash.success(request, _("Het dossier werd verwijderd."))
    return redirect("subsidies:list")


def _step_state(dossier, step):  # type: ignore[no-untyped-def]
    return next(state for state in selectors.steps_of(dossier) if state.step.pk == step.pk)


@role_required(Role.SUBSIDIES)
def step_page(request: HttpRequest, dossier, step) -> HttpResponse:  # type: ignore[no-untyped-def]
    found = access.dossier_for_clerk(request, dossier)
    the_step = access.step_of(found, step)
    error, fields, status, posted = "", {}, 200, None
    if request.method == "POST":
        action = request.POST.get("actie", "bewaren")
        try:
            if action == "versturen":
                services.step_save_and_submit(dossier=found, step=the_step, actor=request.user, data=request.POST)
                flash.success(request, _("De stap werd verstuurd. Bewaar het ontvangstbewijs."))
                found.refresh_from_db()
                if found.active_step:
                    return redirect("subsidies:step", found.uuid, found.active_step.uuid)
                return redirect("subsidies:dossier", found.uuid)
            services.form_save(dossier=found, step=the_step, actor=request.user, data=request.POST)
            flash.success(request, _("Bewaard als concept."))
            return redirect("subsidies:step", found.uuid, the_step.uuid)
        except DomainError as refused:
            error, fields, status, posted = _message(refused), refused.fields, 400, request.POST
    return _render_step(request, found, the_step, error=error, fields=fields, status=status, posted=posted)


def _render_step(request, dossier, step, *, error="", fields=None, status=200, posted=None):  # type: ignore[no-untyped-def]
    state = _step_state(dossier, step)
    form = (
        ApplicationForm.objects.filter(dossier=dossier, step=step, is_replaced=False)
        .select_related("form_version")
        .first()
    )
    if form is None and state.state in {"open", "not_open"}:  # opened: the form (status Nieuw) and its version
        form = services.form_for(dossier=dossier, step=step)
    form = form or ApplicationForm(dossier=dossier, step=step, form_version=step.form_version, source_ttl="")
    definition = formengine.definition_of(form.form_version)
    context = formengine.context_of(form)
    node = formengine.node_of(form)
    if posted is not None and not form.is_sent:  # show what was typed, stored or not
        collect_post(definition, context, node, posted, None, store_file=lambda upload: None)
    report = formengine.validate(definition, context, node).report if (fields or posted is not None) else None
    return render(
        request,
        "subsidies/step.html",
        {
            "dossier": dossier,
            "status_text": selectors.status_text(dossier),
            "state": state,
            "form": form,
            "form_html": render_form(definition, context, node, report),
            "error": error,
            "fields": fields or {},
            "may_save": state.state in {"open", "not_open"} and not form.is_sent,
            "may_send": state.state == "open" and not form.is_sent,
            "now": timezone.now(),
        },
        status=status,
    )


@role_required(Role.SUBSIDIES)
def receipt(request: HttpRequest, dossier, step, fmt: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    found = access.dossier_for_clerk(request, dossier)
    the_step = access.step_of(found, step)
    if fmt not in {"json", "pdf"}:
        raise Http404
    form = (
        ApplicationForm.objects.filter(dossier=found, step=the_step, sent_entry__isnull=False)
        .select_related("sent_entry", "dossier__organisation", "dossier__call__offer", "step__procedural_step")
        .order_by("-sent_at")
        .first()
    )
    if form is None:
        raise Http404
    signed = form_receipt(form)
    if fmt == "json":
        response: HttpResponse = JsonResponse(signed, json_dumps_params={"ensure_ascii": False, "indent": 2})
    else:
        response = HttpResponse(receipt_pdf(signed), content_type="application/pdf")
    as_download(response, filename=f"ontvangstbewijs-subsidie-{form.uuid}.{fmt}")
    return response


# The agency ---------------------------------------------------------------------------------------------------------


@role_required(Role.SUBSIDIES)
def agency_calls(request: HttpRequest) -> HttpResponse:
    access.agency_only(request)
    calls = Call.objects.select_related("offer").order_by("offer__title", "title")
    return render(request, "subsidies/agency_calls.html", {"calls": calls})


def _agency_call_context(call: Call) -> dict:  # type: ignore[type-arg]
    return {
        "call": call,
        "rows": selectors.agency_rows(call),
        "steps": list(Step.objects.filter(flow__call=call).select_related("procedural_step").order_by("order")),
        "form_versions": FormVersion.objects.order_by("name"),
        "step_types": StepType.choices,
    }


@role_required(Role.SUBSIDIES)
def agency_call(request: HttpRequest, call) -> HttpResponse:  # type: ignore[no-untyped-def]
    found = access.call_for_agency(request, call)
    return render(request, "subsidies/agency_call.html", _agency_call_context(found))


@role_required(Role.SUBSIDIES)
def agency_csv(request: HttpRequest, call) -> StreamingHttpResponse:  # type: ignore[no-untyped-def]
    found = access.call_for_agency(request, call)
    return csv_response(selectors.agency_csv_rows(found), filename=f"subsidiedossiers-{found.uuid}.csv")


def _moment(text: str):  # type: ignore[no-untyped-def]
    try:
        return rules.from_brussels(text)
    except (ValueError, TypeError) as error:
        raise DomainError(_("Geef een geldig tijdstip op (dag en uur)."), code="bad_moment") from error


def _agency_refused(request, call, error):  # type: ignore[no-untyped-def]
    return render(
        request, "subsidies/agency_call.html", {**_agency_call_context(call), "error": _message(error)}, status=400
    )


@role_required(Role.SUBSIDIES)
@require_POST
def agency_extend(request: HttpRequest, call) -> HttpResponse:  # type: ignore[no-untyped-def]
    found = access.call_for_agency(request, call)
    try:
        step_key = _uuid(request.POST.get("stap"))
        step = (
            Step.objects.select_related("procedural_step", "flow__call__offer")
            .filter(flow__call=found, uuid=step_key)
            .first()
            if step_key is not None
            else None
        )
        if step is None:
            raise DomainError(_("Kies een stap."), code="no_step")
        bodies = None
        if request.POST.get("voor") == "selectie":
            keys = [key for key in map(_uuid, request.POST.getlist("bestuur")) if key is not None]
            bodies = list(Organisation.objects.filter(subsidy_dossiers__call=found, subsidy_dossiers__uuid__in=keys))
        count = services.deadline_extend(
            step=step,
            end=_moment(request.POST.get("einde", "")),
            reason=request.POST.get("reden", ""),
            actor=request.user,
            organisations=bodies,
        )
    except DomainError as error:
        return _agency_refused(request, found, error)
    flash.success(request, _("Deadline verlengd (%(count)s besturen verwittigd).") % {"count": count})
    return redirect("subsidies:agency-call", found.uuid)


@role_required(Role.SUBSIDIES)
@require_POST
def agency_append(request: HttpRequest, call) -> HttpResponse:  # type: ignore[no-untyped-def]
    found = access.call_for_agency(request, call)
    try:
        version_key = _uuid(request.POST.get("formulier"))
        version = FormVersion.objects.filter(uuid=version_key).first() if version_key is not None else None
        if version is None:
            raise DomainError(_("Kies een formulierversie."), code="no_form")
        end_text = request.POST.get("einde", "")
        services.step_append(
            call=found,
            name=request.POST.get("naam", ""),
            step_type=request.POST.get("type", ""),
            start=_moment(request.POST.get("begin", "")),
            end=_moment(end_text) if end_text else None,
            form_version=version,
            reason=request.POST.get("reden", ""),
            actor=request.user,
        )
    except DomainError as error:
        return _agency_refused(request, found, error)
    flash.success(request, _("De stap werd toegevoegd."))
    return redirect("subsidies:agency-call", found.uuid)


@role_required(Role.SUBSIDIES)
def agency_dossier(request: HttpRequest, dossier) -> HttpResponse:  # type: ignore[no-untyped-def]
    found = access.dossier_for_agency(request, dossier)
    return render(request, "subsidies/agency_dossier.html", _dossier_context(found))


@role_required(Role.SUBSIDIES)
@require_POST
@recent_sign_in_required
def agency_reopen(request: HttpRequest, dossier) -> HttpResponse:  # type: ignore[no-untyped-def]
    found = access.dossier_for_agency(request, dossier)
    try:
        step = access.step_of(found, _uuid(request.POST.get("stap")))
        end_text = request.POST.get("einde", "")
        services.step_reopen(
            dossier=found,
            step=step,
            reason=request.POST.get("reden", ""),
            actor=request.user,
            end=_moment(end_text) if end_text else None,
        )
    except (DomainError, Http404) as error:
        message = _message(error) if isinstance(error, DomainError) else _("Kies een stap.")
        return render(
            request, "subsidies/agency_dossier.html", {**_dossier_context(found), "error": message}, status=400
        )
    flash.success(request, _("De stap werd heropend."))
    return redirect("subsidies:agency-dossier", found.uuid)


@public
def open_data(request: HttpRequest) -> HttpResponse:
    """The public linked data of Subsidiebeheer: definitions, and per dossier only status, participation (role
    Aanvrager) and modified date. Form content never."""
    return graph_response(request, graph=rdf.public_graph, template="subsidies/open_data.html", context={})


@public
def resource(request: HttpRequest, resource, kind: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    """A Subsidiebeheer URI, dereferenced (HTML, Turtle, JSON-LD, N-Triples)."""
    uri = f"{settings.LOKET_URI_BASE}/id/{kind}/{resource}"
    graph = resource_graph(kind, resource, uri)
    if graph is None:
        raise Http404
    return graph_response(
        request, graph=lambda: graph, template="core/resource.html", context={"title": uri, "uri": uri}
    )


@public
def call_period(request: HttpRequest, resource) -> HttpResponse:  # type: ignore[no-untyped-def]
    uri = f"{settings.LOKET_URI_BASE}/id/subsidy-measure-offer-series/{resource}/periode"
    graph = resource_graph("subsidy-measure-offer-series", resource, uri)
    if graph is None:
        raise Http404
    return graph_response(
        request, graph=lambda: graph, template="core/resource.html", context={"title": uri, "uri": uri}
    )


@public
def form_version_turtle(request: HttpRequest, resource) -> HttpResponse:  # type: ignore[no-untyped-def]
    """A form version's Turtle (forms are public, as the real Loket's form files)."""
    found = FormVersion.objects.filter(uuid=resource).first()
    if found is None:
        raise Http404
    return HttpResponse(found.turtle, content_type="text/turtle; charset=utf-8")
