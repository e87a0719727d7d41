"""Answers of the embedded store are reused while the store has not changed (sparql._ResultCache): a repeated query
does not reach the query process, any write session that closes makes the next query run again, and the cache keeps
within LOKET_SPARQL_RESULT_CACHE_MB."""

import os

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF

from loket.opendata import sparql
from loket.opendata.sparql import Answer, run_query
from loket.opendata.store import open_store

pytestmark = pytest.mark.django_db

PERSON = URIRef("http://data.lblod.info/id/personen/cache-test")
QUERY = f"SELECT ?n WHERE {{ <{PERSON}> <{FOAF.familyName}> ?n }}"


def _publish(name: str) -> None:
    graph = Graph()
    graph.add((PERSON, FOAF.familyName, Literal(name)))
    with open_store() as store:  # closing it marks a new generation
        store.replace([("urn:loket:t:cache", graph)])


def _names(result_format: str = "csv") -> list[str]:
    return run_query(QUERY, result_format=result_format).body.decode().split()[1:]


def _forget_query_process() -> None:
    found = sparql._PROCESS.get(os.getpid())
    if found is not None:
        sparql._discard(found)


@pytest.fixture(autouse=True)
def empty_cache():  # type: ignore[no-untyped-def]
    sparql._RESULTS.pop(os.getpid(), None)
    yield
    sparql._RESULTS.pop(os.getpid(), None)
    _forget_query_process()


def test_a_repeated_query_is_answered_without_the_query_process(settings):  # type: ignore[no-untyped-def]
    settings.LOKET_SPARQL_RESULT_CACHE_MB = 8
    _publish("Peeters")
    first = run_query(QUERY, result_format="csv")
    _forget_query_process()
    again = run_query(QUERY, result_format="csv")
    assert again.body == first.body
    assert os.getpid() not in sparql._PROCESS  # no query process was started for it
    run_query(QUERY, result_format="json")  # another format is another answer: the query process runs it
    assert os.getpid() in sparql._PROCESS


def test_a_closed_write_session_makes_the_next_query_run_again(settings):  # type: ignore[no-untyped-def]
    settings.LOKET_SPARQL_RESULT_CACHE_MB = 8
    _publish("Peeters")
    assert _names() == ["Peeters"]
    _publish("Janssens")
    assert _names() == ["Janssens"]
    with open_store() as store:
        store.replace([("urn:loket:t:cache", None)])
    assert _names() == []


def test_turned_off_nothing_is_kept(settings):  # type: ignore[no-untyped-def]
    settings.LOKET_SPARQL_RESULT_CACHE_MB = 0
    _publish("Peeters")
    assert _names() == ["Peeters"]
    _forget_query_process()
    assert _names() == ["Peeters"]
    assert os.getpid() in sparql._PROCESS  # asked again
    assert not sparql._RESULTS[os.getpid()].answers


def test_an_external_store_is_never_cached(settings):  # type: ignore[no-untyped-def]
    settings.LOKET_SPARQL_RESULT_CACHE_MB = 8
    settings.LOKET_SPARQL_QUERY_URL = "http://127.0.0.1:9/sparql"
    assert sparql.result_key(QUERY, "json", "turtle") is None


def test_least_recently_used_answers_go_first_and_large_ones_are_not_kept(settings):  # type: ignore[no-untyped-def]
    settings.LOKET_SPARQL_RESULT_CACHE_MB = 1  # 1,048,576 bytes; an answer weighs twice its body + 1,024
    cache = sparql._ResultCache()
    answer = Answer(b"x" * 100_000, "text/csv")  # 201,024: five fit, a sixth pushes out the least recently used
    for name in "abcde":
        cache.put(("g1", name), answer)
    assert cache.get(("g1", "a")) is answer  # now the most recently used; "b" is the least
    cache.put(("g1", "f"), answer)
    assert cache.get(("g1", "b")) is None
    assert all(cache.get(("g1", name)) is answer for name in "acdef")
    assert cache.size == 5 * cache.weight(answer) <= 1024 * 1024
    cache.put(("g1", "big"), Answer(b"x" * 140_000, "text/csv"))  # 281,024 > a quarter of the limit
    assert cache.get(("g1", "big")) is None
    cache.put(("g2", "a"), Answer(b"y", "text/csv"))  # a new generation: the old answers can never be asked again
    assert list(cache.answers) == [("g2", "a")]
    assert cache.size == cache.weight(Answer(b"y", "text/csv"))


def test_a_get_carries_an_etag_that_answers_304_until_the_store_changes(client, settings):  # type: ignore[no-untyped-def]
    settings.LOKET_SPARQL_RESULT_CACHE_MB = 0  # the tag does not depend on the cache
    _publish("Peeters")
    first = client.get("/sparql", {"query": QUERY}, HTTP_ACCEPT="text/csv")
    assert first.status_code == 200 and first.content.split() == [b"n", b"Peeters"]
    etag = first["ETag"]
    assert etag.startswith('W/"')
    again = client.get("/sparql", {"query": QUERY}, HTTP_ACCEPT="text/csv", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    as_json = client.get("/sparql", {"query": QUERY}, HTTP_ACCEPT="application/sparql-results+json")
    assert as_json["ETag"] != etag  # another format, another tag
    posted = client.post("/sparql", {"query": QUERY}, HTTP_ACCEPT="text/csv", HTTP_IF_NONE_MATCH=etag)
    assert posted.status_code == 200 and "ETag" not in posted  # conditional requests are for GET
    _publish("Janssens")
    changed = client.get("/sparql", {"query": QUERY}, HTTP_ACCEPT="text/csv", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed.content.split() == [b"n", b"Janssens"]
    assert changed["ETag"] != etag
