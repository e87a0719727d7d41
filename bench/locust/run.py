"""The load test on the production stack: 50 users for 10 minutes (issue 18, item 4). Prints figures.

    .venv/bin/python -m pip install -e ".[load]"        # locust (or: make load)
    .venv/bin/python bench/locust/run.py [--reset] [--users 50] [--minutes 10] [--web-workers 3] [--api-workers 1]
        [--pacing S]   # a request every S seconds per user at most, instead of saturating (locustfile.py)
        [--server-times]   # gunicorn logs each page request's own time: printed per route, without the queue

1. bench/locust/prepare.py: PostgreSQL `loket_load` with 100,000 sent submissions, 35 clerks of 7
   municipalities, 10 supervisors, a vendor; a session per person (no login page: production has no development
   login).
2. Starts a page server for the vendor's decisions (loopback), gunicorn serving loket.wsgi for the pages (DEBUG off,
   sync workers, at nice 5: `--web-nice`), a second gunicorn of the same application for the vendor API's paths
   (`--api-workers 1`, at nice 0: `--api-nice`; docs/operations.md, "App servers") and ONE task worker (`manage.py
   worker`, its default task threads: LOKET_WORKER_THREADS, 3 on PostgreSQL), all with production settings.
3. locust headless (bench/locust/locustfile.py: 70 % clerks, 20 % supervisors, 10 % vendors) with CSV output in
   var/load/locust_*.csv; meanwhile the RSS and PSS of the Loket's processes and of the PostgreSQL backends of
   `loket_load` are sampled every 5 s.
4. 60 s after locust stops: the task queue (django-tasks rows not finished, vendor jobs not finished).
Goals: >= 100 requests/s, p95 < 300 ms for pages and < 100 ms for POST /melding, 0 errors, the queue empty 60 s
after the run, all processes together < 1 GB.
"""

import argparse
import csv
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from _stats import percentile  # noqa: E402  bench/_stats.py

OUT = ROOT / "var" / "load"
BINARIES = Path(sys.executable).parent
WEB_PORT = 18090
PAGE_PORT = 18091
API_PORT = 18092  # the vendor API's own pool (README, "App servers"); --api-workers 0: the pages' pool serves it too
# The database: `loket_load` on the machine's server, LOKET_LOAD_DB names another; DATABASE_URL wins over both (as in
# prepare.py), e.g. a throwaway cluster of one's own with pg_stat_statements loaded.
DATABASE_URL = os.environ.get("DATABASE_URL") or (
    f"postgres://postgres@127.0.0.1:5432/{os.environ.get('LOKET_LOAD_DB', 'loket_load')}"
)
DB = DATABASE_URL.rsplit("/", 1)[1]
PAGE = Path("/work/shared/reference/vendor-api-examples/meldingsplicht-annotaties/voorbeeld-budget.html")
if not PAGE.exists():
    PAGE = ROOT / "tests" / "vendors" / "pages" / "voorbeeld-budget.html"

# Serves the budget example at /p/<municipality index>/<key>: the decision http://load.example/besluiten/<key>,
# taken by that municipality's council.
PAGE_SERVER = """
import json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
TEMPLATE = open(sys.argv[1], encoding="utf-8").read()
COUNCILS = [m["council"] for m in json.load(open(sys.argv[2]))["municipalities"].values()]
ORIGINAL = "http://een.domein.van.mechelen.be/besluiten/b122fc60-dabe-4fd5-b939-1765fe0c6170-6"
BODY = "http://data.lblod.info/id/bestuursorganen/f7460afee3759df859b3e42f2b108909d2f657726f884427ee0fc915cac45388"
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args):
        pass
    def do_GET(self):
        _, _, index, key = self.path.split("/", 3)
        page = TEMPLATE.replace(ORIGINAL, "http://load.example/besluiten/" + key).replace(BODY, COUNCILS[int(index)])
        body = page.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[3])), Handler).serve_forever()
"""


