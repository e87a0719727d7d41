"""Linked data as a projection of the database.

Every public model declares its RDF mapping once, in its module's `rdf.py`, with `@rdf_mapping(Model)`. The same
mapping feeds content negotiation (`linked_data_response`), dumps and any later store or change feed, so there is
one place that says how a fact is published.
"""

import uuid as uuid_module
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

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
]
_BY_MEDIA_TYPE = {fmt.media_type: fmt for fmt in FORMATS}
_BY_NAME = {fmt.name: fmt for fmt in FORMATS}
_BY_NAME.update({"ttl": _BY_NAME["turtle"], "nt": _BY_NAME["ntriples"], "json-ld": _BY_NAME["jsonld"]})

Mapping = Callable[[Any], Graph]
_MAPPINGS: dict[type[models.Model], Mapping] = {}


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def rdf_mapping(model: type[models.Model]) -> Callable[[Mapping], Mapping]:
    """Register the function that maps one instance of `model` to its public triples."""

    def decorator(function: Mapping) -> Mapping:
        _MAPPINGS[model] = function
        return function

    return decorator


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


def negotiate(request: HttpRequest) -> RdfFormat | None:
    """The RDF format the client asks for (`?format=` wins over Accept), or None for HTML."""
    requested = request.GET.get("format")
    if requested:
        return _BY_NAME.get(requested.lower())
    best: tuple[float, RdfFormat | None] = (0.0, None)
    html_quality = 0.0
    for part in request.headers.get("Accept", "").split(","):
        media_type, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media_type = media_type.strip().lower()
        if media_type in {"text/html", "application/xhtml+xml"}:
            html_quality = max(html_quality, quality)
        elif media_type in _BY_MEDIA_TYPE and quality > best[0]:
            best = (quality, _BY_MEDIA_TYPE[media_type])
    if best[1] is not None and best[0] > html_quality:
        return best[1]
    return None


def serialize(graph: Graph, fmt: RdfFormat) -> bytes:
    return graph.serialize(format=fmt.rdflib_format, encoding="utf-8")


def linked_data_response(
    request: HttpRequest, *, instance: models.Model, template: str, context: dict[str, Any]
) -> HttpResponse:
    """HTML for a browser, Turtle / JSON-LD / N-Triples for a client that asks for it."""
    return graph_response(request, graph=lambda: graph_for(instance), template=template, context=context)


def graph_response(
    request: HttpRequest, *, graph: Callable[[], Graph], template: str, context: dict[str, Any]
) -> HttpResponse:
    """Content negotiation for any public graph (built only when the format is acceptable)."""
    requested = request.GET.get("format")
    fmt = negotiate(request)
    if requested and fmt is None:
        names = ", ".join(sorted({f.name for f in FORMATS}))
        return HttpResponse(
            f"Onbekend formaat '{requested}'. Kies uit: {names}.", status=406, content_type="text/plain"
        )
    built = graph()
    if fmt is None:
        turtle = serialize(built, _BY_NAME["turtle"]).decode("utf-8")
        response = render(request, template, {**context, "turtle": turtle, "formats": FORMATS})
    else:
        response = HttpResponse(serialize(built, fmt), content_type=f"{fmt.media_type}; charset=utf-8")
    response["Vary"] = "Accept"
    return response


def describe(graph: Graph, node: URIRef) -> Graph:
    """What `graph` says about `node`: its triples and, recursively, those of the blank nodes it points to (the
    concise bounded description), with the graph's prefixes."""
    described = new_graph()
    described += graph.cbd(node)
    return described
