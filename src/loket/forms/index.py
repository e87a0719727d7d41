"""A read-only triple index of a form definition, parsed by Oxigraph's Turtle parser (pyoxigraph).

Loading the real Toezicht form (7,000 triples) through rdflib's parser and Graph takes about half a second;
Oxigraph's parser (Rust) and plain dictionaries take a tenth of that. The index answers the few questions the
loader and the generators ask (`objects`, `subjects`, `predicate_objects`, `value`, `in`) with rdflib terms,
so the rest of the engine is unchanged. Literals keep their lexical form exactly, as everywhere in the engine.
Turtle that Oxigraph refuses is tried with rdflib's parser (more lenient, like the real stack's rdflib.js);
only when both refuse is the file malformed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path as FilePath

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .rdfio import parse_turtle_text

Triple = tuple[Node, Node, Node]
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class TripleIndex:
    """Subject → predicate → objects and object → subjects, in parse order, without duplicates."""

    def __init__(self, triples: Iterable[Triple], prefixes: dict[str, str]) -> None:
        by_subject: dict[Node, dict[Node, dict[Node, None]]] = {}
        for subject, predicate, value in triples:
            by_predicate = by_subject.get(subject)
            if by_predicate is None:
                by_subject[subject] = {predicate: {value: None}}
                continue
            objects = by_predicate.get(predicate)
            if objects is None:
                by_predicate[predicate] = {value: None}
            else:
                objects[value] = None
        self.by_subject = by_subject
        self.prefixes = prefixes
        self.count = sum(len(objects) for by_p in by_subject.values() for objects in by_p.values())
        self._by_object: dict[Node, dict[Node, dict[Node, None]]] | None = None

    @property
    def by_object(self) -> dict[Node, dict[Node, dict[Node, None]]]:
        """Object → predicate → subjects, made on the first backwards question."""
        if self._by_object is None:
            by_object: dict[Node, dict[Node, dict[Node, None]]] = {}
            for subject, predicate, value in self:
                by_object.setdefault(value, {}).setdefault(predicate, {})[subject] = None
            self._by_object = by_object
        return self._by_object

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        return iter(self.by_subject.get(subject, {}).get(predicate, ()))

    def subjects(self, predicate: Node | None, value: Node) -> Iterator[Node]:
        by_predicate = self.by_object.get(value, {})
        if predicate is not None:
            return iter(by_predicate.get(predicate, ()))
        return iter(dict.fromkeys(s for subjects in by_predicate.values() for s in subjects))

    def predicate_objects(self, subject: Node) -> Iterator[tuple[Node, Node]]:
        return ((p, o) for p, objects in self.by_subject.get(subject, {}).items() for o in objects)

    def value(self, subject: Node | None, predicate: Node) -> Node | None:
        return next(self.objects(subject, predicate), None) if subject is not None else None

    def __contains__(self, triple: tuple[Node, Node, Node | None]) -> bool:
        subject, predicate, value = triple
        objects = self.by_subject.get(subject, {}).get(predicate)
        if not objects:
            return False
        return value is None or value in objects

    def __iter__(self) -> Iterator[Triple]:
        return ((s, p, o) for s, by_p in self.by_subject.items() for p, objects in by_p.items() for o in objects)

    def __len__(self) -> int:
        return self.count

    def namespaces(self) -> Iterator[tuple[str, URIRef]]:
        return ((prefix, URIRef(namespace)) for prefix, namespace in self.prefixes.items())

    def to_graph(self) -> Graph:
        graph = Graph()
        for prefix, namespace in self.prefixes.items():
            graph.bind(prefix, namespace, override=True)
        for triple in self:
            graph.add(triple)
        return graph


def parse_form_index(text: str, *, source: str) -> TripleIndex:
    """Parse Turtle into an index; FormLoadError (from rdflib's parser) names the line of malformed Turtle."""
    try:
        parser = pyoxigraph.parse(
            text.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE, base_iri=_base(source), lenient=True
        )
        quads = list(parser)
    except (SyntaxError, ValueError):
        graph = parse_turtle_text(text, source=source)
        return TripleIndex(graph, {prefix: str(namespace) for prefix, namespace in graph.namespaces()})
    terms: dict[object, Node] = {}

    def term(value: object) -> Node:
        found = terms.get(value)
        if found is None:
            found = terms[value] = _to_rdflib(value)
        return found

    try:
        triples = [(term(q.subject), term(q.predicate), term(q.object)) for q in quads]
    except ValueError:  # a quoted triple (RDF-star `<< … >>`), which forms never use: rdflib's parser names the line
        graph = parse_turtle_text(text, source=source)
        return TripleIndex(graph, {prefix: str(namespace) for prefix, namespace in graph.namespaces()})
    return TripleIndex(triples, dict(parser.prefixes or {}))


def _to_rdflib(value: object) -> Node:
    if isinstance(value, pyoxigraph.NamedNode):
        return URIRef(value.value)
    if isinstance(value, pyoxigraph.BlankNode):
        return BNode(value.value)
    if not isinstance(value, pyoxigraph.Literal):  # found by atheris: an RDF-star triple as subject or object
        raise ValueError(f"unsupported term {type(value).__name__}")
    if value.language:
        return Literal(value.value, lang=value.language, normalize=False)
    datatype = value.datatype.value
    if datatype in {_XSD_STRING, _LANG_STRING}:
        return Literal(value.value, normalize=False)
    return Literal(value.value, datatype=URIRef(datatype), normalize=False)


def _base(source: str) -> str:
    return "file://" + str(FilePath(source).resolve()) if source and not source.startswith("<") else "urn:x:"
