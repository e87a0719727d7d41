"""Several task loops in one worker process (`manage.py worker --threads N`, `LOKET_WORKER_THREADS`).

A task spends most of its time waiting for PostgreSQL (15-20 statements, each a round trip): one loop kept a quarter
of a core busy while thousands of tasks waited (bench/README.md, "Load test, session 14"). Here N of django-tasks-db's
own `Worker` loops run side by side, each in a thread of its own and so with a database connection of its own
(Django's connections are per thread), each claiming with the library's claim (SELECT … FOR UPDATE SKIP LOCKED on
PostgreSQL): two loops never take the same task, as two worker processes never do.

Signals are the main thread's: the first SIGTERM/SIGINT/SIGQUIT tells every loop to stop claiming; each finishes the
task it runs, then the process exits. A second signal exits at once, as db_worker does. A loop that fails (the
database is gone) stops the others the same way, and the process exits with its error, as a one-loop worker does.

What the loops share is the process: module caches (pure, or under a lock of their own), the open-data store (opened
by one task at a time per process: `opendata.store.open_store`). Recovery (`core.recovery`) tells a live task from an
abandoned one by its claim's age (`LOKET_TASK_LEASE`), not by its worker, so another loop's running task is left alone.
"""

import signal
import sys
import threading
from types import FrameType

from django.db import connections
from django.utils.crypto import get_random_string
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands.db_worker import Worker, logger

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGQUIT") if hasattr(signal, name))


class WorkerThreads:
    def __init__(
        self, *, threads: int, interval: float, batch: bool, backend_name: str = DEFAULT_TASK_BACKEND_ALIAS
    ) -> None:
        if threads < 1:
            raise ValueError("threads must be at least 1")
        prefix = get_random_string(24)
        self.loops = [
            Worker(
                queue_names=[DEFAULT_TASK_QUEUE_NAME],
                interval=interval,
                batch=batch,
                backend_name=backend_name,
                startup_delay=not batch,
                max_tasks=None,
                worker_id=f"{prefix}-{number}",  # each loop claims under its own id
                excluded_queue_names=[],
            )
            for number in range(1, threads + 1)
        ]
        self.errors: list[BaseException] = []
        self._signalled = False

    def run(self) -> None:
        """Run the loops until they end (batch: the queue is empty) or a signal stops them; re-raise a loop's error."""
        self._configure_signals()
        try:
            threads = [
                threading.Thread(target=self._loop, args=(loop,), name=f"task-loop-{n}", daemon=True)
                for n, loop in enumerate(self.loops, start=1)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                while thread.is_alive():
                    thread.join(timeout=0.5)  # a timed join: the main thread stays free to take signals
        finally:
            self._reset_signals()
        if self.errors:
            raise self.errors[0]

    def stop(self) -> None:
        """Stop claiming: every loop ends after the task it runs."""
        for loop in self.loops:
            loop.running = False

    def _loop(self, loop: Worker) -> None:
        try:
            loop.run()
        except BaseException as error:
            self.errors.append(error)
            self.stop()
        finally:
            connections.close_all()  # this thread's connections

    def _shutdown(self, signum: int, frame: FrameType | None) -> None:
        if self._signalled:
            logger.warning("Received %s - terminating the running tasks.", signal.strsignal(signum))
            self._reset_signals()
            sys.exit(1)  # the loops are daemon threads: the process ends with this thread
        running = sum(loop.running_task for loop in self.loops)
        logger.warning(
            "Received %s - shutting down gracefully after %d running task(s)... (press Ctrl+C again to force)",
            signal.strsignal(signum),
            running,
        )
        self._signalled = True
        self.stop()

    def _configure_signals(self) -> None:
        for number in STOP_SIGNALS:
            signal.signal(number, self._shutdown)

    def _reset_signals(self) -> None:
        for number in STOP_SIGNALS:
            signal.signal(number, signal.SIG_DFL)
