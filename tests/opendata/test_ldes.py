"""The change feed as a Linked Data Event Stream, replicated by a consumer that follows the protocol (TREE view,
members, GreaterThanOrEqualToRelation to the next page): the latest version of every member equals the database's
projection; after 50 changes, one of them a deletion, a consumer resuming from its saved state receives exactly those
50 members. Full pages are immutable (long cache), the last one short-lived."""

import re
from urllib.parse import urlsplit

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF

from loket.core.linkeddata import PROV
from loket.opendata.ldes import materialize
from loket.opendata.projection import dataset_instances, stable_graph
from tests.conftest import _kind, make_organisation

pytestmark = pytest.mark.django_db

TREE = Namespace("https://w3id.org/tree#")
LDES = Namespace("https://w3id.org/ldes#")
AS = Namespace("https://www.w3.org/ns/activitystreams#")


def _get(client, url: str) -> tuple[Graph, object]:  # type: ignore[no-untyped-def]
    parts = urlsplit(url)
    response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""), HTTP_ACCEPT="text/turtle")
    assert response.status_code == 200, response.content[:300]
    return Graph().parse(data=response.content, format="turtle"), response


def replicate(client, dataset: str, state: dict) -> list[URIRef]:  # type: ignore[no-untyped-def, type-arg]
    """Follow the stream from the saved state (or from the start); returns the members new to this consumer."""
    if not state.get("page"):
        root, _response = _get(client, f"/streams/ldes/{dataset}")
        stream = next(root.subjects(RDF.type, LDES.EventStream))
        state["page"] = str(next(root.objects(stream, TREE.view)))
        state["seen"] = set()
        state["versions"] = Graph()
    received = []
    while True:
        graph, response = _get(client, state["page"])
        for member in sorted(graph.objects(None, TREE.member), key=str):
            if str(member) in state["seen"]:
                continue
            state["seen"].add(str(member))
            received.append(member)
            for triple in graph.triples((member, None, None)):
                state["versions"].add(triple)
            for s, p, o in graph:  # the member's other nodes (blank nodes, related subjects of the version)
                if s != member and (s, RDF.type, LDES.EventStream) not in graph and p != TREE.member:
                    if str(s).startswith("http") and "streams/ldes" in str(s):
                        continue
                    state["versions"].add((s, p, o))
        nodes = list(graph.objects(None, TREE.relation))
        if not nodes:
            assert "immutable" not in response["Cache-Control"]
            return received
        assert "immutable" in response["Cache-Control"]
        [relation] = nodes
        assert (relation, RDF.type, TREE.GreaterThanOrEqualToRelation) in graph
        assert (relation, TREE.path, PROV.generatedAtTime) in graph
        state["page"] = str(next(graph.objects(relation, TREE.node)))


def _latest(versions: Graph) -> dict[str, URIRef]:
    """The latest version (highest feed position) of each member, by the member's URI."""
    latest: dict[str, URIRef] = {}
    for version, subject in versions.subject_objects(DCTERMS.isVersionOf):
        if str(subject) not in latest or _position(version) > _position(latest[str(subject)]):
            latest[str(subject)] = version
    return latest


def _position(version: URIRef) -> int:
    return int(str(version).rsplit("/", 1)[-1])


def passing_organisation(target_group):  # type: ignore[no-untyped-def]
    """An organisation the stream tests create and later delete."""
    return make_organisation(
        key="cccc0000-0000-0000-0000-00000000000d",
        name="Tijdelijk bestuur",
        kbo="",
        kind=_kind("5ab0e9b8a3b2ca7c5e000001", "Gemeente", "municipality"),
        target_group=target_group,
    )


def rename(organisation, round_: int) -> None:  # type: ignore[no-untyped-def]
    organisation.name = f"{organisation.name.split(' #')[0]} #{round_}"
    organisation.save()


def own_graph(instance) -> Graph:  # type: ignore[no-untyped-def]
    """The triples of the mapping's graph whose subject is the instance itself (what a version carries)."""
    subject = URIRef(instance.uri)
    graph = Graph()
    for s, p, o in stable_graph(instance):
        if s == subject:
            graph.add((s, p, o))
    return graph


def assert_latest_versions_are_the_database(versions: Graph, dataset: str) -> None:
    """Each public instance's latest version, its subject put back, is isomorphic to its graph in the database."""
    latest = _latest(versions)
    public = {instance.uri: instance for instance in dataset_instances(dataset)}
    assert set(latest) == set(public)
    for subject, version in latest.items():
        replayed = Graph()
        for _s, p, o in versions.triples((version, None, None)):
            if p not in (DCTERMS.isVersionOf, PROV.generatedAtTime):
                replayed.add((URIRef(subject), p, o))
        assert isomorphic(replayed, own_graph(public[subject])), subject


