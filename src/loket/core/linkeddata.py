"""Linked data as a projection of the database.

Every model with linked data declares its RDF mapping once, in its module's `rdf.py`, with `@rdf_mapping(Model)`,
and with it **the one rule of what is public**: `dataset=` names the public dataset its instances belong to (none:
never public, whoever asks) and `public=` narrows a queryset to the instances that are public (default: all of
them). The same mapping and rule feed content negotiation (`linked_data_response`), the dumps, the SPARQL store
and the change feed (app `opendata`), so there is one place that says how a fact is published and whether it is.
"""

import functools
import hashlib
import uuid as uuid_module
import xml.parsers.expat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD, NamespaceManager
from rdflib.term import Node

BESLUIT = Namespace("http://data.vlaanderen.be/ns/besluit#")
MANDAAT = Namespace("http://data.vlaanderen.be/ns/mandaat#")
MU = Namespace("http://mu.semte.ch/vocabularies/core/")
EXT = Namespace("http://mu.semte.ch/vocabularies/ext/")
ADMS = Namespace("http://www.w3.org/ns/adms#")
ORG = Namespace("http://www.w3.org/ns/org#")
REGORG = Namespace("http://www.w3.org/ns/regorg#")
GENERIEK = Namespace("https://data.vlaanderen.be/ns/generiek#")
MEB = Namespace("http://rdf.myexperiment.org/ontologies/base/")
NMO = Namespace("http://www.semanticdesktop.org/ontologies/2007/03/22/nmo#")
PROV = Namespace("http://www.w3.org/ns/prov#")
PAV = Namespace("http://purl.org/pav/")

PREFIXES = {
    "besluit": BESLUIT,
    "mandaat": MANDAAT,
    "mu": MU,
    "ext": EXT,
    "adms": ADMS,
    "org": ORG,
    "regorg": REGORG,
    "generiek": GENERIEK,
    "skos": SKOS,
    "dct": DCTERMS,
    "xsd": XSD,
    "rdf": RDF,
    "meb": MEB,
    "nmo": NMO,
    "prov": PROV,
    "pav": PAV,
}


@dataclass(frozen=True)
class RdfFormat:
    name: str
    media_type: str
    rdflib_format: str


FORMATS = [
    RdfFormat("turtle", "text/turtle", "turtle"),
    RdfFormat("jsonld", "application/ld+json", "json-ld"),
    RdfFormat("ntriples", "application/n-triples", "nt"),
    RdfFormat("rdfxml", "application/rdf+xml", "xml"),
]
_BY_MEDIA_TYPE = {fmt.media_type: fmt for fmt in FORMATS}
_BY_MEDIA_TYPE["text/n3"] = _BY_MEDIA_TYPE["text/turtle"]
_BY_NAME = {fmt.name: fmt for fmt in FORMATS}
_BY_NAME.update(
    {"ttl": _BY_NAME["turtle"], "nt": _BY_NAME["ntriples"], "json-ld": _BY_NAME["jsonld"], "rdf": _BY_NAME["rdfxml"]}
)
HTML = "html"
HTML_TYPES = ("text/html", "application/xhtml+xml")

Mapping = Callable[[Any], Graph]
PublicRule = Callable[[models.QuerySet], models.QuerySet]


