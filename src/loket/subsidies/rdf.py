"""Linked data of Subsidiebeheer, as the real Subsidiepunt models it (reference subsidiebeheer.md §3, §10).

Public: the definitions (offers with criteria, calls with period, flows, steps, procedural steps with their
deadline window, form versions by URI). Per dossier only what the real public LDES publishes: status, modified
date and the participation (role Aanvrager) of the body. Form content never."""

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from loket.core.linkeddata import new_graph, rdf_mapping, register_dataset
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
from loket.subsidies.terms import AANVRAGER

SUBSIDIE = Namespace("http://data.vlaanderen.be/ns/subsidie#")
LBLOD_SUBSIDIE = Namespace("http://lblod.data.gift/vocabularies/subsidie/")
M8G = Namespace("http://data.europa.eu/m8g/")
CPSV = Namespace("http://purl.org/vocab/cpsv#")
COMMON = Namespace("http://www.w3.org/2007/uwa/context/common.owl#")
XKOS = Namespace("http://rdf-vocabulary.ddialliance.org/xkos#")
QB = Namespace("http://purl.org/linked-data/cube#")
MOBILITEIT = Namespace("https://data.vlaanderen.be/ns/mobiliteit#")
TRANSACTIE = Namespace("http://data.vlaanderen.be/ns/transactie#")
ADMS = Namespace("http://www.w3.org/ns/adms#")


register_dataset(
    "subsidies",
    title="Subsidies",
    description="Subsidiemaatregelen met hun criteria, reeksen, stappen en deadlines; per aanvraag enkel de status, "
    "de datum van de laatste wijziging en het bestuur als aanvrager (nooit de inhoud van de formulieren).",
)


def _graph() -> Graph:
    graph = new_graph()
    for prefix, namespace in {
        "subsidie": SUBSIDIE,
        "lblodSubsidie": LBLOD_SUBSIDIE,
        "m8g": M8G,
        "cpsv": CPSV,
        "common": COMMON,
        "xkos": XKOS,
        "qb": QB,
        "mobiliteit": MOBILITEIT,
        "transactie": TRANSACTIE,
    }.items():
        graph.bind(prefix, namespace)
    return graph


def _moment(value) -> Literal:  # type: ignore[no-untyped-def]
    return Literal(value.isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime)


def _period(graph: Graph, uri: str, start, end) -> URIRef:  # type: ignore[no-untyped-def]
    node = URIRef(uri)
    graph.add((node, RDF.type, M8G.PeriodOfTime))
    if start is not None:
        graph.add((node, M8G.startTime, _moment(start)))
    if end is not None:
        graph.add((node, M8G.endTime, _moment(end)))
    return node


@rdf_mapping(Criterion, dataset="subsidies", follows={CriterionRequirement: "requirements"})
def criterion_graph(criterion: Criterion) -> Graph:
    graph = _graph()
    node, group = URIRef(criterion.uri), URIRef(criterion.group_uri)
    graph.add((node, RDF.type, M8G.Criterion))
    graph.add((node, DCTERMS.title, Literal(criterion.title)))
    graph.add((node, M8G.fulfilledByRequirementGroup, group))
    graph.add((group, RDF.type, M8G.RequirementGroup))
    for requirement in criterion.requirements.all():
        req = URIRef(requirement.uri)
        graph.add((group, M8G.hasCriterionRequirement, req))
        graph.add((req, RDF.type, M8G.CriterionRequirement))
        graph.add((req, LBLOD_SUBSIDIE.isSatisfiableBy, URIRef(requirement.satisfiable_by)))
    return graph


@rdf_mapping(
    MeasureOffer,
    dataset="subsidies",
    follows={Criterion: "criteria", CriterionRequirement: "criteria__requirements", Call: "calls"},
)
def offer_graph(offer: MeasureOffer) -> Graph:
    graph = _graph()
    node = URIRef(offer.uri)
    graph.add((node, RDF.type, SUBSIDIE.SubsidiemaatregelAanbod))
    graph.add((node, DCTERMS.title, Literal(offer.title)))
    graph.add((node, SKOS.prefLabel, Literal(offer.title)))
    if offer.info_url:
        graph.add((node, SKOS.related, URIRef(offer.info_url)))
    for criterion in offer.criteria.all():
        graph.add((node, M8G.hasCriterion, URIRef(criterion.uri)))
        graph += criterion_graph(criterion)
    for call in offer.calls.all():
        graph.add((node, LBLOD_SUBSIDIE.heeftReeks, URIRef(call.uri)))
    return graph


