"""The N-Triples writer behind stored form data: every string survives a round trip, one triple per line."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from loket.forms.rdfio import (
    exact_literals,
    literal,
    nt_term,
    parse_turtle_text,
    read_written_ntriples,
    to_turtle,
)

# Everything a Python str can hold except lone surrogates (tested apart below), control characters included.
ANY_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=("Cs",)), max_size=40)
LINE_BREAKERS = ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\n", "\r", "\r\n"]
SUBJECT = URIRef("http://data.lblod.info/form-data/1")


def _round_trip(graph: Graph) -> tuple[str, Graph]:
    text = to_turtle(graph)
    return text, parse_turtle_text(text, source="<test>")


def _assert_same(graph: Graph, again: Graph) -> None:
    # Compared term by term (type, lexical form, language, datatype): rdflib's == would let "01"^^int equal "1"^^int.
    def key(node):
        return (type(node).__name__, str(node), getattr(node, "language", None), getattr(node, "datatype", None))

    assert sorted(tuple(map(key, t)) for t in again) == sorted(tuple(map(key, t)) for t in graph)


@pytest.mark.parametrize("breaker", LINE_BREAKERS)
def test_each_line_breaker_stays_inside_its_literal(breaker):
    graph = Graph()
    graph.add((SUBJECT, URIRef("http://purl.org/dc/terms/description"), literal(f"voor{breaker}na")))
    graph.add((SUBJECT, URIRef("http://purl.org/dc/terms/title"), literal(f"{breaker}", lang="nl")))
    text, again = _round_trip(graph)
    assert len(text.splitlines()) == 2
    assert text.isascii() or breaker not in text
    _assert_same(graph, again)


def test_the_written_form_of_the_eight_characters():
    assert nt_term(literal("a\x0bb\x85c\u2028d\u2029e")) == '"a\\u000Bb\\u0085c\\u2028d\\u2029e"'
    assert nt_term(literal('q"b\\s\tn\nr\r')) == '"q\\"b\\\\s\\tn\\nr\\r"'
    assert nt_term(URIRef("http://x/a b<c>")) == "<http://x/a\\u0020b\\u003Cc\\u003E>"
    assert nt_term(literal("1", datatype=XSD.boolean)) == '"1"^^<http://www.w3.org/2001/XMLSchema#boolean>'


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(ANY_TEXT, min_size=1, max_size=5),
    iri_tail=ANY_TEXT,
    lang=st.from_regex(r"[a-z]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True),
)
def test_round_trip_over_all_of_unicode(texts, iri_tail, lang):
    graph = Graph()
    odd_iri = URIRef("http://data.lblod.info/x/" + iri_tail)
    for index, text in enumerate(texts):
        predicate = URIRef(f"http://example.org/p{index}")
        graph.add((SUBJECT, predicate, literal(text)))
        graph.add((odd_iri, predicate, literal(text, lang=lang)))
        graph.add((SUBJECT, predicate, literal(text, datatype=URIRef("http://example.org/dt/" + iri_tail))))
    text, again = _round_trip(graph)
    assert len(text.splitlines()) == len(graph)
    assert text == "".join(sorted(text.splitlines(keepends=True)))  # stored sorted
    _assert_same(graph, again)
    assert to_turtle(again) == text  # the same graph always gives the same bytes


def test_lone_surrogates_and_odd_blank_node_labels_survive():
    graph = Graph()
    graph.add((BNode("odd label/ü"), URIRef("http://x/p"), literal("\ud800 half")))
    text, again = _round_trip(graph)
    assert text.isascii()
    [(subject, _, obj)] = list(again)
    assert isinstance(subject, BNode) and str(obj) == "\ud800 half"


def test_rdflib_reads_the_written_text_as_n_triples_too():
    graph = Graph()
    graph.add((SUBJECT, URIRef("http://x/p"), literal("a\x1cb\x1dc\x1ed")))
    again = Graph().parse(data=to_turtle(graph), format="nt")
    assert [str(o) for o in again.objects()] == ["a\x1cb\x1dc\x1ed"]
    assert isinstance(next(again.objects()), Literal)


# --- Reading what the writer wrote: read_written_ntriples must give exactly the triples rdflib's Turtle parser gives.


def _by_rdflib(text: str) -> Graph:
    with exact_literals():
        return Graph().parse(data=text, format="turtle", publicID="file:///stored/form-data.ttl")


def _strict_keys(graph: Graph) -> list[tuple]:  # type: ignore[type-arg]
    """Term by term; a blank node by the triples it stands in (each text's labels are new nodes)."""

    def key(node, blank=None):  # type: ignore[no-untyped-def]
        if isinstance(node, BNode):
            return ("BNode", blank)
        return (type(node).__name__, str(node), getattr(node, "language", None), getattr(node, "datatype", None))

    def where(node):  # type: ignore[no-untyped-def]
        return sorted(tuple(key(term) for term in triple) for triple in graph if node in triple)

    return sorted(tuple(key(term, where(term) if isinstance(term, BNode) else None) for term in t) for t in graph)


def _assert_read_as_rdflib_reads(text: str) -> None:
    fast = read_written_ntriples(text)
    assert fast is not None, text
    read = Graph()
    for triple in fast:
        read.add(triple)
    assert len(fast) == len(read)
    assert _strict_keys(read) == _strict_keys(_by_rdflib(text))
    assert _strict_keys(parse_turtle_text(text, source="<test>")) == _strict_keys(read)  # the one way it is read


@settings(max_examples=400, deadline=None)
@given(
    texts=st.lists(ANY_TEXT, min_size=1, max_size=4),
    iri_tail=ANY_TEXT,
    lang=st.from_regex(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8}){0,2}", fullmatch=True),
    label=st.text(st.characters(min_codepoint=0x21, max_codepoint=0x2FF), min_size=1, max_size=6),
)
def test_the_written_text_is_read_as_rdflibs_turtle_parser_reads_it(texts, iri_tail, lang, label):
    graph = Graph()
    odd_iri = URIRef("http://data.lblod.info/x/" + iri_tail)
    for index, text in enumerate(texts):
        predicate = URIRef(f"http://example.org/p{index}")
        graph.add((SUBJECT, predicate, literal(text)))
        graph.add((odd_iri, predicate, literal(text, lang=lang)))
        graph.add((BNode(label), predicate, literal(text, datatype=URIRef("urn:dt:" + iri_tail))))
        graph.add((SUBJECT, predicate, BNode(label)))
        graph.add((BNode(), predicate, odd_iri))
    graph.add((SUBJECT, URIRef("http://example.org/half"), literal("\ud800 half \udfff")))
    _assert_read_as_rdflib_reads(to_turtle(graph))


