"""Background work of the open data: bring the SPARQL store up to date with the change feed, and regenerate a
dataset's dumps. A change schedules both (once: a task already waiting is not queued again); the dump waits
(`LOKET_OPENDATA_DUMP_DELAY`, default 120 s) so that the changes of those minutes give one dump. The promise is a dump
within 5 minutes of a change: the largest dump at the issue's scale takes 77–145 s on 2 cores (bench/opendata.py), so
120 s leaves it that time and a margin. A full dump of 100,000 submissions costs about 25 s of CPU, the worker's
largest cost under load: twice the delay halves how often it is paid while changes keep coming."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from loket.core.recovery import register_rerun
from loket.core.taskqueue import enqueue_once


@task()
def sync_store() -> str:
    from loket.opendata.delta import publish_all
    from loket.opendata.ldes import materialize
    from loket.opendata.projection import read_once
    from loket.opendata.store import sync

    with read_once():  # the three take the same changes: each changed instance is read and projected once
        report = sync()
        versions = materialize()
        publish_all()  # the real Loket's delta files (/sync/<stream>/files)
    _schedule_pruning()
    _schedule_compaction()
    if _unsettled():  # changes too recent to take yet: come back when they have settled (this run is running)
        enqueue_once(
            sync_store.using(run_after=timezone.now() + timedelta(seconds=settings.LOKET_OPENDATA_SETTLE_SECONDS))
        )
    return f"{report.applied} at #{report.position}, {versions} versions"


@task()
def prune_versions() -> str:
    """The stream's retention (ldes.prune), every `LOKET_LDES_PRUNE_INTERVAL` seconds while the worker runs: each run
    queues the next."""
    from loket.opendata.ldes import prune

    removed = prune()
    _schedule_pruning()
    return f"{removed} versions pruned"


def _schedule_pruning() -> None:
    enqueue_once(prune_versions.using(run_after=timezone.now() + timedelta(seconds=settings.LOKET_LDES_PRUNE_INTERVAL)))


@task()
def compact_store() -> str:
    """Compact the embedded SPARQL store once syncs wrote to it (store.compact_if_due), queued by sync_store for the
    moment it is due: a burst of changes followed by silence still ends compacted."""
    from loket.opendata.store import compact_if_due

    compacted = compact_if_due()
    _schedule_compaction()  # a sync that wrote while this waited for its turn
    return "compacted" if compacted else "not due"


def _schedule_compaction() -> None:
    from loket.opendata.store import compaction_due_at

    due = compaction_due_at()
    if due is not None:
        enqueue_once(compact_store.using(run_after=max(due, timezone.now())))


@task()
def rebuild_store() -> str:
    from loket.opendata.store import rebuild

    report = rebuild()
    return f"{report.applied} instances, the store follows the feed from #{report.position}"


def schedule_first_rebuild() -> bool:
    """Data written around the change feed (the demo loaders' bulk writes of thousands of organs and mandates)
    reaches the store only by a rebuild. When the store was never rebuilt, queue one for the worker (about 90 s for
    the whole demo data) rather than make `make run` wait; once only. True if one was queued."""
    from loket.opendata.models import StoreState

    if StoreState.objects.filter(rebuilt_at__isnull=False).exists():
        return False
    return enqueue_once(rebuild_store) == 1


def _unsettled() -> bool:
    from loket.opendata.models import FeedEntry

    return FeedEntry.objects.filter(snapshot__isnull=True).exists()


@task()
def regenerate_dump(*, dataset: str) -> str:
    from loket.opendata.dumps import dump_dataset, remove_orphans

    result = dump_dataset(dataset)
    orphans = (
        []
        if _running(regenerate_dump.module_path, dataset=dataset) > 1
        else remove_orphans(dataset, before=result.stamp)
    )
    return f"{result.dataset}: {result.triples} triples" + (
        f", {len(orphans)} orphaned file(s) removed" if orphans else ""
    )


def _running(path: str, **arguments: str) -> int:
    """How many runs of the task with these arguments the queue holds as running (this one included)."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    running = DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.RUNNING)
    return sum(
        1 for value in running.values_list("args_kwargs", flat=True) if (value or {}).get("kwargs", {}) == arguments
    )


def schedule_refresh(dataset: str) -> None:
    """After every change of public data (`opendata.feed`, on commit): the store's sync and the dataset's dump, each
    unless one is waiting already (from web processes and the worker at once: `core.taskqueue.enqueue_once`; one
    query when both wait)."""
    delay = timedelta(seconds=settings.LOKET_OPENDATA_DUMP_DELAY)
    enqueue_once(sync_store, (regenerate_dump.using(run_after=timezone.now() + delay), {"dataset": dataset}))


# idempotent: a killed worker's run is simply run again, unless the same run waits already (core.recovery)
register_rerun(sync_store, regenerate_dump, rebuild_store, compact_store, coalesce=True)