def test_replicate_then_resume_with_exactly_the_new_changes(
    client, settings, municipality, other_municipality, target_group
):  # type: ignore[no-untyped-def]
    settings.LOKET_LDES_PAGE_SIZE = 7
    passing = passing_organisation(target_group)
    for round_ in range(5):
        for organisation in (municipality, other_municipality):
            rename(organisation, round_)
    materialize()
    state: dict = {}  # type: ignore[type-arg]
    first = replicate(client, "organisaties", state)
    assert len(first) >= 13  # 3 created + 10 renames, over two pages and more
    assert_latest_versions_are_the_database(state["versions"], "organisaties")

    for round_ in range(49):  # 49 changes …
        organisation = municipality if round_ % 2 else other_municipality
        organisation.name = f"{organisation.name.split(' #')[0]} #{round_ + 10}"
        organisation.save()
    passing.delete()  # … and a deletion: 50
    materialize()
    second = replicate(client, "organisaties", state)
    assert len(second) == 50
    tombstones = [m for m in second if (m, RDF.type, AS.Tombstone) in state["versions"]]
    assert len(tombstones) == 1
    assert (tombstones[0], DCTERMS.isVersionOf, URIRef(passing.uri)) in state["versions"]
    assert replicate(client, "organisaties", state) == []  # nothing new: nothing received


def test_an_unknown_stream_or_position_is_a_clear_4xx(client):  # type: ignore[no-untyped-def]
    assert client.get("/streams/ldes/bestaatniet").status_code == 404
    for wrong in ("-3", "²", "½"):  # "²" passes str.isdigit, not int()
        response = client.get(f"/streams/ldes/organisaties?vanaf={wrong}", HTTP_ACCEPT="text/turtle")
        assert response.status_code == 400 and "vanaf" in response.content.decode()
    assert client.get("/streams/ldes/organisaties?vanaf=999999999", HTTP_ACCEPT="text/turtle").status_code == 200


def test_a_pages_alternate_links_name_that_page_in_each_format(client, settings, municipality, other_municipality):  # type: ignore[no-untyped-def]
    settings.LOKET_LDES_PAGE_SIZE = 3
    for round_ in range(3):
        for organisation in (municipality, other_municipality):
            rename(organisation, round_)
    materialize()
    first, _response = _get(client, "/streams/ldes/organisaties")
    second = str(next(first.objects(next(first.objects(None, TREE.relation)), TREE.node)))
    page, response = _get(client, second)
    start = urlsplit(second).query  # vanaf=<first member of the second page>
    links = {kind: link for link, kind in re.findall(r'<([^>]+)>; rel="alternate"; type="([^"]+)"', response["Link"])}
    assert links == {
        kind: f"/streams/ldes/organisaties?{start}&format={name}"
        for kind, name in [
            ("text/turtle", "turtle"),
            ("application/ld+json", "jsonld"),
            ("application/n-triples", "ntriples"),
            ("application/rdf+xml", "rdfxml"),
        ]
    }
    again = client.get(links["application/n-triples"])
    assert again.status_code == 200 and again["Content-Type"].startswith("application/n-triples")
    assert isomorphic(Graph().parse(data=again.content, format="nt"), page)
    # ?format= itself is replaced, not repeated
    with_format = client.get(links["text/turtle"])["Link"]
    assert with_format == response["Link"]