@dataclass(frozen=True)
class MappingInfo:
    """A model's mapping and its rule of what is public."""

    model: type[models.Model]
    function: Mapping
    dataset: str | None = None  # the public dataset its instances belong to; None: never public
    public: PublicRule | None = None  # narrows a queryset to the public instances (None: all, when dataset is set)
    modified: Callable[[Any], datetime | None] | None = None  # when an instance last changed (Last-Modified)
    # Other models whose data this graph shows, with the lookup from this model to them (an organ's label has its
    # organisation's name: {Organisation: "organisation"}): their changes change this graph too (change feed).
    follows: dict[type[models.Model], str] = field(default_factory=dict)
    # Loads what the mapping reads of related rows in the same queries, for many instances at once (dumps, the
    # SPARQL store's rebuild): a queryset → the same queryset with select_related/prefetch_related. The graphs
    # stay the same; only the number of queries changes.
    prefetch: Callable[[models.QuerySet], models.QuerySet] | None = None
    # Fields of this model that no public graph reads (neither this mapping, nor its rule of what is public, nor a
    # mapping that follows this model): a save that changes only these writes no change-feed entry (opendata.feed).
    unpublished: frozenset[str] = frozenset()
    # True for an instance in a state that no public graph reads (neither this mapping nor one that follows this
    # model) and that no published instance ever returns to (a submission's concept): saving or deleting it is not
    # a change of published data (opendata.feed).
    draft: Callable[[Any], bool] | None = None

    def public_queryset(self) -> models.QuerySet:
        queryset = self.model._default_manager.all()
        if self.dataset is None:
            return queryset.none()
        return self.public(queryset) if self.public is not None else queryset


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    subjects: list[str] = field(default_factory=list)  # dct:subject / theme URIs, as the real dumps carry


_MAPPINGS: dict[type[models.Model], Mapping] = {}
_INFO: dict[type[models.Model], MappingInfo] = {}
_DATASETS: dict[str, Dataset] = {}


# rdflib's own term classes: a term of exactly one of these is an rdflib term (`Node`) without asking `isinstance`,
# which for rdflib's abstract `Node` goes through `ABCMeta.__instancecheck__` (a fifth of a dump's projection).
_TERM_TYPES = frozenset({URIRef, Literal, BNode})
_NOT_BLANK_TYPES = frozenset({URIRef, Literal})


class PrefixedGraph(Graph):
    """A graph with rdflib's default prefixes and ours (`PREFIXES`), bound when its namespace manager is first used
    (a serialisation that prints prefixes, a `bind`, a `qname`), in the same order as if bound at creation.

    Binding ~46 prefixes into rdflib's trie costs more CPU than building a record's triples; most graphs (every
    record of a dump, of the SPARQL store's sync, of the change feed) are only ever written as N-Triples, which uses
    no prefixes, and so never pay for it."""

    _prefixes_bound = False

    @property  # type: ignore[override]
    def namespace_manager(self) -> NamespaceManager:
        manager = Graph.namespace_manager.fget(self)  # type: ignore[attr-defined]
        if not self._prefixes_bound:
            self._prefixes_bound = True
            for prefix, namespace in PREFIXES.items():
                manager.bind(prefix, namespace)
        return manager

    @namespace_manager.setter
    def namespace_manager(self, manager: NamespaceManager) -> None:
        self._prefixes_bound = True  # a manager given explicitly keeps exactly its own prefixes
        Graph.namespace_manager.fset(self, manager)  # type: ignore[attr-defined]

    def add(self, triple: tuple[Node, Node, Node]) -> "PrefixedGraph":  # type: ignore[override]
        """rdflib's `Graph.add`: a triple of rdflib's own term classes goes to the store without rdflib's three
        `isinstance(term, Node)` checks (`_TERM_TYPES`); any other goes through them."""
        subject, predicate, value = triple
        terms = _TERM_TYPES
        if type(subject) in terms and type(predicate) in terms and type(value) in terms:
            self._Graph__store.add((subject, predicate, value), self, quoted=False)  # type: ignore[attr-defined]
            return self
        return super().add(triple)


def new_graph() -> Graph:
    """A mapping's graph. rdflib's SimpleMemory store: a graph of one resource needs no contexts, and adding to it
    costs half of the default store's; it keeps triples in nested dicts, so a graph is written in the same order in
    every process (the default store writes a set's order, another in each server process, and with it another
    ETag for the same N-Triples answer). Turtle sorts what it writes either way."""
    return PrefixedGraph(store="SimpleMemory")


