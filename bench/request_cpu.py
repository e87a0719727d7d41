"""CPU time per request of the load test, in-process (issue 18 item 4; see bench/README.md "Load test").

    .venv/bin/python bench/request_cpu.py [--runs 30] [--profile "clerk: list"] [--top 40] [--no-worker]

Wall-clock times on a shared 2-core machine say more about the neighbours than about the code; the CPU time this
process spends on a request (time.process_time, median of --runs) does not. Every request of
bench/locust/locustfile.py is made the way locust makes it (the same URLs, form fields, CSRF cookie and header,
redirects followed) through Django's request handler with the load test's production settings (DEBUG off, no
development login, whitenoise's manifest storage), on PostgreSQL `loket_perf` (LOKET_LOAD_DB wins) prepared by
bench/locust/prepare.py (100,000 sent submissions; once, about 30 s). Then the tasks those requests enqueued are run
one by one as `manage.py worker` runs them (the vendor jobs fetch their page from run.py's page server, started here
on its port), with the CPU time per task. `--profile NAME` runs cProfile around every run of that request (or task
path) and prints where the time went. 20 ms of CPU per request on average is what 100 requests/s on 2 cores allows.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench" / "locust"), str(ROOT / "src")]
os.environ.setdefault("LOKET_LOAD_DB", "loket_perf")

import run  # noqa: E402  bench/locust/run.py: the load test's environment and page server

PROVINCES = ["Antwerpen", "Limburg", "Oost-Vlaanderen", "Vlaams-Brabant", "West-Vlaanderen"]
BESLUITENLIJST = "https://data.vlaanderen.be/id/concept/BesluitDocumentType/3fa67785-ffdc-4b30-8880-2b99d97b4dee"
SUBMITTABLE = "http://lblod.data.gift/concepts/f6330856-e261-430f-b949-8e510d20d0ff"
FIELDS = "http://data.lblod.info/loket/fields/toezicht/"


class Measure:
    """CPU milliseconds and query counts per request name; cProfile around the one named by --profile."""

    def __init__(self, profile: str | None) -> None:
        self.cpu: dict[str, list[float]] = defaultdict(list)
        self.queries: dict[str, list[int]] = defaultdict(list)
        self.database: dict[str, list[float]] = defaultdict(list)
        self.profile_name = profile
        self.profiler = cProfile.Profile(time.process_time)  # CPU, not waiting for PostgreSQL
        self.recording = True
        self.show_queries: str | None = None

    def __call__(self, name: str, call: Callable[[], Any]) -> Any:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        # Without --profile nothing is profiled: `None in (name, None)` once profiled every task (about 4x its CPU).
        every = "requests" if not name.startswith("task ") else None
        profiled = self.profile_name is not None and self.profile_name in (name, every) and self.recording
        with CaptureQueriesContext(connection) as captured:
            if profiled:
                self.profiler.enable()
            server = _backend_cpu()
            start = time.process_time()
            result = call()
            spent = time.process_time() - start
            server = _backend_cpu() - server
            if profiled:
                self.profiler.disable()
        if self.recording:
            self.cpu[name].append(spent * 1000)
            self.queries[name].append(len(captured))
            self.database[name].append(server * 1000)
            if name == self.show_queries and len(self.cpu[name]) == 1:
                print(f"queries of {name!r}:")
                for query in captured.captured_queries:
                    print("  " + query["sql"])
        return result


def _backend_cpu() -> float:
    """CPU seconds (user + system) the PostgreSQL backend of this connection has used: /proc counts in ticks, so
    one request's share is only right on average (the table prints the mean)."""
    from django.db import connection

    connection.ensure_connection()
    fields = Path(f"/proc/{connection.connection.info.backend_pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def ok(response: Any, name: str) -> Any:
    if response.status_code >= 400:
        raise SystemExit(f"{name}: HTTP {response.status_code}\n{response.content[:2000]!r}")
    return response


class Flows:
    """The load test's three kinds of user (bench/locust/locustfile.py), one round each."""

    def __init__(self, people: dict[str, Any], measure: Measure) -> None:

        self.people = people
        self.measure = measure
        self.clerks = [self._client(person["session"]) for person in people["clerks"]]
        self.councils = [people["municipalities"][person["organisation"]]["council"] for person in people["clerks"]]
        self.supervisors = [self._client(person["session"]) for person in people["supervisors"]]
        self.vendor_client = self._client(None)
        self.round = 0

    def _client(self, session: str | None) -> Any:
        from django.conf import settings
        from django.test import Client

        client = Client(enforce_csrf_checks=True, SERVER_NAME="127.0.0.1", HTTP_X_CSRFTOKEN=self.people["csrf"])
        # One request handler for all, as a gunicorn worker has: each handler builds its middleware on its first
        # request (whitenoise then reads every static file's headers, over 100 ms), once per process in production.
        if hasattr(self, "handler"):
            client.handler = self.handler
        self.handler = client.handler
        client.cookies[settings.CSRF_COOKIE_NAME] = self.people["csrf"]  # `__Host-` names with DEBUG off
        if session:
            client.cookies[settings.SESSION_COOKIE_NAME] = session
        return client

    def clerk(self) -> None:
        import random
        import re

        from loket.forms.names import field_name

        index = self.round % len(self.clerks)
        client, council = self.clerks[index], self.councils[index]
        listing = ok(self.measure("clerk: list", lambda: client.get("/toezicht/")), "clerk: list")
        found = re.findall(r'href="/toezicht/([0-9a-f-]{36})/"', listing.content.decode())
        if found:
            path = f"/toezicht/{random.choice(found)}/"
            ok(self.measure("clerk: open", lambda: client.get(path)), "clerk: open")
        created = ok(
            self.measure(
                "clerk: new concept",
                lambda: client.post("/toezicht/nieuw/", {"document_type": BESLUITENLIJST}, follow=True),
            ),
            "clerk: new concept",
        )
        key = created.redirect_chain[-1][0].rstrip("/").rsplit("/", 1)[-1]
        node = f"{self.people['uri_base']}/form-data/{key}"
        data = {
            field_name(f"{FIELDS}documentType", node): BESLUITENLIJST,
            field_name(f"{FIELDS}governingBody", node): council,
            field_name(f"{FIELDS}sessionDate", node): f"2026-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}",
            field_name(f"{FIELDS}links", node): f"https://publicatie.example.org/besluitenlijst-{key}.html",
        }
        ok(self.measure("clerk: save", lambda: client.post(f"/toezicht/{key}/", data, follow=True)), "clerk: save")
        page = f"/toezicht/{key}/versturen/"
        confirmation = ok(self.measure("clerk: confirmation page", lambda: client.get(page)), "confirmation")
        fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', confirmation.content.decode())
        if not fingerprint:
            raise SystemExit(f"no fingerprint on {page}: the concept did not validate")
        sent = {"fingerprint": fingerprint.group(1)}
        ok(self.measure("clerk: send", lambda: client.post(page, sent, follow=True)), "clerk: send")

    def supervisor(self) -> None:
        import random
        import re

        client = self.supervisors[self.round % len(self.supervisors)]
        province = PROVINCES[self.round % len(PROVINCES)]
        path = f"/toezichthouder/inzendingen/?provincie={province}&behandeld=no"
        inbox = ok(self.measure("supervisor: inbox filtered", lambda: client.get(path)), "inbox")
        found = re.findall(r'href="/toezichthouder/inzendingen/([0-9a-f-]{36})/"', inbox.content.decode())
        detail = f"/toezichthouder/inzendingen/{random.choice(found)}/"
        ok(self.measure("supervisor: open", lambda: client.get(detail)), "supervisor: open")
        note = {"note": "In orde (request_cpu)"}
        ok(self.measure("supervisor: mark handled", lambda: client.post(detail, note, follow=True)), "handled")
        export = f"/toezichthouder/inzendingen/export.csv?provincie={province}&verstuurd_van=2026-08-01"

        def csv() -> Any:
            response = client.get(export)
            response.csv = b"".join(response.streaming_content)  # the rows are made while streaming
            return response

        ok(self.measure("supervisor: CSV", csv), "CSV")

    def vendor(self) -> None:
        municipalities = list(self.people["municipalities"])
        index = self.round % len(municipalities)
        key = uuid.uuid4().hex
        publisher = {"uri": self.people["vendor"]["uri"], "key": self.people["vendor"]["key"]}
        body = {
            "href": f"http://127.0.0.1:{run.PAGE_PORT}/p/{index}/{key}",
            "organization": municipalities[index],
            "publisher": publisher,
            "submittedResource": f"http://load.example/besluiten/{key}",
            "status": SUBMITTABLE,
        }
        json_type = "application/json"
        answer = ok(
            self.measure(
                "vendor: POST /melding", lambda: self.vendor_client.post("/melding", body, content_type=json_type)
            ),
            "melding",
        )
        status = {
            "submission": answer.json()["submission"],
            "organization": municipalities[index],
            "publisher": publisher,
        }
        ok(
            self.measure(
                "vendor: POST /status", lambda: self.vendor_client.post("/status", status, content_type=json_type)
            ),
            "status",
        )


CLAIM = "task (its claim)"


def run_tasks(measure: Measure) -> None:
    """Run every ready task as db_worker does, one at a time, measuring each by its task path, and its claim apart
    (db_worker's own: the first ready task locked with SKIP LOCKED in a transaction, marked running)."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    worker = Worker(
        queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="request_cpu", excluded_queue_names=[],
    )  # fmt: skip

    def claim() -> Any:
        tasks = DBTaskResult.objects.ready().filter(backend_name="default", queue_name__in=["default"])
        with exclusive_transaction(tasks.db):
            task = tasks.get_locked()
            if task is not None:
                task.claim(worker.worker_id)
        return task

    while True:
        task = measure(CLAIM, claim)
        if task is None:
            return
        measure("task " + task.task_path.rsplit(".", 1)[-1], lambda task=task: worker.run_task(task))


def table(measure: Measure, names: list[str], title: str) -> None:
    print(f"\n{title:44} {'runs':>5} {'CPU ms p50':>10} {'p90':>7} {'queries':>8} {'PostgreSQL CPU ms (mean)':>25}")
    for name in names:
        samples = sorted(measure.cpu[name])
        p90 = samples[min(len(samples) - 1, int(len(samples) * 0.9))]
        queries = statistics.median(measure.queries[name])
        database = statistics.mean(measure.database[name])
        print(
            f"{name:44} {len(samples):5d} {statistics.median(samples):10.1f} {p90:7.1f} {queries:8.0f} {database:25.1f}"
        )


def setup() -> dict[str, Any]:
    import json

    os.environ.update(run.environment())
    prepare = [sys.executable, str(ROOT / "bench" / "locust" / "prepare.py")]
    subprocess.run(prepare, env={**os.environ, "LOKET_TESTING": "1"}, check=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL
    )
    import django

    django.setup()
    return json.loads((run.OUT / "people.json").read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="rounds of each user (the median is printed)")
    parser.add_argument("--warmup", type=int, default=3, help="rounds first made and not counted")
    parser.add_argument(
        "--profile",
        help='a request ("clerk: list"), all requests ("requests") or a task ("task deliver_submission")',
    )
    parser.add_argument("--queries", help="print the SQL of one run of this request")
    parser.add_argument("--top", type=int, default=45, help="lines of the profile")
    parser.add_argument("--dump", help="also write the profile to this file (pstats; e.g. for print_callees)")
    parser.add_argument("--no-worker", action="store_true", help="leave the enqueued tasks (no page server)")
    arguments = parser.parse_args()
    people = setup()
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.ready().delete()  # what an earlier run left: not ours to measure
    measure = Measure(arguments.profile)
    measure.show_queries = arguments.queries
    flows = Flows(people, measure)
    for number in range(arguments.warmup + arguments.runs):
        measure.recording = number >= arguments.warmup
        flows.round = number
        flows.clerk()
        flows.supervisor()
        flows.vendor()
    load = os.getloadavg()
    table(measure, list(measure.cpu), f"request (load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f})")
    every = [sample for samples in measure.cpu.values() for sample in samples]
    # Per unit of time the load test makes each clerk request 7 times (weight 7, one round of 6 requests per wait),
    # each of the supervisor's inbox/open/handled 2 × 4/5 times, the CSV 2 × 1/5 times, each vendor request once.
    weights = {name: 7.0 if name.startswith("clerk") else 1.6 for name in measure.cpu}
    weights.update({name: 1.0 for name in measure.cpu if name.startswith("vendor")})
    weights["supervisor: CSV"] = 0.4
    mixed = sum(statistics.median(measure.cpu[name]) * weight for name, weight in weights.items()) / sum(
        weights.values()
    )
    print(
        f"\nall requests: median {statistics.median(every):.1f} ms CPU; weighted by the load test's mix {mixed:.1f} ms"
    )
    if not arguments.no_worker:
        pages = subprocess.Popen(
            [sys.executable, "-c", run.PAGE_SERVER, str(run.PAGE), str(run.OUT / "people.json"), str(run.PAGE_PORT)]
        )
        try:
            run.wait_for_port(run.PAGE_PORT)
            enqueued = DBTaskResult.objects.ready().count()
            start = time.perf_counter()
            before = set(measure.cpu)
            run_tasks(measure)
            print(f"\n{enqueued} tasks enqueued by {arguments.warmup + arguments.runs} rounds, run in "
                  f"{time.perf_counter() - start:.1f} s")  # fmt: skip
            table(measure, [name for name in measure.cpu if name not in before], "task")
            # Per round of the three users: the worker's CPU for what the rounds enqueued, claims included, without
            # the open-data tasks (one sync and one dump for many changes, whenever they come due).
            own = [name for name in measure.cpu if name.startswith("task ") and name not in before]
            shared = ("task sync_store", "task regenerate_dump", "task compact_store", "task prune_versions")
            spent = sum(sum(measure.cpu[name]) for name in own if name not in shared)
            statements = sum(sum(measure.queries[name]) for name in own if name not in shared)
            rounds = arguments.warmup + arguments.runs  # the warm-up rounds' tasks run here too
            claims = len(measure.cpu[CLAIM]) - 1  # the last one found the queue empty
            print(f"\nworker per round (claims included, open-data tasks apart): {spent / rounds:.1f} ms CPU, "
                  f"{statements / rounds:.1f} queries, {claims / rounds:.2f} claims")  # fmt: skip
        finally:
            pages.terminate()
            pages.wait()
    if arguments.profile:
        print(f"\ncProfile of {arguments.profile!r}, {len(measure.cpu[arguments.profile])} runs:")
        stats = pstats.Stats(measure.profiler)
        if arguments.dump:
            stats.dump_stats(arguments.dump)
        stats.sort_stats("cumulative").print_stats(arguments.top)
        stats.sort_stats("tottime").print_stats(25)
        areas(stats)


def areas(stats: pstats.Stats) -> None:
    """Own time (tottime) summed by where the code lives: which library or which of our modules."""
    spent: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        if "site-packages/" in filename:
            parts = filename.split("site-packages/", 1)[1].split("/")
            area = "/".join(parts[:3] if parts[0] == "django" else parts[:1])
        elif "/src/loket/" in filename:
            area = "loket/" + "/".join(filename.split("/src/loket/", 1)[1].split("/")[:1])
        else:
            area = "python: " + Path(filename).name if filename.startswith("/") else filename
        spent[area] += tottime
    total = sum(spent.values())
    print(f"own time by area ({total * 1000:.0f} ms profiled, CPU):")
    for area, seconds in sorted(spent.items(), key=lambda item: -item[1])[:30]:
        print(f"  {area:50} {seconds * 1000:8.1f} ms {seconds / total:6.1%}")


if __name__ == "__main__":
    main()
