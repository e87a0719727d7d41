"""The task queue: django-tasks-db's database backend, taking tasks in a fair order.

django-tasks-db takes the ready task with the highest priority, then the earliest `run_after`, then the oldest. A
task enqueued without a delay gets no `run_after` at all, stored as the largest date there is: it sorts after every
retry whose time has come, so a backlog of retries (slow vendor pages, failing links) starves new work. Here every
task without a delay is given `run_after` = the moment it is enqueued: tasks are taken by the time they became due,
then by age, whichever module enqueued them.
"""

import hashlib
import json
from datetime import timedelta
from typing import Any

from django.db import connections, router, transaction
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend

from loket.core.retention import Purge, in_chunks, register_purge


class FairDatabaseBackend(DatabaseBackend):
    def _task_to_db_task(self, task: Any, args: Any, kwargs: Any) -> Any:
        return super()._task_to_db_task(_due_now(task), args, kwargs)

    async def _atask_to_db_task(self, task: Any, args: Any, kwargs: Any) -> Any:
        return await super()._atask_to_db_task(_due_now(task), args, kwargs)


def _due_now(task: Any) -> Any:
    return task if task.run_after is not None else task.using(run_after=timezone.now())


# Enqueue unless already waiting ------------------------------------------------------------------------------------
#
# A chain (the daily retention runs, the sessions' purge, the open data's sync and dumps) is queued "unless one is
# already waiting". Reading the queue and then inserting is a race: two callers at once (web processes after a change
# of public data, two workers at start) both see nothing and both insert. `enqueue_once` makes the read and the
# insert one step: on PostgreSQL under transaction-scoped advisory locks on each task and its arguments (taken in
# key order), on SQLite under the database's write lock, which `transaction_mode: IMMEDIATE` (settings.py) takes at
# BEGIN, before the read. A caller already inside a transaction holds them (on SQLite the write lock it already had)
# until its own transaction ends. The read is first done without a lock, one query for all the tasks asked: when they
# are waiting, which is nearly always on the hot path (`opendata.tasks.schedule_refresh`, after every change of
# public data), that query is all it costs.

Wanted = Any  # a task (`task` or `task.using(run_after=…)`), or (task, its keyword arguments)


def enqueue_once(*wanted: Wanted, also_running: bool = False) -> int:
    """Enqueue each of `wanted` (a task with its own `run_after`, priority and queue, or a pair (task, kwargs)) unless
    a row of the same task with the same arguments is waiting, or with `also_running` waiting or running, however
    many callers try at once. Returns how many it enqueued."""
    from django_tasks_db.models import DBTaskResult

    tasks = [_keyed(item) for item in wanted]
    missing = _not_live(tasks, also_running=also_running)
    if not missing:
        return 0
    alias = router.db_for_write(DBTaskResult)
    with transaction.atomic(using=alias):
        connection = connections[alias]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for lock in sorted({_lock_key(key) for key, _, _ in missing}):  # one order: no deadlock
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock])
        missing = _not_live(missing, also_running=also_running)
        for _, task, arguments in missing:
            task.enqueue(**arguments)
    return len(missing)


def _keyed(item: Wanted) -> tuple[str, Any, dict[str, Any]]:
    """(key, task, arguments as the queue stores them: lists, not tuples); the key names task and arguments."""
    task, kwargs = item if isinstance(item, tuple) else (item, {})
    arguments = json.loads(json.dumps(dict(kwargs)))
    return _key(task.module_path, arguments), task, arguments


def _key(path: str, arguments: Any) -> str:
    return json.dumps([path, arguments], sort_keys=True, separators=(",", ":"))