def rdf_mapping(
    model: type[models.Model],
    *,
    dataset: str | None = None,
    public: PublicRule | None = None,
    modified: Callable[[Any], datetime | None] | None = None,
    follows: dict[type[models.Model], str] | None = None,
    prefetch: Callable[[models.QuerySet], models.QuerySet] | None = None,
    unpublished: Iterable[str] = (),
    draft: Callable[[Any], bool] | None = None,
) -> Callable[[Mapping], Mapping]:
    """Register the function that maps one instance of `model` to its triples, and the rule of what is public:
    `dataset` (None: never public), `public` (queryset → the public part of it; default all), `follows` (models
    whose data the graph shows, with the lookup to them), `prefetch` (queryset → the same with the related rows the
    mapping reads, for reading many instances at once), `unpublished` (fields no public graph reads: saving only these
    is not a change of published data), `draft` (instance → True in a state nothing public reads and no published
    instance returns to: saving or deleting it is not a change of published data)."""

    def decorator(function: Mapping) -> Mapping:
        _MAPPINGS[model] = function
        _INFO[model] = MappingInfo(
            model=model,
            function=function,
            dataset=dataset,
            public=public,
            modified=modified,
            follows=dict(follows or {}),
            prefetch=prefetch,
            unpublished=frozenset(unpublished),
            draft=draft,
        )
        return function

    return decorator


def register_dataset(name: str, *, title: str, description: str, subjects: Iterable[str] = ()) -> Dataset:
    """Declare a public dataset (once, in the rdf.py of the module that owns it)."""
    found = Dataset(name=name, title=title, description=description, subjects=list(subjects))
    _DATASETS[name] = found
    return found


def datasets() -> list[Dataset]:
    return sorted(_DATASETS.values(), key=lambda d: d.name)


def mapping_infos(dataset: str | None = None) -> list[MappingInfo]:
    """Every registered mapping (of one dataset), in a stable order."""
    found = [info for info in _INFO.values() if dataset is None or info.dataset == dataset]
    return sorted(found, key=lambda info: info.model._meta.label)


def mapping_info(model: type[models.Model]) -> MappingInfo | None:
    return _INFO.get(model)


def is_public(instance: models.Model) -> bool:
    """The one rule: is this instance public (in any channel)?"""
    info = _INFO.get(type(instance))
    if info is None or info.dataset is None:
        return False
    return info.public_queryset().filter(pk=instance.pk).exists()


# Modules that know more about a resource another module serves (Mandatenbeheer about the bestuursorganen Toezicht
# dereferences) register a describer here at app start; the serving page adds what they say. No module imports another.
Describer = Callable[[str], Graph]
_DESCRIBERS: list[Describer] = []


def resource_describer_register(describer: Describer) -> None:
    if describer not in _DESCRIBERS:
        _DESCRIBERS.append(describer)


def described_elsewhere(uri: str) -> Graph:
    """What the registered describers say about `uri` (an empty graph when none knows it)."""
    graph = new_graph()
    for describer in _DESCRIBERS:
        graph += describer(uri)
    return graph


# Other apps' files served under `/files/<uuid>/download`, the one file service of the real Loket (the delta files and
# dumps of the open data): the module that owns the route asks these first; None: not theirs.
FileProvider = Callable[[HttpRequest, uuid_module.UUID], HttpResponse | FileResponse | None]
_FILE_PROVIDERS: list[FileProvider] = []


def published_file_register(provider: FileProvider) -> None:
    if provider not in _FILE_PROVIDERS:
        _FILE_PROVIDERS.append(provider)


def published_file(request: HttpRequest, key: uuid_module.UUID) -> HttpResponse | FileResponse | None:
    for provider in _FILE_PROVIDERS:
        response = provider(request, key)
        if response is not None:
            return response
    return None


# Incoming triples on a resource's HTML page ("what points here"): the open data registers a provider that reads the
# public projection (the SPARQL store); without one, or when the store cannot answer, the page shows none.
INCOMING_PAGE_SIZE = 100


@dataclass
class IncomingPage:
    rows: list[dict[str, str]]  # subject, subject_label, predicate, predicate_label, href
    page: int
    has_next: bool
    available: bool = True  # False: the public store could not answer now


IncomingProvider = Callable[[str, int], IncomingPage]
_INCOMING: list[IncomingProvider] = []


