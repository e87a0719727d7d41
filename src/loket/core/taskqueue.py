"""The task queue: django-tasks-db's database backend, taking tasks in a fair order.

django-tasks-db takes the ready task with the highest priority, then the earliest `run_after`, then the oldest. A
task enqueued without a delay gets no `run_after` at all, stored as the largest date there is: it sorts after every
retry whose time has come, so a backlog of retries (slow vendor pages, failing links) starves new work. Here every
task without a delay is given `run_after` = the moment it is enqueued: tasks are taken by the time they became due,
then by age, whichever module enqueued them.
"""

from typing import Any

from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend


class FairDatabaseBackend(DatabaseBackend):
    def _task_to_db_task(self, task: Any, args: Any, kwargs: Any) -> Any:
        return super()._task_to_db_task(_due_now(task), args, kwargs)

    async def _atask_to_db_task(self, task: Any, args: Any, kwargs: Any) -> Any:
        return await super()._atask_to_db_task(_due_now(task), args, kwargs)


def _due_now(task: Any) -> Any:
    return task if task.run_after is not None else task.using(run_after=timezone.now())
