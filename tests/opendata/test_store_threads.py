"""The embedded store opened from two threads of one process (a worker's task threads, core.workerthreads: a sync in
one, a rebuild or compaction in another). RocksDB refuses a second open of the same directory in one process; the
second opener waits for the first to close the store instead of failing."""

import threading
import time

import pytest

from loket.opendata.store import open_store

pytestmark = pytest.mark.django_db


def test_two_threads_open_the_store_one_after_the_other():  # type: ignore[no-untyped-def]
    spans: list[tuple[float, float]] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def use() -> None:
        try:
            barrier.wait()
            with open_store() as store:
                opened = time.monotonic()
                store.graph_names()
                time.sleep(0.3)
                spans.append((opened, time.monotonic()))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    (_, first_closed), (second_opened, _) = sorted(spans)
    assert second_opened >= first_closed
