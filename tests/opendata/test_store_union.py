"""The embedded store answers over the set union of the instances' graphs: a triple that two instances publish (a
person in two holder versions) is one triple to SPARQL, as the RDF merge asks, and it stays while any instance
still publishes it."""

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF

from loket.opendata.sparql import run_query
from loket.opendata.store import open_store

pytestmark = pytest.mark.django_db

PERSON = URIRef("http://data.lblod.info/id/personen/union-test")


def _graph(extra: str) -> Graph:
    graph = Graph()
    graph.add((PERSON, FOAF.familyName, Literal("Peeters")))
    graph.add((URIRef(f"http://data.lblod.info/id/mandatarissen/{extra}"), FOAF.name, Literal(extra)))
    return graph


def _names() -> list[str]:
    answer = run_query(f"SELECT ?n WHERE {{ <{PERSON}> <{FOAF.familyName}> ?n }}", result_format="csv")
    return answer.body.decode().split()[1:]


@pytest.mark.parametrize("fresh", [True, False])
def test_a_triple_of_two_instances_is_one_triple_until_neither_has_it(fresh):  # type: ignore[no-untyped-def]
    with open_store() as store:
        store.replace([("urn:loket:t:1", _graph("a")), ("urn:loket:t:2", _graph("b"))], fresh=fresh)
    assert _names() == ["Peeters"]
    with open_store() as store:
        store.replace([("urn:loket:t:1", None)])
        assert store.graph_names() == {"urn:loket:t:2"}
    assert _names() == ["Peeters"]
    assert run_query("SELECT ?s WHERE { ?s ?p 'a' }", result_format="csv").rows == 0
    with open_store() as store:
        store.replace([("urn:loket:t:2", _graph("c"))])  # replaced by a graph that still has the person
    assert _names() == ["Peeters"]
    with open_store() as store:
        store.replace([("urn:loket:t:2", None)])
    assert _names() == []
    assert run_query("SELECT ?s WHERE { ?s ?p ?o }", result_format="csv").rows == 0
