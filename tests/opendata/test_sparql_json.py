"""SPARQL JSON results are written as text, each distinct term encoded once (sparql._json_bindings): the answer must be
the same JSON as oxigraph's own serializer gives for the same solutions, for every kind of term and unbound values."""

import json

import pyoxigraph as ox

from loket.opendata.sparql import _answer

EX = "http://example.org/"


def _store() -> ox.Store:
    store = ox.Store()
    subject = ox.NamedNode(f"{EX}s")
    objects = [
        ox.NamedNode(f"{EX}o?x=1&y=%222%22&z=é"),
        ox.BlankNode("b1"),
        ox.Literal('plain "quoted" \\ backslash\nnew line\ttab'),
        ox.Literal("Gemeente Aalst", language="nl"),
        ox.Literal("42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ox.Literal("2026-12-06T10:00:00Z", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")),
        ox.Literal("Ürmös 𝔘 \u2028 \u0000 end"),
    ]
    for number, item in enumerate(objects):
        store.add(ox.Quad(subject, ox.NamedNode(f"{EX}p{number}"), item))
        store.add(ox.Quad(ox.NamedNode(f"{EX}other{number}"), ox.NamedNode(f"{EX}p{number}"), item))  # repeated
    return store


QUERY = f"SELECT ?s ?p ?o ?missing WHERE {{ ?s ?p ?o OPTIONAL {{ ?s <{EX}none> ?missing }} }} ORDER BY ?s ?p"


def test_the_json_is_oxigraphs_json():
    store = _store()
    ours = _answer(store, False, QUERY, "json", "turtle", 1000)
    reference = store.query(QUERY).serialize(format=ox.QueryResultsFormat.JSON)
    assert json.loads(ours.body) == json.loads(reference)
    assert ours.rows == 14 and not ours.truncated
    assert ours.body.decode("utf-8").count("Ürmös") == 2  # not \\u-escaped, as before


def test_a_capped_result_is_the_first_rows():
    store = _store()
    ours = json.loads(_answer(store, False, QUERY, "json", "turtle", 3).body)
    reference = json.loads(store.query(QUERY).serialize(format=ox.QueryResultsFormat.JSON))
    assert ours["head"] == reference["head"]
    assert ours["results"]["bindings"] == reference["results"]["bindings"][:3]


def test_no_solutions_and_no_variables():
    store = _store()
    empty = json.loads(_answer(store, False, f"SELECT ?s WHERE {{ ?s <{EX}none> ?o }}", "json", "turtle", 10).body)
    assert empty == {"head": {"vars": ["s"]}, "results": {"bindings": []}}
    bare = json.loads(_answer(store, False, "SELECT * WHERE { }", "json", "turtle", 10).body)
    assert bare == {"head": {"vars": []}, "results": {"bindings": [{}]}}
