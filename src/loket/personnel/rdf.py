"""Personnel numbers as a conforming RDF Data Cube (W3C qb), keeping the real Loket's classes and URI bases.

* one `qb:DataStructureDefinition` with the dimensions `sdmx-dimension:sex`, `empl:workingTimeCategory`,
  `empl:legalStatus`, `sdmx-dimension:educationLev`, `sdmx-dimension:timePeriod`, the measure
  `sdmx-measure:obsValue` and the (required) attribute `sdmx-attribute:unitMeasure`; a slice key on the time period;
* each dataset is `empl:EmployeeDataset` and `qb:DataSet` (`qb:structure`); each period slice
  `empl:EmployeePeriodSlice` and `qb:Slice`; each observation `empl:EmployeeObservation` and `qb:Observation` with
  `qb:dataSet` and every dimension, the measure and the attribute on it (the normalised form the constraints read);
* a cell not filled is no observation (an observation without a value would break IC-14);
* the code lists (skos:inScheme of every code used) are part of the graph, so IC-19 holds on it alone; the
  legal-status scheme's wrong label is not repeated.

Not public by default: the body and the agency get it by content negotiation (`views`); the agency may publish
confirmed periods (setting LOKET_PERSONNEL_PUBLISH_CONFIRMED), from the confirmed figures, not the current edits.
"""

from collections.abc import Iterable
from decimal import Decimal

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from loket.core.linkeddata import MU, new_graph, rdf_mapping
from loket.personnel.dimensions import (
    CELLS,
    HEADS,
    LEGAL_STATUSES,
    LEVELS,
    SCHEMES,
    SEXES,
    UNITS,
    WORKING_TIMES,
)
from loket.personnel.models import DATA_BASE, Confirmation, EmployeePeriodSlice, Observation, PersonnelPeriod

QB = Namespace("http://purl.org/linked-data/cube#")
EMPL = Namespace("http://lblod.data.gift/vocabularies/employee/")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
TIME = Namespace("http://www.w3.org/2006/time#")

DSD = URIRef(f"{DATA_BASE}/employee-data-structures/personeelsaantallen")
SLICE_KEY = URIRef(f"{DATA_BASE}/employee-data-structures/personeelsaantallen/per-periode")
DIMENSIONS = [
    (SDMX_DIMENSION.sex, SCHEMES["sex"], SEXES),
    (EMPL.workingTimeCategory, SCHEMES["working_time"], WORKING_TIMES),
    (EMPL.legalStatus, SCHEMES["legal_status"], LEGAL_STATUSES),
    (SDMX_DIMENSION.educationLev, SCHEMES["level"], LEVELS),
]


def _bind(graph: Graph) -> Graph:
    for prefix, namespace in {
        "qb": QB,
        "empl": EMPL,
        "sdmx-dimension": SDMX_DIMENSION,
        "sdmx-measure": SDMX_MEASURE,
        "sdmx-attribute": SDMX_ATTRIBUTE,
        "time": TIME,
    }.items():
        graph.bind(prefix, namespace)
    return graph