def environment() -> dict[str, str]:
    return {
        "LOKET_TOEZICHT_FORM": "toezicht-v1.ttl",
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "SECRET_KEY": "load-test-" * 5,
        "DEBUG": "0",
        "LOKET_DEV": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOKET_ALLOW_PRIVATE_FETCH": "127.0.0.1/32",
        "LOKET_SIGNING_KEY_FILE": str(OUT / "ledger-ed25519.pem"),
        "LOKET_MEDIA_ROOT": str(OUT / "media"),
        "LOKET_VAR_DIR": str(OUT / "var"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "loket.settings",
    }


def psql(query: str) -> list[list[str]]:
    output = subprocess.run(
        ["psql", "-d", DATABASE_URL, "-tA", "-F", "|", "-c", query],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [line.split("|") for line in output.splitlines() if line]


def _memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB; PSS shares the shared pages among the processes that map them."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def _tree(pid: int) -> list[int]:
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            for child in (task / "children").read_text().split():
                found += _tree(int(child))
        except OSError:
            pass
    return found


def memory(roots: list[int]) -> dict[str, int]:
    loket = [pid for root in roots for pid in _tree(root)]
    backends = [int(row[0]) for row in psql(f"SELECT pid FROM pg_stat_activity WHERE datname = '{DB}'")]
    totals = {"loket_rss": 0, "loket_pss": 0, "postgres_rss": 0, "postgres_pss": 0}
    for pid in loket:
        rss, pss = _memory_kib(pid)
        totals["loket_rss"] += rss
        totals["loket_pss"] += pss
    for pid in backends:
        rss, pss = _memory_kib(pid)
        totals["postgres_rss"] += rss
        totals["postgres_pss"] += pss
    return totals


def _cpu_ticks(pid: int) -> int | None:
    """User + system CPU of one process so far, in clock ticks (None when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine so far, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


class CpuAccount:
    """CPU used during the run by each group of processes (web, task worker, PostgreSQL backends of the load
    database, locust), from /proc: what the load test costs per request no matter what else runs on the machine."""

    def __init__(self, groups: dict[str, Callable[[], list[int]]]) -> None:
        self.groups = groups
        self.first: dict[int, int] = {}
        self.last: dict[int, int] = {}
        self.group_of: dict[int, str] = {}
        self.machine_start = _machine_ticks()
        self.machine_end = self.machine_start
        self.started = False

    def sample(self) -> None:
        for name, pids in self.groups.items():
            for pid in pids():
                ticks = _cpu_ticks(pid)
                if ticks is None:
                    continue
                self.first.setdefault(pid, ticks if not self.started else 0)  # born during the run: counts whole
                self.last[pid] = ticks
                self.group_of[pid] = name
        self.started = True
        self.machine_end = _machine_ticks()

    def report(self, requests: int, seconds: float) -> None:
        hertz = os.sysconf("SC_CLK_TCK")
        used = {name: 0.0 for name in self.groups}
        for pid, ticks in self.last.items():
            used[self.group_of[pid]] += (ticks - self.first[pid]) / hertz
        busy = (self.machine_end[0] - self.machine_start[0]) / hertz
        total = sum(used.values())
        print(f"\nCPU during the run ({seconds:.0f} s, {requests:,} requests; CPU s, ms per request):")
        for name, value in used.items():
            print(f"  {name:28} {value:8.1f} s  {1000 * value / max(requests, 1):6.1f} ms")
        print(f"  {'all of the load test':28} {total:8.1f} s  {1000 * total / max(requests, 1):6.1f} ms")
        print(f"  {'the whole machine (busy)':28} {busy:8.1f} s  (others: {busy - total:.1f} s)")
        cores = os.cpu_count() or 1
        allowed = cores * requests / max(total, 1e-9)
        print(f"  {cores} cores for the load test alone would allow about {allowed:.0f} requests/s")


# The tables the run writes to. This machine's PostgreSQL runs with autovacuum off (`SHOW autovacuum`), unlike any
# production server: without it the task table's statistics say 35 rows when 12,000 wait and its dead rows pile up,
# and the worker's claim query took 5.3 ms instead of about 0.1 ms. The run does what autovacuum's defaults would:
# every 30 s it vacuums a table with more dead rows than 50 + 20 % of its rows (or more rows inserted since its last
# vacuum than 1,000 + 20 %) and analyzes one with more rows changed since its last analyze than 50 + 10 %. Before
# 6 December 2026 it ran VACUUM (ANALYZE) of all of them every 30 s: about 280 ms of PostgreSQL CPU a pass, nearly
# all the ANALYZE of the 100,000 submissions whatever had changed (bench/README.md, "Which statements PostgreSQL
# spends its CPU on").
VACUUMED = (
    "django_tasks_database_dbtaskresult", "vendors_job", "supervision_submission", "supervision_submissionfile",
    "core_ledgerentry", "core_auditevent", "opendata_feedentry", "django_session",
)  # fmt: skip
DUE = (
    "SELECT s.relname, n_dead_tup > 50 + 0.2 * r OR n_ins_since_vacuum > 1000 + 0.2 * r, "
    "n_mod_since_analyze > 50 + 0.1 * r "
    "FROM pg_stat_user_tables s JOIN (SELECT oid, greatest(reltuples, 0) AS r FROM pg_class) c ON c.oid = s.relid "
    "WHERE s.relname = ANY(%s)"
)


def autovacuum_like(stop: threading.Event, every: float = 30.0) -> None:
    """VACUUM and/or ANALYZE the written tables autovacuum's defaults would (above), every `every` seconds until
    `stop` is set, on one connection whose backend lives through the run (so its CPU is counted with PostgreSQL's)."""
    import psycopg

    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        while not stop.wait(every):
            for table, vacuum, analyze in connection.execute(DUE, [list(VACUUMED)]).fetchall():
                if vacuum or analyze:
                    command = "VACUUM (ANALYZE)" if vacuum and analyze else "VACUUM" if vacuum else "ANALYZE"
                    connection.execute(f"{command} {table}")  # type: ignore[arg-type]


def queue() -> dict[str, int]:
    # A task planned ahead (the daily retention run, the hourly LDES pruning, the store's next compaction) is not work
    # left over: it is counted apart as "scheduled", as the fault rig does (tests/faults/rig.py).
    counted = (
        "SELECT CASE WHEN status = 'READY' AND run_after < '9999-01-01' AND (run_after > now() + interval '5 minutes' "
        "OR (task_path = 'loket.opendata.tasks.compact_store' AND run_after > now())) "
        "THEN 'SCHEDULED' ELSE status END, count(*) FROM django_tasks_database_dbtaskresult GROUP BY 1"
    )
    tasks = {row[0]: int(row[1]) for row in psql(counted)}
    jobs = {row[0]: int(row[1]) for row in psql("SELECT status, count(*) FROM vendors_job GROUP BY 1")}
    return {**{f"task {k}": v for k, v in tasks.items()}, **{f"vendor job {k}": v for k, v in jobs.items()}}


def worker_threads() -> str:
    """The task threads the worker runs, as it logged them at start (manage.py worker)."""
    for line in (OUT / "worker.log").read_text(errors="replace").splitlines():
        if line.endswith("task thread(s)"):
            return line.split()[0]
    return "?"


def wait_for_port(port: int, timeout: float = 60) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port}")


def report(stats_file: Path, seconds: float) -> None:
    rows = list(csv.DictReader(stats_file.open(encoding="utf-8")))
    print(f"\n{'request':50} {'count':>7} {'fail':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7}  (ms)")
    for row in rows:
        print(
            f"{row['Name'][:50]:50} {row['Request Count']:>7} {row['Failure Count']:>5} "
            f"{float(row['Requests/s']):7.1f} {row['50%']:>6} {row['95%']:>6} {row['99%']:>6} "
            f"{float(row['Max Response Time']):7.0f}"
        )


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def server_times(access_log: Path) -> None:
    """The pages' own time per route (--server-times), from gunicorn's access log: what a request spent inside a
    gunicorn worker, against locust's figures that add the wait in the listen queue and, for a POST, its redirect."""
    times: dict[str, list[float]] = {}
    for line in access_log.read_text(encoding="utf-8", errors="replace").splitlines():
        method, path, _, took = line.split(" ", 3)
        route = UUID.sub("{id}", path.split("?", 1)[0])
        times.setdefault(f"{method} {route}", []).append(float(took) / 1000)  # gunicorn's %(D)s: microseconds
    print(f"\n{'inside gunicorn: route':50} {'count':>7} {'p50':>6} {'p95':>6} {'p99':>6}  (ms)")
    for route, values in sorted(times.items(), key=lambda item: -len(item[1])):
        p50, p95, p99 = (percentile(values, fraction) for fraction in (0.5, 0.95, 0.99))
        print(f"{route[:50]:50} {len(values):>7} {p50:6.0f} {p95:6.0f} {p99:6.0f}")


def _aggregated_requests(stats_file: Path) -> int:
    rows = list(csv.DictReader(stats_file.open(encoding="utf-8")))
    return sum(int(row["Request Count"]) for row in rows if row["Name"] != "Aggregated")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reset", action="store_true", help="drop loket_load and generate its data anew")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument(
        "--api-workers",
        type=int,
        default=1,
        help="gunicorn sync workers of the vendor API's own pool (the proxy's path routing); 0: no own pool",
    )
    parser.add_argument(
        "--api-nice",
        type=int,
        default=0,
        help="CPU priority of the vendor API's pool: the worker's by default (README, Operating it)",
    )
    parser.add_argument(
        "--pacing",
        type=float,
        default=0,
        help="seconds between the starts of a user's requests (locustfile.py: at most users / S requests/s offered);"
        " 0: the saturating model, a task's requests back to back and 0.5-1.5 s between tasks",
    )
    parser.add_argument("--settle", type=int, default=60, help="seconds after the run before the queue is read")
    parser.add_argument(
        "--web-nice",
        type=int,
        default=5,
        help="CPU priority of the web processes below the worker's (README, Operating it: Nice=5); 0: the same",
    )
    parser.add_argument(
        "--server-times",
        action="store_true",
        help="gunicorn logs each page request's own time; printed per route next to locust's figures",
    )
    parser.add_argument(
        "--no-vacuum", action="store_true", help="no autovacuum-like VACUUM/ANALYZE (autovacuum is off on this machine)"
    )
    arguments = parser.parse_args()
    env = environment()
    OUT.mkdir(parents=True, exist_ok=True)
    prepare = [sys.executable, str(ROOT / "bench" / "locust" / "prepare.py")] + (["--reset"] if arguments.reset else [])
    subprocess.run(prepare, env={**env, "LOKET_TESTING": "1"}, check=True)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    logs = {name: (OUT / f"{name}.log").open("wb") for name in ("pages", "gunicorn", "worker")}
    access_log = OUT / "access.log"
    access_log.unlink(missing_ok=True)
    web_options = (
        ["--access-logfile", str(access_log), "--access-logformat", "%(m)s %(U)s %(s)s %(D)s"]
        if arguments.server_times
        else []
    )
    processes = {
        "pages": subprocess.Popen(
            [sys.executable, "-c", PAGE_SERVER, str(PAGE), str(OUT / "people.json"), str(PAGE_PORT)],
            stdout=logs["pages"], stderr=subprocess.STDOUT,
        ),
        "gunicorn": subprocess.Popen(
            [str(BINARIES / "gunicorn"), "loket.wsgi:application", "-b", f"127.0.0.1:{WEB_PORT}",
             "-w", str(arguments.web_workers), "--keep-alive", "30", "--log-level", "warning", *web_options],
            cwd=ROOT, env=env, stdout=logs["gunicorn"], stderr=subprocess.STDOUT,
            preexec_fn=lambda: os.nice(arguments.web_nice),  # before any thread of ours starts
        ),
        "worker": subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--interval", "0.5"],
            cwd=ROOT, env=env, stdout=logs["worker"], stderr=subprocess.STDOUT,
        ),
    }  # fmt: skip
    api = f"http://127.0.0.1:{WEB_PORT}"
    if arguments.api_workers:
        # The vendor API's pool: the same application as the pages' pool, its own CPU priority (--api-nice). In
        # production the proxy sends the vendor paths to it; here the vendors' locust users address it directly.
        logs["api"] = (OUT / "api.log").open("wb")
        processes["api"] = subprocess.Popen(
            [str(BINARIES / "gunicorn"), "loket.wsgi:application", "-b", f"127.0.0.1:{API_PORT}",
             "-w", str(arguments.api_workers), "--keep-alive", "30", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=logs["api"], stderr=subprocess.STDOUT,
            preexec_fn=lambda: os.nice(arguments.api_nice),
        )  # fmt: skip
        api = f"http://127.0.0.1:{API_PORT}"
    web_roots = [processes[name].pid for name in ("gunicorn", "api") if name in processes]
    samples: list[dict[str, int]] = []
    try:
        wait_for_port(PAGE_PORT)
        wait_for_port(WEB_PORT)
        if arguments.api_workers:
            wait_for_port(API_PORT)
        print(f"web: {arguments.web_workers} worker(s) for the pages, "
              f"{arguments.api_workers or 'no'} of the vendor API's own", flush=True)  # fmt: skip
        load = os.getloadavg()
        print(f"load average before the run: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}", flush=True)
        command = [
            str(BINARIES / "locust"), "-f", str(ROOT / "bench" / "locust" / "locustfile.py"), "--headless",
            "-u", str(arguments.users), "-r", "10", "-t", f"{int(arguments.minutes * 60)}s",
            "--host", f"http://127.0.0.1:{WEB_PORT}", "--csv", str(OUT / "locust"), "--only-summary",
            "--stop-timeout", "30",
        ]  # fmt: skip
        print("$ " + " ".join(command), flush=True)
        started = time.monotonic()
        addresses = {"LOKET_LOAD_PAGES": f"http://127.0.0.1:{PAGE_PORT}", "LOKET_LOAD_API": api}
        if arguments.pacing:
            addresses["LOKET_LOAD_PACING"] = str(arguments.pacing)
            print(f"paced: a request every {arguments.pacing} s per user, at most "
                  f"{arguments.users / arguments.pacing:.0f} requests/s offered", flush=True)  # fmt: skip
        locust = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **addresses})
        roots = [*web_roots, processes["worker"].pid]
        backends = f"SELECT pid FROM pg_stat_activity WHERE datname = '{DB}'"
        cpu = CpuAccount(
            {
                "web (gunicorn)": lambda: [pid for root in web_roots for pid in _tree(root)],
                "task worker": lambda: _tree(processes["worker"].pid),
                f"PostgreSQL ({DB})": lambda: [int(row[0]) for row in psql(backends)],
                "locust": lambda: _tree(locust.pid),
                "vendor page server": lambda: [processes["pages"].pid],
            }
        )
        cpu.sample()
        vacuum_stop = threading.Event()
        if not arguments.no_vacuum:
            threading.Thread(target=autovacuum_like, args=(vacuum_stop,), daemon=True).start()
        while locust.poll() is None:
            samples.append(memory(roots))
            cpu.sample()
            time.sleep(5)
        cpu.sample()  # the servers' share up to the end (locust is gone by now)
        seconds = time.monotonic() - started
        report(OUT / "locust_stats.csv", seconds)
        cpu.report(_aggregated_requests(OUT / "locust_stats.csv"), seconds)
        if arguments.server_times:
            server_times(access_log)
        print(f"\ntask worker: one process, {worker_threads()} task thread(s)")
        print(f"queue when locust stopped: {queue()}", flush=True)
        time.sleep(arguments.settle)
        vacuum_stop.set()
        print(f"queue {arguments.settle} s later: {queue()}")
        peak = {key: max(sample[key] for sample in samples) for key in samples[0]}
        together = max(s["loket_rss"] + s["postgres_rss"] for s in samples)
        together_pss = max(s["loket_pss"] + s["postgres_pss"] for s in samples)
        print(
            f"memory peak: Loket processes RSS {peak['loket_rss'] / 1024:.0f} MiB (PSS {peak['loket_pss'] / 1024:.0f}),"
            f" PostgreSQL backends of {DB} RSS {peak['postgres_rss'] / 1024:.0f} MiB (PSS "
            f"{peak['postgres_pss'] / 1024:.0f}); together RSS {together / 1024:.0f} MiB, PSS {together_pss / 1024:.0f}"
        )
        load = os.getloadavg()
        print(f"load average after the run: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:  # the worker ends its running task first (a dump can take longer)
                process.kill()
                process.wait()


if __name__ == "__main__":
    main()
