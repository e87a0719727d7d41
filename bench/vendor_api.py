"""Benchmark of the vendor API on PostgreSQL with the production server. Prints numbers; not a test.

    .venv/bin/python bench/vendor_api.py [--seconds 15] [--clients 16] [--server sync|gthread|granian]
        [--workers 3] [--threads 4] [--app loket.wsgi:application] [--load wrk|python] [--job-workers 2]

1. Creates the database `loket_bench` (127.0.0.1:5432, user postgres), migrates, creates an organisation, a vendor
   and the code lists.
2. Serves the example RDFa page from a local HTTP server (loopback, allowed through LOKET_ALLOW_PRIVATE_FETCH).
3. Starts the server (gunicorn with gthread or sync workers, or granian) and sends POST /melding, each with a new
   decision, from `--clients` keep-alive connections for `--seconds`: accepted requests per second and latency
   percentiles (no task worker running meanwhile). The load comes from `wrk` with a Lua script when it is installed
   (`apt-get install wrk`; one C thread, a few % of a core) or else from Python threads (much heavier: they take
   CPU from the server on a small machine). The CPU each part used is printed: the machine is shared.
4. Starts `--job-workers` task workers (manage.py db_worker) and measures how fast the backlog of jobs runs to its
   end state (download → import → validate → send) and until every sent submission is delivered: jobs per second
   end to end.
"""

import argparse
import http.client
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PAGE = Path("/work/shared/reference/vendor-api-examples/meldingsplicht-annotaties/voorbeeld-budget.html")
DB = os.environ.get("LOKET_BENCH_DB", "loket_bench")  # each helper its own, on a shared machine
KEY = "bench-key-0123456789"
ORG = "http://data.lblod.info/id/bestuurseenheden/bench-0001"
VENDOR = "http://data.lblod.info/vendors/bench"
BODY_F7460 = (
    "http://data.lblod.info/id/bestuursorganen/f7460afee3759df859b3e42f2b108909d2f657726f884427ee0fc915cac45388"
)


def signing_key(directory: Path) -> Path:
    """A throwaway Ed25519 key for the ledger: with DEBUG off the Loket never generates one itself."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = directory / "bench-ledger-ed25519.pem"
    if not path.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        path.write_bytes(pem)
    return path


def environment(media: str) -> dict[str, str]:
    return {
        # The example page carries what form v1 asks; with the newest form its decisions would stay concepts.
        "LOKET_TOEZICHT_FORM": "toezicht-v1.ttl",
        **os.environ,
        "LOKET_SIGNING_KEY_FILE": str(signing_key(Path(media))),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
        "SECRET_KEY": "bench-" * 8,
        "DEBUG": "0",
        "LOKET_DEV": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOKET_ALLOW_PRIVATE_FETCH": "127.0.0.1/32",
        "LOKET_VENDOR_THROTTLE": "100000000",
        "LOKET_MEDIA_ROOT": media,
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(REPO / "src"),
        "DJANGO_SETTINGS_MODULE": "loket.settings",
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, str(REPO / "manage.py"), *args], env=env, check=True, stdout=subprocess.DEVNULL)


def setup(env: dict[str, str]) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {DB}"], check=True
    )
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"CREATE DATABASE {DB}"], check=True)
    manage(env, "migrate", "--noinput")
    script = f"""
import django; django.setup()
from loket.organisations.models import Organisation, OrganisationKind
from loket.supervision.codelists import document_types_load
from loket.supervision.models import GoverningBody
from loket.vendors.services import vendor_create
document_types_load()
kind = OrganisationKind.objects.get_or_create(
    uri="http://data.vlaanderen.be/id/concept/BestuurseenheidClassificatieCode/5ab0e9b8a3b2ca7c5e000001",
    defaults={{"label": "Gemeente", "category": "municipality"}})[0]
org = Organisation.objects.create(uri={ORG!r}, uuid="bench-0001", name="Benchstad", kind=kind, status="Actief")
GoverningBody.objects.create(organisation=org, uri={BODY_F7460!r}, label="Gemeenteraad",
    classification_uri="http://data.vlaanderen.be/id/concept/BestuursorgaanClassificatieCode/5ab0e9b8a3b2ca7c5e000005")
