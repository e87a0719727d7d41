"""Retention (bewaartermijnen, ASVS 8.3.8): personal data the Loket no longer needs is deleted or pseudonymised by the
worker, daily, without cron. Which data is kept how long, and why, is in `docs/security/retention.md`.

Each module registers its purges here (in its `tasks.py`, found at start-up like recoveries): a function that
deletes or pseudonymises at most `limit` rows whose period is over, records one audit event with the count (zero
included, so the trail shows that the retention runs) and says whether it is done. One daily task,
`core.tasks.purge_expired_data`, runs them all; each run queues the next a day later, and `manage.py worker` starts the
chain when none is waiting (at start and every half lease while it runs), so a failed run is followed by a new one.
The rows of "Mijn sessies" keep their own daily task (`accounts.tasks.purge_signed_in_sessions`, chained from the
sign-ins that write them)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

PURGE_INTERVAL = timedelta(days=1)
PURGE_LIMIT = 10_000  # rows a purge handles at most per run: a run stays seconds long, far within the worker's lease
CHUNK = 500  # rows read, and deleted or changed, per statement


@dataclass(frozen=True)
class Purge:
    count: int  # rows deleted or pseudonymised
    is_complete: bool  # False: the purge stopped at its limit, more rows may be waiting


PurgeFunction = Callable[[int], Purge]


def in_chunks(due: QuerySet, *, limit: int, apply: Callable[[list[Any]], int], order: str = "pk") -> int:
    """Read the keys of `due` CHUNK at a time (in `order`) and `apply` the purge to each chunk, until nothing is due or
    `limit` rows are done; returns how many `apply` reported. `apply` repeats the conditions in its own statement
    where a row may have changed since the read."""
    done = 0
    while done < limit:
        chunk = list(due.order_by(order).values_list("pk", flat=True)[: min(CHUNK, limit - done)])
        if not chunk:
            break
        done += apply(chunk)
    return done


_PURGES: dict[str, PurgeFunction] = {}


def register_purge(name: str) -> Callable[[PurgeFunction], PurgeFunction]:
    """Register a purge (`function(limit) -> Purge`) under a name shown in the task's result."""

    def decorator(function: PurgeFunction) -> PurgeFunction:
        _PURGES[name] = function
        return function

    return decorator


def retention_run(*, limit: int = PURGE_LIMIT) -> list[tuple[str, Purge]]:
    """Run every registered purge once, in name order; each is its own transaction with its own audit event."""
    limit = max(limit, 1)  # a run that may handle nothing would never be complete
    return [(name, function(limit)) for name, function in sorted(_PURGES.items())]


def retention_schedule() -> bool:
    """Queue the daily run a day from now unless one is waiting or running (one chain, however many workers start
    at once: `core.taskqueue.enqueue_once`). Returns whether it queued one."""
    from loket.core.taskqueue import enqueue_once
    from loket.core.tasks import purge_expired_data

    return enqueue_once(purge_expired_data.using(run_after=timezone.now() + PURGE_INTERVAL), also_running=True) == 1
