"""The Toezicht form as the engine sees it: the versioned definition, the meta graph (code lists, the
organisation's governing bodies in time, its earlier documents), and a submission's source graph.

Versions: `toezicht-v1.ttl` (the first, 18 fields) and `toezicht-v2.ttl` (what the live Loket asks, per type of
dossier) are built in; an operator may drop the real Loket's own form files into `LOKET_TOEZICHT_FORMS_DIR`, whose
newest file (by name: the real files are `<timestamp>-forms.ttl`) then becomes current. A submission keeps the
version it was made with (`name@sha256-prefix`); new concepts use the current one. English labels of a version
whose bytes are frozen live beside it in `<name>.en.ttl` (display only: they do not change the version's hash).
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

from loket.core.linkeddata import organ_in_time_uri
from loket.forms.constraints import ConstraintCall, register_constraint
from loket.forms.loader import load_form_text
from loket.forms.model import FormDefinition
from loket.forms.paths import DataContext
from loket.forms.rdfio import parse_turtle_file, parse_turtle_text, plain_graph, to_turtle
from loket.forms.validate import FormReport, validate_form
from loket.forms.vocabulary import DISPLAY
from loket.organisations.models import Organisation
from loket.supervision.governing_bodies import governing_bodies_of
from loket.supervision.models import GoverningBody

FORMS_DIR = Path(__file__).resolve().parent / "forms_data"
BUILT_IN_FORMS = ("toezicht-v1.ttl", "toezicht-v2.ttl")
MELDING = Namespace("http://lblod.data.gift/vocabularies/automatische-melding/")
MANDAAT = Namespace("http://data.vlaanderen.be/ns/mandaat#")
BESLUIT = Namespace("http://data.vlaanderen.be/ns/besluit#")
GOVERNING_BODY_SCHEME = URIRef("http://data.lblod.info/loket/concept-schemes/bestuursorganen-van-het-bestuur")
# The scheme of governing bodies in time the real Toezicht form's organ fields use.
ORGANS_IN_TIME_SCHEME = URIRef("http://data.lblod.info/concept-schemes/481c03f0-d07f-424e-9c2b-8d4cfb141c72")
# Legislatures whose organs in time a body may choose (the code list's periods from 2019 on).
ORGAN_PERIOD_START = 2019
CODELIST_FILES = ("document-types.ttl", "toezicht-form-codelists.ttl", "legislature-periods.ttl")


ELI = Namespace("http://data.europa.eu/eli/ontology#")
FORM = Namespace("http://lblod.data.gift/vocabularies/forms/")
EXCLUDE_DOCUMENT_TYPE = URIRef("http://lblod.data.gift/vocabularies/form-field-options/exclude-type_document")


@register_constraint(FORM.DecisionArticlesValidator, arity="bag", message=_("Elk artikel verwijst naar een document."))
def articles_complete(values: list, call: ConstraintCall) -> bool:
    """The Loket's own check on decision articles: each refers to a document and, unless the field leaves the
    document type out, says which type of document it is."""
    source = call.context.source
    excluded = call.constraint.param(EXCLUDE_DOCUMENT_TYPE)
    with_type = excluded is None or str(excluded).strip().lower() not in {"true", "1"}
    for article in values:
        if source.value(article, ELI.refers_to) is None:
            return False
        if with_type and source.value(article, ELI.type_document) is None:
            return False
    return True


def _operator_dir() -> Path | None:
    folder = getattr(settings, "LOKET_TOEZICHT_FORMS_DIR", "")
    return Path(folder) if folder else None


def current_form_name() -> str:
    """The newest form: the operator's newest file when a folder is configured, else the newest built-in one
    (`LOKET_TOEZICHT_FORM` pins a name instead)."""
    pinned = getattr(settings, "LOKET_TOEZICHT_FORM", "")
    if pinned:
        return pinned
    folder = _operator_dir()
    if folder is not None and folder.is_dir():
        names = sorted(p.name for p in folder.glob("*.ttl") if not p.name.endswith(".en.ttl"))
        if names:
            return names[-1]
    return BUILT_IN_FORMS[-1]


def form_path(name: str) -> Path:
    folder = _operator_dir()
    if folder is not None and (folder / name).is_file():
        return folder / name
    return FORMS_DIR / name


@lru_cache(maxsize=8)
def _file_sha256(path: Path, mtime: float) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def form_version(name: str | None = None) -> str:
    """`toezicht-v2.ttl@<sha256 prefix>`: which file, and exactly which content, a submission was checked with."""
    name = name or current_form_name()
    path = form_path(name)
    return f"{name}@{_file_sha256(path, path.stat().st_mtime)[:16]}"


def form_definition(version: str | None = None) -> FormDefinition:
    """The definition of a version (`name@hash` or a name); without one, the current form."""
    name = (version or current_form_name()).split("@", 1)[0]
    path = form_path(name)
    english = path.with_name(path.name.removesuffix(".ttl") + ".en.ttl")
    return _load(path, path.stat().st_mtime, english if english.is_file() else None)


@lru_cache(maxsize=8)
def _load(path: Path, mtime: float, english: Path | None) -> FormDefinition:
    text = path.read_text(encoding="utf-8")
    if english is not None:
        text += "\n" + english.read_text(encoding="utf-8")
    return load_form_text(text, source=str(path))


@lru_cache(maxsize=1)
def _codelists() -> Graph:
    graph = plain_graph()
    for name in CODELIST_FILES:
        parse_turtle_file(settings.REPO_DIR / "data" / "codelists" / name, graph)
    return graph


def meta_graph(organisation: Organisation, *, with_documents: bool = True) -> Graph:
    """Code lists plus the organisation's governing bodies as the concepts of one scheme. The code lists are
    shared (read-only), not copied: only the organisation's own triples are a new graph, which callers may add to.
    `with_documents` adds the body's sent submissions (only a form with document or article widgets offers them).

    The organisation's parts are built once per process for the data they are built from (`_bodies_layer`,
    `_documents_layer`: the rows read are the key), so a changed, added or removed body, a new sent submission or a
    renamed document type gives a new part; the reads themselves are made every time."""
    from rdflib.graph import ReadOnlyGraphAggregate

    own = plain_graph()
    layers = [_codelists(), _bodies_layer(organisation)]
    if with_documents:
        layers.append(_documents_layer(organisation))
    layers.append(own)
    return _MetaGraph(own, ReadOnlyGraphAggregate(layers), layers=tuple(layers))


# Built layers by the data they were built from; read-only once built (a _MetaGraph writes only to its own graph).
_BODIES_LAYERS: OrderedDict[tuple, Graph] = OrderedDict()  # type: ignore[type-arg]
_DOCUMENTS_LAYERS: OrderedDict[tuple, Graph] = OrderedDict()  # type: ignore[type-arg]
# Measured with tracemalloc: about 21 KiB a bodies layer, 90 KiB for 67 documents (about 700 KiB for the 500 read at
# most): at most about 2.7 + 5.6 MiB per process.
_KEPT_BODIES, _KEPT_DOCUMENTS = 128, 8


_LAYERS_LOCK = threading.Lock()  # a threaded server (runserver) shares the two caches between requests


def _remembered(layers: OrderedDict, key: tuple, build: Callable[[], Graph], kept: int) -> Graph:  # type: ignore[type-arg]
    with _LAYERS_LOCK:
        layer = layers.get(key)
        if layer is not None:
            layers.move_to_end(key)
            return layer
    layer = build()  # outside the lock: two requests may build the same part; both are right
    with _LAYERS_LOCK:
        layers[key] = layer
        while len(layers) > kept:
            layers.popitem(last=False)
    return layer


def _body_rows(organisation: Organisation) -> list[tuple[str, str, str]]:
    """The organisation's governing bodies (URI, label, classification) as one statement (the ORM's read of the
    three rows cost 0.24 ms, this 0.03), made on first use as `governing_bodies_of` makes them."""
    from loket.core.statements import cursor, quote, table

    sql = (
        f"SELECT {quote('uri')}, {quote('label')}, {quote('classification_uri')} FROM {table(GoverningBody)} "  # noqa: S608
        f"WHERE {quote('organisation_id')} = %s ORDER BY {quote('label')}, {quote('id')}"
    )
    with cursor() as reading:  # prepared on PostgreSQL, as every hot hand-written read
        reading.execute(sql, [organisation.pk])
        rows = [tuple(row) for row in reading.fetchall()]
    if not rows:
        rows = [(body.uri, body.label, body.classification_uri) for body in governing_bodies_of(organisation)]
    return rows  # type: ignore[return-value]


def _bodies_layer(organisation: Organisation) -> Graph:
    rows = _body_rows(organisation)
    kind = organisation.kind.uri if organisation.kind_id else ""  # type: ignore[union-attr]
    key = (organisation.uri, kind, tuple(rows))
    return _remembered(_BODIES_LAYERS, key, lambda: _bodies_graph(organisation.uri, kind, rows), _KEPT_BODIES)


def _bodies_graph(organisation_uri: str, kind: str, rows: list[tuple[str, str, str]]) -> Graph:
    layer = plain_graph()
    for uri, body_label, classification_uri in rows:
        concept = URIRef(uri)
        layer.add((concept, RDF.type, SKOS.Concept))
        layer.add((concept, SKOS.inScheme, GOVERNING_BODY_SCHEME))
        layer.add((concept, SKOS.prefLabel, Literal(body_label)))
        layer.add((concept, BESLUIT.classificatie, URIRef(classification_uri)))
        layer.add((concept, BESLUIT.bestuurt, URIRef(organisation_uri)))
        for period, label in _periods():
            in_time = organ_in_time(uri, period)
            layer.add((in_time, RDF.type, SKOS.Concept))
            layer.add((in_time, SKOS.inScheme, ORGANS_IN_TIME_SCHEME))
            layer.add((in_time, SKOS.prefLabel, Literal(f"{body_label} ({label})")))
            layer.add((in_time, MANDAAT.isTijdspecialisatieVan, concept))
    if kind:
        layer.add((URIRef(organisation_uri), BESLUIT.classificatie, URIRef(kind)))
    return layer


DOCUMENT_WIDGETS = frozenset({DISPLAY["decisionArticles"], DISPLAY["decisionDocuments"]})


def offers_documents(definition: FormDefinition) -> bool:
    """Whether a form has a widget that offers the body's earlier documents (remembered with the definition)."""
    found = definition.cache.get("loket.offers_documents")
    if found is None:
        found = any(field.display_type in DOCUMENT_WIDGETS for field in definition.fields.values())
        definition.cache["loket.offers_documents"] = found
    return found


