"""Definitions from Turtle, in the real Subsidiepunt's vocabulary (reference subsidiebeheer.md §3.1): criteria,
offers, calls (reeksen) with their period, the active flow, its steps (`qb:order`, `dct:references` a procedural
step, `dct:source` a form file) and the procedural steps with their deadline window (`mobiliteit:periode`).

* Idempotent: every resource is found again by the uuid at the end of its URI (other URIs get a uuid5 of the URI).
* A form file (`dct:source`) is read relative to the Turtle file (`config://forms/<path>` → `<dir>/forms/<path>`),
  and becomes a form version identified by its content: a changed file is a new version; forms already opened keep
  theirs.
* Never a deadline by data load: when a call has dossiers, a procedural step's window that differs is kept as it
  is and reported (use the agency's extension, which has a reason and tells the bodies).
* An explicit list of bodies: `ext:mayApply <organisation URI>` on the offer.
"""

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from loket.core.audit import audit_record
from loket.organisations.models import Organisation
from loket.subsidies.models import (
    Call,
    Criterion,
    CriterionRequirement,
    Dossier,
    Flow,
    MeasureOffer,
    ProceduralStep,
    Step,
)
from loket.subsidies.rdf import COMMON, LBLOD_SUBSIDIE, M8G, MOBILITEIT, QB, SUBSIDIE
from loket.subsidies.services import form_version_create
from loket.subsidies.terms import StepType

EXT = Namespace("http://mu.semte.ch/vocabularies/ext/")
_NAMESPACE = uuid.UUID("77219b1e-e23d-4828-847f-55e2d7fac687")


class LoadError(ValueError):
    pass


@dataclass
class LoadReport:
    criteria: int = 0
    offers: int = 0
    calls: int = 0
    steps: int = 0
    kept_windows: list[str] = field(default_factory=list)
    unknown_bodies: list[str] = field(default_factory=list)


def _uuid_of(node: Any) -> uuid.UUID:
    tail = str(node).rstrip("/").rsplit("/", 1)[-1]
    try:
        return uuid.UUID(tail)
    except ValueError:
        return uuid.uuid5(_NAMESPACE, str(node))


def _text(graph: Graph, node: Any, *predicates: URIRef) -> str:
    for predicate in predicates:
        value = graph.value(node, predicate)
        if value is not None:
            return str(value)
    return ""


def _moment(graph: Graph, period: Any, predicate: URIRef):  # type: ignore[no-untyped-def]
    if period is None:
        return None
    value = graph.value(period, predicate)
    if not isinstance(value, Literal):
        return None
    moment = value.toPython()
    if getattr(moment, "tzinfo", None) is None:
        raise LoadError(f"{period}: {predicate} needs a time zone (e.g. Z)")
    return moment


def _form_file(source: Any, base: Path) -> Path:
    text = str(source)
    if text.startswith("config://"):
        return base / text[len("config://") :]
    if text.startswith("file://"):
        return Path(text[len("file://") :])
    return base / text


@transaction.atomic
def definitions_load(*, path: Path, actor: Any = None) -> LoadReport:
    graph = Graph()
    graph.parse(path, format="turtle", publicID=path.resolve().parent.as_uri() + "/")
    report = LoadReport()
    for node in graph.subjects(RDF.type, M8G.Criterion):
        _criterion(graph, node)
        report.criteria += 1
    for node in graph.subjects(RDF.type, SUBSIDIE.SubsidiemaatregelAanbod):
        _offer(graph, node, path.resolve().parent, report)
        report.offers += 1
    audit_record(
        action="subsidies.definitions_loaded",
        actor=actor,
        file=path.name,
        criteria=report.criteria,
        offers=report.offers,
        calls=report.calls,
        steps=report.steps,
    )
    return report


def _criterion(graph: Graph, node: Any) -> Criterion:
    group = graph.value(node, M8G.fulfilledByRequirementGroup)
    criterion, _created = Criterion.objects.update_or_create(
        uuid=_uuid_of(node),
        defaults={"title": _text(graph, node, DCTERMS.title) or str(node), "group_uuid": _uuid_of(group or node)},
    )
    for requirement in graph.objects(group, M8G.hasCriterionRequirement) if group is not None else []:
        for classification in graph.objects(requirement, LBLOD_SUBSIDIE.isSatisfiableBy):
            CriterionRequirement.objects.get_or_create(
                criterion=criterion,
                satisfiable_by=str(classification),
                defaults={"uuid": _uuid_of(f"{requirement}/{classification}")},
            )
    return criterion


