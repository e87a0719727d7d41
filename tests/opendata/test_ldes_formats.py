"""An LDES page is written from its members' stored N-Triples lines (pyoxigraph for Turtle, JSON-LD and RDF/XML, the
lines themselves for N-Triples), no longer through an rdflib graph. What it serves must not change: every format
parses back to the graph the page was built as before — rdflib, each stored version read into it on its own, so
that two versions of one instance keep their blank nodes apart — including awkward literals; Turtle keeps its
prefixes; the same page gives the same bytes in every process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

import loket
from loket.core.linkeddata import PROV, ntriples_text
from loket.opendata.ldes import materialize, page_uri, stream_uri
from loket.opendata.models import FeedEntry
from tests.opendata.test_ldes import rename

TREE = Namespace("https://w3id.org/tree#")
LDES = Namespace("https://w3id.org/ldes#")
FORMATS = [
    ("text/turtle", "turtle"),
    ("application/ld+json", "json-ld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "xml"),
]


def page_as_before(dataset: str, start: int, size: int, retention_days: int) -> Graph:
    """The page as `ldes.page` built it until now: an rdflib graph, every stored version parsed into it on its own."""
    rows = list(
        FeedEntry.objects.filter(dataset=dataset, snapshot__isnull=False, position__gte=start).order_by("position")
    )
    members, following = rows[:size], rows[size : size + 1]
    graph = Graph()
    stream, node = URIRef(stream_uri(dataset)), URIRef(page_uri(dataset, start))
    policy, latest = URIRef(f"{stream}#bewaring"), URIRef(f"{stream}#laatste-versie")
    for triple in [
        (stream, RDF.type, LDES.EventStream),
        (stream, LDES.timestampPath, PROV.generatedAtTime),
        (stream, LDES.versionOfPath, DCTERMS.isVersionOf),
        (stream, TREE.view, URIRef(page_uri(dataset, 0))),
        (stream, LDES.retentionPolicy, policy),
        (policy, RDF.type, LDES.DurationAgoPolicy),
        (policy, TREE.value, Literal(f"P{retention_days}D", datatype=XSD.duration)),
        (stream, LDES.retentionPolicy, latest),
        (latest, RDF.type, LDES.LatestVersionSubset),
        (latest, LDES.amount, Literal(1)),
        (node, RDF.type, TREE.Node),
    ]:
        graph.add(triple)
    if following:
        relation = URIRef(f"{page_uri(dataset, start)}#volgende")
        graph.add((node, TREE.relation, relation))
        graph.add((relation, RDF.type, TREE.GreaterThanOrEqualToRelation))
        graph.add((relation, TREE.node, URIRef(page_uri(dataset, following[0].position))))
        graph.add((relation, TREE.path, PROV.generatedAtTime))
        graph.add((relation, TREE.value, Literal(following[0].at.isoformat(), datatype=XSD.dateTime)))
    for entry in members:
        if entry.snapshot:
            graph.add((stream, TREE.member, URIRef(f"http://data.lblod.info/id/versies/{entry.position}")))
            graph.parse(data=entry.snapshot, format="nt")
    return graph


def rdf11(graph: Graph) -> Graph:
    """The graph with RDF 1.1's literal terms: `"x"^^xsd:string` is `"x"`, a language tag has no case."""
    same = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        elif isinstance(o, Literal) and o.language:
            o = Literal(str(o), lang=o.language.lower())
        same.add((s, p, o))
    return same


AWKWARD = [
    Literal('een "citaat", een \\ en\r\neen nieuwe regel\tmet tab'),  # RDF/XML: the CR must survive
    Literal("regelscheiding\u2028alinea\u2029volgende\x85eind"),  # line breaks to splitlines(), not to N-Triples
    Literal("Ελλάδα 中文 😀", lang="nl-BE"),
    Literal("tekst", datatype=XSD.string),
    Literal("eindigt op een label _:b1"),  # looks like a blank node at the end of a line
    Literal("_:b1 aan het begin"),
    Literal("2024-02-30", datatype=XSD.date, normalize=False),
    Literal("01", datatype=XSD.integer, normalize=False),
]


