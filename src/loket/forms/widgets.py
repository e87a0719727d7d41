"""The Loket's own display types beside the plain inputs: what each shows and which triples it writes.

The shapes follow the real widgets (ember-submission-form-fields and frontend-loket), read for behaviour:

* `vLabelOpcentiem` — tax rates for Vlabel: `<doc> lblodBesluit:taxRate <http://data.lblod.info/tax-rates/<uuid>>`,
  `<rate> a lblodBesluit:TaxRate ; schema:price "<amount as typed>"` (one price per amount), or — when the rate
  differs per case ("differentiatie") — no rate and `<doc> lblodBesluit:hasAdditionalTaxRate "1"^^xsd:boolean`.
* `dateRange` — two moments at the paths of the field's `date-range:from` / `date-range:to` nodes, written as the
  string of `Date.toISOString()` (the real widget writes plain literals).
* `bestuursorgaanSelector` — one governing body *in time* (`eli:passed_by`) from the field's scheme in the meta
  graph, plus a copy of its organ, the organ's classification, the body it governs and that body's classification
  from the meta graph into the data (so the supervisor sees which organ decided without the meta graph).
* `decisionDocuments` — earlier documents of the body (`dct:relation`), offered by the application in the meta
  graph as concepts of `DOCUMENTS_SCHEME`.
* `decisionArticles` — articles (`eli:has_part`): `<article> a besluit:Artikel ; sh:order n ; eli:refers_to <doc>`
  and, unless the field says `fieldOption:exclude-type_document true`, `eli:type_document <document type>`.
* `instanceSelector` / `instanceMultiSelector` — instances of the class in the field's `form:targetType` (or the
  `targetType` option) found in the meta graph, labelled by `form:instanceLabelProperty` (default skos:prefLabel).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from .codelists import Option
from .model import Field, Path, PathStep
from .paths import DataContext
from .rdfio import literal
from .vocabulary import DISPLAY, FIELD_OPTION, FORM, LBLOD_BESLUIT, RDF, SCHEMA, SH, SKOS, XSD

ELI = Namespace("http://data.europa.eu/eli/ontology#")
BESLUIT = Namespace("http://data.vlaanderen.be/ns/besluit#")
MANDAAT = Namespace("http://data.vlaanderen.be/ns/mandaat#")
DCT = Namespace("http://purl.org/dc/terms/")
DATE_RANGE = Namespace("http://data.lblod.info/form-fields/date-range/")
TAX_RATE_BASE = "http://data.lblod.info/tax-rates/"
ARTICLE_BASE = "http://data.lblod.info/artikels/"
DOCUMENT_TYPE_SCHEME = URIRef("http://lblod.data.gift/concept-schemes/71e6455e-1204-46a6-abf4-87319f58eaa5")
# The application lists the documents a decision may refer to as concepts of this scheme in the meta graph.
DOCUMENTS_SCHEME = URIRef("http://data.lblod.info/loket/concept-schemes/documenten-van-het-bestuur")
LOCAL_ZONE = ZoneInfo("Europe/Brussels")

TAX_RATE_PATH: Path = (PathStep(LBLOD_BESLUIT.taxRate), PathStep(SCHEMA.price))
ADDITIONAL_TAX_RATE: Path = (PathStep(LBLOD_BESLUIT.hasAdditionalTaxRate),)


def is_true(value: Node | None) -> bool:
    return value is not None and str(value).strip().lower() in {"1", "true"}


# -- options ---------------------------------------------------------------------------------------------------
def labelled(meta: Graph, subjects: set[Node], label_property: URIRef = SKOS.prefLabel) -> list[Option]:
    def label(subject: Node) -> str:
        labels = list(meta.objects(subject, label_property))
        dutch = [v for v in labels if isinstance(v, Literal) and v.language in {"nl", None}]
        return str((dutch or labels or [subject])[0])

    return sorted((Option(s, label(s)) for s in subjects), key=lambda o: (o.label.casefold(), str(o.value)))


def document_options(meta: Graph) -> list[Option]:
    return labelled(meta, set(meta.subjects(SKOS.inScheme, DOCUMENTS_SCHEME)))


def document_type_options(meta: Graph) -> list[Option]:
    return labelled(meta, set(meta.subjects(SKOS.inScheme, DOCUMENT_TYPE_SCHEME)))


def instance_options(graph: Graph, target: Field, meta: Graph) -> list[Option]:
    kind = graph.value(target.node, FORM.targetType) or target.options.get("targetType")
    if kind is None:
        return []
    label_property = graph.value(target.node, FORM.instanceLabelProperty) or target.options.get("labelProperty")
    instances = set(meta.subjects(RDF.type, URIRef(str(kind))))
    return labelled(meta, instances, URIRef(str(label_property or SKOS.prefLabel)))


def excludes_document_type(graph: Graph, target: Field) -> bool:
    return is_true(graph.value(target.node, FIELD_OPTION["exclude-type_document"]))


# -- date ranges -------------------------------------------------------------------------------------------------
def range_paths(graph: Graph, target: Field) -> tuple[URIRef | None, URIRef | None]:
    """The predicates of the field's from/to nodes (the real widget reads `sh:path` of each)."""

    def path(end: URIRef) -> URIRef | None:
        holder = graph.value(target.node, end)
        value = graph.value(holder, SH.path) if holder is not None else None
        return value if isinstance(value, URIRef) else None

    return path(DATE_RANGE["from"]), path(DATE_RANGE.to)


