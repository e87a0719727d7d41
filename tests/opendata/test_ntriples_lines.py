"""The published N-Triples lines are written term by term (linkeddata.ntriples_line), not by rdflib's serializer per
graph: every line must be exactly the row rdflib's serializer writes for that triple, escaping included, and a dump
of tricky data must be the sorted set of those rows."""

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

import loket
from loket.core.linkeddata import MU, PREFIXES, new_graph, ntriples_line, ntriples_lines
from loket.forms.rdfio import parse_turtle_text, to_turtle
from loket.opendata.dumps import dump_dataset, turtle_header
from loket.opendata.models import Dump
from loket.opendata.projection import dataset_instances, stable_graph

S = URIRef("http://data.lblod.info/id/x/1")
P = URIRef("http://example.org/p")
TRICKY_TEXTS = [
    "",
    'quote " and \\ backslash, \\n not a newline, \\"',
    "line\nbreak, carriage\rreturn, CRLF\r\n, tab\tend",
    "controls \x00 \x01 \x08 \x0b \x0c \x1b \x7f \x85 \x9f",
    "separators \u2028 line, \u2029 paragraph, \x1c\x1d\x1e",
    "Åbo, Gießen, Ελλάδα, 中文, ضمن, emoji 😀 and 𝔘",
    " . <http://not/an/iri> . ",
    '"""triple quoted"""',
    "ends in backslash \\",
]
DATATYPES = [None, XSD.string, XSD.dateTime, XSD.boolean, URIRef("http://example.org/dt#ünïcode")]
LANGUAGES = ["nl", "nl-BE", "en-GB-oxendict", "zh-Hant"]
NODES = [
    URIRef("http://example.org/é/中?q=1&r=ü#frag"),
    URIRef("urn:uuid:5eeba171-8f95-407f-8c4d-47b631fa63f1"),
    BNode("b0"),
    BNode(),
]


def _tricky_triples() -> list[tuple]:  # type: ignore[type-arg]
    triples = []
    for number, text in enumerate(TRICKY_TEXTS):
        for datatype in DATATYPES:
            triples.append((S, URIRef(f"{P}/veld{number}"), Literal(text, datatype=datatype, normalize=False)))
        for language in LANGUAGES:
            triples.append((S, URIRef(f"{P}/veld{number}/taal"), Literal(text, lang=language)))
    for subject in NODES:
        for value in NODES:
            triples.append((subject, P, value))
    triples.append((S, RDF.type, URIRef("http://example.org/Class")))
    triples.append((S, P, Literal(1)))
    triples.append((S, P, Literal("1", datatype=XSD.boolean, normalize=False)))
    return triples


def _rdflib_row(triple: tuple) -> str:  # type: ignore[type-arg]
    graph = Graph()
    graph.add(triple)
    return graph.serialize(format="nt", encoding="utf-8").decode("utf-8")


def test_each_line_is_the_row_rdflibs_serializer_writes():  # type: ignore[no-untyped-def]
    triples = _tricky_triples()
    for triple in triples:
        assert ntriples_line(triple) + "\n" == _rdflib_row(triple), triple
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    written = ntriples_lines(graph)
    assert len(written) == len(graph) == len(triples)
    assert sorted(line + "\n" for line in written) == sorted(_rdflib_row(triple) for triple in graph)


def test_an_iri_rdflib_cannot_write_is_refused_as_by_its_serializer():  # type: ignore[no-untyped-def]
    bad = (S, P, URIRef("http://example.org/a b"))
    with pytest.raises(Exception, match="does not look like a valid URI"):
        _rdflib_row(bad)
    with pytest.raises(Exception, match="does not look like a valid URI"):
        ntriples_line(bad)


def test_a_line_separator_inside_a_literal_stays_inside_its_line():  # type: ignore[no-untyped-def]
    graph = Graph()
    graph.add((S, P, Literal("one\u2028two\x85three\x0bfour")))
    assert ntriples_lines(graph) == [
        '<http://data.lblod.info/id/x/1> <http://example.org/p> "one\u2028two\x85three\x0bfour" .'
    ]


def _fill(graph: Graph) -> Graph:
    """Triples whose predicates and classes are all in bound namespaces (rdflib invents no ns1: prefix)."""
    for number, text in enumerate(TRICKY_TEXTS):
        graph.add((S, URIRef(f"{MU}veld{number}"), Literal(text, lang="nl")))
        graph.add((URIRef(f"{S}/{number}"), DCTERMS.description, Literal(text, datatype=XSD.string)))
        graph.add((URIRef(f"{S}/{number}"), RDF.type, SKOS.Concept))
    graph.add((S, RDF.type, URIRef("http://www.w3.org/ns/org#Organization")))
    graph.add((S, URIRef("http://xmlns.com/foaf/0.1/name"), Literal("naam")))
    graph.add((S, DCTERMS.hasPart, BNode("deel")))
    graph.add((BNode("deel"), SKOS.prefLabel, Literal("deel")))
    return graph