def organ_in_time(organ_uri: str, period: URIRef) -> URIRef:
    """A governing body in one legislature: a stable URI derived from the organ and the period."""
    return URIRef(organ_in_time_uri(organ_uri, str(period)))


@lru_cache(maxsize=1)
def legislature_periods() -> list[tuple[URIRef, str, int]]:
    """Every legislature period of the code list (URI, label, start year), newest first."""
    graph = _codelists()
    start = URIRef("http://lblod.data.gift/vocabularies/lmb/startYear")
    found = [
        (period, str(graph.value(period, SKOS.prefLabel)), int(str(year)))
        for period, year in graph.subject_objects(start)
        if isinstance(period, URIRef)
    ]
    return sorted(found, key=lambda item: -item[2])


@lru_cache(maxsize=1)
def _periods() -> list[tuple[URIRef, str]]:
    """The periods a form offers for "which organ took the decision" (from 2019 on)."""
    return [(period, label) for period, label, year in legislature_periods() if year >= ORGAN_PERIOD_START]


def _documents_layer(organisation: Organisation) -> Graph:
    """The body's sent submissions, as the documents a decision may relate to or its articles refer to."""
    from loket.supervision.models import Submission

    # Only the four columns the label needs: a sent row also holds its whole form data.
    sent = tuple(
        Submission.objects.filter(organisation=organisation, status=Submission.Status.SENT)
        .order_by("-sent_at")
        .values_list("uuid", "session_date", "sent_at", "document_type__label")[:500]
    )
    key = (settings.LOKET_URI_BASE, sent)
    return _remembered(_DOCUMENTS_LAYERS, key, lambda: _documents_graph(sent), _KEPT_DOCUMENTS)


