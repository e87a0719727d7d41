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
