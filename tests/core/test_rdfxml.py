"""RDF/XML writes each predicate as an XML element name (a namespace and a local name) and holds only XML 1.0's
characters. For a predicate IRI that ends in no XML name (`…/1`, `…#`, `urn:x:1`) pyoxigraph wrote an element no
reader takes (`<oxprefix:>`) and rdflib raised (a 500); a control character in a literal made both write a document
that does not parse. Every RDF/XML answer either parses back to the graph or is a 406 naming the other formats; the
other formats answer as before."""

import pytest
from django.test import RequestFactory
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS

from loket.core.linkeddata import NTriplesGraph, graph_response, new_graph, ntriples_text

S = URIRef("http://data.lblod.info/id/x/1")
# Predicates no XML name ends: 406. \u200c is a name character to XML 1.0's fifth edition, not to expat (nor to rdflib).
UNNAMEABLE = ["http://example.org/veld/1", "http://example.org/v#", "urn:x:1", "http://example.org/a\u200c"]
# Predicates that look odd but end in a name (the writer splits before it): written, and parse back.
NAMEABLE = [
    "http://example.org/1a",
    "http://example.org/a.1",
    "http://example.org/a-",
    "http://example.org/a%C3%A9",
    "http://example.org/a?b=c",
    "http://purl.org/dc/terms/1a",
    "http://www.w3.org/2004/02/skos/core#a·b",
]
OFFERED = "text/turtle (?format=turtle), application/ld+json (?format=jsonld), application/n-triples (?format=ntriples)"
OTHER_FORMATS = [("turtle", "turtle"), ("jsonld", "json-ld"), ("ntriples", "nt")]


def graph_with(predicate: str, value: Literal | None = None) -> Graph:
    graph = new_graph()
    identifier = BNode()
    graph.add((S, SKOS.prefLabel, Literal("Aalst", lang="nl")))
    graph.add((S, URIRef(predicate), value if value is not None else Literal("waarde")))
    graph.add((S, URIRef("http://example.org/id"), identifier))
    graph.add((identifier, SKOS.notation, Literal("0207451227")))
    return graph


def ask(graph: Graph | NTriplesGraph, name: str):  # type: ignore[no-untyped-def]
    request = RequestFactory().get(f"/id/x/1?format={name}")
    return graph_response(request, graph=lambda: graph, template="core/resource.html", context={})


def as_parts(graph: Graph) -> NTriplesGraph:
    """The graph as an LDES page holds it: N-Triples lines, written by pyoxigraph."""
    return NTriplesGraph((ntriples_text(graph),))


@pytest.mark.parametrize("writer", [lambda graph: graph, as_parts], ids=["rdflib", "pyoxigraph"])
@pytest.mark.parametrize("predicate", UNNAMEABLE)
def test_a_predicate_without_an_xml_name_is_a_406_naming_the_other_formats(writer, predicate):  # type: ignore[no-untyped-def]
    graph = graph_with(predicate)
    response = ask(writer(graph), "rdfxml")
    assert response.status_code == 406
    assert response.content.decode() == (
        f"RDF/XML kan deze gegevens niet weergeven: het predicaat <{predicate}> eindigt niet op een naam die XML "
        f"toelaat. Vraag een ander formaat: {OFFERED}.\n"
    )
    assert response["Content-Type"] == "text/plain; charset=utf-8" and response["Vary"] == "Accept"
    for name, parser in OTHER_FORMATS:
        other = ask(writer(graph), name)
        assert other.status_code == 200
        assert isomorphic(Graph().parse(data=other.content, format=parser), graph), (name, predicate)


@pytest.mark.parametrize("writer", [lambda graph: graph, as_parts], ids=["rdflib", "pyoxigraph"])
@pytest.mark.parametrize("predicate", NAMEABLE)
def test_an_odd_predicate_that_ends_in_a_name_is_written_and_parses_back(writer, predicate):  # type: ignore[no-untyped-def]
    graph = graph_with(predicate)
    response = ask(writer(graph), "rdfxml")
    if response.status_code == 406:  # a writer may not find the split: then it says so, never writes a broken file
        assert f"het predicaat <{predicate}>" in response.content.decode()
    else:
        assert response.status_code == 200
        assert isomorphic(Graph().parse(data=response.content, format="xml"), graph), predicate


@pytest.mark.parametrize("writer", [lambda graph: graph, as_parts], ids=["rdflib", "pyoxigraph"])
def test_a_character_xml_cannot_hold_is_a_406_too(writer):  # type: ignore[no-untyped-def]
    graph = graph_with("http://example.org/naam", Literal("Aalst\x0b(met een verticale tab uit een tekstverwerker)"))
    response = ask(writer(graph), "rdfxml")
    assert response.status_code == 406
    assert response.content.decode() == (
        f"RDF/XML kan deze gegevens niet weergeven: ze bevatten een teken dat XML 1.0 niet toelaat. Vraag een ander "
        f"formaat: {OFFERED}.\n"
    )
    for name, parser in OTHER_FORMATS:
        other = ask(writer(graph), name)
        assert other.status_code == 200
        assert isomorphic(Graph().parse(data=other.content, format=parser), graph), name


@pytest.mark.django_db
def test_a_resource_asked_as_rdfxml_over_http(client, municipality):  # type: ignore[no-untyped-def]
    path = "/" + municipality.uri.split("/", 3)[3]
    assert client.get(path, HTTP_ACCEPT="application/rdf+xml").status_code == 200
    municipality.name = "Aalst\x0b"  # as a spreadsheet's import may bring it
    municipality.save()
    refused = client.get(path, HTTP_ACCEPT="application/rdf+xml")
    assert refused.status_code == 406 and "?format=turtle" in refused.content.decode()
    client.cookies["django_language"] = "en"
    refused = client.get(path, HTTP_ACCEPT="application/rdf+xml")
    assert refused.status_code == 406
    assert refused.content.decode() == (
        f"RDF/XML cannot represent these data: they hold a character XML 1.0 does not allow. Ask for another format: "
        f"{OFFERED}.\n"
    )
    assert client.get(path, HTTP_ACCEPT="text/turtle").status_code == 200