vendor_create(uri={VENDOR!r}, name="Bench", organisations=[org], key={KEY!r})
"""
    subprocess.run([PYTHON, "-c", script], env=env, check=True)


# Serves the budget example at /p/<id>, with the decision's URI http://bench.example/besluiten/<id>.
PAGE_SERVER = """
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
TEMPLATE = open(sys.argv[1], encoding="utf-8").read()
ORIGINAL = "http://een.domein.van.mechelen.be/besluiten/b122fc60-dabe-4fd5-b939-1765fe0c6170-6"
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args):
        pass
    def do_GET(self):
        key = self.path.rsplit("/", 1)[-1]
        body = TEMPLATE.replace(ORIGINAL, "http://bench.example/besluiten/" + key).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", 18081), Handler).serve_forever()
"""


def wait_for_port(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


def melding_body(page_url: str, key: str) -> str:
    return json.dumps(
        {
            "href": f"{page_url}/{key}",
            "organization": ORG,
            "publisher": {"uri": VENDOR, "key": KEY},
            "submittedResource": f"http://bench.example/besluiten/{key}",
            "status": "http://lblod.data.gift/concepts/f6330856-e261-430f-b949-8e510d20d0ff",
        }
    )


@dataclass
class LoadResult:
    accepted: int
    errors: int
    p50: float  # seconds
    p95: float
    p99: float
    max: float
    client_cpu: float  # CPU seconds the load generator used


def load(port: int, page_url: str, seconds: float, clients: int, phase: str = "run") -> LoadResult:
    """Python threads with http.client keep-alive connections (fallback when wrk is not installed)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    counter = iter(range(10**9))
    cpu_before = time.process_time()

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        failed = 0
        while time.monotonic() < stop:
            body = melding_body(page_url, f"{phase}-{number}-{next(counter)}")
            started = time.perf_counter()
            try:
                connection.request("POST", "/melding", body=body, headers={"Content-Type": "application/json"})
                response = connection.getresponse()
                response.read()
                if response.status == 201:
                    mine.append(time.perf_counter() - started)
                else:
                    failed += 1
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    count = len(latencies)
    return LoadResult(
        accepted=count,
        errors=errors[0],
        p50=statistics.median(latencies),
        p95=latencies[int(count * 0.95)],
        p99=latencies[int(count * 0.99)],
        max=latencies[-1],
        client_cpu=time.process_time() - cpu_before,
    )


# Each wrk thread POSTs a new decision every time; done() prints the numbers as JSON on the last line.
WRK_SCRIPT = """
local counter = 0
local threads = {}
local template = [[%s]]
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  phase = args[1]
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  non201 = 0
end
function request()
  counter = counter + 1
  local key = phase .. "-" .. id .. "-" .. counter
  return wrk.format(nil, "/melding", nil, (template:gsub("KEY", key)))
end
function response(status, headers, body)
  if status ~= 201 then non201 = non201 + 1 end
end
function done(summary, latency, requests)
  local refused = 0
  for _, thread in ipairs(threads) do refused = refused + thread:get("non201") end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('{"requests": %%d, "refused": %%d, "errors": %%d, "p50": %%d, "p95": %%d, "p99": %%d, ' ..
    '"max": %%d}\\n', summary.requests, refused, errors, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max))
end
"""


def load_wrk(port: int, page_url: str, seconds: float, clients: int, phase: str = "run") -> LoadResult:
    """wrk (one thread, `clients` keep-alive connections), each request a new decision; latencies as wrk sees
    them (it corrects nothing: closed loop, like the Python client)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % melding_body(page_url, "KEY"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        output = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{clients}",
                f"-d{seconds:g}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                f"http://127.0.0.1:{port}",
                "--",
                phase,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(script.name)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    numbers = json.loads(output.strip().splitlines()[-1])
    return LoadResult(
        accepted=numbers["requests"] - numbers["refused"],
        errors=numbers["refused"] + numbers["errors"],
        p50=numbers["p50"] / 1e6,
        p95=numbers["p95"] / 1e6,
        p99=numbers["p99"] / 1e6,
        max=numbers["max"] / 1e6,
        client_cpu=(after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
    )


# --- CPU accounting -----------------------------------------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime + stime


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process and its living descendants (each process counted once)."""
    return _cpu_of(pid) + sum(tree_cpu(child) for child in _children(pid))