def incoming_provider_register(provider: IncomingProvider) -> None:
    if provider not in _INCOMING:
        _INCOMING.append(provider)


def incoming_for(uri: str, page: int) -> IncomingPage | None:
    return _INCOMING[0](uri, page) if _INCOMING else None


def compact(uri: str) -> str:
    """A prefixed name for a URI when one of our prefixes fits (skos:prefLabel), else the URI."""
    for prefix, namespace in PREFIXES.items():
        if uri.startswith(str(namespace)) and len(uri) > len(str(namespace)):
            return f"{prefix}:{uri[len(str(namespace)) :]}"
    return uri


def organ_in_time_uri(organ_uri: str, period_uri: str) -> str:
    """A bestuursorgaan in one legislature period (bestuursorgaan in de tijd): a stable URI derived from the organ
    and the period, the one Toezicht's forms answer with and Mandatenbeheer's mandates hang on."""
    return f"{organ_uri}/periode/{uuid_module.uuid5(uuid_module.NAMESPACE_URL, period_uri)}"


def graph_for(instance: models.Model) -> Graph:
    try:
        mapping = _MAPPINGS[type(instance)]
    except KeyError as error:
        raise LookupError(f"No RDF mapping registered for {type(instance).__name__}") from error
    return mapping(instance)


def graph_for_all(instances: Iterable[models.Model]) -> Graph:
    graph = new_graph()
    for instance in instances:
        graph += graph_for(instance)
    return graph


class NotAcceptable(Exception):
    pass


def _accepted(header: str) -> list[tuple[float, int, str]]:
    """(quality, order, media range) of an Accept header, q=0 included (it refuses a type)."""
    ranges = []
    for order, part in enumerate(header.split(",")):
        media_type, _sep, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _eq, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        if media_type.strip():
            ranges.append((quality, order, media_type.strip().lower()))
    return ranges


def _quality(ranges: list[tuple[float, int, str]], media_type: str) -> float:
    """The quality the client gives one media type: the most specific matching range wins (RFC 9110)."""
    main = media_type.split("/")[0]
    for candidate in (media_type, f"{main}/*", "*/*"):
        qualities = [quality for quality, _order, value in ranges if value == candidate]
        if qualities:
            return max(qualities)
    return -1.0  # not mentioned


def choose(request: HttpRequest) -> RdfFormat | str:
    """HTML or an RDF format for this request (`?format=` wins over Accept); raises NotAcceptable.

    HTML is the default (no Accept, `*/*`), and wins a tie with an RDF type of the same quality."""
    requested = request.GET.get("format")
    if requested:
        if requested.lower() == HTML:
            return HTML
        fmt = _BY_NAME.get(requested.lower())
        if fmt is None:
            raise NotAcceptable
        return fmt
    header = request.headers.get("Accept", "").strip()
    if not header:
        return HTML
    ranges = _accepted(header)
    options: list[tuple[float, int, RdfFormat | str]] = []
    xhtml = [quality for quality, _order, value in ranges if value == "application/xhtml+xml"]  # only when named
    html_quality = max([_quality(ranges, "text/html"), *xhtml])
    if html_quality != 0.0:
        options.append((html_quality if html_quality > 0 else -1.0, 0, HTML))
    for index, fmt in enumerate(FORMATS, start=1):
        quality = _quality(ranges, fmt.media_type)
        if fmt.media_type == "text/turtle" and quality < 0:
            quality = _quality(ranges, "text/n3")
        if quality != 0.0:
            options.append((quality, index, fmt))
    acceptable = [option for option in options if option[0] > 0]
    if not acceptable:
        raise NotAcceptable
    return max(acceptable, key=lambda option: (option[0], -option[1]))[2]


def negotiate(request: HttpRequest) -> RdfFormat | None:
    """The RDF format the client asks for (`?format=` wins over Accept), or None for HTML (and when nothing fits)."""
    try:
        chosen = choose(request)
    except NotAcceptable:
        return None
    return None if chosen == HTML else chosen  # type: ignore[return-value]