def test_every_escape_the_writer_uses_is_read_back():  # type: ignore[no-untyped-def]
    graph = Graph()
    every = "".join(chr(code) for code in range(0x00, 0x100)) + "\u2028\u2029\ud800\U0001f600"
    graph.add((SUBJECT, URIRef("http://example.org/all"), literal(every)))
    graph.add((URIRef("http://x/" + every.replace("\ud800", "")), URIRef("http://example.org/iri"), SUBJECT))
    text = to_turtle(graph)
    _assert_read_as_rdflib_reads(text)
    assert [str(value) for value in parse_turtle_text(text, source="<test>").objects(SUBJECT)] == [every]


@pytest.mark.parametrize(
    "text",
    [
        "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n",  # Turtle, not what the writer writes
        "<a> <http://example.org/p> <b> .\n",  # relative IRIs: resolved against the source
        '<http://x/a> <http://x/p> "\\u00e9" .\n',  # lower-case hex: not the writer's
        '<http://x/a> <http://x/p> "it\\\'s" .\n',  # an escape the writer never writes
        '<http://x/a> <http://x/p> "raw\ttab" .\n',  # a character the writer escapes
        "_:é <http://x/p> <http://x/o> .\n",  # a label the writer never writes
        "<http://x/a> <http://x/p> <http://x/o> . # comment\n",
        "<http://x/a>  <http://x/p> <http://x/o> .\n",
    ],
)
def test_anything_else_is_left_to_the_turtle_parser(text):  # type: ignore[no-untyped-def]
    assert read_written_ntriples(text) is None
    assert _strict_keys(parse_turtle_text(text, source="/stored/form-data.ttl")) == _strict_keys(_by_rdflib(text))


def test_a_relative_iri_is_still_resolved_against_the_source():  # type: ignore[no-untyped-def]
    graph = parse_turtle_text("<a> <http://example.org/p> <b> .\n", source="/stored/form-data.ttl")
    assert {str(s) for s in graph.subjects()} == {"file:///stored/a"}