def postgres_cpu() -> float:
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/comm"):
        try:
            if stat.read_text().strip() == "postgres":
                total += _cpu_of(int(stat.parent.name))
        except OSError:
            pass
    return total


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / _TICK, sum(values) / _TICK


# --- The server ---------------------------------------------------------------------------------------------


def server_command(options: argparse.Namespace) -> list[str]:
    binaries = Path(PYTHON).parent
    if options.server == "granian":
        return [
            str(binaries / "granian"), "--interface", "wsgi", "--host", "127.0.0.1", "--port", "18080",
            "--workers", str(options.workers), "--blocking-threads", str(options.threads), "--log-level", "warning",
            "--no-ws", options.app,
        ]  # fmt: skip
    command = [
        str(binaries / "gunicorn"), options.app, "-b", "127.0.0.1:18080", "-w", str(options.workers),
        "--keep-alive", "30", "--log-level", "warning",
    ]  # fmt: skip
    if options.server == "gthread":
        command += ["-k", "gthread", "--threads", str(options.threads)]
    return command


def count_jobs(env: dict[str, str]) -> dict[str, int]:
    output = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            DB,
            "-tA",
            "-c",
            "SELECT status, count(*) FROM vendors_job GROUP BY status",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {line.split("|")[0]: int(line.split("|")[1]) for line in output.split() if "|" in line}


def sent_count() -> int:
    output = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            DB,
            "-tA",
            "-c",
            "SELECT count(*) FROM supervision_submission WHERE status = 'sent'",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return int(output.strip() or 0)


