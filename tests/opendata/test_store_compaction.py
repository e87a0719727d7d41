"""The embedded store is compacted after a rebuild and, while syncs write to it, at most once per interval; queries
keep off the store while a compaction or a rebuild deletes its files (opendata/storelock.py)."""

import fcntl
import os
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from loket.opendata import store
from loket.opendata.models import StoreState
from loket.opendata.sparql import QueryFailed, run_query
from loket.opendata.storelock import READERS_LOCK, ReaderLock, exclusive

pytestmark = pytest.mark.django_db(transaction=True)

LABEL = "SELECT ?n WHERE {{ <{uri}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?n }}"


def _sst_files() -> int:
    return sum(1 for name in os.listdir(store.store_dir()) if name.endswith(".sst"))


def _rename(organisation, name: str) -> None:  # type: ignore[no-untyped-def]
    organisation.name = name
    organisation.save()
    assert store.sync().applied >= 1


def _waiting_compactions() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(task_path="loket.opendata.tasks.compact_store", status=TaskResultStatus.READY)
    )


def test_a_rebuild_ends_compacted(municipality):  # type: ignore[no-untyped-def]
    store.rebuild()
    state = StoreState.objects.get()
    assert state.compacted_at == state.rebuilt_at and state.writes_since_compaction == 0
    assert store.compaction_due_at() is None


def test_syncs_are_compacted_once_the_interval_has_passed(municipality, settings):  # type: ignore[no-untyped-def]
    settings.LOKET_SPARQL_COMPACT_INTERVAL = 600
    store.rebuild()
    rebuilt = _sst_files()
    compacted = StoreState.objects.get().compacted_at
    for number in range(6):
        _rename(municipality, f"Aalst {number}")
    assert StoreState.objects.get().writes_since_compaction == 6
    files = _sst_files()
    assert store.compact_if_due() is False  # within the interval: the files stay
    assert _sst_files() == files
    with time_machine.travel(compacted + timedelta(seconds=601)):
        assert store.compact_if_due() is True
        state = StoreState.objects.get()
        assert state.writes_since_compaction == 0 and state.compacted_at > compacted
        assert store.compact_if_due() is False  # nothing written since
    # the six syncs' files were merged: as few as a rebuild's compaction leaves (12-14 seen), against 24-27 before it;
    # RocksDB sometimes merges them in the background first, so `files` alone is no bound (once 14 before and after)
    assert _sst_files() <= min(files, rebuilt + 2)
    query = LABEL.format(uri=municipality.uri)
    assert run_query(query, result_format="csv").body.decode().splitlines() == ["n", "Aalst 5"]
    assert store.check() == []


def test_compaction_can_be_turned_off(municipality, settings):  # type: ignore[no-untyped-def]
    store.rebuild()
    _rename(municipality, "Aalst-Oost")
    settings.LOKET_SPARQL_COMPACT_INTERVAL = 0
    assert store.compaction_due_at() is None
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert store.compact_if_due() is False


def test_a_sync_queues_the_compaction_for_when_it_is_due(municipality, settings):  # type: ignore[no-untyped-def]
    from loket.opendata.tasks import compact_store, sync_store

    settings.LOKET_SPARQL_COMPACT_INTERVAL = 600
    store.rebuild()
    compacted = StoreState.objects.get().compacted_at
    municipality.name = "Aalst-West"
    municipality.save()
    sync_store.call()
    waiting = _waiting_compactions()
    assert len(waiting) == 1 and waiting[0].run_after == compacted + timedelta(seconds=600)
    sync_store.call()  # a second sync does not queue a second compaction
    assert len(_waiting_compactions()) == 1
    assert compact_store.call() == "not due"  # run early (another worker): it waits for its time again
    with time_machine.travel(compacted + timedelta(seconds=601)):
        assert compact_store.call() == "compacted"
    assert StoreState.objects.get().writes_since_compaction == 0


def test_a_query_waits_for_a_compaction_and_then_reads_the_new_files(municipality, settings):  # type: ignore[no-untyped-def]
    store.rebuild()
    query = LABEL.format(uri=municipality.uri)
    assert run_query(query, result_format="csv").rows == 1  # the query process has the store open
    _rename(municipality, "Aalst-Noord")
    answers: list[str] = []
    with exclusive(store.store_dir()):
        thread = threading.Thread(
            target=lambda: answers.append(run_query(query, result_format="csv").body.decode()), daemon=True
        )
        thread.start()
        time.sleep(1.0)
        assert answers == []  # it waits while the store is held
        with store.open_store() as held:
            held.compact()
    thread.join(10)
    assert answers == ["n\r\nAalst-Noord\r\n"]


def test_a_query_that_cannot_wait_any_longer_gets_a_503_with_a_message(municipality, settings):  # type: ignore[no-untyped-def]
    store.rebuild()
    settings.LOKET_SPARQL_TIMEOUT = 1  # half of it to wait for the store
    with exclusive(store.store_dir()):
        started = time.monotonic()
        with pytest.raises(QueryFailed) as failed:
            run_query("ASK { ?s ?p ?o }")
        assert 0.4 < time.monotonic() - started < 5
    assert failed.value.status == 503 and failed.value.retry_after == 60
    assert "gecompacteerd of herbouwd" in failed.value.message
    assert run_query("ASK { ?s ?p ?o }").table == {"boolean": True}  # free again: the same query runs


def test_a_compaction_waits_for_the_running_query(tmp_path: Path):  # type: ignore[no-untyped-def]
    reader = ReaderLock(tmp_path)
    assert reader.acquire(1)  # a query is running
    entered = threading.Event()

    def compact() -> None:
        with exclusive(tmp_path):
            entered.set()

    thread = threading.Thread(target=compact, daemon=True)
    thread.start()
    assert not entered.wait(0.5)  # the writer waits for the query
    assert ReaderLock(tmp_path).acquire(0.3) is False  # and new queries queue behind the writer, not before it
    reader.release()
    assert entered.wait(5)
    thread.join(5)
    assert ReaderLock(tmp_path).acquire(0.3) is True  # released afterwards


def test_a_lock_dies_with_its_process(tmp_path: Path):  # type: ignore[no-untyped-def]
    pid = os.fork()
    if pid == 0:  # a query process holding the store when it is killed
        with open(tmp_path / READERS_LOCK, "ab") as held:
            fcntl.flock(held, fcntl.LOCK_SH)
            os.kill(os.getpid(), 9)
    os.waitpid(pid, 0)
    done = threading.Event()
    thread = threading.Thread(target=lambda: (exclusive(tmp_path).__enter__(), done.set()), daemon=True)
    thread.start()
    assert done.wait(5)
