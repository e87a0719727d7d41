"""Recovering work a dead worker left half done. Each module registers one function that puts its stalled
work back on the queue; `manage.py recover` (for cron) and `manage.py worker` (at start) run them all.

A worker that is killed mid-task leaves the task row RUNNING for ever (django-tasks-db cannot know it died);
the modules know what "done" means for their own work, so they decide what to run again — safely, because
every task they enqueue is idempotent."""

from collections.abc import Callable
from datetime import timedelta

Recovery = Callable[[timedelta], str]
_RECOVERIES: dict[str, Recovery] = {}


def register_recovery(name: str) -> Callable[[Recovery], Recovery]:
    def decorator(function: Recovery) -> Recovery:
        _RECOVERIES[name] = function
        return function

    return decorator


def run_recoveries(*, older_than: timedelta) -> list[tuple[str, str]]:
    """Run every module's recovery; returns (module, what it did) for the log."""
    return [(name, function(older_than)) for name, function in sorted(_RECOVERIES.items())]


# Tasks that are whole in themselves (e-mail, the open-data store sync and dumps): no module state says whether
# they are done, so a row a killed worker left RUNNING past the lease is run again with the same arguments. Safe for
# these: a dump and a sync are idempotent; an e-mail is sent again only if the kill fell between the SMTP server's
# "250" and the task's row being marked done (at least once, never lost).
_RERUN_PATHS: set[str] = set()
# Of those, the ones whose run with the same arguments already waiting does the same work (a sync, a dump, a purge):
# the interrupted run is not queued a second time. Not an e-mail: two equal mails queued are two mails.
_COALESCED_PATHS: set[str] = set()


def register_rerun(*tasks: object, coalesce: bool = False) -> None:
    _RERUN_PATHS.update(task.module_path for task in tasks)  # type: ignore[attr-defined]
    if coalesce:
        _COALESCED_PATHS.update(task.module_path for task in tasks)  # type: ignore[attr-defined]


@register_recovery("taken")
def recover_rerun_tasks(older_than: timedelta) -> str:
    from django.db import transaction
    from django.utils import timezone
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from loket.core.taskqueue import enqueue_once

    cutoff = timezone.now() - older_than
    resumed = 0
    with transaction.atomic():
        stalled = list(
            DBTaskResult.objects.running()
            .select_for_update(skip_locked=True)
            .filter(task_path__in=_RERUN_PATHS, started_at__lt=cutoff)
        )
        for row in stalled:
            updated = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path="loket.core.tasks.WorkerLost",
                traceback="The worker stopped while running this task (still running past the lease); run again.",
            )
            if not updated:
                continue
            arguments = row.args_kwargs or {}
            task = row.task.using(run_after=timezone.now())
            if row.task_path in _COALESCED_PATHS and not arguments.get("args"):
                resumed += enqueue_once((task, arguments.get("kwargs", {})))  # a run queued after the kill covers it
            else:
                task.enqueue(*arguments.get("args", []), **arguments.get("kwargs", {}))
                resumed += 1
    return f"{resumed} taak/taken opnieuw ingepland (e-mail, open data)."
