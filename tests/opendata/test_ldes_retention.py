"""The stream's retention (every version for a year, the latest of each member always, pruned by the worker's task)
with time travel, and a late consumer that loads the latest dump, reads its feed position in the catalogue and
follows the stream from there to the database's state."""

import gzip
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from loket.opendata.dumps import dump_dataset
from loket.opendata.ldes import materialize, prune
from loket.opendata.models import FeedEntry
from loket.opendata.projection import dataset_instances
from loket.opendata.tasks import prune_versions, sync_store
from tests.opendata.test_ldes import (
    AS,
    LDES,
    TREE,
    _get,
    _latest,
    own_graph,
    passing_organisation,
    rename,
    replicate,
)

pytestmark = pytest.mark.django_db
EXT = Namespace("http://mu.semte.ch/vocabularies/ext/")


def _pages(client, dataset: str) -> list[tuple[str, str | None, int]]:  # type: ignore[no-untyped-def]
    """(page, next page, number of members) along the stream."""
    found, url = [], f"/streams/ldes/{dataset}?vanaf=0"
    while url:
        graph, _response = _get(client, url)
        nodes = [str(node) for node in graph.objects(None, TREE.node)]
        following = nodes[0] if nodes else None
        found.append((url, following, len(set(graph.objects(None, TREE.member)))))
        url = following
    return found


def test_the_policy_is_in_the_stream(client, settings):  # type: ignore[no-untyped-def]
    settings.LOKET_LDES_RETENTION_DAYS = 30
    graph, _response = _get(client, "/streams/ldes/organisaties")
    stream = next(graph.subjects(RDF.type, LDES.EventStream))
    kinds = {next(graph.objects(policy, RDF.type)): policy for policy in graph.objects(stream, LDES.retentionPolicy)}
    assert (kinds[LDES.DurationAgoPolicy], TREE.value, Literal("P30D", datatype=XSD.duration)) in graph
    assert (kinds[LDES.LatestVersionSubset], LDES.amount, Literal(1)) in graph


def test_pruning_keeps_a_year_and_every_latest_version_and_the_pages(
    client, settings, run_worker, municipality, other_municipality, target_group
):  # type: ignore[no-untyped-def]
    settings.LOKET_LDES_PAGE_SIZE = 4
    start = timezone.now()
    with time_machine.travel(start, tick=True):
        passing = passing_organisation(target_group)
        for round_ in range(3):
            rename(municipality, round_)
        passing.delete()
        materialize()
    old = set(FeedEntry.objects.values_list("position", flat=True))
    with time_machine.travel(start + timedelta(days=200), tick=True):
        rename(municipality, 10)  # a version within the year
        materialize()
    before = _pages(client, "organisaties")
    latest_of = {}
    for entry in FeedEntry.objects.order_by("position"):
        latest_of[(entry.model_label, entry.object_pk)] = entry.position
    superseded = [p for p in old if p not in latest_of.values()]
    assert len(superseded) >= 5  # the municipality's versions before day 200, the passing one's creation
    with time_machine.travel(start + timedelta(days=364), tick=True):
        assert prune() == 0  # nothing is older than a year yet
    with time_machine.travel(start + timedelta(days=366), tick=True):
        sync_store.enqueue()  # as a change does
        run_worker()  # the real worker: the sync queues the pruning for an hour later
        assert FeedEntry.objects.exclude(snapshot="").count() == len(old) + 1
    with time_machine.travel(start + timedelta(days=366, hours=2), tick=True):
        run_worker()  # the pruning, which queues the next one
        [done] = DBTaskResult.objects.filter(task_path=prune_versions.module_path, status=TaskResultStatus.SUCCESSFUL)
        assert done.return_value == f"{len(superseded)} versions pruned"
        assert DBTaskResult.objects.filter(task_path=prune_versions.module_path, status=TaskResultStatus.READY).exists()
        assert prune() == 0  # done: a second run finds nothing
    kept = {entry.position: entry for entry in FeedEntry.objects.filter(position__in=old)}
    for position, entry in kept.items():
        is_latest = latest_of[(entry.model_label, entry.object_pk)] == position
        assert bool(entry.snapshot) == is_latest, entry  # the old ones are gone unless they are the latest
    # every page keeps its URL and its relation; only members went
    after = _pages(client, "organisaties")
    assert [(url, following) for url, following, _n in after] == [(url, following) for url, following, _n in before]
    assert sum(n for *_x, n in after) == sum(n for *_x, n in before) - len(superseded)
    # a consumer from the start still ends with the database's state, the deletion's tombstone included
    state: dict = {}  # type: ignore[type-arg]
    replicate(client, "organisaties", state)
    latest = _latest(state["versions"])
    public = {instance.uri for instance in dataset_instances("organisaties")}
    assert set(latest) == public | {passing.uri}
    assert (latest[passing.uri], RDF.type, AS.Tombstone) in state["versions"]


def test_a_late_consumer_loads_the_dump_then_follows_the_stream_from_its_position(
    client, settings, municipality, other_municipality, target_group
):  # type: ignore[no-untyped-def]
    settings.LOKET_LDES_PAGE_SIZE = 5
    passing = passing_organisation(target_group)
    for round_ in range(4):
        rename(municipality, round_)
    materialize()
    dump_dataset("organisaties")
    for round_ in range(4, 12):  # after the dump
        rename(other_municipality if round_ % 2 else municipality, round_)
    passing.delete()
    materialize()

    catalogue, _response = _get(client, "/datasets")
    [distribution] = [
        d
        for d in catalogue.subjects(RDF.type, DCAT.Distribution)
        if str(d).endswith("/organisaties/nt") or str(d).endswith("organisaties/nt")
    ]
    position = int(catalogue.value(distribution, EXT.feedPosition))
    download = urlsplit(str(catalogue.value(distribution, DCAT.downloadURL)))
    response = client.get(download.path)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    state = Graph().parse(data=gzip.decompress(body).decode(), format="nt")
    assert (URIRef(passing.uri), None, None) in state

    url = f"/streams/ldes/organisaties?vanaf={position + 1}"
    applied = 0
    while url:
        graph, _response = _get(client, url)
        members = sorted(graph.objects(None, TREE.member), key=lambda m: int(str(m).rsplit("/", 1)[-1]))
        for member in members:
            assert int(str(member).rsplit("/", 1)[-1]) > position
            subject = graph.value(member, DCTERMS.isVersionOf)
            state.remove((subject, None, None))
            if (member, RDF.type, AS.Tombstone) not in graph:
                for _s, p, o in graph.triples((member, None, None)):
                    if p not in (DCTERMS.isVersionOf, URIRef("http://www.w3.org/ns/prov#generatedAtTime")):
                        state.add((subject, p, o))
            applied += 1
        nodes = list(graph.objects(None, TREE.node))
        url = str(nodes[0]) if nodes else ""
    assert applied == 9  # the 8 renames and the deletion, nothing from before the dump
    assert (URIRef(passing.uri), None, None) not in state
    for instance in dataset_instances("organisaties"):
        subject = URIRef(instance.uri)
        replayed = Graph()
        for triple in state.triples((subject, None, None)):
            replayed.add(triple)
        assert isomorphic(replayed, own_graph(instance)), subject