def delivered_count() -> int:
    output = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB, "-tA", "-c",
         "SELECT count(*) FROM supervision_submission WHERE status = 'sent' AND delivered_at IS NOT NULL"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return int(output.strip() or 0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=16, help="keep-alive connections")
    parser.add_argument("--server", choices=["sync", "gthread", "granian"], default="sync")
    parser.add_argument("--app", default="loket.wsgi:application", help="the WSGI application")
    parser.add_argument("--workers", type=int, default=3, help="server worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread, granian)")
    parser.add_argument("--load", choices=["wrk", "python"], default="wrk" if shutil.which("wrk") else "python")
    parser.add_argument("--job-workers", type=int, default=2, help="task worker processes")
    parser.add_argument("--interval", type=float, default=0.05, help="task worker polling interval (s)")
    parser.add_argument("--skip-pipeline", action="store_true")
    parser.add_argument("--logs", help="a directory for the task workers' logs (default: discarded)")
    options = parser.parse_args()
    media = tempfile.mkdtemp(prefix="loket-bench-")
    env = environment(media)
    print("setting up database", DB, "...", flush=True)
    setup(env)
    pages_dir = tempfile.mkdtemp(prefix="loket-bench-pages-")
    shutil.copy(PAGE, Path(pages_dir) / "budget.html")
    page_server = subprocess.Popen(
        [PYTHON, "-c", PAGE_SERVER, str(Path(pages_dir) / "budget.html")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = subprocess.Popen(server_command(options), env=env, cwd=str(REPO), stderr=subprocess.DEVNULL)
    run_load = load_wrk if options.load == "wrk" else load
    workers: list[subprocess.Popen] = []
    try:
        wait_for_port(18080)
        wait_for_port(18081)
        run_load(18080, "http://127.0.0.1:18081/p", 2, options.clients, "warmup")  # Argon2 once per process
        before = sum(count_jobs(env).values())
        cpu_before = (tree_cpu(server.pid), postgres_cpu(), machine_busy())
        result = run_load(18080, "http://127.0.0.1:18081/p", options.seconds, options.clients)
        server_cpu = tree_cpu(server.pid) - cpu_before[0]
        pg_cpu = postgres_cpu() - cpu_before[1]
        busy, total = (now - then for now, then in zip(machine_busy(), cpu_before[2], strict=True))
        threads = f" x {options.threads} threads" if options.server != "sync" else ""
        print(
            f"\nPOST /melding: {result.accepted} accepted in {options.seconds:.0f} s with {options.clients} "
            f"connections ({options.server}, {options.workers} workers{threads}, {options.app}; load: "
            f"{options.load}), {result.errors} errors"
        )
        print(f"  throughput: {result.accepted / options.seconds:.0f} accepted requests/s")
        print(
            f"  latency: p50 {result.p50 * 1000:.1f} ms, p95 {result.p95 * 1000:.1f} ms, "
            f"p99 {result.p99 * 1000:.1f} ms, max {result.max * 1000:.1f} ms"
        )
        print(
            f"  CPU over the run (s of {options.seconds:.0f} s x {os.cpu_count()} cores): server {server_cpu:.1f}, "
            f"PostgreSQL {pg_cpu:.1f}, load generator {result.client_cpu:.1f}, whole machine {busy:.1f} "
            f"({busy / total * 100:.0f}% busy)"
        )
        total_jobs = before + result.accepted
        server.terminate()
        server.wait(timeout=20)
        if options.skip_pipeline:
            return
        # What autovacuum does in a database that has been running for a while: without statistics, the task queue's
        # claim (ORDER BY priority, run_after, enqueued_at LIMIT 1 FOR UPDATE SKIP LOCKED) sorts the whole fresh
        # backlog each time (26 ms with 8,000 tasks) instead of reading the first entry of its index (0.4 ms).
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB, "-q", "-c", "ANALYZE"], check=True)
        print(f"\npipeline: {total_jobs} jobs queued; starting {options.job_workers} task workers", flush=True)
        started = time.monotonic()
        machine_before = machine_busy()
        workers = [
            subprocess.Popen(
                [
                    PYTHON,
                    str(REPO / "manage.py"),
                    "db_worker",
                    "--interval",
                    str(options.interval),
                    "--no-startup-delay",
                ],
                env=env,
                cwd=str(REPO),
                stdout=subprocess.DEVNULL,
                stderr=open(Path(options.logs) / f"worker-{number}.log", "w") if options.logs else subprocess.DEVNULL,
            )
            for number in range(options.job_workers)
        ]
        jobs_done_at = None
        while True:
            time.sleep(1)
            counts = count_jobs(env)
            done = counts.get("success", 0) + counts.get("failed", 0)
            if done >= total_jobs and jobs_done_at is None:
                jobs_done_at = time.monotonic() - started
            delivered = delivered_count()
            if (jobs_done_at is not None and delivered >= sent_count()) or time.monotonic() - started > 900:
                break
        elapsed = time.monotonic() - started
        worker_cpu = sum(tree_cpu(worker.pid) for worker in workers)
        busy, total = (now - then for now, then in zip(machine_busy(), machine_before, strict=True))
        print(
            f"  {done} jobs finished in {jobs_done_at or elapsed:.1f} s, all {delivered} sent submissions delivered "
            f"after {elapsed:.1f} s: {done / elapsed:.1f} jobs/s end to end (success {counts.get('success', 0)}, "
            f"failed {counts.get('failed', 0)})"
        )
        print(
            f"  CPU (s of {elapsed:.0f} s x {os.cpu_count()} cores): task workers {worker_cpu:.1f}, everything else "
            f"(PostgreSQL, page server) {busy - worker_cpu:.1f}, whole machine {busy:.1f} ({busy / total * 100:.0f}% "
            "busy)"
        )
    finally:
        for process in [*workers, server, page_server]:
            if process.poll() is None:
                process.terminate()
        for process in [*workers, server, page_server]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(media, ignore_errors=True)
        shutil.rmtree(pages_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