def _not_live(tasks: list[tuple[str, Any, dict[str, Any]]], *, also_running: bool) -> list[tuple[str, Any, dict]]:
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    statuses = [TaskResultStatus.READY, TaskResultStatus.RUNNING] if also_running else [TaskResultStatus.READY]
    paths = {task.module_path for _, task, _ in tasks}
    rows = DBTaskResult.objects.filter(task_path__in=paths, status__in=statuses).order_by()
    live = {_key(path, (value or {}).get("kwargs", {})) for path, value in rows.values_list("task_path", "args_kwargs")}
    wanted = {key: (key, task, arguments) for key, task, arguments in tasks if key not in live}  # each once
    return list(wanted.values())


def _lock_key(key: str) -> int:
    """A stable signed 64-bit number (PostgreSQL's advisory lock space) for a task and its arguments."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


# Work a dead worker left behind ----------------------------------------------------------------------------------
#
# django-tasks-db marks a task RUNNING when a worker claims it and only that worker ever finishes it: a worker that
# is killed leaves the row RUNNING for ever. Modules find their own unfinished work again (they know what "done"
# means) with these two helpers, from the function they register in `core.recovery`.


def fail_stalled_tasks(*, paths: set[str], cutoff: Any, module: str) -> int:
    """Mark task rows of `paths` claimed before `cutoff` and still RUNNING as FAILED (their worker is gone)."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.running()
        .filter(task_path__in=paths, started_at__lt=cutoff)
        .update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            exception_class_path=f"loket.{module}.tasks.WorkerLost",
            traceback="The worker stopped while running this task (still running past the limit); resumed.",
        )
    )


def live_task_arguments(*, paths: set[str], cutoff: Any) -> set[tuple[str, str, int]]:
    """(task path, argument, id) of every task of `paths` still waiting or claimed after `cutoff`."""
    from django.db.models import Q
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    live = DBTaskResult.objects.filter(task_path__in=paths).filter(
        Q(status=TaskResultStatus.READY) | Q(status=TaskResultStatus.RUNNING, started_at__gte=cutoff)
    )
    found = set()
    for task_path, arguments in live.values_list("task_path", "args_kwargs"):
        for name, value in (arguments or {}).get("kwargs", {}).items():
            if isinstance(value, int):
                found.add((task_path, name, value))
    return found


# Retention (core.retention) ----------------------------------------------------------------------------------------
#
# A finished row is nothing but history: the modules keep their own state (a job's, a report's, a message's status)
# and read the queue only for rows still waiting or running (`live_task_arguments`, the recoveries, the schedulers).
# Its arguments are personal data, though: an e-mail task keeps recipients, subject and body (an access request's
# reason, a message's title). Finished rows go after LOKET_TASK_RETENTION_DAYS, failed ones (a traceback someone may
# still be reading) after LOKET_FAILED_TASK_RETENTION_DAYS; a waiting or running row never, however old.


@register_purge("taken")
def task_rows_purge(limit: int) -> Purge:
    from django.conf import settings
    from django.db import transaction
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from loket.core.audit import audit_record

    now = timezone.now()
    periods = {
        TaskResultStatus.SUCCESSFUL: settings.LOKET_TASK_RETENTION_DAYS,
        TaskResultStatus.FAILED: settings.LOKET_FAILED_TASK_RETENTION_DAYS,
    }
    deleted = 0
    with transaction.atomic():
        for status, days in periods.items():
            if days <= 0:  # 0: kept (the setting's "off")
                continue
            old = DBTaskResult.objects.filter(status=status, finished_at__lt=now - timedelta(days=days))

            def delete(chunk: list[Any], status: str = status) -> int:
                # the status again, in the statement: a waiting or running row is never deleted
                return DBTaskResult.objects.filter(pk__in=chunk, status=status).delete()[0]

            deleted += in_chunks(old, limit=limit - deleted, apply=delete, order="finished_at")
        audit_record(
            action="tasks.purged",
            count=deleted,
            days=periods[TaskResultStatus.SUCCESSFUL],
            failed_days=periods[TaskResultStatus.FAILED],
        )
    return Purge(count=deleted, is_complete=deleted < limit)
