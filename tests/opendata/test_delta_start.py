"""Starting a delta stream (the worker's first sync: every public instance of the dataset projected, 14-16 s for the
demo's mandates) while people use the portal. On SQLite a transaction holds the write lock, so the projection is read
outside one and the stream written in short transactions: a sign-in meanwhile does not wait for it, a start that
is interrupted while writing leaves no stream and the next one starts it whole, and two workers starting it at once
start it once."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from loket.accounts.models import User
from loket.opendata import delta
from loket.opendata.models import DeltaDump, DeltaFile, DeltaMember, DeltaStream, DeltaTriple
from loket.opendata.projection import dataset_instances
from tests.opendata.test_channels import world  # noqa: F401 - the shared small world

pytestmark = pytest.mark.django_db(transaction=True)  # other threads' connections see and write the same database

STREAM = delta.STREAMS["mandatarissen"]


@pytest.fixture
def short_busy_timeout(monkeypatch):  # type: ignore[no-untyped-def]
    """SQLite's busy timeout at 3 s for connections opened from now on (20 s in settings.py): a write that waits
    longer than a few seconds fails, as a sign-in would past the real timeout."""
    if connection.vendor == "sqlite":
        monkeypatch.setitem(connections["default"].settings_dict["OPTIONS"], "timeout", 3)


class _Started:
    """Work running in a thread of its own, on a connection of its own (as another process would)."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self.outcome: list[Any] = []
        self.thread = threading.Thread(target=self._run, args=(work,))
        self.thread.start()

    def _run(self, work: Callable[[], Any]) -> None:
        try:
            self.outcome.append(work())
        except BaseException as error:
            self.outcome.append(error)
        finally:
            connection.close()

    def result(self) -> Any:
        """What the work returned or raised."""
        self.thread.join(60)
        return self.outcome[0]


def _in_another_thread(work: Callable[[], Any]) -> Any:
    """Run `work` on a connection of its own and give back what it returned or raised."""
    return _Started(work).result()


def _during_the_projection(monkeypatch, work: Callable[[], Any]) -> list[Any]:  # type: ignore[no-untyped-def]
    """Run `work` in another thread once, while the start projects its first instance; its outcome is listed."""
    outcomes: list[Any] = []
    projected = delta.published_lines

    def projecting(instance: object) -> list[str]:
        if not outcomes:
            outcomes.append(None)
            outcomes[0] = _in_another_thread(work)
        return projected(instance)

    monkeypatch.setattr(delta, "published_lines", projecting)
    return outcomes


def _sign_in() -> int:
    from django.test import Client

    answer = Client().post(
        "/aanmelden/ontwikkeling/",
        {"first_name": "Dirk", "last_name": "Demo", "email": "dirk.demo@example.org", "organisation": ""},
    )
    return answer.status_code


def _members() -> dict[str, str]:
    return dict(DeltaMember.objects.filter(stream=STREAM.name).values_list("member", "lines"))


def _projection() -> dict[str, str]:
    """The members a stream started now holds: each public instance's lines (sorted, one text)."""
    return {
        f"{instance._meta.label}:{instance.pk}": "\n".join(sorted(set(delta.published_lines(instance))))
        for instance in dataset_instances(STREAM.dataset)
    }


def test_a_sign_in_while_a_stream_starts_does_not_wait_for_it(world, settings, short_busy_timeout, monkeypatch):  # type: ignore[no-untyped-def]  # noqa: F811
    settings.DEBUG = settings.LOKET_DEV_LOGIN = True
    outcomes = _during_the_projection(monkeypatch, _sign_in)

    delta.start(STREAM)

    assert outcomes == [302]
    assert User.objects.filter(email="dirk.demo@example.org").count() == 1
    assert DeltaStream.objects.filter(name=STREAM.name).count() == 1
    assert _members() == _projection()


def _counts() -> dict[str, int]:
    return dict(DeltaTriple.objects.filter(stream=STREAM.name).values_list("key", "count"))


def _projected_counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    for text in _projection().values():
        for line in text.split("\n"):
            counts[delta._key(line)] = counts.get(delta._key(line), 0) + 1
    return counts


def test_a_start_interrupted_while_writing_leaves_no_stream_and_the_next_starts_it_whole(world, monkeypatch):  # type: ignore[no-untyped-def]  # noqa: F811
    def interrupted(*args: object, **kwargs: object) -> None:
        raise ConnectionError("the database went away")

    with monkeypatch.context() as patch:
        patch.setattr(DeltaTriple.objects, "bulk_create", interrupted)  # after the members were written
        with pytest.raises(ConnectionError):
            delta.start(STREAM)
    assert DeltaStream.objects.filter(name=STREAM.name).count() == 0
    assert DeltaMember.objects.filter(stream=STREAM.name).count() == len(_projection())  # unfinished, read by no one

    delta.start(STREAM)

    assert _members() == _projection() != {}
    assert _counts() == _projected_counts()
    assert DeltaDump.objects.filter(stream=STREAM.name).count() == 1
    assert delta.publish(STREAM) == 0  # nothing differs
    assert DeltaFile.objects.filter(stream=STREAM.name).count() == 0


def test_two_workers_starting_at_once_start_the_stream_once(world):  # type: ignore[no-untyped-def]  # noqa: F811
    both = threading.Barrier(2)

    def start() -> object:
        both.wait(10)
        return delta.start(STREAM).started_at

    outcomes = [_Started(start) for _ in range(2)]
    first, second = (outcome.result() for outcome in outcomes)

    assert first == second == DeltaStream.objects.get(name=STREAM.name).started_at
    assert DeltaDump.objects.filter(stream=STREAM.name).count() == 1
    assert _members() == _projection()
    assert _counts() == _projected_counts()