@rdf_mapping(
    Call,
    dataset="subsidies",
    follows={Flow: "flow", Step: "flow__steps", ProceduralStep: "flow__steps__procedural_step"},
)
def call_graph(call: Call) -> Graph:
    graph = _graph()
    node = URIRef(call.uri)
    graph.add((node, RDF.type, LBLOD_SUBSIDIE.SubsidiemaatregelAanbodReeks))
    graph.add((node, DCTERMS.title, Literal(call.title)))
    if call.description:
        graph.add((node, DCTERMS.description, Literal(call.description)))
    graph.add((node, MOBILITEIT.periode, _period(graph, f"{call.uri}/periode", call.period_start, call.period_end)))
    flow = getattr(call, "flow", None)
    if flow is None:
        return graph
    flow_node = URIRef(flow.uri)
    graph.add((node, COMMON.active, flow_node))
    graph.add((flow_node, RDF.type, LBLOD_SUBSIDIE.ApplicationFlow))
    graph.add((flow_node, XKOS.belongsTo, node))
    steps = list(flow.steps.select_related("procedural_step", "form_version").order_by("order"))
    for index, step in enumerate(steps):
        step_node, procedural = URIRef(step.uri), step.procedural_step
        if index == 0:
            graph.add((flow_node, XKOS.next, step_node))
        else:
            graph.add((step_node, XKOS.previous, URIRef(steps[index - 1].uri)))
            graph.add((URIRef(steps[index - 1].uri), XKOS.next, step_node))
        graph.add((step_node, RDF.type, LBLOD_SUBSIDIE.ApplicationStep))
        graph.add((step_node, QB.order, Literal(step.order)))
        graph.add((step_node, DCTERMS.isPartOf, flow_node))
        graph.add((step_node, DCTERMS.source, URIRef(step.form_version.uri)))
        graph.add((step_node, DCTERMS.references, URIRef(procedural.uri)))
        proc_node = URIRef(procedural.uri)
        graph.add((node, LBLOD_SUBSIDIE.heeftSubsidieprocedurestap, proc_node))
        graph.add((proc_node, RDF.type, SUBSIDIE.Subsidieprocedurestap))
        graph.add((proc_node, DCTERMS.description, Literal(procedural.name)))
        graph.add((proc_node, SUBSIDIE["Subsidieprocedurestap.type"], URIRef(procedural.type)))
        period = _period(graph, procedural.period_uri, procedural.start, procedural.end)
        graph.add((proc_node, MOBILITEIT.periode, period))
    return graph


@rdf_mapping(Dossier, dataset="subsidies", modified=lambda dossier: dossier.modified_at)
def dossier_graph(dossier: Dossier) -> Graph:
    """Only the public LDES's facts: status, modified date, the participation as Aanvrager. Never the forms."""
    graph = _graph()
    node, participation = URIRef(dossier.uri), URIRef(dossier.participation_uri)
    graph.add((node, RDF.type, SUBSIDIE.SubsidiemaatregelConsumptie))
    graph.add((node, ADMS.status, URIRef(dossier.status)))
    graph.add((node, DCTERMS.modified, _moment(dossier.modified_at)))
    graph.add((node, M8G.hasParticipation, participation))
    graph.add((participation, RDF.type, M8G.Participation))
    graph.add((participation, M8G.role, URIRef(AANVRAGER)))
    graph.add((URIRef(dossier.organisation.uri), M8G.playsRole, participation))
    return graph


def public_graph() -> Graph:
    graph = _graph()
    for offer in MeasureOffer.objects.prefetch_related("criteria__requirements", "calls"):
        graph += offer_graph(offer)
    for call in Call.objects.select_related("flow"):
        graph += call_graph(call)
    for dossier in Dossier.objects.select_related("organisation").iterator(chunk_size=500):
        graph += dossier_graph(dossier)
    return graph
