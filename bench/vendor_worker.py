"""The task worker's cost per vendor melding, in-process on PostgreSQL. Prints numbers; not a test.

    .venv/bin/python bench/vendor_worker.py [--meldingen 40] [--warmup 5] [--profile 25] [--reset]

Prepares its own small database (`LOKET_BENCH_DB`, default `loket_bench_vendor_worker`: one municipality with its
council, a vendor, the code lists; bench/vendor_api.py's set-up), serves the budget example page from a local page
server (loopback, through the guarded fetcher with LOKET_ALLOW_PRIVATE_FETCH), registers `--meldingen` meldingen
with status "Inzendbaar" through `POST /melding` (not measured), and then runs django-tasks-db's own worker loop
(`db_worker --batch`, in this process) until the queue is empty: every task the meldingen cause — the vendor job
(download, RDFa import, validation, sending with ledger entry and receipt) and the follow-up tasks (delivery into
the supervisor's inbox, ...). Per melding: process CPU ms, SQL queries (django's CaptureQueriesContext) and task
claims, split by task; `--profile N` prints cProfile's top N functions by cumulative time. `--warmup` meldingen run
first and are not counted (the form definition, code lists and imports are loaded once per process).
"""

import argparse
import collections
import cProfile
import io
import os
import pstats
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "src"))

import vendor_api  # noqa: E402  (its set-up, page server and melding body)

PAGE_PORT = 18081  # vendor_api.PAGE_SERVER's port


def prepare(media: str, *, reset: bool) -> None:
    os.environ.setdefault("LOKET_BENCH_DB", "loket_bench_vendor_worker")
    vendor_api.DB = os.environ["LOKET_BENCH_DB"]
    env = vendor_api.environment(media)
    exists = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{vendor_api.DB}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if reset or not exists:
        vendor_api.setup(env)
    os.environ.update(env)


def register(count: int) -> None:
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    page_url = f"http://127.0.0.1:{PAGE_PORT}/p"
    for _ in range(count):
        body = vendor_api.melding_body(page_url, uuid.uuid4().hex)
        answer = client.post("/melding", data=body, content_type="application/json")
        if answer.status_code != 201:
            raise RuntimeError(f"/melding answered {answer.status_code}: {answer.content[:300]!r}")


# Batched work the meldingen share (at most one waiting task each, however many changes): counted apart.
SHARED = ("loket.opendata.tasks.",)


def worker(per_task: dict[str, list[float]], queries: list):  # type: ignore[no-untyped-def,type-arg]
    """db_worker's own Worker, noting the CPU seconds and statements of each task it runs (claims not included)."""
    from django_tasks_db.management.commands.db_worker import Worker

    class Measuring(Worker):
        def run_task(self, db_task_result):  # type: ignore[no-untyped-def]
            cpu, count = time.process_time(), len(queries)
            try:
                super().run_task(db_task_result)
            finally:
                spent = per_task.setdefault(db_task_result.task_path, [0.0, 0.0])
                spent[0] += time.process_time() - cpu
                spent[1] += len(queries) - count

    return Measuring(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="bench-vendor-worker",
        excluded_queue_names=[],
    )


def run_queue(
    *, profile: cProfile.Profile | None = None
) -> tuple[float, int, collections.Counter, list[str], dict[str, list[float]]]:
    """Run the queue empty: CPU seconds and queries, without the shared tasks'; claims per task; the statements;
    CPU seconds and queries per task path."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    started = timezone.now()
    per_task: dict[str, list[float]] = {}
    with CaptureQueriesContext(connection) as queries:
        cpu = time.process_time()
        if profile is not None:
            profile.enable()
        worker(per_task, queries.connection.queries_log).run()
        if profile is not None:
            profile.disable()
        cpu = time.process_time() - cpu
    ran = DBTaskResult.objects.filter(started_at__gte=started)
    claims = collections.Counter(path.rsplit(".", 1)[-1] for path in ran.values_list("task_path", flat=True))
    failed = ran.filter(status="FAILED").count()
    if failed:
        raise RuntimeError(f"{failed} task(s) failed; see django_tasks_database_dbtaskresult")
    shared = [spent for path, spent in per_task.items() if path.startswith(SHARED)]
    cpu -= sum(spent[0] for spent in shared)
    count = len(queries) - int(sum(spent[1] for spent in shared))
    return cpu, count, claims, [q["sql"] for q in queries.captured_queries], per_task


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--meldingen", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--profile", type=int, default=0, help="print cProfile's top N (cumulative)")
    parser.add_argument("--sort", default="cumulative", help="cProfile's order: cumulative, tottime, ...")
    parser.add_argument("--queries", action="store_true", help="print the statements per melding, grouped")
    parser.add_argument("--reset", action="store_true", help="drop and re-create the database")
    options = parser.parse_args()
    if options.meldingen > 100:
        parser.error("at most 100 meldingen: django keeps the last 9,000 statements only")

    media = tempfile.mkdtemp(prefix="vendor-worker-")
    prepare(media, reset=options.reset)
    pages = subprocess.Popen([sys.executable, "-c", vendor_api.PAGE_SERVER, str(vendor_api.PAGE)])
    try:
        vendor_api.wait_for_port(PAGE_PORT)
        import django

        django.setup()
        from django.conf import settings

        from loket.supervision.models import Submission
        from loket.vendors.models import Job

        assert not settings.DEBUG
        register(options.warmup)
        run_queue()
        sent_before = Submission.objects.filter(status=Submission.Status.SENT, delivered_at__isnull=False).count()
        register(options.meldingen)
        profile = cProfile.Profile(time.process_time) if options.profile else None  # CPU, not waiting
        cpu, query_count, claims, statements, per_task = run_queue(profile=profile)
        delivered = Submission.objects.filter(status=Submission.Status.SENT, delivered_at__isnull=False).count()
        unfinished = Job.objects.exclude(status=Job.Status.SUCCESS).count()
        n = options.meldingen
        print(
            f"database {vendor_api.DB}; {n} meldingen (after {options.warmup} to warm up); load average "
            f"{os.getloadavg()[0]:.2f}"
        )
        print(f"sent and delivered: {delivered - sent_before} of {n}; jobs not succeeded: {unfinished}")
        print(f"worker CPU per melding: {cpu * 1000 / n:.1f} ms (claims included)")
        print(f"SQL queries per melding: {query_count / n:.1f}")
        print(f"task claims per melding: {sum(claims.values()) / n:.2f} ({dict(claims)})")
        print("per task (CPU ms and queries per run; claiming not included):")
        for path, (seconds, statements_run) in sorted(per_task.items()):
            runs = claims[path.rsplit(".", 1)[-1]] or 1
            shared = " (shared by all meldingen: not in the figures above)" if path.startswith(SHARED) else ""
            print(f"  {path}: {seconds * 1000 / runs:.1f} ms, {statements_run / runs:.1f} queries{shared}")
        if options.queries:
            kinds = collections.Counter(_shape(sql) for sql in statements)
            for shape, count in kinds.most_common():
                print(f"{count / n:6.2f}  {shape}")
        if profile is not None:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(options.sort).print_stats(options.profile)
            print(out.getvalue())
    finally:
        pages.terminate()
        pages.wait()


def _shape(sql: str) -> str:
    """A statement without its values, cut short: what kind of query it is."""
    import re

    shape = re.sub(r'"s\d+_x\d+"', "?", sql)
    shape = re.sub(r"'[^']*'", "?", shape)
    shape = re.sub(r"\b\d+\b", "N", shape)
    return shape[:160]


if __name__ == "__main__":
    main()
