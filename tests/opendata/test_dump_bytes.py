"""A dump's bytes are those of the slow path it replaced (issue 18 item 4): every record's graph built through
rdflib's own `Graph.add`, a submission's form data read into a graph (`parse_turtle_text`), each graph written by
rdflib's N-Triples serializer, blank nodes labelled as `stable_graph` labels them, the rows sorted bytewise without
repeats. The data is varied on purpose: tricky literals, blank nodes in form data, form data that is not in the
writer's form (read by rdflib's Turtle parser), repeated lines, the remark for the supervisor (never public),
corrections, and the other datasets of a small world."""

import gzip
from datetime import date

import pytest
from django.core.files.storage import default_storage
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

import loket.supervision.rdf as submission_rdf
from loket.core.linkeddata import PrefixedGraph, datasets, graph_for, has_blank_nodes
from loket.forms.rdfio import parse_turtle_text, to_turtle
from loket.mandates.codes import Publication, RoleCode
from loket.mandates.models import Holder
from loket.opendata import projection
from loket.opendata.dumps import dump_dataset, turtle_header
from loket.opendata.models import Dump
from loket.persons.services import person_create
from tests.mandates.conftest import mandate, rrn

pytestmark = pytest.mark.django_db

TRICKY = [
    Literal('een "citaat", een \\ en\neen nieuwe regel\r\tmet tab'),
    Literal("regelscheiding\u2028alinea\u2029volgende\x85eind\x0b\x0c\x1c"),
    Literal("Ελλάδα 中文 😀", lang="nl-BE"),
    Literal("2024-02-30", datatype=XSD.date, normalize=False),
    Literal("1", datatype=XSD.boolean, normalize=False),
    Literal(""),
]
REMARK = "Opmerking-voor-de-toezichthouder-9Z"


def _old_path(dataset: str, monkeypatch: pytest.MonkeyPatch) -> bytes:
    with monkeypatch.context() as patched:
        patched.setattr(PrefixedGraph, "add", Graph.add)
        patched.setattr(submission_rdf, "turtle_triples", lambda text, source: parse_turtle_text(text, source=source))
        rows: set[str] = set()
        for instance in projection.dataset_instances(dataset):
            graph = graph_for(instance)
            if has_blank_nodes(graph):
                graph = projection._stabilised(graph, instance)
            written = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
            rows.update(row for row in written.split("\n") if row)  # rdflib escapes LF inside a literal
    return "".join(row + "\n" for row in sorted(rows)).encode("utf-8")  # code point order is UTF-8's byte order


def _dump_bodies(dataset: str) -> tuple[dict[str, bytes], int]:
    result = dump_dataset(dataset)
    bodies = {}
    for dump in result.files:
        with default_storage.open(dump.storage_name, "rb") as stream:
            bodies[dump.kind] = gzip.decompress(stream.read())
    return bodies, result.triples


@pytest.fixture
def varied(municipality, clerk):  # type: ignore[no-untyped-def]
    from loket.mandates.organs import decretal_organs_create
    from loket.supervision.codelists import document_types_load
    from loket.supervision.demo import demo_submissions_create
    from loket.supervision.form import form_node_for
    from loket.supervision.models import Submission

    decretal_organs_create(organisations=[municipality])
    document_types_load()
    councillor = mandate(municipality, RoleCode.COUNCILLOR)
    jan = person_create(actor=clerk, given_names="Jan", family_name="Peeters", national_number=rrn(date(1970, 3, 4), 1))
    Holder.objects.create(
        person=jan, mandate=councillor, start=date(2025, 1, 6), status="effectief", publication=Publication.NOT_RATIFIED
    )
    sent = demo_submissions_create(organisation=municipality, actor=clerk, count=6)
    assert all(submission.is_public for submission in sent)
    first, second, third, fourth, fifth, sixth = sent

    def rewrite(submission, change) -> None:  # type: ignore[no-untyped-def]
        node = form_node_for(submission.uuid)
        graph = parse_turtle_text(submission.form_data_nt, source=submission.uri)
        text = change(graph, node)
        Submission.objects.filter(pk=submission.pk).update(form_data_nt=text)

    def tricky(graph: Graph, node: URIRef) -> str:
        for number, value in enumerate(TRICKY):
            graph.add((node, URIRef(f"http://example.org/veld/{number}"), value))
        graph.add((node, RDFS.comment, Literal(REMARK)))
        return to_turtle(graph)

    def blank(graph: Graph, node: URIRef) -> str:
        address, other = BNode(), BNode()
        graph.add((node, URIRef("http://example.org/adres"), address))
        graph.add((address, URIRef("http://example.org/straat"), Literal("Dorpsstraat")))
        graph.add((address, URIRef("http://example.org/buur"), other))
        graph.add((other, URIRef("http://example.org/straat"), Literal("Dorpsstraat")))
        return to_turtle(graph)

    def repeated(graph: Graph, node: URIRef) -> str:
        text = to_turtle(graph)
        return text + text  # every line twice: still each triple once

    def not_written(graph: Graph, node: URIRef) -> str:  # prefixes and abbreviations: rdflib's Turtle parser reads it
        return (
            "@prefix ex: <http://example.org/> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
            f'<{node}> ex:naam "Turtle, niet geschreven"@nl ; ex:aantal 3 ; rdfs:comment "{REMARK}" ;\n'
            '  ex:deel [ ex:straat "Kerkstraat" ] .\n'
        )

    rewrite(first, tricky)
    rewrite(second, blank)
    rewrite(third, repeated)
    rewrite(fourth, not_written)
    Submission.objects.filter(pk=fifth.pk).update(
        replaces=sixth, provided_by="http://data.lblod.info/vendors/x", href="https://example.org/besluit?a=1&b=é"
    )
    Submission.objects.filter(pk=sixth.pk).update(form_data_nt="")
    return sent


def test_every_dump_has_the_bytes_of_the_old_path(varied, monkeypatch):  # type: ignore[no-untyped-def]
    compared = 0
    for dataset in datasets():
        expected = _old_path(dataset.name, monkeypatch)
        bodies, triples = _dump_bodies(dataset.name)
        assert bodies[Dump.Kind.NTRIPLES] == expected, dataset.name
        assert bodies[Dump.Kind.TURTLE] == turtle_header() + expected, dataset.name
        assert triples == expected.count(b"\n")
        compared += bool(expected)
    assert compared >= 3  # organisations, mandates, submissions at least

    submissions = _old_path("inzendingen", monkeypatch).decode("utf-8")
    assert REMARK not in submissions  # the remark for the supervisor is never published, either way
    assert "Turtle, niet geschreven" in submissions and "Kerkstraat" in submissions
    assert "\u2028" in submissions and "_:b" in submissions
    assert (
        "http://purl.org/dc/terms/isReplacedBy" in submissions and "https://example.org/besluit?a=1&b=é" in submissions
    )
