"""The Toezicht form as the engine sees it: the versioned definition, the meta graph (code lists and the
organisation's own governing bodies), and a submission's source graph."""

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

from loket.forms.loader import load_form
from loket.forms.model import FormDefinition
from loket.forms.paths import DataContext
from loket.forms.rdfio import parse_turtle_file, parse_turtle_text, to_turtle
from loket.forms.validate import FormReport, validate_form
from loket.organisations.models import Organisation
from loket.supervision.governing_bodies import governing_bodies_of

FORMS_DIR = Path(__file__).resolve().parent / "forms_data"
CURRENT_FORM = "toezicht-v1.ttl"
MELDING = Namespace("http://lblod.data.gift/vocabularies/automatische-melding/")
GOVERNING_BODY_SCHEME = URIRef("http://data.lblod.info/loket/concept-schemes/bestuursorganen-van-het-bestuur")


@lru_cache(maxsize=8)
def _file_sha256(path: Path, mtime: float) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def form_version(name: str = CURRENT_FORM) -> str:
    """`toezicht-v1.ttl@<sha256 prefix>`: which file, and exactly which content, a submission was checked with."""
    path = FORMS_DIR / name
    return f"{name}@{_file_sha256(path, path.stat().st_mtime)[:16]}"


def form_definition(version: str | None = None) -> FormDefinition:
    name = (version or CURRENT_FORM).split("@", 1)[0]
    return load_form(FORMS_DIR / name)


@lru_cache(maxsize=1)
def _codelists() -> Graph:
    graph = Graph()
    for name in ("document-types.ttl",):
        parse_turtle_file(settings.REPO_DIR / "data" / "codelists" / name, graph)
    return graph


def meta_graph(organisation: Organisation) -> Graph:
    """Code lists plus the organisation's governing bodies as the concepts of one scheme. The code lists are
    shared (read-only), not copied: only the organisation's own triples are a new graph, which callers may add to."""
    from rdflib.graph import ReadOnlyGraphAggregate

    own = Graph()
    meta = _MetaGraph(own, ReadOnlyGraphAggregate([_codelists(), own]))
    for body in governing_bodies_of(organisation):
        concept = URIRef(body.uri)
        meta.add((concept, RDF.type, SKOS.Concept))
        meta.add((concept, SKOS.inScheme, GOVERNING_BODY_SCHEME))
        meta.add((concept, SKOS.prefLabel, Literal(body.label)))
    return meta


class _MetaGraph(Graph):
    """Reads from the code lists and the organisation's triples together; writes go to the latter."""

    def __init__(self, own: Graph, union: Graph) -> None:
        super().__init__()
        self._own = own
        self._union = union

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
    return parse_turtle_text(text, source="submission") if text else Graph()


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