def _offer(graph: Graph, node: Any, base: Path, report: LoadReport) -> None:
    offer, _created = MeasureOffer.objects.update_or_create(
        uuid=_uuid_of(node),
        defaults={
            "title": _text(graph, node, DCTERMS.title, SKOS.prefLabel),
            "info_url": _text(graph, node, SKOS.related),
        },
    )
    for criterion in graph.objects(node, M8G.hasCriterion):
        offer.criteria.add(Criterion.objects.get(uuid=_uuid_of(criterion)))
    for body in graph.objects(node, EXT.mayApply):
        found = Organisation.objects.filter(uri=str(body)).first()
        if found is None:
            report.unknown_bodies.append(str(body))
        else:
            offer.bodies.add(found)
    for series in graph.objects(node, LBLOD_SUBSIDIE.heeftReeks):
        _call(graph, series, offer, base, report)
        report.calls += 1


def _call(graph: Graph, node: Any, offer: MeasureOffer, base: Path, report: LoadReport) -> None:
    period = graph.value(node, MOBILITEIT.periode)
    call, _created = Call.objects.update_or_create(
        uuid=_uuid_of(node),
        defaults={
            "offer": offer,
            "title": _text(graph, node, DCTERMS.title),
            "description": _text(graph, node, DCTERMS.description),
            "period_start": _moment(graph, period, M8G.startTime),
            "period_end": _moment(graph, period, M8G.endTime),
        },
    )
    flow_node = graph.value(node, COMMON.active)
    if flow_node is None:
        return
    flow, _created = Flow.objects.get_or_create(call=call, defaults={"uuid": _uuid_of(flow_node)})
    running = Dossier.objects.filter(call=call).exists()
    for step_node in graph.subjects(DCTERMS.isPartOf, flow_node):
        if (step_node, RDF.type, LBLOD_SUBSIDIE.ApplicationStep) in graph:
            _step(graph, step_node, flow, base, running, report)
            report.steps += 1


def _step(graph: Graph, node: Any, flow: Flow, base: Path, running: bool, report: LoadReport) -> None:
    procedural_node = graph.value(node, DCTERMS.references)
    if procedural_node is None:
        raise LoadError(f"{node}: dct:references (the procedural step) is missing")
    period = graph.value(procedural_node, MOBILITEIT.periode)
    window = {"start": _moment(graph, period, M8G.startTime), "end": _moment(graph, period, M8G.endTime)}
    step_type = str(graph.value(procedural_node, SUBSIDIE["Subsidieprocedurestap.type"]) or StepType.APPLICATION)
    if step_type not in StepType.values:
        raise LoadError(f"{procedural_node}: unknown step type {step_type}")
    procedural = ProceduralStep.objects.filter(uuid=_uuid_of(procedural_node)).first()
    if procedural is None:
        procedural = ProceduralStep(uuid=_uuid_of(procedural_node), **window)
    elif running and (procedural.start, procedural.end) != (window["start"], window["end"]):
        report.kept_windows.append(str(procedural_node))
    else:
        procedural.start, procedural.end = window["start"], window["end"]
    procedural.name = _text(graph, procedural_node, DCTERMS.description) or "Aanvraag"
    procedural.type = step_type
    if period is not None:
        procedural.period_uuid = _uuid_of(period)
    procedural.save()
    source = graph.value(node, DCTERMS.source)
    if source is None:
        raise LoadError(f"{node}: dct:source (the form) is missing")
    form_path = _form_file(source, base)
    version = form_version_create(name=form_path.name, turtle=form_path.read_text(encoding="utf-8"))
    order = graph.value(node, QB.order)
    Step.objects.update_or_create(
        uuid=_uuid_of(node),
        defaults={
            "flow": flow,
            "order": int(order) if order is not None else 0,
            "procedural_step": procedural,
            "form_version": version,
        },
    )