def test_a_pages_link_header_names_that_page_whatever_else_a_visitor_put_in_the_url(  # type: ignore[no-untyped-def]
    client, settings, municipality, other_municipality, monkeypatch
):
    """A page and its headers are kept in the cache under a key of its position: the Link header of a later visitor
    carried the first visitor's other parameters (`?vanaf=…&utm=…`). Cached or built, it names the page only."""
    from loket.opendata import ldes
    from loket.opendata.models import FeedEntry

    settings.LOKET_LDES_PAGE_SIZE = 3
    for round_ in range(3):
        for organisation in (municipality, other_municipality):
            rename(organisation, round_)
    materialize()
    start = FeedEntry.objects.filter(dataset="organisaties").order_by("position").values_list("position", flat=True)[3]
    url = "/streams/ldes/organisaties"

    def expected(position: int) -> str:
        return ", ".join(
            f'<{url}?vanaf={position}&format={name}>; rel="alternate"; type="{kind}"'
            for kind, name in [
                ("text/turtle", "turtle"),
                ("application/ld+json", "jsonld"),
                ("application/n-triples", "ntriples"),
                ("application/rdf+xml", "rdfxml"),
            ]
        )

    first = client.get(f"{url}?vanaf={start}&utm=eerste-bezoeker", HTTP_ACCEPT="text/turtle")
    assert first.status_code == 200 and first["Link"] == expected(start)

    def not_built(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the page was built again")

    with monkeypatch.context() as patched:
        patched.setattr(ldes, "page", not_built)  # from the cache
        second = client.get(f"{url}?utm=tweede&vanaf=0{start}", HTTP_ACCEPT="text/turtle")
        assert second.status_code == 200 and second.content == first.content
        assert second["Link"] == expected(start)
        unchanged = client.get(
            f"{url}?vanaf={start}&ref=derde", HTTP_ACCEPT="text/turtle", HTTP_IF_NONE_MATCH=first["ETag"]
        )
        assert unchanged.status_code == 304 and unchanged["Link"] == expected(start)
    for built in (
        client.get(f"{url}?vanaf={start}&utm=vierde", HTTP_ACCEPT="text/html"),  # HTML: never kept
        client.get(f"{url}?vanaf={start}&utm=vijfde&format=jsonld"),
    ):
        assert built.status_code == 200 and built["Link"] == expected(start)
    page = client.get(f"{url}?vanaf={start}&utm=vierde", HTTP_ACCEPT="text/html").content.decode()
    assert f'<a href="?vanaf={start}&amp;format=turtle">turtle</a>' in page  # this page, not the first one
    assert f'<link rel="alternate" type="text/turtle" href="?vanaf={start}&amp;format=turtle">' in page
    assert client.get(f"{url}?utm=zesde", HTTP_ACCEPT="text/turtle")["Link"] == expected(0)  # the first page
    assert client.get(f"{url}?vanaf=0&utm=zevende", HTTP_ACCEPT="text/turtle")["Link"] == expected(0)


def test_a_full_page_is_built_once_and_then_served_from_the_cache(  # type: ignore[no-untyped-def]
    client, settings, municipality, other_municipality, django_assert_max_num_queries, monkeypatch
):
    """Session 5's benchmark: a page of 250 members took p95 248 ms (goal 30 ms), rebuilt for every consumer. A full
    page never changes, so its RDF renderings are kept; the last page is kept until a member is added; HTML is always
    built; a `vanaf` no link names is built and not kept (no cache filling with made-up positions)."""
    from loket.opendata.models import FeedEntry

    settings.LOKET_LDES_PAGE_SIZE = 3
    for round_ in range(3):
        for organisation in (municipality, other_municipality):
            rename(organisation, round_)
    materialize()
    url = "/streams/ldes/organisaties"
    first = client.get(url, HTTP_ACCEPT="text/turtle")
    assert first.status_code == 200 and "immutable" in first["Cache-Control"]
    from loket.opendata import ldes

    def not_built(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a full page was built again")

    with monkeypatch.context() as patched, django_assert_max_num_queries(1):  # the page key only
        patched.setattr(ldes, "page", not_built)
        again = client.get(url, HTTP_ACCEPT="text/turtle")
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert again["Content-Type"] == first["Content-Type"] and again["Link"] == first["Link"]
    assert client.get(url, HTTP_ACCEPT="text/turtle", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    ntriples = client.get(url, HTTP_ACCEPT="application/n-triples")  # each format its own entry
    assert ntriples["Content-Type"].startswith("application/n-triples") and ntriples.content != first.content
    # A pruned member gives the page another key: never the old rendering.
    member = FeedEntry.objects.filter(dataset="organisaties").order_by("position").first()
    FeedEntry.objects.filter(pk=member.pk).update(snapshot="")
    pruned = client.get(url, HTTP_ACCEPT="text/turtle")
    assert pruned.content != first.content and f"/id/versies/{member.position}>" not in pruned.content.decode()
    # The last page (not full) is kept until its content changes: a new member shows at once.
    last_start = (
        FeedEntry.objects.filter(dataset="organisaties").order_by("-position").values_list("position", flat=True)[0]
    )
    before = client.get(f"{url}?vanaf={last_start}", HTTP_ACCEPT="text/turtle")
    assert "#9" not in before.content.decode() and "immutable" not in before["Cache-Control"]
    with monkeypatch.context() as patched, django_assert_max_num_queries(1):
        patched.setattr(ldes, "page", not_built)
        assert client.get(f"{url}?vanaf={last_start}", HTTP_ACCEPT="text/turtle").content == before.content
    rename(municipality, 9)
    materialize()
    later = client.get(f"{url}?vanaf={last_start}", HTTP_ACCEPT="text/turtle").content.decode()
    assert "#9" in later
    # A position no link names (here past the last member) gives its page, built each time, never kept.
    between = FeedEntry.objects.order_by("-position").values_list("position", flat=True)[0] + 5
    built: list[int] = []
    original = ldes.page

    def counting(dataset, start=0):  # type: ignore[no-untyped-def]
        built.append(start)
        return original(dataset, start)

    with monkeypatch.context() as patched:
        patched.setattr(ldes, "page", counting)
        first_between = client.get(f"{url}?vanaf={between}", HTTP_ACCEPT="text/turtle")
        second_between = client.get(f"{url}?vanaf={between}", HTTP_ACCEPT="text/turtle")
    assert first_between.status_code == second_between.status_code == 200
    assert built == [between, between]
