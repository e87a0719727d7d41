"""`core.taskqueue.enqueue_once`: "enqueue unless one is already waiting" as one step. Callers at the same moment, each
on its own connection (web processes after a change of public data, two workers at start), give one task row, not
one each; on PostgreSQL (advisory lock) and SQLite (the write lock taken at BEGIN IMMEDIATE)."""

import itertools
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from loket.accounts.tasks import purge_signed_in_sessions, schedule_session_purge
from loket.core.retention import retention_schedule
from loket.core.taskqueue import enqueue_once
from loket.core.tasks import purge_expired_data, send_email
from loket.opendata.tasks import regenerate_dump, schedule_refresh, sync_store

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CALLERS = 8
ROUNDS = 5


def rows(task, status: TaskResultStatus | None = None) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    found = DBTaskResult.objects.filter(task_path=task.module_path)
    if status is not None:
        found = found.filter(status=status)
    return [value["kwargs"] for value in found.values_list("args_kwargs", flat=True)]


def at_once(call: Callable[[], object], callers: int = CALLERS) -> list[object]:
    """`call` from `callers` threads released together, each on its own database connection."""
    barrier = threading.Barrier(callers)
    results: list[object] = []
    errors: list[BaseException] = []

    def caller() -> None:
        try:
            barrier.wait()
            results.append(call())
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=caller) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


SCHEDULERS = {
    "retention": (retention_schedule, {purge_expired_data: [{}]}),
    "sessions": (schedule_session_purge, {purge_signed_in_sessions: [{}]}),
    "open data": (
        lambda: schedule_refresh("erediensten"),
        {sync_store: [{}], regenerate_dump: [{"dataset": "erediensten"}]},
    ),
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", SCHEDULERS)
def test_callers_at_the_same_moment_queue_one_task(name: str) -> None:
    schedule, expected = SCHEDULERS[name]
    with time_machine.travel(NOW, tick=True):
        for _ in range(ROUNDS):  # a race lost once in a while is still a race: several rounds
            at_once(schedule)
            assert {task: rows(task) for task in expected} == expected
            DBTaskResult.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_callers_asking_for_overlapping_tasks_queue_each_once() -> None:
    """Changes of two datasets at once: one sync (both ask for it) and one dump per dataset."""
    datasets = itertools.cycle(["erediensten", "mandaten"])
    with time_machine.travel(NOW, tick=True):
        for _ in range(ROUNDS):
            at_once(lambda: schedule_refresh(next(datasets)))
            assert rows(sync_store) == [{}]
            assert sorted(kwargs["dataset"] for kwargs in rows(regenerate_dump)) == ["erediensten", "mandaten"]
            DBTaskResult.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_only_one_caller_enqueues_and_says_so() -> None:
    with time_machine.travel(NOW, tick=True):
        results = at_once(lambda: enqueue_once((regenerate_dump, {"dataset": "mandaten"})))
    assert sorted(results) == [0] * (CALLERS - 1) + [1]
    assert rows(regenerate_dump) == [{"dataset": "mandaten"}]


@pytest.mark.django_db(transaction=True)
def test_a_caller_inside_a_transaction_holds_the_others_until_it_commits() -> None:
    """The lock (PostgreSQL's advisory lock, SQLite's write lock) lasts to the end of the caller's own transaction:
    the second caller waits, then sees the row the first committed."""
    first_enqueued = threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                outcome["first"] = enqueue_once(sync_store)
                first_enqueued.set()
                time.sleep(0.5)  # the second caller tries now, and must wait for this commit
        finally:
            connection.close()

    def second() -> None:
        try:
            first_enqueued.wait(timeout=10)
            started = time.monotonic()
            outcome["second"] = enqueue_once(sync_store)
            outcome["waited"] = time.monotonic() - started
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (outcome["first"], outcome["second"]) == (1, 0)
    assert outcome["waited"] > 0.2  # type: ignore[operator]
    assert rows(sync_store) == [{}]


@pytest.mark.django_db(transaction=True)
def test_from_an_on_commit_callback_after_the_outer_transaction() -> None:
    with transaction.atomic():
        send_email.enqueue(to=["a@example.org"], subject="s", body="b")
        transaction.on_commit(lambda: enqueue_once((regenerate_dump, {"dataset": "organisaties"})))
        assert rows(regenerate_dump) == []
    assert rows(regenerate_dump) == [{"dataset": "organisaties"}]


@pytest.mark.django_db
def test_waiting_running_and_finished_rows() -> None:
    with time_machine.travel(NOW, tick=False):
        later = NOW + timedelta(days=1)
        assert enqueue_once(purge_expired_data.using(run_after=later)) == 1
        [waiting] = DBTaskResult.objects.filter(task_path=purge_expired_data.module_path)
        assert waiting.run_after == later
        assert enqueue_once(purge_expired_data) == 0  # waiting: whatever its run_after
        assert enqueue_once((purge_expired_data, {"limit": 2})) == 1  # other arguments: another task
        assert enqueue_once((purge_expired_data, {"limit": 2})) == 0

        DBTaskResult.objects.all().update(status=TaskResultStatus.RUNNING)
        assert enqueue_once(purge_expired_data, also_running=True) == 0  # running counts when asked
        assert enqueue_once(purge_expired_data) == 1  # otherwise only waiting rows do
        DBTaskResult.objects.all().update(status=TaskResultStatus.SUCCESSFUL)
        assert enqueue_once(purge_expired_data, also_running=True) == 1  # finished rows never count
    assert sorted(map(str, rows(purge_expired_data, TaskResultStatus.READY))) == ["{}"]


@pytest.mark.django_db
def test_several_at_once_only_those_not_waiting_each_once() -> None:
    enqueue_once(sync_store)
    mandates = (regenerate_dump, {"dataset": "mandaten"})
    assert enqueue_once(sync_store, mandates, mandates, (regenerate_dump, {"dataset": "erediensten"})) == 2
    assert rows(sync_store) == [{}]
    assert sorted(kwargs["dataset"] for kwargs in rows(regenerate_dump)) == ["erediensten", "mandaten"]
    assert enqueue_once(sync_store, mandates) == 0


@pytest.mark.django_db
def test_arguments_are_compared_as_the_queue_stores_them() -> None:
    assert enqueue_once((send_email, {"to": ("a@example.org",), "subject": "s", "body": "b"})) == 1
    assert enqueue_once((send_email, {"to": ["a@example.org"], "subject": "s", "body": "b"})) == 0
    assert len(rows(send_email)) == 1
