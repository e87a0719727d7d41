"""The worker applies the change feed in short transactions (store.SYNC_BATCH entries, ldes.MATERIALIZE_BATCH
versions): on SQLite a transaction holds the write lock, and the demo data's first sync in one transaction held it past
a sign-in's busy timeout. A sync interrupted after its first batch keeps that batch's progress, and the next one
finishes the rest."""

import pytest

from loket.opendata import ldes, store
from loket.opendata.models import FeedEntry, StoreState
from loket.opendata.projection import graph_name
from tests.opendata.test_channels import world  # noqa: F401 - the shared small world

pytestmark = pytest.mark.django_db


def _interrupted_at_the_second_instance(monkeypatch, module, name: str) -> None:  # type: ignore[no-untyped-def]
    calls: list[str] = []
    real = getattr(module, name)

    def reading(*args: object) -> object:
        calls.append(name)
        if len(calls) == 2:
            raise ConnectionError("the worker lost its database")
        return real(*args)

    monkeypatch.setattr(module, name, reading)


def test_a_sync_interrupted_in_its_second_batch_keeps_the_first_and_the_next_finishes(world, monkeypatch):  # type: ignore[no-untyped-def]  # noqa: F811
    entries = list(FeedEntry.objects.order_by("position").values_list("position", flat=True))
    assert len(entries) >= 3
    monkeypatch.setattr(store, "SYNC_BATCH", 1)
    with monkeypatch.context() as patch:
        _interrupted_at_the_second_instance(patch, store, "current_public")
        with pytest.raises(ConnectionError):
            store.sync()
    assert StoreState.objects.get().position == entries[0]  # the first batch was committed

    store.sync()

    assert StoreState.objects.get().position == entries[-1]
    with store.open_store() as opened:
        assert graph_name("mandates.Holder", world["public_holder"].pk) in opened.graph_names()


def test_materializing_interrupted_in_its_second_batch_keeps_the_first_and_the_next_finishes(world, monkeypatch):  # type: ignore[no-untyped-def]  # noqa: F811
    entries = list(FeedEntry.objects.order_by("position").values_list("position", flat=True))
    monkeypatch.setattr(ldes, "MATERIALIZE_BATCH", 1)
    with monkeypatch.context() as patch:
        _interrupted_at_the_second_instance(patch, ldes, "current_public")
        with pytest.raises(ConnectionError):
            ldes.materialize()
    assert list(FeedEntry.objects.filter(snapshot__isnull=False).values_list("position", flat=True)) == entries[:1]

    assert ldes.materialize() == len(entries) - 1
    assert not FeedEntry.objects.filter(snapshot__isnull=True).exists()