def awkward_snapshot(entry: FeedEntry) -> str:
    """A version with a blank node as subject and object, two subjects interleaved, and literals that are hard to
    write in some format."""
    version = URIRef(f"http://data.lblod.info/id/versies/{entry.position}")
    part, other = BNode("b1"), BNode("b2")
    graph = Graph()
    graph.add((version, DCTERMS.isVersionOf, URIRef(entry.subject)))
    graph.add((version, DCTERMS.hasPart, part))
    for number, value in enumerate(AWKWARD):
        graph.add((part if number % 2 else version, URIRef(f"http://example.org/veld/v{number}"), value))
    graph.add((part, DCTERMS.hasPart, other))
    graph.add((other, SKOS.prefLabel, Literal("binnenste", lang="nl")))
    lines = [line + "\n" for line in ntriples_text(graph).split("\n")[:-1]]  # not splitlines(): U+2028
    return "".join(lines[::2] + lines[1::2])  # subjects interleaved, as a stored version may have them


@pytest.fixture
def stream_with_everything(settings, municipality, other_municipality, target_group):  # type: ignore[no-untyped-def]
    """Two full pages and a last one: several versions of each municipality (the same blank node labels for its KBO
    identifier), an awkward version, a deleted organisation's tombstone and a pruned member."""
    from tests.opendata.test_ldes import passing_organisation

    settings.LOKET_LDES_PAGE_SIZE = 5
    passing = passing_organisation(target_group)
    for round_ in range(3):
        for organisation in (municipality, other_municipality):
            rename(organisation, round_)
    passing.delete()
    materialize()
    entries = list(FeedEntry.objects.filter(dataset="organisaties").order_by("position"))
    assert len(entries) > 10 and any(entry.is_tombstone for entry in entries)
    FeedEntry.objects.filter(pk=entries[3].pk).update(snapshot=awkward_snapshot(entries[3]))
    FeedEntry.objects.filter(pk=entries[6].pk).update(snapshot="")  # pruned
    return [0, entries[5].position, entries[10].position]


@pytest.mark.django_db
@pytest.mark.parametrize(("media_type", "parser"), FORMATS)
def test_every_format_parses_back_to_the_page_as_it_was_built_before(  # type: ignore[no-untyped-def]
    client, settings, stream_with_everything, media_type, parser
):
    for start in stream_with_everything:
        response = client.get(f"/streams/ldes/organisaties?vanaf={start}", HTTP_ACCEPT=media_type)
        assert response.status_code == 200 and response["Content-Type"].startswith(media_type)
        served = Graph().parse(data=response.content, format=parser)
        before = page_as_before("organisaties", start, 5, settings.LOKET_LDES_RETENTION_DAYS)
        assert len(served) == len(before)
        assert isomorphic(rdf11(served), rdf11(before)), (start, media_type)


@pytest.mark.django_db
def test_turtle_has_prefixes_and_each_subject_once(client, stream_with_everything):  # type: ignore[no-untyped-def]
    body = client.get("/streams/ldes/organisaties", HTTP_ACCEPT="text/turtle").content.decode()
    declared = {line.split()[1] for line in body.splitlines() if line.startswith("@prefix")}
    assert {"ldes:", "tree:", "dct:", "prov:", "xsd:"} <= declared
    assert "brick:" not in declared and "owl:" not in declared  # only the prefixes the page uses
    assert "a ldes:EventStream" in body and "tree:member" in body and "dct:isVersionOf" in body
    assert "<http://purl.org/dc/terms/isVersionOf>" not in body
    awkward = FeedEntry.objects.filter(snapshot__contains="example.org/veld").get()
    subject = f"<http://data.lblod.info/id/versies/{awkward.position}> "
    assert sum(line.startswith(subject) for line in body.splitlines()) == 1  # its lines interleaved, written together


