"""core.workerthreads without a database: a loop that fails (its database went away) stops the other loops after
their running task, and the worker ends with that error, as a one-loop worker (db_worker) does."""

import time

import pytest
from django.db.utils import OperationalError

from loket.core.workerthreads import WorkerThreads


def test_a_failing_loop_stops_the_others_and_the_worker_ends_with_its_error():  # type: ignore[no-untyped-def]
    pool = WorkerThreads(threads=3, interval=0.05, batch=False)
    ended: list[int] = []

    def fail() -> None:
        time.sleep(0.2)
        raise OperationalError("the database is gone")

    def idle(number: int) -> None:
        deadline = time.monotonic() + 3
        while pool.loops[number].running and time.monotonic() < deadline:
            time.sleep(0.01)
        if not pool.loops[number].running:
            ended.append(number)  # told to stop

    pool.loops[0].run = fail  # type: ignore[method-assign]
    pool.loops[1].run = lambda: idle(1)  # type: ignore[method-assign]
    pool.loops[2].run = lambda: idle(2)  # type: ignore[method-assign]
    started = time.monotonic()
    with pytest.raises(OperationalError, match="the database is gone"):
        pool.run()
    assert sorted(ended) == [1, 2]
    assert time.monotonic() - started < 5


def test_threads_must_be_one_or_more():  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        WorkerThreads(threads=0, interval=1, batch=False)
