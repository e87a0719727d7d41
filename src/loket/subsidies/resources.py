"""Every URI of Subsidiebeheer that the published graph mentions dereferences (content negotiation): each kind is
found by the uuid at the end of its URI and answered with what the public graph says about it. Dossiers and
participations answer only with the public facts (status, modified date, role Aanvrager); forms never."""

from collections.abc import Callable
from uuid import UUID

from rdflib import Graph, URIRef

from loket.core.linkeddata import describe
from loket.subsidies import rdf
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


def _offer(key: UUID) -> Graph | None:
    found = MeasureOffer.objects.filter(uuid=key).first()
    return rdf.offer_graph(found) if found else None


def _call(key: UUID) -> Graph | None:
    found = Call.objects.select_related("flow").filter(uuid=key).first()
    return rdf.call_graph(found) if found else None


def _flow(key: UUID) -> Graph | None:
    found = Flow.objects.select_related("call").filter(uuid=key).first()
    return rdf.call_graph(found.call) if found else None


def _step(key: UUID) -> Graph | None:
    found = Step.objects.select_related("flow__call").filter(uuid=key).first()
    return rdf.call_graph(found.flow.call) if found else None


def _procedural(key: UUID) -> Graph | None:
    found = ProceduralStep.objects.select_related("step__flow__call").filter(uuid=key).first()
    step = getattr(found, "step", None) if found else None
    return rdf.call_graph(step.flow.call) if step else None


def _period(key: UUID) -> Graph | None:
    found = ProceduralStep.objects.select_related("step__flow__call").filter(period_uuid=key).first()
    step = getattr(found, "step", None) if found else None
    return rdf.call_graph(step.flow.call) if step else None


def _criterion(key: UUID) -> Graph | None:
    found = Criterion.objects.filter(uuid=key).first()
    return rdf.criterion_graph(found) if found else None


def _group(key: UUID) -> Graph | None:
    found = Criterion.objects.filter(group_uuid=key).first()
    return rdf.criterion_graph(found) if found else None


def _requirement(key: UUID) -> Graph | None:
    found = CriterionRequirement.objects.select_related("criterion").filter(uuid=key).first()
    return rdf.criterion_graph(found.criterion) if found else None


def _dossier(key: UUID) -> Graph | None:
    found = Dossier.objects.select_related("organisation").filter(uuid=key).first()
    return rdf.dossier_graph(found) if found else None


def _participation(key: UUID) -> Graph | None:
    found = Dossier.objects.select_related("organisation").filter(participation_uuid=key).first()
    return rdf.dossier_graph(found) if found else None


KINDS: dict[str, Callable[[UUID], Graph | None]] = {
    "subsidy-measure-offers": _offer,
    "subsidy-measure-offer-series": _call,
    "subsidie-application-flows": _flow,
    "subsidie-application-flow-steps": _step,
    "subsidy-procedural-steps": _procedural,
    "periodes": _period,
    "criterions": _criterion,
    "requirement-groups": _group,
    "criterion-requirement": _requirement,
    "subsidy-measure-consumptions": _dossier,
    "participations": _participation,
}


def resource_graph(kind: str, key: UUID, uri: str) -> Graph | None:
    graph = KINDS[kind](key)
    if graph is None or (URIRef(uri), None, None) not in graph:
        return None
    return describe(graph, URIRef(uri))