@pytest.mark.django_db
def test_ntriples_is_the_stored_lines(client, stream_with_everything):  # type: ignore[no-untyped-def]
    body = client.get("/streams/ldes/organisaties", HTTP_ACCEPT="application/n-triples").content.decode()
    first_page = list(FeedEntry.objects.filter(dataset="organisaties").order_by("position")[:5])
    without_blank = [entry for entry in first_page if entry.is_tombstone]
    assert without_blank and all(entry.snapshot in body for entry in without_blank)  # the stored bytes
    awkward = FeedEntry.objects.filter(snapshot__contains="example.org/veld").get()
    assert f"_:v{awkward.position}_b1 <http://purl.org/dc/terms/hasPart> _:v{awkward.position}_b2 ." in body
    assert '"eindigt op een label _:b1" .' in body and '"_:b1 aan het begin" .' in body


WRITE_IN_A_PROCESS = """
import hashlib
from loket.core.linkeddata import FORMATS, NTriplesGraph, serialize
parts = tuple(
    "".join(
        f'<http://x/s{(number + line) % 3}> <http://www.w3.org/2004/02/skos/core#p{line % 4}> "w{line}"@nl .\\n'
        f"_:b{number} <http://purl.org/dc/terms/p{line}> <http://x/s{line}> .\\n"
        for line in range(12)
    )
    for number in range(5)
)
graph = NTriplesGraph(parts, namespaces=(("x", "http://x/"), ("y", "http://y/")))
print(" ".join(hashlib.sha256(serialize(graph, fmt)).hexdigest() for fmt in FORMATS))
"""


def test_a_page_is_written_the_same_in_every_process():  # type: ignore[no-untyped-def]
    """Same parts, same bytes (and ETag) in every server process, whatever its hash seed."""
    answers = set()
    for seed in ("1", "2", "3"):
        environment = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(Path(loket.__file__).parents[1])}
        done = subprocess.run(
            [sys.executable, "-c", WRITE_IN_A_PROCESS], env=environment, capture_output=True, text=True, check=True
        )
        assert len(done.stdout.split()) == 4
        answers.add(done.stdout)
    assert len(answers) == 1


@pytest.mark.django_db
def test_a_page_rdfxml_cannot_hold_is_a_406_and_the_other_formats_still_answer(client, stream_with_everything):  # type: ignore[no-untyped-def]
    """A version whose predicate ends in no XML name (form data may have one): pyoxigraph wrote `<oxprefix:>`."""
    awkward = FeedEntry.objects.filter(snapshot__contains="example.org/veld").get()
    odd = awkward.snapshot.replace("<http://example.org/veld/v1>", "<http://example.org/veld/1>")
    assert odd != awkward.snapshot
    FeedEntry.objects.filter(pk=awkward.pk).update(snapshot=odd)
    refused = client.get("/streams/ldes/organisaties", HTTP_ACCEPT="application/rdf+xml")
    assert refused.status_code == 406
    assert refused.content.decode() == (
        "RDF/XML kan deze gegevens niet weergeven: het predicaat <http://example.org/veld/1> eindigt niet op een naam "
        "die XML toelaat. Vraag een ander formaat: text/turtle (?format=turtle), application/ld+json "
        "(?format=jsonld), application/n-triples (?format=ntriples).\n"
    )
    assert client.get("/streams/ldes/organisaties", HTTP_ACCEPT="application/rdf+xml").status_code == 406  # not kept
    for media_type, parser in FORMATS[:3]:
        response = client.get("/streams/ldes/organisaties", HTTP_ACCEPT=media_type)
        assert response.status_code == 200
        served = Graph().parse(data=response.content, format=parser)
        assert (None, URIRef("http://example.org/veld/1"), None) in served