def structure_graph() -> Graph:
    """The data structure definition, its component properties and the code lists."""
    graph = _bind(new_graph())
    graph.add((DSD, RDF.type, QB.DataStructureDefinition))
    graph.add((DSD, RDFS.label, Literal("Personeelsaantallen", lang="nl")))
    order = 1
    for dimension, scheme, concepts in DIMENSIONS:
        _component(graph, QB.dimension, dimension, order)
        graph.add((dimension, RDF.type, QB.DimensionProperty))
        graph.add((dimension, RDFS.range, SKOS.Concept))
        graph.add((dimension, QB.codeList, URIRef(scheme)))
        graph.add((URIRef(scheme), RDF.type, SKOS.ConceptScheme))
        for concept in concepts:
            graph.add((URIRef(concept.uri), RDF.type, SKOS.Concept))
            graph.add((URIRef(concept.uri), SKOS.inScheme, URIRef(scheme)))
            graph.add((URIRef(concept.uri), SKOS.prefLabel, Literal(str(concept.label), lang="nl")))
        order += 1
    _component(graph, QB.dimension, SDMX_DIMENSION.timePeriod, order)
    graph.add((SDMX_DIMENSION.timePeriod, RDF.type, QB.DimensionProperty))
    graph.add((SDMX_DIMENSION.timePeriod, RDFS.range, EMPL.EmployeeTimePeriod))
    _component(graph, QB.measure, SDMX_MEASURE.obsValue, order + 1)
    graph.add((SDMX_MEASURE.obsValue, RDF.type, QB.MeasureProperty))
    graph.add((SDMX_MEASURE.obsValue, RDFS.range, XSD.decimal))
    spec = _component(graph, QB.attribute, SDMX_ATTRIBUTE.unitMeasure, order + 2)
    graph.add((spec, QB.componentRequired, Literal(True)))
    graph.add((SDMX_ATTRIBUTE.unitMeasure, RDF.type, QB.AttributeProperty))
    unit_scheme = URIRef(SCHEMES["unit"])
    graph.add((SDMX_ATTRIBUTE.unitMeasure, QB.codeList, unit_scheme))
    graph.add((SDMX_ATTRIBUTE.unitMeasure, RDFS.range, SKOS.Concept))
    graph.add((unit_scheme, RDF.type, SKOS.ConceptScheme))
    for unit in UNITS.values():
        graph.add((URIRef(unit.uri), RDF.type, SKOS.Concept))
        graph.add((URIRef(unit.uri), RDF.type, EMPL.UnitMeasure))
        graph.add((URIRef(unit.uri), SKOS.inScheme, unit_scheme))
        graph.add((URIRef(unit.uri), SKOS.prefLabel, Literal(str(unit.label), lang="nl")))
    graph.add((DSD, QB.sliceKey, SLICE_KEY))
    graph.add((SLICE_KEY, RDF.type, QB.SliceKey))
    graph.add((SLICE_KEY, QB.componentProperty, SDMX_DIMENSION.timePeriod))
    return graph


def _component(graph: Graph, kind: URIRef, prop: URIRef, order: int) -> BNode:
    spec = BNode()
    graph.add((DSD, QB.component, spec))
    graph.add((spec, RDF.type, QB.ComponentSpecification))
    graph.add((spec, kind, prop))
    graph.add((spec, QB.componentProperty, prop))
    graph.add((spec, QB.order, Literal(order)))
    return spec


def _period(graph: Graph, period: PersonnelPeriod) -> URIRef:
    node = URIRef(period.uri)
    graph.add((node, RDF.type, EMPL.EmployeeTimePeriod))
    graph.add((node, MU.uuid, Literal(str(period.uuid))))
    graph.add((node, SKOS.prefLabel, Literal(str(period.year))))
    graph.add((node, TIME.hasBeginning, Literal(f"{period.year}-01-01T00:00:00+00:00", datatype=XSD.dateTime)))
    return node


