"""Background work of accounts: the retention of the rows of "Mijn sessies" (`sessions.sessions_purge`, ASVS 8.3.8).
Access requests and the e-mail addresses of people who left have theirs in `accounts.retention`, run by the kernel's
daily retention run (`core.retention`).

The worker runs it once a day the way it runs the open data's stream retention (`opendata.tasks.prune_versions`): each
run queues the next. A sign-in, which writes the rows, queues a run a day later when none is waiting, so the chain
starts with the first sign-in and starts again after a run that failed; a run a killed worker left is run again after
the lease (`core.recovery`). A run that stopped at its limit is followed at once by the next, until the backlog is
gone (the first run after an upgrade)."""

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from loket.core.recovery import register_rerun

PURGE_INTERVAL = timedelta(days=1)


@task()
def purge_signed_in_sessions(*, limit: int | None = None) -> str:
    from loket.accounts.sessions import PURGE_LIMIT, sessions_purge

    # Django's own session rows: an expired one is never read again but stays in the table (with its user id) unless
    # something runs `clearsessions`; nothing did. The session engine's own call, before the purge judges which
    # "Mijn sessies" rows have ended.
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    purge = sessions_purge(limit=PURGE_LIMIT if limit is None else limit)
    if purge.is_complete:
        schedule_session_purge()
    else:
        purge_signed_in_sessions.using(run_after=timezone.now()).enqueue(limit=limit)
    return f"{purge.deleted} signed-in sessions purged" + ("" if purge.is_complete else ", more to come")


def schedule_session_purge() -> None:
    """Queue the next run, a day from now, unless one is already waiting (one chain, however many sign-ins at once:
    `core.taskqueue.enqueue_once`)."""
    from loket.core.taskqueue import enqueue_once

    enqueue_once(purge_signed_in_sessions.using(run_after=timezone.now() + PURGE_INTERVAL))


register_rerun(purge_signed_in_sessions, coalesce=True)  # idempotent: run again unless one waits (core.recovery)
import loket.accounts.retention  # noqa: E402,F401 - its purges: access requests, leavers' e-mail (core.retention)