def test_a_graph_written_as_ntriples_binds_no_prefixes_and_as_turtle_the_same_as_before():  # type: ignore[no-untyped-def]
    lazy = _fill(new_graph())
    ntriples_lines(lazy)
    assert lazy._prefixes_bound is False  # writing N-Triples needs no namespace manager
    eager = Graph()  # what new_graph() gave before: rdflib's default prefixes, then ours, bound at once
    for prefix, namespace in PREFIXES.items():
        eager.bind(prefix, namespace)
    _fill(eager)
    lazy.bind("extra", "http://example.org/extra#")
    eager.bind("extra", "http://example.org/extra#")
    assert list(lazy.namespaces()) == list(eager.namespaces())
    assert lazy.serialize(format="turtle") == eager.serialize(format="turtle")
    # JSON-LD and RDF/XML follow the store's order, which was a set's before (another in each process).
    assert isomorphic(Graph().parse(data=lazy.serialize(format="json-ld"), format="json-ld"), eager)


WRITE_IN_A_PROCESS = """
from rdflib import Graph, Literal, URIRef
from loket.core.linkeddata import new_graph, ntriples_text
graph = GRAPH()
for number in range(40):
    graph.add((URIRef(f"http://x/s{number % 7}"), URIRef(f"http://x/p{number % 3}"), Literal(f"waarde {number}")))
print(ntriples_text(graph), end="")
"""


@pytest.mark.parametrize("graph", ["new_graph", "Graph"])
def test_a_graph_is_written_in_the_same_order_in_every_process(graph):  # type: ignore[no-untyped-def]
    """Not in the order of a set of hashes, which differs from one server process to the next (and with it the
    ETag of the same N-Triples answer); `ntriples_text` sorts, so also for rdflib's own `Graph` (an LDES version's
    stored snapshot was written from one, in another order by each process)."""
    answers = set()
    for seed in ("1", "2", "3"):
        environment = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(Path(loket.__file__).parents[1])}
        done = subprocess.run(
            [sys.executable, "-c", WRITE_IN_A_PROCESS.replace("GRAPH", graph)],
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        )
        assert done.stdout.count("\n") == 40
        answers.add(done.stdout)
    assert len(answers) == 1


TRICKY_FORM_DATA = [
    Literal('een "citaat", een \\ en\neen nieuwe regel\r\tmet tab'),
    Literal("regelscheiding\u2028alinea\u2029volgende\x85eind\x0b\x0c\x1c"),
    Literal("Ελλάδα 中文 😀", lang="nl-BE"),
    Literal("2024-02-30", datatype=XSD.date, normalize=False),
    Literal("1", datatype=XSD.boolean, normalize=False),
]


@pytest.mark.django_db
def test_a_dump_of_tricky_form_data_is_the_sorted_set_of_rdflibs_rows(municipality, clerk):  # type: ignore[no-untyped-def]
    from loket.mandates.organs import decretal_organs_create
    from loket.supervision.codelists import document_types_load
    from loket.supervision.demo import demo_submissions_create
    from loket.supervision.form import form_node_for
    from loket.supervision.models import Submission

    decretal_organs_create(organisations=[municipality])
    document_types_load()
    sent = demo_submissions_create(organisation=municipality, actor=clerk, count=2)
    assert all(submission.is_public for submission in sent)
    first = sent[0]
    form_data = parse_turtle_text(first.form_data_nt, source=first.uri)
    node = form_node_for(first.uuid)
    for number, value in enumerate(TRICKY_FORM_DATA):
        form_data.add((node, URIRef(f"http://example.org/veld/{number}"), value))
    Submission.objects.filter(pk=first.pk).update(form_data_nt=to_turtle(form_data))  # as stored by the writer

    rows = {_rdflib_row(triple) for instance in dataset_instances("inzendingen") for triple in stable_graph(instance)}
    assert any("\u2028" in row for row in rows)
    expected = "".join(line + "\n" for line in sorted(row[:-1] for row in rows))  # `sort` compares lines bytewise
    result = dump_dataset("inzendingen")
    bodies = {}
    for dump in result.files:
        with default_storage.open(dump.storage_name, "rb") as stream:
            bodies[dump.kind] = gzip.decompress(stream.read())
    assert result.triples == len(rows)
    assert bodies[Dump.Kind.NTRIPLES] == expected.encode("utf-8")
    assert bodies[Dump.Kind.TURTLE] == turtle_header() + expected.encode("utf-8")
