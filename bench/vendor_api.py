"""Benchmark of the vendor API on PostgreSQL with the production server (gunicorn). Prints numbers; not a test.

    .venv/bin/python bench/vendor_api.py [--seconds 20] [--clients 16] [--workers 3] [--job-workers 2]

1. Creates the database `loket_bench` (127.0.0.1:5432, user postgres), migrates, creates an organisation, a vendor
   and the code lists.
2. Serves the example RDFa page from a local HTTP server (loopback, allowed through LOKET_ALLOW_PRIVATE_FETCH).
3. Starts gunicorn and sends POST /melding from `--clients` keep-alive connections for `--seconds`:
   accepted requests per second and latency percentiles (no task worker running meanwhile).
4. Starts `--job-workers` task workers (manage.py db_worker) and measures how fast the backlog of jobs runs to its
   end state (download → import → validate → send, plus delivery): jobs per second end to end.
"""

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PAGE = Path("/work/shared/reference/vendor-api-examples/meldingsplicht-annotaties/voorbeeld-budget.html")
DB = "loket_bench"
KEY = "bench-key-0123456789"
ORG = "http://data.lblod.info/id/bestuurseenheden/bench-0001"
VENDOR = "http://data.lblod.info/vendors/bench"
BODY_F7460 = (
    "http://data.lblod.info/id/bestuursorganen/f7460afee3759df859b3e42f2b108909d2f657726f884427ee0fc915cac45388"
)


def environment(media: str) -> dict[str, str]:
    return {
        **os.environ,
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


def load(port: int, page_url: str, seconds: float, clients: int, phase: str = "run") -> tuple[list[float], int, int]:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    counter = iter(range(10**9))

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        failed = 0
        while time.monotonic() < stop:
            key = f"{phase}-{number}-{next(counter)}"
            body = json.dumps(
                {
                    "href": f"{page_url}/{key}",
                    "organization": ORG,
                    "publisher": {"uri": VENDOR, "key": KEY},
                    "submittedResource": f"http://bench.example/besluiten/{key}",
                    "status": "http://lblod.data.gift/concepts/f6330856-e261-430f-b949-8e510d20d0ff",
                }
            )
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
    return latencies, errors[0], clients


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--job-workers", type=int, default=2, help="task worker processes")
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
    gunicorn = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "loket.wsgi",
            "-b",
            "127.0.0.1:18080",
            "-w",
            str(options.workers),
            "-k",
            "gthread",
            "--threads",
            str(options.threads),
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=str(REPO),
    )
    workers: list[subprocess.Popen] = []
    try:
        wait_for_port(18080)
        wait_for_port(18081)
        load(18080, "http://127.0.0.1:18081/p", 2, options.clients, "warmup")  # warm up (Argon2 once per process)
        before = sum(count_jobs(env).values())
        latencies, errors, clients = load(18080, "http://127.0.0.1:18081/p", options.seconds, options.clients)
        latencies.sort()
        accepted = len(latencies)
        print(
            f"\nPOST /melding: {accepted} accepted in {options.seconds:.0f} s with {clients} clients "
            f"({options.workers} gunicorn workers x {options.threads} threads), {errors} errors"
        )
        print(f"  throughput: {accepted / options.seconds:.0f} accepted requests/s")
        p95, p99 = latencies[int(accepted * 0.95)], latencies[int(accepted * 0.99)]
        print(
            f"  latency: p50 {statistics.median(latencies) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
            f"p99 {p99 * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms"
        )
        total = before + accepted
        gunicorn.terminate()
        gunicorn.wait(timeout=20)
        print(f"\npipeline: {total} jobs queued; starting {options.job_workers} task workers", flush=True)
        started = time.monotonic()
        workers = [
            subprocess.Popen(
                [PYTHON, str(REPO / "manage.py"), "db_worker", "--interval", "0.05", "--no-startup-delay"],
                env=env,
                cwd=str(REPO),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(options.job_workers)
        ]
        while True:
            time.sleep(1)
            counts = count_jobs(env)
            done = counts.get("success", 0) + counts.get("failed", 0)
            if done >= total or time.monotonic() - started > 600:
                break
        elapsed = time.monotonic() - started
        print(
            f"  {done} jobs finished in {elapsed:.1f} s: {done / elapsed:.1f} jobs/s end to end "
            f"(success {counts.get('success', 0)}, failed {counts.get('failed', 0)}, sent submissions "
            f"{sent_count()})"
        )
    finally:
        for process in [*workers, gunicorn, page_server]:
            if process.poll() is None:
                process.terminate()
        for process in [*workers, gunicorn, page_server]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(media, ignore_errors=True)
        shutil.rmtree(pages_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
