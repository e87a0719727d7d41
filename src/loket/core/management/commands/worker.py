"""The task worker for `make run` and production: first put back what a previous worker left half done
(`recover`, every module), then run django-tasks-db's `db_worker` with the given options. While it runs, the same
recovery runs again every half lease (`LOKET_TASK_LEASE`), so work a killed worker left is resumed by the workers
that are still alive or restarted, at most about one and a half leases after the kill, without cron. At start and
with each recovery it also queues the daily retention run when none is waiting (`core.retention`): the chain starts
with the first worker and starts again after a run that failed.

`--threads N` (default `LOKET_WORKER_THREADS`: 1 on SQLite, 3 on PostgreSQL) runs N of db_worker's loops in this one
process, each in a thread with its own database connection (`core.workerthreads`); with 1 it is db_worker itself."""

import threading
from datetime import timedelta
from typing import Any, TextIO, cast

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from loket.core.recovery import run_recoveries
from loket.core.retention import retention_schedule
from loket.core.runtime import tune_garbage_collector
from loket.core.workerthreads import WorkerThreads


class Command(BaseCommand):
    help = "Hervat half afgewerkte taken en start dan de taakverwerker (db_worker)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls of an empty queue.")
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then stop.")
        parser.add_argument(
            "--older-than",
            type=int,
            default=None,
            metavar="SECONDS",
            help="The lease passed to recover (default: LOKET_TASK_LEASE). Use 0 only when this is the only worker.",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=None,
            help="Tasks run at once in this process, each in a thread (default: LOKET_WORKER_THREADS).",
        )

    def handle(
        self, *args: object, interval: float, batch: bool, older_than: int | None, threads: int | None, **options: Any
    ) -> None:
        threads = settings.LOKET_WORKER_THREADS if threads is None else threads
        if threads < 1:
            raise CommandError("--threads must be 1 or more.")
        lease = settings.LOKET_TASK_LEASE if older_than is None else older_than
        call_command("recover", older_than=lease, stdout=self.stdout, stderr=self.stderr)
        retention_schedule()
        if not batch:
            stop = threading.Event()
            threading.Thread(target=self._recover_every, args=(lease, stop), daemon=True).start()
            self.stdout.write(tune_garbage_collector())  # a long-running process (core.runtime)
        self.stdout.write(f"{threads} task thread(s)")  # bench/locust/run.py reads it from the log
        self.stdout.flush()
        if threads > 1:
            self._run_threads(threads=threads, interval=interval, batch=batch, verbosity=options.get("verbosity", 1))
            return
        call_command(
            "db_worker",
            interval=interval,
            batch=batch,
            startup_delay=not batch,
            verbosity=options.get("verbosity", 1),
            stdout=self.stdout,
            stderr=self.stderr,
        )

    def _run_threads(self, *, threads: int, interval: float, batch: bool, verbosity: int) -> None:
        # db_worker's own logging set-up (its handlers write to this command's output)
        DatabaseWorkerCommand(stdout=cast(TextIO, self.stdout), stderr=cast(TextIO, self.stderr)).configure_logging(
            verbosity
        )
        WorkerThreads(threads=threads, interval=interval, batch=batch).run()

    def _recover_every(self, lease: int, stop: threading.Event) -> None:
        period = max(1.0, settings.LOKET_TASK_LEASE / 2)
        while not stop.wait(period):
            try:
                close_old_connections()
                for name, summary in run_recoveries(older_than=timedelta(seconds=lease or settings.LOKET_TASK_LEASE)):
                    if not summary.startswith("0 "):
                        self.stdout.write(f"{name}: {summary}")
                retention_schedule()
            except Exception as error:
                self.stderr.write(f"recover: {error}")
            finally:
                connection.close()