@dataclass(frozen=True)
class NTriplesGraph:
    """A graph kept as N-Triples text, one triple a line (as `ntriples_line` writes them), in parts: what the change
    feed stores per version. `serialize` answers N-Triples with the parts as they are and every other format through
    pyoxigraph (Rust), without building an rdflib graph: reading 250 stored versions into rdflib and writing them
    again cost an LDES page 60-250 ms, this a few. One label is one blank node across all parts (keep
    the labels of separately made parts apart). `namespaces`: prefixes for Turtle and RDF/XML besides ours."""

    parts: tuple[str, ...]
    namespaces: tuple[tuple[str, str], ...] = ()


def ntriples_line(triple: tuple[Node, Node, Node]) -> str:
    """One triple as rdflib's N-Triples serializer writes it, without the newline: subject, predicate and every
    object but a literal by the term's own `n3()` (an IRI rdflib cannot write raises, as the serializer does); a
    literal quoted with only backslash, LF, double quote and CR escaped, then its language or `^^<datatype>`. The
    one writer of published lines (dumps, the delta streams, the LDES snapshots, a remote store's updates); the
    bytes of every dump stay those of `graph.serialize(format="nt")` (tests/opendata/test_ntriples_lines.py); and
    the canonical form an ETag is taken of (`graph_etag`)."""
    subject, predicate, value = triple
    kind = type(value)  # an IRI or a blank node by type first: `isinstance` against rdflib's terms is an ABC check
    if kind is URIRef or kind is BNode or not isinstance(value, Literal):
        return f"{subject.n3()} {predicate.n3()} {value.n3()} ."
    quoted = str(value).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")
    if value.language:
        return f'{subject.n3()} {predicate.n3()} "{quoted}"@{value.language} .'
    if value.datatype:
        return f'{subject.n3()} {predicate.n3()} "{quoted}"^^<{value.datatype}> .'
    return f'{subject.n3()} {predicate.n3()} "{quoted}" .'


def ntriples_lines_without_blank_nodes(graph: Graph) -> list[str] | None:
    """`ntriples_lines(graph)` when no term of the graph is a blank node (`has_blank_nodes`), else None: the check
    and the writing in one pass over the graph (a dump writes every public instance this way)."""
    lines = []
    plain = _NOT_BLANK_TYPES  # by exact type; a term of another type is asked `isinstance(term, BNode)`
    for triple in graph:
        subject, predicate, value = triple
        if not (type(subject) in plain and type(predicate) in plain and type(value) in plain):
            if has_blank_nodes((triple,)):
                return None
        lines.append(ntriples_line(triple))
    return lines


def ntriples_lines(graph: Graph) -> list[str]:
    """The graph's triples as N-Triples lines (`ntriples_line`), one per triple: a literal may hold characters
    that other readers take for a line break (U+2028, \\x85 …), so the lines are never found by splitting text."""
    return [ntriples_line(triple) for triple in graph]


def ntriples_text(graph: Graph) -> str:
    """The graph as N-Triples text, its lines sorted: the same triples give the same bytes in every process (rdflib's
    iteration order follows insertion and hashing, which differ between processes; an LDES version is stored so)."""
    return "".join(sorted(line + "\n" for line in ntriples_lines(graph)))


def stable_labels(graph: Graph, prefix: str = "") -> Graph:
    """The graph with its blank nodes labelled from the data (rdflib's canonicalisation, `b<prefix><hash>`), not by
    the random labels rdflib gives each new blank node: the same data gives the same triples in every process and
    for every request. `prefix` keeps the labels of separately labelled graphs apart (opendata.projection)."""
    canonical = to_canonical_graph(graph)
    stable = Graph()
    for s, p, o in canonical:
        stable.add(
            (
                BNode(f"b{prefix}{s}") if isinstance(s, BNode) else s,
                p,
                BNode(f"b{prefix}{o}") if isinstance(o, BNode) else o,
            )
        )
    return stable


def has_blank_nodes(triples: Iterable[tuple[Node, Node, Node]]) -> bool:
    return any(isinstance(node, BNode) for triple in triples for node in triple)