def _slice(graph: Graph, s: EmployeePeriodSlice, values: Iterable[tuple[int, Decimal | None]]) -> None:
    dataset = s.dataset
    unit = UNITS[dataset.unit]
    dataset_node, slice_node = URIRef(dataset.uri), URIRef(s.uri)
    period_node = _period(graph, s.period)
    graph.add((dataset_node, RDF.type, EMPL.EmployeeDataset))
    graph.add((dataset_node, RDF.type, QB.DataSet))
    graph.add((dataset_node, QB.structure, DSD))
    graph.add((dataset_node, MU.uuid, Literal(str(dataset.uuid))))
    graph.add((dataset_node, DCTERMS.title, Literal(str(unit.label))))
    graph.add((dataset_node, DCTERMS.creator, URIRef(dataset.organisation.uri)))
    graph.add((dataset_node, DCTERMS.subject, URIRef(unit.uri)))
    if dataset.modified:
        graph.add((dataset_node, DCTERMS.modified, Literal(dataset.modified)))
    graph.add((dataset_node, QB.slice, slice_node))
    graph.add((slice_node, RDF.type, EMPL.EmployeePeriodSlice))
    graph.add((slice_node, RDF.type, QB.Slice))
    graph.add((slice_node, QB.sliceStructure, SLICE_KEY))
    graph.add((slice_node, MU.uuid, Literal(str(s.uuid))))
    graph.add((slice_node, RDFS.label, Literal(f"{unit.label} {s.period.year}")))
    graph.add((slice_node, SDMX_DIMENSION.timePeriod, period_node))
    for index, value in values:
        if value is None:
            continue
        cell = CELLS[index]
        node = URIRef(s.observation_uri(index))
        graph.add((slice_node, QB.observation, node))
        graph.add((node, RDF.type, EMPL.EmployeeObservation))
        graph.add((node, RDF.type, QB.Observation))
        graph.add((node, QB.dataSet, dataset_node))
        graph.add(
            (
                node,
                SDMX_MEASURE.obsValue,
                Literal(
                    value if dataset.unit != HEADS else int(value),
                    datatype=XSD.decimal if dataset.unit != HEADS else XSD.integer,
                ),
            )
        )
        graph.add((node, SDMX_ATTRIBUTE.unitMeasure, URIRef(unit.uri)))
        graph.add((node, SDMX_DIMENSION.sex, URIRef(SEXES[cell.sex].uri)))
        graph.add((node, EMPL.workingTimeCategory, URIRef(WORKING_TIMES[cell.working_time].uri)))
        graph.add((node, EMPL.legalStatus, URIRef(LEGAL_STATUSES[cell.legal_status].uri)))
        graph.add((node, SDMX_DIMENSION.educationLev, URIRef(LEVELS[cell.level].uri)))
        graph.add((node, SDMX_DIMENSION.timePeriod, period_node))


@rdf_mapping(EmployeePeriodSlice)
def slice_graph(s: EmployeePeriodSlice) -> Graph:
    """One slice with its current values (the cube's structure included)."""
    graph = structure_graph()
    values = Observation.objects.filter(slice=s).order_by("cell").values_list("cell", "value")
    _slice(graph, s, values)
    return graph


def cube_graph(slices: Iterable[EmployeePeriodSlice]) -> Graph:
    graph = structure_graph()
    slices = list(slices)
    by_slice: dict[int, list[tuple[int, Decimal | None]]] = {s.pk: [] for s in slices}
    for slice_id, cell, value in Observation.objects.filter(slice__in=slices).values_list("slice_id", "cell", "value"):
        by_slice[slice_id].append((cell, value))
    for s in slices:
        _slice(graph, s, by_slice[s.pk])
    return graph


def period_graph(period: PersonnelPeriod) -> Graph:
    """Every body's current numbers for a period (the agency)."""
    slices = EmployeePeriodSlice.objects.filter(period=period).select_related("dataset__organisation", "period")
    return cube_graph(slices)


def confirmed_graph(period: PersonnelPeriod) -> Graph:
    """What bodies confirmed for a period, each at its latest confirmed version (the published cube)."""
    graph = structure_graph()
    latest: dict[int, Confirmation] = {}
    for confirmation in Confirmation.objects.filter(period=period).order_by("version"):
        latest[confirmation.organisation_id] = confirmation
    slices = EmployeePeriodSlice.objects.filter(period=period, dataset__organisation__in=list(latest)).select_related(
        "dataset__organisation", "period"
    )
    for s in slices:
        figures = latest[s.dataset.organisation_id].figures[s.dataset.unit]
        _slice(graph, s, [(i, None if v is None else Decimal(v)) for i, v in enumerate(figures)])
    return graph