def iso_moment(day: str, *, end_of_day: bool = False) -> str | None:
    """`Date.toISOString()` of a local (Brussels) day: its start, or for the end of a range 23:59:59.059."""
    try:
        parsed = date.fromisoformat(day.strip()[:10])
    except ValueError:
        return None
    clock = time(23, 59, 59, 59000) if end_of_day else time(0, 0)
    moment = datetime.combine(parsed, clock, tzinfo=LOCAL_ZONE).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def local_day(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(LOCAL_ZONE)
    return moment.date().isoformat()


# -- articles --------------------------------------------------------------------------------------------------
def articles(context: DataContext, node: Node, path: Path) -> list[Node]:
    def order(article: Node) -> tuple[float, str]:
        value = context.source.value(article, SH.order)
        try:
            return (float(str(value)), str(article)) if value is not None else (float("inf"), str(article))
        except ValueError:
            return (float("inf"), str(article))

    return sorted(context.values(node, path), key=order)


def new_article() -> URIRef:
    return URIRef(ARTICLE_BASE + str(uuid.uuid4()))


def new_tax_rate() -> URIRef:
    return URIRef(TAX_RATE_BASE + str(uuid.uuid4()))


def organ_copies(meta: Graph, organ_in_time: Node) -> list[tuple[Node, Node, Node]]:
    """The triples the real selector copies from the meta graph: organ, its classification, body, its classification."""
    copies: list[tuple[Node, Node, Node]] = []
    organ = meta.value(organ_in_time, MANDAAT.isTijdspecialisatieVan)
    if organ is None:
        return copies
    copies.append((organ_in_time, MANDAAT.isTijdspecialisatieVan, organ))
    classification = meta.value(organ, BESLUIT.classificatie)
    if classification is not None:
        copies.append((organ, BESLUIT.classificatie, classification))
    body = meta.value(organ, BESLUIT.bestuurt)
    if body is not None:
        copies.append((organ, BESLUIT.bestuurt, body))
        body_classification = meta.value(body, BESLUIT.classificatie)
        if body_classification is not None:
            copies.append((body, BESLUIT.classificatie, body_classification))
    return copies


def boolean(value: bool) -> Literal:
    return literal("1" if value else "0", XSD.boolean)


__all__ = [
    "ADDITIONAL_TAX_RATE",
    "BESLUIT",
    "DCT",
    "DISPLAY",
    "ELI",
    "TAX_RATE_PATH",
]
