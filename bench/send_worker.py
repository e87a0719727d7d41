"""The task worker's cost per clerk's send, in-process on PostgreSQL. Prints numbers; not a test.

    LOKET_LOAD_DB=loket_perf .venv/bin/python bench/send_worker.py [--sends 60] [--repeat 3]

On the load test's database (bench/locust/prepare.py fills it; LOKET_LOAD_DB, default `loket_perf`), the load test's
clerks send `--sends` Toezicht submissions through the services (made, saved with the load test's fields and link,
sent: not measured), and then django-tasks-db's own worker loop (`db_worker --batch`, in this process) runs what the
sends queued until the queue is empty: the delivery (the second ledger entry, the worship dispatch), the copy of the
link, their claims. Printed per send: process CPU ms (claims included), SQL statements, task claims. The open-data
tasks the deliveries schedule (one sync and one dump for many changes) are taken off the queue first: they are
measured by bench/sync_cpu.py and bench/dump_cpu.py. `--repeat` measures that many batches (the median is printed).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench" / "locust"), str(ROOT / "src")]
os.environ.setdefault("LOKET_LOAD_DB", "loket_perf")

import run  # noqa: E402  bench/locust/run.py: the load test's environment

BESLUITENLIJST = "https://data.vlaanderen.be/id/concept/BesluitDocumentType/3fa67785-ffdc-4b30-8880-2b99d97b4dee"
FIELDS = "http://data.lblod.info/loket/fields/toezicht/"
OPEN_DATA = "loket.opendata.tasks."


def send(count: int, people: dict) -> None:  # type: ignore[type-arg]
    """`count` sends as the load test's clerks make them (bench/locust/locustfile.py), through the services."""
    import random

    from loket.accounts.models import User
    from loket.forms.names import field_name
    from loket.organisations.models import Organisation
    from loket.supervision.models import DocumentType
    from loket.supervision.services import submission_create, submission_form_node, submission_send, submission_update

    document_type = DocumentType.objects.get(uri=BESLUITENLIJST)
    clerks = [
        (User.objects.get(username=f"load-clerk-{organisation.pk}-0"), organisation, municipality["council"])
        for uri, municipality in people["municipalities"].items()
        for organisation in [Organisation.objects.get(uri=uri)]
    ]
    for number in range(count):
        clerk, organisation, council = clerks[number % len(clerks)]
        concept = submission_create(organisation=organisation, document_type=document_type, actor=clerk)
        node = str(submission_form_node(concept))
        data = {
            field_name(f"{FIELDS}documentType", node): BESLUITENLIJST,
            field_name(f"{FIELDS}governingBody", node): council,
            field_name(f"{FIELDS}sessionDate", node): f"2026-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}",
            field_name(f"{FIELDS}links", node): f"https://publicatie.example.org/besluitenlijst-{concept.uuid}.html",
        }
        outcome = submission_update(submission=concept, actor=clerk, data=data)
        if not outcome.valid:
            raise SystemExit(f"the concept did not validate: {outcome.errors}")
        submission_send(submission=concept, actor=clerk)


def run_queue() -> tuple[float, int, int]:
    """CPU seconds, statements and claims of db_worker's loop until the queue is empty, without the open-data tasks
    the deliveries schedule while it runs (their claims' few statements stay in)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tasks_db.management.commands.db_worker import Worker

    claims = [0]
    apart = [0.0, 0]

    class Counting(Worker):
        def run_task(self, db_task_result):  # type: ignore[no-untyped-def]
            if not db_task_result.task_path.startswith(OPEN_DATA):
                claims[0] += 1
                return super().run_task(db_task_result)
            cpu, count = time.process_time(), len(queries)
            super().run_task(db_task_result)
            apart[0] += time.process_time() - cpu
            apart[1] += len(queries) - count

    worker = Counting(
        queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="bench-send-worker", excluded_queue_names=[],
    )  # fmt: skip
    with CaptureQueriesContext(connection) as captured:
        queries = captured.connection.queries_log
        cpu = time.process_time()
        worker.run()
        cpu = time.process_time() - cpu
    return cpu - apart[0], len(captured) - int(apart[1]), claims[0]


def main() -> None:
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sends", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    if arguments.sends > 400:
        parser.error("at most 400 sends: django keeps the last 9,000 statements only")
    os.environ.update(run.environment())
    people_file = run.OUT / "people.json"
    if not people_file.exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "locust" / "prepare.py")], check=True)
    people = json.loads(people_file.read_text(encoding="utf-8"))
    import django

    django.setup()
    from django_tasks_db.models import DBTaskResult

    def clear() -> None:  # what earlier runs left, and the open-data tasks (measured elsewhere)
        DBTaskResult.objects.ready().delete()

    clear()
    send(5, people)  # warm-up: the form definition, code lists and imports, once per process
    clear()
    run_queue()
    results = []
    for _ in range(arguments.repeat):
        send(arguments.sends, people)
        DBTaskResult.objects.ready().filter(task_path__startswith=OPEN_DATA).delete()
        cpu, statements, claims = run_queue()
        results.append((cpu * 1000 / arguments.sends, statements / arguments.sends, claims / arguments.sends))
        print(f"  {results[-1][0]:.1f} ms CPU, {results[-1][1]:.1f} statements, {results[-1][2]:.2f} claims per send")
    load = os.getloadavg()[0]
    cpu, statements, claims = (statistics.median(result[column] for result in results) for column in range(3))
    print(
        f"worker per send ({arguments.sends} sends x {arguments.repeat}, median, load {load:.1f}): "
        f"{cpu:.1f} ms CPU (claims included), {statements:.1f} statements, {claims:.2f} claims"
    )


if __name__ == "__main__":
    main()
