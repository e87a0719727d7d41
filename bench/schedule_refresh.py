"""CPU of `opendata.tasks.schedule_refresh`, the scheduling that runs after every change of public data (issue 18:
"enqueue unless already waiting", see bench/README.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/loket_bench_schedule .venv/bin/python bench/schedule_refresh.py
        [--calls 2000] [--runs 7] [--backlog 1500]

On the database of DATABASE_URL (created and migrated; PostgreSQL or a sqlite:/// file), with `--backlog` other tasks
waiting (the load test's queue held 1,436 at its end), measures the CPU time (time.process_time) per call in two
cases: "waiting" (the sync and the dump already wait: the hot path, nearly every call under load) over `--calls`
calls, and "enqueues" (neither waits: the call queues both) over `--calls` / 10 calls, the rows removed between calls
outside the measurement. Prints the median of `--runs` runs of each, in µs per call.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
os.environ.setdefault("LOKET_TESTING", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/loket_bench_schedule")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--backlog", type=int, default=1500)
    options = parser.parse_args()
    if os.environ["DATABASE_URL"].startswith("postgres"):
        from _postgres import prepare_database

        prepare_database(reset=False, script="bench/schedule_refresh.py")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from loket.core.tasks import send_email
    from loket.opendata.tasks import regenerate_dump, schedule_refresh, sync_store

    call_command("migrate", verbosity=0, interactive=False)
    DBTaskResult.objects.all().delete()
    for number in range(options.backlog):
        send_email.enqueue(to=["a@example.org"], subject=f"mail {number}", body="…")
    ours = DBTaskResult.objects.filter(task_path__in=[sync_store.module_path, regenerate_dump.module_path])

    def waiting() -> float:
        schedule_refresh("mandaten")
        started = time.process_time()
        for _ in range(options.calls):
            schedule_refresh("mandaten")
        return (time.process_time() - started) / options.calls * 1e6

    def enqueues() -> float:
        spent = 0.0
        calls = max(options.calls // 10, 1)
        for _ in range(calls):
            ours.delete()
            started = time.process_time()
            schedule_refresh("mandaten")
            spent += time.process_time() - started
        return spent / calls * 1e6

    results: dict[str, list[float]] = {"waiting": [], "enqueues": []}
    for _ in range(options.runs):
        results["waiting"].append(waiting())
        results["enqueues"].append(enqueues())
    assert ours.count() == 2
    print(f"{connection.vendor}, backlog {options.backlog}, load average {os.getloadavg()[0]:.2f}")
    for case, values in results.items():
        print(f"{case}: median {statistics.median(values):.0f} µs per call ({', '.join(f'{v:.0f}' for v in values)})")
    DBTaskResult.objects.all().delete()


if __name__ == "__main__":
    main()
