"""`manage.py worker --threads N` (core.workerthreads): N tasks run at once in one worker process; SIGTERM lets the
running ones finish and claims nothing new; a second signal ends the process at once; each task runs once.
The real worker as a subprocess on the test database, so PostgreSQL only (SQLite takes one writer at a time, and its
default there is one thread)."""

import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.core.worker_threads_tasks import hold

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'",
        reason="the worker subprocess needs a database it can share with the test (PostgreSQL's test database)",
    ),
]


def _database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    environment = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "LOKET_DEV": "1",
        "LOKET_TESTING": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    }

    def start(*arguments: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "worker", "--interval", "0.1", *arguments],
            cwd=ROOT,
            env=environment,
            stdout=(tmp_path / "worker.log").open("ab"),
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def _queue(directory: Path, count: int, seconds: float) -> list[str]:
    names = [f"t{number}" for number in range(count)]
    for name in names:
        hold.enqueue(name=name, directory=str(directory), seconds=seconds)
    return names


def _started(directory: Path) -> list[str]:
    return sorted(path.stem for path in directory.glob("*.runs"))


def _wait(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.05)


def _statuses() -> list[str]:
    rows = DBTaskResult.objects.filter(task_path=hold.module_path).order_by("args_kwargs__kwargs__name")
    return [row.status for row in rows]


def test_three_threads_run_three_tasks_at_once_and_sigterm_lets_them_finish(tmp_path, start_worker):  # type: ignore[no-untyped-def]
    _queue(tmp_path, 5, seconds=60)
    worker = start_worker("--threads", "3")
    _wait(lambda: len(_started(tmp_path)) == 3, 60)
    time.sleep(1.0)
    assert len(_started(tmp_path)) == 3  # three at once, no more: the other two wait for a free thread
    running = DBTaskResult.objects.filter(task_path=hold.module_path, status=TaskResultStatus.RUNNING)
    assert running.count() == 3
    assert len({tuple(ids) for ids in running.values_list("worker_ids", flat=True)}) == 3  # one id per loop

    worker.send_signal(signal.SIGTERM)
    time.sleep(1.5)
    assert worker.poll() is None  # the running tasks hold the process
    assert not list(tmp_path.glob("*.end"))
    (tmp_path / "release").touch()
    assert worker.wait(timeout=30) == 0
    assert len(list(tmp_path.glob("*.end"))) == 3  # the three running ones finished
    assert len(_started(tmp_path)) == 3  # nothing new was claimed after the signal (the release was there to take)
    for path in tmp_path.glob("*.runs"):
        assert len(path.read_text().splitlines()) == 1  # each ran once
    assert sorted(_statuses()) == sorted([TaskResultStatus.SUCCESSFUL] * 3 + [TaskResultStatus.READY] * 2)
    # a long-running worker tunes its garbage collector once it is loaded (core.runtime)
    assert "garbage collector: thresholds (10000, 10, 10), " in (tmp_path / "worker.log").read_text()


def test_a_second_signal_ends_the_worker_at_once(tmp_path, start_worker):  # type: ignore[no-untyped-def]
    _queue(tmp_path, 2, seconds=120)
    worker = start_worker("--threads", "3")
    _wait(lambda: len(_started(tmp_path)) == 2, 60)
    worker.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    assert worker.poll() is None
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=10) == 1
    assert not list(tmp_path.glob("*.end"))  # cut off; recovery takes such rows up after the lease
    assert _statuses() == [TaskResultStatus.RUNNING] * 2


def test_every_queued_task_runs_exactly_once_over_the_threads(tmp_path, start_worker):  # type: ignore[no-untyped-def]
    names = _queue(tmp_path, 12, seconds=0.3)
    worker = start_worker("--threads", "3", "--batch")
    assert worker.wait(timeout=60) == 0
    for name in names:
        assert (tmp_path / f"{name}.runs").read_text().count("\n") == 1
    assert _statuses() == [TaskResultStatus.SUCCESSFUL] * 12
    starts = sorted(float((tmp_path / f"{name}.runs").read_text()) for name in names)
    ends = sorted(float((tmp_path / f"{name}.end").read_text()) for name in names)
    assert ends[-1] - starts[0] < 12 * 0.3 * 0.6  # side by side: well under the 3.6 s one after another


def test_one_thread_runs_one_task_at_a_time_as_before(tmp_path, start_worker):  # type: ignore[no-untyped-def]
    names = _queue(tmp_path, 3, seconds=0.5)
    worker = start_worker("--threads", "1", "--batch")
    assert worker.wait(timeout=60) == 0
    spans = sorted(
        (float((tmp_path / f"{name}.runs").read_text()), float((tmp_path / f"{name}.end").read_text()))
        for name in names
    )
    assert all(end <= next_start for (_, end), (next_start, _) in itertools.pairwise(spans))
    assert _statuses() == [TaskResultStatus.SUCCESSFUL] * 3
    claims = DBTaskResult.objects.filter(task_path=hold.module_path).values_list("worker_ids", flat=True)
    assert len({tuple(ids) for ids in claims}) == 1  # db_worker itself: one loop, one id
