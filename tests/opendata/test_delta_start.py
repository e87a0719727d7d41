"""Starting a delta stream (the worker's first sync: every public instance of the dataset projected, 14-16 s for the
demo's mandates) while people use the portal. On SQLite a transaction holds the write lock, so the projection is read
outside one and the stream written in one short transaction: a sign-in meanwhile does not wait for it, a start that
fails while writing leaves nothing behind and the next one starts the stream whole, and a start that another worker
finished first writes nothing of its own."""

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


def _in_another_thread(work: Callable[[], Any]) -> Any:
    """Run `work` on a connection of its own (as another process would), and give back what it returned or raised."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as error:
            outcome.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    return outcome[0]


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


def test_a_start_that_fails_while_writing_leaves_nothing_and_the_next_starts_whole(world, monkeypatch):  # type: ignore[no-untyped-def]  # noqa: F811
    def interrupted(*args: object, **kwargs: object) -> None:
        raise ConnectionError("the database went away")

    with monkeypatch.context() as patch:
        patch.setattr(DeltaTriple.objects, "bulk_create", interrupted)  # after the members were written
        with pytest.raises(ConnectionError):
            delta.start(STREAM)
    assert DeltaStream.objects.filter(name=STREAM.name).count() == 0
    assert DeltaMember.objects.filter(stream=STREAM.name).count() == 0
    assert DeltaTriple.objects.filter(stream=STREAM.name).count() == 0

    delta.start(STREAM)

    assert _members() == _projection() != {}
    assert DeltaDump.objects.filter(stream=STREAM.name).count() == 1
    assert delta.publish(STREAM) == 0  # nothing differs
    assert DeltaFile.objects.filter(stream=STREAM.name).count() == 0


def test_a_start_another_worker_finished_first_writes_nothing_of_its_own(world, short_busy_timeout, monkeypatch):  # type: ignore[no-untyped-def]  # noqa: F811
    outcomes = _during_the_projection(monkeypatch, lambda: delta.start(STREAM).started_at)

    state = delta.start(STREAM)

    assert outcomes == [state.started_at]  # the other worker's stream, not one of this run
    assert DeltaStream.objects.filter(name=STREAM.name).count() == 1
    assert DeltaDump.objects.filter(stream=STREAM.name).count() == 1
    assert _members() == _projection()