def _documents_graph(sent: tuple) -> Graph:  # type: ignore[type-arg]
    from loket.forms.widgets import DOCUMENTS_SCHEME

    layer = plain_graph()
    for uuid, session_date, sent_at, type_label in sent:
        document = form_node_for(uuid)
        day = session_date or (sent_at.date() if sent_at else None)
        label = f"{type_label} — {day.isoformat() if day else ''}".rstrip(" —")
        layer.add((document, SKOS.inScheme, DOCUMENTS_SCHEME))
        layer.add((document, SKOS.prefLabel, Literal(label)))
    return layer


class _MetaGraph(Graph):
    """Reads from the code lists and the organisation's triples together; writes go to the latter. `layers` names
    the parts (forms.codelists reads a scheme from the one part that holds it)."""

    def __init__(self, own: Graph, union: Graph, layers: tuple[Graph, ...] = ()) -> None:
        super().__init__(bind_namespaces="core")  # as `plain_graph()`
        self._own = own
        self._union = union
        self.layers = layers

    def add(self, triple):  # type: ignore[no-untyped-def]
        self._own.add(triple)
        return self

    def triples(self, pattern):  # type: ignore[no-untyped-def]
        return self._union.triples(pattern)

    def __contains__(self, triple) -> bool:  # type: ignore[no-untyped-def]
        return triple in self._union

    def __len__(self) -> int:
        return len(self._union)


def form_node_for(uuid: object) -> URIRef:
    return URIRef(f"{settings.LOKET_URI_BASE}/form-data/{uuid}")


def parse_source(text: str) -> Graph:
    return parse_turtle_text(text, source="submission") if text else plain_graph()


def serialize_source(graph: Graph) -> str:
    """Sorted N-Triples (valid Turtle) that keep every literal exactly as written."""
    return to_turtle(graph)


def canonical_ntriples(graph: Graph) -> str:
    """The frozen form data: one N-Triples line per triple, sorted, so the same data always gives the same
    bytes (no blank nodes here: the engine mints URIs for every node it creates)."""
    return to_turtle(graph)


@dataclass
class Outcome:
    """The verdict on a submission's form data: errors block sending, warnings never do."""

    report: FormReport
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    refused_files: list[str] = field(default_factory=list)
    # The form data the verdict was reached on, when it is what is stored now (after a save): the edit page shows
    # it again instead of reading and parsing the same stored data a second time.
    context: DataContext | None = None

    @property
    def valid(self) -> bool:
        return not self.errors


def validate(definition: FormDefinition, context: DataContext, node: URIRef) -> Outcome:
    report = validate_form(definition, context, node)
    outcome = Outcome(report)
    for field_report in report.fields:
        label = field_report.field.label or str(field_report.field.node)
        if field_report.errors:
            outcome.errors.setdefault(label, []).extend(field_report.errors)
        if field_report.warnings:
            outcome.warnings.setdefault(label, []).extend(field_report.warnings)
    return outcome
