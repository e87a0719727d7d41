"""Content negotiation of a public resource: every format parses back to the mapping's graph; q-values, `*/*`,
`text/html;q=0`, unsupported types (406 naming the types on offer), ETag/304, Link rel=alternate, Vary."""

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Graph
from rdflib.compare import isomorphic

import loket
from loket.core.linkeddata import graph_for

pytestmark = pytest.mark.django_db

FORMATS = [
    ("text/turtle", "turtle"),
    ("application/ld+json", "json-ld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "xml"),
]


def _path(organisation) -> str:  # type: ignore[no-untyped-def]
    return "/" + organisation.uri.split("/", 3)[3]


@pytest.mark.parametrize(("media_type", "parser"), FORMATS)
def test_every_format_parses_back_to_the_mappings_graph(client, municipality, media_type, parser):  # type: ignore[no-untyped-def]
    response = client.get(_path(municipality), HTTP_ACCEPT=media_type)
    assert response.status_code == 200 and response["Content-Type"].startswith(media_type)
    assert "Accept" in response["Vary"].split(", ")
    parsed = Graph().parse(data=response.content, format=parser)
    assert isomorphic(parsed, graph_for(municipality))


def test_quality_values_decide(client, municipality):  # type: ignore[no-untyped-def]
    path = _path(municipality)
    assert client.get(path, HTTP_ACCEPT="text/html;q=0.5, text/turtle;q=0.9")["Content-Type"].startswith("text/turtle")
    assert client.get(path, HTTP_ACCEPT="text/turtle;q=0.4, text/html")["Content-Type"].startswith("text/html")
    assert client.get(path, HTTP_ACCEPT="*/*")["Content-Type"].startswith("text/html")
    assert client.get(path, HTTP_ACCEPT="application/*")["Content-Type"].startswith("application/ld+json")
    assert client.get(path, HTTP_ACCEPT="text/html;q=0, */*;q=0.1")["Content-Type"].startswith("text/turtle")
    assert client.get(path + "?format=ntriples", HTTP_ACCEPT="text/html")["Content-Type"].startswith(
        "application/n-triples"
    )


@pytest.mark.parametrize("accept", ["text/html;q=0", "image/png", "application/pdf, text/plain;q=0.5"])
def test_nothing_acceptable_is_406_naming_what_is_on_offer(client, municipality, accept):  # type: ignore[no-untyped-def]
    response = client.get(_path(municipality), HTTP_ACCEPT=accept)
    assert response.status_code == 406
    text = response.content.decode()
    for offered in ("text/html", "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"):
        assert offered in text


def test_an_unknown_format_parameter_is_406(client, municipality):  # type: ignore[no-untyped-def]
    assert client.get(_path(municipality) + "?format=pdf").status_code == 406


def test_etag_gives_304_and_link_names_the_alternates(client, municipality):  # type: ignore[no-untyped-def]
    path = _path(municipality)
    first = client.get(path, HTTP_ACCEPT="text/turtle")
    assert first["ETag"] and 'rel="alternate"; type="application/rdf+xml"' in first["Link"]
    again = client.get(path, HTTP_ACCEPT="text/turtle", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    municipality.name = "Aalst (nieuwe naam)"
    municipality.save()
    changed = client.get(path, HTTP_ACCEPT="text/turtle", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and "nieuwe naam" in changed.content.decode()


def test_link_names_the_resource_in_each_format_without_the_visitors_other_parameters(client, municipality):  # type: ignore[no-untyped-def]
    path = _path(municipality)
    expected = ", ".join(
        f'<{path}?format={name}>; rel="alternate"; type="{media_type}"'
        for media_type, name in [
            ("text/turtle", "turtle"),
            ("application/ld+json", "jsonld"),
            ("application/n-triples", "ntriples"),
            ("application/rdf+xml", "rdfxml"),
        ]
    )
    assert client.get(path + "?utm=nieuwsbrief", HTTP_ACCEPT="text/turtle")["Link"] == expected
    assert client.get(path + "?inkomend=1&utm=x")["Link"] == expected  # HTML's page of what points here: no RDF's


ASK_IN_A_PROCESS = """
import json, os, pickle, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "loket.settings"
import django
django.setup()
from django.test import RequestFactory
from loket.core.linkeddata import FORMATS, graph_response, new_graph
answers = []
for triples in pickle.loads(sys.stdin.buffer.read()):
    tags = {}
    for fmt in FORMATS:
        graph = new_graph()  # the mapping's graph, as a server process builds it for one request
        for triple in triples:
            graph.add(triple)
        request = RequestFactory().get("/id/bestuurseenheden/x", HTTP_ACCEPT=fmt.media_type)
        response = graph_response(request, graph=lambda: graph, template="core/resource.html", context={})
        assert response.status_code == 200, response.status_code
        tags[fmt.name] = response["ETag"]
    answers.append(tags)
print(json.dumps(answers))
"""


def test_every_formats_etag_is_the_same_in_every_server_process(client, municipality):  # type: ignore[no-untyped-def]
    """rdflib's JSON-LD writer orders subjects as a set does, another order with each process's hash seed: a cache in
    front of several workers got another ETag from each, and never a 304. The tag is taken of the data."""
    graph = list(graph_for(municipality))
    assert any(isinstance(node, BNode) for triple in graph for node in triple)  # the KBO and OVO identifiers
    # New blank nodes (another label each time a mapping runs) for the same data.
    relabelled = {node: BNode() for triple in graph for node in triple if isinstance(node, BNode)}
    graphs = [graph, [tuple(relabelled.get(node, node) for node in triple) for triple in graph]]
    municipality.name = "Aalst (nieuwe naam)"
    graphs.append(list(graph_for(municipality)))  # other data
    answers = set()
    for seed in ("1", "2", "3"):
        environment = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(Path(loket.__file__).parents[1])}
        done = subprocess.run(
            [sys.executable, "-c", ASK_IN_A_PROCESS],
            input=pickle.dumps(graphs),
            env=environment,
            capture_output=True,
            check=True,
        )
        answers.add(done.stdout.decode())
    assert len(answers) == 1, answers
    same, relabelled_tags, changed = json.loads(answers.pop())
    assert list(same) == ["turtle", "jsonld", "ntriples", "rdfxml"]
    assert relabelled_tags == same
    assert all(changed[name] != same[name] for name in same)
    # This process (the test client) gives the same tags, and a 304 for each, until the data changes.
    path = _path(municipality)
    for name, tag in same.items():
        assert client.get(f"{path}?format={name}")["ETag"] == tag
        assert client.get(f"{path}?format={name}", HTTP_IF_NONE_MATCH=tag).status_code == 304
        assert client.get(f"{path}?format={name}", HTTP_IF_NONE_MATCH=tag.removeprefix("W/")).status_code == 304
    municipality.save()
    for name, tag in same.items():
        response = client.get(f"{path}?format={name}", HTTP_IF_NONE_MATCH=tag)
        assert response.status_code == 200 and response["ETag"] == changed[name]


def test_every_dataset_a_mapping_names_is_declared():  # type: ignore[no-untyped-def]
    from loket.core.linkeddata import datasets, mapping_infos

    named = {info.dataset for info in mapping_infos() if info.dataset}
    assert named == {dataset.name for dataset in datasets()}
    assert {"organisaties", "inzendingen", "mandatarissen", "leidinggevenden", "erediensten"} <= named


AS_TOMBSTONE = "https://www.w3.org/ns/activitystreams#Tombstone"


@pytest.mark.parametrize(("media_type", "parser"), FORMATS)
def test_a_deleted_public_resource_is_410_with_its_tombstone(client, clerk, municipality, media_type, parser):  # type: ignore[no-untyped-def]
    from datetime import date

    from rdflib import URIRef
    from rdflib.namespace import RDF

    from loket.mandates.codes import Publication, RoleCode
    from loket.mandates.models import Holder
    from loket.mandates.organs import decretal_organs_create
    from loket.persons.services import person_create
    from tests.mandates.conftest import mandate, rrn

    decretal_organs_create(organisations=[municipality])
    councillor = mandate(municipality, RoleCode.COUNCILLOR)
    person = person_create(actor=clerk, given_names="Jan", family_name="Weg", national_number=rrn(date(1970, 3, 4), 5))
    public_one, draft_one = (
        Holder.objects.create(
            person=person, mandate=councillor, start=date(2025, 1, 6), status="effectief", publication=publication
        )
        for publication in (Publication.NOT_RATIFIED, Publication.DRAFT)
    )
    public_path, draft_path = (f"/id/mandatarissen/{holder.uuid}" for holder in (public_one, draft_one))
    assert client.get(public_path, HTTP_ACCEPT=media_type).status_code == 200
    public_one.delete()
    draft_one.delete()  # never public: the same 404 as an unknown URI
    gone = client.get(public_path, HTTP_ACCEPT=media_type)
    assert gone.status_code == 410 and gone["Content-Type"].startswith(media_type)
    assert "Accept" in gone["Vary"]
    tombstone = Graph().parse(data=gone.content, format=parser)
    assert (URIRef(public_one.uri), RDF.type, URIRef(AS_TOMBSTONE)) in tombstone
    assert "Weg" not in gone.content.decode()
    assert client.get(draft_path, HTTP_ACCEPT=media_type).status_code == 404
    assert (
        client.get("/id/mandatarissen/00000000-0000-0000-0000-000000000000", HTTP_ACCEPT=media_type).status_code == 404
    )
    page = client.get(public_path, HTTP_ACCEPT="text/html")
    assert page.status_code == 410 and "verwijderd" in page.content.decode()


def test_the_html_page_shows_what_points_here_paged_from_public_data(client, clerk, municipality):  # type: ignore[no-untyped-def]
    from datetime import date

    from loket.mandates.codes import Publication, RoleCode
    from loket.mandates.models import Holder, Organ
    from loket.mandates.organs import decretal_organs_create
    from loket.opendata import store
    from loket.persons.models import Person
    from tests.mandates.conftest import mandate

    decretal_organs_create(organisations=[municipality])
    councillor = mandate(municipality, RoleCode.COUNCILLOR)
    holders = [
        Holder.objects.create(
            person=Person.objects.create(given_names="Lid", used_given_name="Lid", family_name=f"Raad{number:03d}"),
            mandate=councillor,
            start=date(2025, 1, 6),
            status="effectief",
            publication=Publication.NOT_RATIFIED,
        )
        for number in range(101)
    ]
    draft = Holder.objects.create(
        person=Person.objects.create(given_names="Geheim", used_given_name="Geheim", family_name="Draftlid"),
        mandate=councillor,
        start=date(2025, 1, 6),
        status="effectief",
        publication=Publication.DRAFT,
    )
    from loket.mandates.services import fractie_create

    fractie_create(organisation=municipality, name="Lijst Zonnebloem", actor=None)
    store.rebuild()
    path = f"/id/mandaten/{councillor.uuid}"
    first = client.get(path, HTTP_ACCEPT="text/html")
    assert first.status_code == 200
    page = first.content.decode()
    pointing = [holder for holder in holders if f"/id/mandatarissen/{holder.uuid}" in page]
    assert len(pointing) >= 99 and "org:holds" in page  # 101 holders and the organ's term: 102, 100 a page
    assert 'rel="next" href="?inkomend=2#inkomend"' in page
    assert str(draft.uuid) not in page  # public data only
    second = client.get(path + "?inkomend=2", HTTP_ACCEPT="text/html").content.decode()
    rest = [holder for holder in holders if f"/id/mandatarissen/{holder.uuid}" in second]
    assert len(pointing) + len(rest) == 101 and not set(pointing) & set(rest)
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert client.get(path + "?inkomend=3", HTTP_ACCEPT="text/html").status_code == 404
    for bad in ("0", "twee", "-1", "²"):  # "²" passes str.isdigit, not int()
        answer = client.get(path, {"inkomend": bad}, HTTP_ACCEPT="text/html")
        assert answer.status_code == 400 and "inkomend" in answer.content.decode()
    organisation_page = client.get(_path(municipality), HTTP_ACCEPT="text/html").content.decode()
    organ = Organ.objects.filter(organisation=municipality).first()
    assert f"/id/bestuursorganen/{organ.uri.rsplit('/', 1)[-1]}" in organisation_page  # the organs, by their label
    assert "besluit:bestuurt" in organisation_page and "Gemeenteraad" in organisation_page
    assert "Lijst Zonnebloem" in organisation_page  # a fractie (org:linkedTo) by its regorg:legalName


def test_a_deleted_organisation_is_410_at_its_real_base(client, target_group):  # type: ignore[no-untyped-def]
    from tests.conftest import _kind, make_organisation

    passing = make_organisation(
        key="cccc0000-0000-0000-0000-00000000001d",
        name="Opgeheven bestuur",
        kbo="",
        kind=_kind("5ab0e9b8a3b2ca7c5e000001", "Gemeente", "municipality"),
        target_group=target_group,
    )
    path = _path(passing)
    assert client.get(path, HTTP_ACCEPT="text/turtle").status_code == 200
    passing.delete()
    gone = client.get(path, HTTP_ACCEPT="text/turtle")
    assert gone.status_code == 410
    assert "activitystreams#Tombstone" in Graph().parse(data=gone.content, format="turtle").serialize(format="nt")
    assert "Bestuurseenheid" in gone.content.decode()  # its as:formerType