class Unwritable(Exception):
    """RDF/XML cannot express the graph. It writes each predicate as an XML element name, a namespace and a local
    name, and an IRI that ends in no XML name (`…/1`, `…#`, `urn:x:1`) has no such split: pyoxigraph then wrote an
    element no XML reader takes (`<oxprefix:>`), rdflib refused with a ValueError. And XML 1.0 has no way at all to
    hold most control characters (`\\x0b` in a literal). `predicates`: the predicates the writer could not name."""

    def __init__(self, predicates: list[str]) -> None:
        super().__init__(", ".join(predicates) or "a character XML 1.0 does not allow")
        self.predicates = predicates

    def refusal(self) -> str:
        """What a client is told (406), in the request's language, with the formats that do hold the data."""
        formats = ", ".join(f"{fmt.media_type} (?format={fmt.name})" for fmt in FORMATS if fmt.name != "rdfxml")
        if self.predicates:
            return _(
                "RDF/XML kan deze gegevens niet weergeven: het predicaat <%(predicate)s> eindigt niet op een naam die "
                "XML toelaat. Vraag een ander formaat: %(formats)s."
            ) % {"predicate": self.predicates[0], "formats": formats}
        return _(
            "RDF/XML kan deze gegevens niet weergeven: ze bevatten een teken dat XML 1.0 niet toelaat. Vraag een "
            "ander formaat: %(formats)s."
        ) % {"formats": formats}


def serialize(graph: Graph | NTriplesGraph, fmt: RdfFormat) -> bytes:
    """The graph in `fmt`; raises Unwritable when that is RDF/XML and cannot hold the graph (never a document that
    does not parse)."""
    if isinstance(graph, NTriplesGraph):
        body = _serialize_parts(graph, fmt)
    else:
        try:
            body = graph.serialize(format=fmt.rdflib_format, encoding="utf-8")
        except ValueError:  # rdflib's RDF/XML writer: "Can't split" a predicate
            if fmt.name != "rdfxml":
                raise
            body = b""
    if fmt.name == "rdfxml" and not rdfxml_well_formed(body):
        if isinstance(graph, NTriplesGraph):
            raise Unwritable(rdfxml_unwritable_predicates(_predicates(graph), oxigraph_rdfxml_one))
        raise Unwritable(rdfxml_unwritable_predicates(map(str, graph.predicates()), _rdflib_rdfxml_one))
    return body


