"""Reading many instances at once (dumps, the store's rebuild): each mapping's `prefetch` hook loads the related rows
its graph reads in the same queries, so the number of queries does not grow with the number of instances, and the
graphs are exactly those of an instance read on its own."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from loket.core.linkeddata import mapping_infos, ntriples_lines
from loket.mandates.codes import Publication, RoleCode
from loket.mandates.models import Fractie, Holder
from loket.opendata.projection import dataset_instances, public_instances, stable_graph
from loket.persons.services import person_create
from tests.mandates.conftest import mandate, rrn
from tests.opendata.test_channels import world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _holders(municipality, clerk, count: int, first: int) -> None:  # type: ignore[no-untyped-def]
    councillor = mandate(municipality, RoleCode.COUNCILLOR)
    fractie = Fractie.objects.create(organisation=municipality, name=f"Lijst {first}")
    previous = None
    for serial in range(first, first + count):
        person = person_create(
            actor=clerk, given_names=f"P{serial}", family_name="Batch", national_number=rrn(date(1960, 1, 1), serial)
        )
        holder = Holder.objects.create(
            person=person,
            mandate=councillor,
            start=date(2025, 1, 6),
            status="effectief",
            publication=Publication.NOT_RATIFIED,
            fractie=fractie,
            rangorde=f"{serial}e schepen" if serial % 2 else "",
        )
        if previous is not None:
            previous.replaced_by = holder
            previous.save(update_fields=["replaced_by"])
        previous = holder


def _queries(dataset: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        lines = sum(len(ntriples_lines(stable_graph(instance))) for instance in dataset_instances(dataset))
    return len(captured.captured_queries), lines


def test_the_number_of_queries_does_not_grow_with_the_instances(world, municipality, clerk):  # type: ignore[no-untyped-def]  # noqa: F811
    _holders(municipality, clerk, 5, first=100)
    few, few_lines = _queries("mandatarissen")
    _holders(municipality, clerk, 25, first=200)
    many, many_lines = _queries("mandatarissen")
    assert many_lines > few_lines
    assert many == few, (few, many)


def test_prefetched_graphs_are_the_graphs_of_one_instance(world, municipality, clerk):  # type: ignore[no-untyped-def]  # noqa: F811
    _holders(municipality, clerk, 6, first=300)
    checked = 0
    for info in mapping_infos():
        if info.dataset is None:
            continue
        for instance in public_instances(info):
            alone = info.model._default_manager.get(pk=instance.pk)
            assert ntriples_lines(stable_graph(instance)) == ntriples_lines(stable_graph(alone)), instance
            checked += 1
    assert checked > 50


def _sent_public(municipality, clerk, count: int) -> list:  # type: ignore[no-untyped-def,type-arg]
    from loket.supervision.demo import demo_submissions_create
    from loket.supervision.models import Submission
    from loket.supervision.services import submission_deliver

    sent = demo_submissions_create(organisation=municipality, actor=clerk, count=count)
    assert all(submission.is_public for submission in sent)
    for submission in sent:  # the worker's delivery writes the feed entry that publishes it (a concept writes none)
        submission_deliver(submission_id=submission.pk)
    for original, correction in zip(sent[::2], sent[1::2], strict=False):  # every second one corrects the one before
        Submission.objects.filter(pk=correction.pk).update(replaces=original)
    return sent


def test_reading_public_submissions_takes_as_many_queries_for_more_and_gives_their_own_graphs(
    world,  # noqa: F811
    municipality,
    clerk,
):  # type: ignore[no-untyped-def]
    from loket.supervision.models import Submission

    _sent_public(municipality, clerk, 2)
    few, few_lines = _queries("inzendingen")
    _sent_public(municipality, clerk, 4)
    many, many_lines = _queries("inzendingen")
    assert many_lines > few_lines
    assert many == few, (few, many)
    read = 0
    for instance in dataset_instances("inzendingen"):
        alone = Submission.objects.get(pk=instance.pk)
        assert ntriples_lines(stable_graph(instance)) == ntriples_lines(stable_graph(alone)), instance
        read += 1
    assert read == 6
    assert Submission.objects.filter(is_public=True, replaces__isnull=False).count() == 3


def test_a_sync_reads_and_projects_each_changed_instance_once(world, municipality, clerk, monkeypatch):  # type: ignore[no-untyped-def]  # noqa: F811
    """The worker's sync_store takes the same changes into the SPARQL store, the LDES versions and the delta streams:
    each changed instance is projected once for the three (projection.read_once), and the three still get it."""
    from collections import Counter

    from loket.opendata import projection
    from loket.opendata.models import FeedEntry
    from loket.opendata.tasks import sync_store

    sync_store.call()  # what the world's set-up changed, and the delta streams' first dumps
    _sent_public(municipality, clerk, 4)
    _holders(municipality, clerk, 3, first=400)
    changed = {(entry.model_label, entry.object_pk) for entry in FeedEntry.objects.filter(snapshot__isnull=True)}
    assert len(changed) >= 7
    projected: Counter[tuple[str, str]] = Counter()
    original = projection.graph_for

    def counting(instance):  # type: ignore[no-untyped-def]
        projected[(instance._meta.label, str(instance.pk))] += 1
        return original(instance)

    monkeypatch.setattr(projection, "graph_for", counting)
    sync_store.call()
    assert not FeedEntry.objects.filter(snapshot__isnull=True).exists()  # the LDES versions were made
    assert set(projected) == {key for key in changed if projection.current_public(*key) is not None}
    assert set(projected.values()) == {1}, projected


def test_a_syncs_statements_do_not_grow_with_the_changed_instances(world, municipality, clerk):  # type: ignore[no-untyped-def]  # noqa: F811
    """sync_store reads the changed instances per model in one query with their mapping's prefetch
    (projection.preload), and the delta streams read and write their members and triple counts per run: the store,
    the LDES versions and the three streams take 3 changes and 10 in as many statements (it was about 20 per
    instance)."""
    from loket.opendata.models import FeedEntry
    from loket.opendata.tasks import sync_store

    sync_store.call()  # what the world's set-up changed, and the delta streams' first dumps

    def statements() -> tuple[int, int]:
        changed = FeedEntry.objects.filter(snapshot__isnull=True).values("model_label", "object_pk").distinct().count()
        with CaptureQueriesContext(connection) as captured:
            sync_store.call()
        assert not FeedEntry.objects.filter(snapshot__isnull=True).exists()
        return changed, len(captured.captured_queries)

    _sent_public(municipality, clerk, 2)
    _holders(municipality, clerk, 1, first=500)
    few_changed, few = statements()
    _sent_public(municipality, clerk, 6)
    _holders(municipality, clerk, 4, first=600)
    many_changed, many = statements()
    assert many_changed >= few_changed + 7, (few_changed, many_changed)
    assert many == few, (few, many)