def rdfxml_well_formed(body: bytes) -> bool:
    """Whether an XML reader that knows namespaces takes `body` (expat, as rdflib's RDF/XML parser uses): the check
    that matters to a client, whichever writer made it and whatever made it wrong."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    try:
        parser.Parse(body, True)
    except xml.parsers.expat.ExpatError:
        return False
    return bool(body)


def rdfxml_unwritable_predicates(predicates: Iterable[str], write_one: Callable[[str], bytes]) -> list[str]:
    """Of `predicates`, those the writer cannot write as an XML name: each in a graph of one triple of its own
    (`write_one`), checked as the whole document is (only once the whole document failed the check)."""
    found = []
    for predicate in sorted(set(predicates)):
        try:
            written = write_one(predicate)
        except ValueError:
            written = b""
        if not rdfxml_well_formed(written):
            found.append(predicate)
    return found


def oxigraph_rdfxml_one(predicate: str) -> bytes:
    import pyoxigraph as ox

    triple = ox.Triple(ox.NamedNode("urn:loket:s"), ox.NamedNode(predicate), ox.Literal("x"))
    return ox.serialize([triple], format=ox.RdfFormat.RDF_XML) or b""


def _rdflib_rdfxml_one(predicate: str) -> bytes:
    graph = new_graph()
    graph.add((URIRef("urn:loket:s"), URIRef(predicate), Literal("x")))
    return graph.serialize(format="xml", encoding="utf-8")


def _predicates(graph: NTriplesGraph) -> set[str]:
    import pyoxigraph as ox

    text = "".join(graph.parts).encode("utf-8")
    return {triple.predicate.value for triple in ox.parse(text, format=ox.RdfFormat.N_TRIPLES, lenient=True)}


def _serialize_parts(graph: NTriplesGraph, fmt: RdfFormat) -> bytes:
    """The same triples as rdflib would write, read back: pyoxigraph writes literals as RDF 1.1 terms (`"x"`, not
    `"x"^^xsd:string`; language tags in lower case) and blank nodes by their labels; RDF/XML gets its carriage
    returns as `&#13;` (pyoxigraph writes them raw, and an XML reader turns a raw one into a line feed). Turtle and
    RDF/XML with the prefixes the graph uses; in each part a subject's lines together (Turtle's `;`), subjects in the
    order of their first line: the same parts give the same bytes in every process."""
    import pyoxigraph as ox

    text = "".join(graph.parts)
    if fmt.name == "ntriples":
        return text.encode("utf-8")
    namespaces = dict(_writer_namespaces())
    namespaces.update(graph.namespaces)
    prefixes = {prefix: namespace for prefix, namespace in namespaces.items() if f"<{namespace}" in text}
    grouped = "".join(map(_by_subject, graph.parts)).encode("utf-8")
    triples = ox.parse(grouped, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    body = ox.serialize(triples, format=ox.RdfFormat.from_media_type(fmt.media_type), prefixes=prefixes) or b""
    return body.replace(b"\r", b"&#13;") if fmt.name == "rdfxml" else body


def _by_subject(part: str) -> str:
    """The lines of `part`, each subject's together, subjects in the order of their first line (a line's subject is
    its first token: an IRI or a blank node label holds no space)."""
    lines: dict[str, list[str]] = {}
    for line in part.split("\n"):  # not splitlines(): a literal may hold U+2028 and the like, unescaped
        if line:
            lines.setdefault(line[: line.find(" ")], []).append(line)
    return "".join(line + "\n" for subject in lines.values() for line in subject)


@functools.cache
def _writer_namespaces() -> tuple[tuple[str, str], ...]:
    """The prefixes a graph of ours writes Turtle with (rdflib's and `PREFIXES`), without `xml`, which RDF/XML
    may not declare."""
    return tuple((prefix, str(namespace)) for prefix, namespace in new_graph().namespaces() if prefix != "xml")


def _plain(message: str, status: int) -> HttpResponse:
    response = HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")
    response["Vary"] = "Accept"
    return response


def not_acceptable_response() -> HttpResponse:
    offered = ", ".join(["text/html", *(fmt.media_type for fmt in FORMATS)])
    names = ", ".join(sorted({f.name for f in FORMATS}))
    response = HttpResponse(
        f"Geen van de gevraagde formaten is beschikbaar. Beschikbaar: {offered} (of ?format={names}).\n"
        f"None of the requested formats is available. Available: {offered}.\n",
        status=406,
        content_type="text/plain; charset=utf-8",
    )
    response["Vary"] = "Accept"
    return response


def linked_data_response(
    request: HttpRequest, *, instance: models.Model, template: str, context: dict[str, Any]
) -> HttpResponse:
    """HTML for a browser, Turtle / JSON-LD / N-Triples / RDF/XML for a client that asks for it."""
    info = _INFO.get(type(instance))
    modified = info.modified(instance) if info is not None and info.modified is not None else None
    return graph_response(
        request, graph=lambda: graph_for(instance), template=template, context=context, modified=modified
    )


def alternate_links(path: str, parameters: dict[str, str] | None = None) -> str:
    """`Link: rel=alternate`: the graph at `path` in each format, with `parameters` — the query parameters that name
    that graph (an LDES page's `vanaf`) — and `format`. No other parameter of the request is repeated (a tracker's
    `utm=…`, HTML's `inkomend`, which no RDF answer reads): an LDES page's header is kept in the cache with the page
    and sent to every later visitor, so it may depend only on what the page's cache key depends on."""
    links = []
    for fmt in FORMATS:
        query = urlencode({**(parameters or {}), "format": fmt.name})
        links.append(f'<{path}?{query}>; rel="alternate"; type="{fmt.media_type}"')
    return ", ".join(links)


def graph_etag(graph: Graph | NTriplesGraph, fmt: RdfFormat) -> str:
    """The ETag of `graph` written in `fmt`, the same in every server process: taken of the data, not of the bytes.
    rdflib's JSON-LD writer puts subjects in the order of a set (another in each process, with its hash seed) and
    a mapping's new blank nodes get random labels (another for each request), so a tag of the bytes gave a cache in
    front of several workers another tag from each and never a 304. The data is the graph's sorted N-Triples lines,
    blank nodes labelled from the data (`stable_labels`); an NTriplesGraph's lines as they are (their labels and
    order are stable already: an LDES page). Weak (RFC 9110 8.8.1): two processes may write the same data in other
    bytes."""
    if isinstance(graph, NTriplesGraph):
        text = "".join(graph.parts)
    else:
        triples = list(graph)
        if has_blank_nodes(triples):
            triples = list(stable_labels(graph))
        text = "".join(sorted(ntriples_line(triple) + "\n" for triple in triples))
    return f'W/"{hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]}-{fmt.name}"'


def etag_matches(request: HttpRequest, etag: str) -> bool:
    """`If-None-Match` names `etag`, compared weakly (RFC 9110 13.1.2: `W/"x"` and `"x"` are the same tag)."""
    named = {tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")}
    return etag.removeprefix("W/") in named or "*" in named


def graph_response(
    request: HttpRequest,
    *,
    graph: Callable[[], Graph | NTriplesGraph],
    template: str,
    context: dict[str, Any],
    modified: datetime | None = None,
    parameters: dict[str, str] | None = None,
) -> HttpResponse:
    """Content negotiation for any graph (built only when the format is acceptable): `Vary: Accept`,
    `Link: rel=alternate` for every format (with `parameters`, the query parameters that name the graph; see
    `alternate_links`), an `ETag` of the data in that format (`graph_etag`; 304 when it matches `If-None-Match`),
    `Last-Modified` when known, 406 naming the formats on offer (and naming the others when RDF/XML cannot hold the
    graph: `Unwritable`)."""
    try:
        fmt = choose(request)
    except NotAcceptable:
        return not_acceptable_response()
    incoming = None
    if fmt == HTML:  # what points here, from the public data, 100 a page (?inkomend=<page>)
        requested = request.GET.get("inkomend", "1")
        if not (requested.isascii() and requested.isdigit()) or not 1 <= int(requested) <= 1_000_000:
            return _plain(_("'inkomend' is een paginanummer (1, 2, …)."), 400)
        incoming = incoming_for(settings.LOKET_URI_BASE + request.path, int(requested))
        if incoming is not None and incoming.available and incoming.page > 1 and not incoming.rows:
            return _plain(_("Zoveel pagina's inkomende verwijzingen zijn er niet."), 404)
    built = graph()
    if fmt == HTML:
        turtle = serialize(built, _BY_NAME["turtle"]).decode("utf-8")
        response = render(request, template, {**context, "turtle": turtle, "formats": FORMATS, "incoming": incoming})
        body = response.content
    else:
        try:
            body = serialize(built, fmt)  # type: ignore[arg-type]
        except Unwritable as unwritable:
            return _plain(unwritable.refusal(), 406)
        response = HttpResponse(body, content_type=f"{fmt.media_type}; charset=utf-8")  # type: ignore[union-attr]
    if fmt == HTML:
        etag = quote_etag(hashlib.sha256(body).hexdigest()[:32] + "-h")
    else:
        etag = graph_etag(built, fmt)  # type: ignore[arg-type]
        if etag_matches(request, etag):
            response = HttpResponse(status=304)
    response["ETag"] = etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    response["Vary"] = "Accept"
    response["Link"] = alternate_links(request.path, parameters)
    return response


def describe(graph: Graph, node: URIRef) -> Graph:
    """What `graph` says about `node`: its triples and, recursively, those of the blank nodes it points to (the
    concise bounded description), with the graph's prefixes."""
    described = new_graph()
    described += graph.cbd(node)
    return described
