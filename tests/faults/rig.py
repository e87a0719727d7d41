"""Fault injection against the real worker: a throwaway PostgreSQL cluster (tests/support/pgcluster.py), a real
SMTP server (aiosmtpd), a real SFTP server (OpenSSH, tests/support/sftp.py), a loopback HTTP server for linked
decisions and vendor pages, and `manage.py worker` as a separate process, killed with SIGKILL at a random moment
while it runs a job, then started again. Used by `make faults` (`python -m tests.faults.worker_kill`, 100 runs), by
CI (tests/faults/test_worker_kill.py, a bounded count) and by bench/faults.py.

Job types: e-mail (`core.tasks.send_email`), the open-data dump (`opendata.tasks.regenerate_dump`), the SPARQL
store sync with the LDES page materialisation (`opendata.tasks.sync_store`), the cached copy of a linked decision
(`supervision.tasks.cache_remote_file`), the vendor import (`vendors.tasks.process_job`: download, import,
validate, send) and BBC-DR packaging and upload (`reports.tasks.package_report` / `deliver_report`). After every
run: no task is left waiting or running, no link, vendor job or report is left unfinished, every mail arrived
exactly once, every dump file is a whole one that a Dump row names with the right SHA-256, every link has one
cached copy with the served bytes' SHA-256 and no other file, every vendor job made one submission, and the SFTP
target holds exactly one whole package per report (no `.part` file) and the storage no package no report names."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.controller import Controller

from tests.faults.seed import BUDGET
from tests.support.pgcluster import Cluster, free_port
from tests.support.sftp import SftpServer
from tests.support.smtp import CollectingHandler

ROOT = Path(__file__).resolve().parents[2]
LEASE = 2  # seconds: LOKET_TASK_LEASE of the workers under test
JOB_TYPES = ("email", "dump", "sync", "link", "vendor", "bbcdr")
MAILS_PER_RUN = 20
LINKS_PER_RUN = 3
LINK_BYTES = 192 * 1024  # served in 8 KiB pieces 4 ms apart: a download takes about 0.1 s
TASK_PATH = {
    "email": ("loket.core.tasks.send_email",),
    "dump": ("loket.opendata.tasks.regenerate_dump",),
    "sync": ("loket.opendata.tasks.sync_store",),
    "link": ("loket.supervision.tasks.cache_remote_file",),
    "vendor": ("loket.vendors.tasks.process_job",),
    "bbcdr": ("loket.reports.tasks.package_report", "loket.reports.tasks.deliver_report"),
}
SPREAD = {"email": 0.1, "dump": 0.3, "sync": 0.05, "link": 0.15, "vendor": 0.6, "bbcdr": 0.05}
# Tasks that recovery runs again as they are (core.recovery.register_rerun): each interrupted one must run again.
RERUN_PATHS = {
    "loket.core.tasks.send_email",
    "loket.core.tasks.stamp_ledger_entry",
    "loket.opendata.tasks.regenerate_dump",
    "loket.opendata.tasks.sync_store",
    "loket.opendata.tasks.rebuild_store",
    "loket.opendata.tasks.compact_store",
}
PAGES = Path("/work/shared/reference/vendor-api-examples/meldingsplicht-annotaties")

ENQUEUE = {
    "email": (
        "from loket.core.tasks import send_email\n"
        "for n in range({count}):\n"
        "    send_email.enqueue(to=['griffie@example.org'], subject=f'run {run} mail {{n}}', body='x' * 2000)\n"
    ),
    "dump": "from loket.opendata.tasks import regenerate_dump\nregenerate_dump.enqueue(dataset='codelijsten')\n",
    "sync": "from loket.opendata.tasks import sync_store\nsync_store.enqueue()\n",
    "link": "from tests.faults.seed import enqueue_links\nenqueue_links({run}, {urls!r})\n",
    "vendor": "from tests.faults.seed import enqueue_vendor_job\nenqueue_vendor_job({run}, {page!r})\n",
    "bbcdr": "from tests.faults.seed import enqueue_report\nenqueue_report({run})\n",
}


class FileServer(http.server.ThreadingHTTPServer):
    """Linked decisions and vendor pages on loopback, sent in small pieces with a pause between them, so that a
    kill can fall in the middle of a download. `hits` counts the requests per path."""

    daemon_threads = True

    def __init__(self) -> None:
        self.files: dict[str, tuple[str, bytes]] = {}
        self.hits: dict[str, int] = {}
        super().__init__(("127.0.0.1", 0), _FileHandler)
        import threading

        threading.Thread(target=self.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class _FileHandler(http.server.BaseHTTPRequestHandler):
    server: FileServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.server.hits[self.path] = self.server.hits.get(self.path, 0) + 1
        if self.path not in self.server.files:
            self.send_error(404)
            return
        content_type, body = self.server.files[self.path]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            for start in range(0, len(body), 8192):
                self.wfile.write(body[start : start + 8192])
                self.wfile.flush()
                time.sleep(0.004)
        except OSError:  # the worker was killed mid-download
            pass


@dataclass
class RunResult:
    job_type: str
    killed_while_running: list[str] = field(default_factory=list)  # the tasks RUNNING at the kill
    finished_before_kill: list[str] = field(default_factory=list)  # RUNNING at the kill, but their work was done
    resume_wait: float = 0.0  # seconds from the kill until the last interrupted job was taken again
    problems: list[str] = field(default_factory=list)


class SlowRecipientHandler(CollectingHandler):
    """A mail server that takes 0.15 s to accept each recipient: the worker is then killed inside the SMTP dialogue,
    before the message is handed over (after the final "." a server may deliver even if the client is gone: the
    one window where a mail can arrive twice, see docs/operations.md)."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        import asyncio

        await asyncio.sleep(0.15)
        envelope.rcpt_tos.append(address)
        return "250 OK"


class Rig:
    def __init__(self) -> None:
        self.cluster = Cluster().start()
        self.base = Path(tempfile.mkdtemp(prefix="loket-faults-"))
        self.handler = SlowRecipientHandler()
        self.smtp = Controller(self.handler, hostname="127.0.0.1", port=free_port())
        self.smtp.start()
        self.files = FileServer()
        self.sftp: SftpServer | None = None  # started with the bodies' data, by the first run that needs them
        self.env = {
            **os.environ,
            "LOKET_TESTING": "1",
            "DATABASE_URL": self.cluster.create_database("loket"),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp.port),
            "LOKET_TASK_LEASE": str(LEASE),
            "LOKET_MEDIA_ROOT": str(self.base / "media"),
            "LOKET_SPARQL_STORE_DIR": str(self.base / "sparql"),
            "LOKET_SIGNING_KEY_FILE": str(self.base / "ledger.pem"),
            "LOKET_OPENDATA_DUMP_DELAY": "0",
            "LOKET_OPENDATA_SETTLE_SECONDS": "0",
        }
        self.manage("migrate", "--noinput")
        self.expected_links: dict[str, str] = {}  # url -> SHA-256 of the bytes served
        self.runs = 0

    def prepare_bodies(self) -> None:
        """For link, vendor and BBC-DR runs: the SFTP target, the fetch settings and a body with its vendor and
        clerk (tests/faults/seed.py). Not before: the PostgreSQL kill rig (pg_kill.py) uses this rig too."""
        if self.sftp is not None:
            return
        self.sftp = SftpServer(self.base / "sftp")
        self.sftp.start()
        samples = ROOT / "src" / "loket" / "reports"
        self.env.update(
            {
                "LOKET_ALLOW_PRIVATE_FETCH": "127.0.0.1/32",
                "LOKET_VENDOR_JOB_STALE_SECONDS": str(LEASE),
                "LOKET_VENDOR_BACKOFF_SECONDS": "0.5",
                "LOKET_BBCDR_TARGET": self.sftp.url,
                "LOKET_BBCDR_SFTP_KNOWN_HOSTS": str(self.sftp.known_hosts),
                "LOKET_BBCDR_SFTP_KEY_FILE": str(self.sftp.client_key),
                "LOKET_BBCDR_TAXONOMY_DIR": str(samples / "sample_taxonomy"),
                "LOKET_BBCDR_XSD": json.dumps(
                    {"http://schemas.bbcdr.test/2025/rapport": str(samples / "sample_schemas" / "rapport-2025.xsd")}
                ),
            }
        )
        self.manage("shell", "-c", "from tests.faults.seed import base\nbase()\n")

    def manage(self, *arguments: str) -> str:
        result = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *arguments],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(arguments[:1])} failed: {result.stderr[-2000:]}")
        return result.stdout

    def state(self) -> dict:  # type: ignore[type-arg]
        """Every task row (status, path, exception, started, arguments) and every Dump row, read directly."""
        import psycopg

        with psycopg.connect(self.env["DATABASE_URL"]) as connection:
            rows = connection.execute(
                "SELECT status, task_path, exception_class_path, extract(epoch FROM started_at), args_kwargs "
                "FROM django_tasks_database_dbtaskresult "
                # a task scheduled well ahead (the hourly LDES pruning each store sync plans) is not work in flight,
                # nor is the store's next compaction (planned up to LOKET_SPARQL_COMPACT_INTERVAL after the last one)
                # before it is due; a task without a time has run_after = datetime.max and is due
                "WHERE NOT (status = 'READY' AND run_after < '9999-01-01' "
                "AND (run_after > now() + interval '5 minutes' "
                "OR (task_path = 'loket.opendata.tasks.compact_store' AND run_after > now())))"
            ).fetchall()
            dumps = connection.execute("SELECT storage_name, sha256 FROM opendata_dump").fetchall()
            links = connection.execute(
                "SELECT url, storage_name, sha256, cache_status, cache_error, uuid::text "
                "FROM supervision_submissionfile WHERE kind = 'link'"
            ).fetchall()
            jobs = connection.execute(
                "SELECT id, status, submitted_resource, error_message FROM vendors_job"
            ).fetchall()
            submitted = connection.execute(
                "SELECT submitted_resource, count(*) FROM supervision_submission WHERE submitted_resource <> '' "
                "GROUP BY submitted_resource"
            ).fetchall()
            reports = connection.execute(
                "SELECT id, delivery_status, package_name, package_storage_name, package_sha256, delivery_error "
                "FROM reports_report WHERE status = 'verstuurd'"
            ).fetchall()
        return {
            "rows": [[s, p, e, float(a) if a else None, k] for s, p, e, a, k in rows],
            "dumps": dumps,
            "links": links,
            "jobs": jobs,
            "submitted": dict(submitted),
            "reports": reports,
        }

    @staticmethod
    def unfinished(state: dict) -> list[str]:  # type: ignore[type-arg]
        """Links, vendor jobs and reports that are not yet in an end state (their work is still to come)."""
        waiting = [f"link {url} {status}" for url, _, _, status, _, _ in state["links"] if status == "pending"]
        waiting += [
            f"vendor job {pk} {status}" for pk, status, _, _ in state["jobs"] if status in ("scheduled", "busy")
        ]
        waiting += [
            f"report {pk} {status} {error}"
            for pk, status, _, _, _, error in state["reports"]
            if status not in ("afgeleverd", "definitief-mislukt")
        ]
        return waiting

    def start_worker(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "worker", "--interval", "0.2"],
            cwd=ROOT,
            env=self.env,
            stdout=open(self.base / "worker.log", "ab"),
            stderr=subprocess.STDOUT,
        )

    def run(self, job_type: str, rng: random.Random) -> RunResult:
        self.runs += 1
        result = RunResult(job_type)
        if job_type in ("link", "vendor", "bbcdr"):
            self.prepare_bodies()
        urls = [self.serve_link(number) for number in range(LINKS_PER_RUN)] if job_type == "link" else []
        page = self.serve_vendor_page() if job_type == "vendor" else ""
        self.manage("shell", "-c", ENQUEUE[job_type].format(run=self.runs, count=MAILS_PER_RUN, urls=urls, page=page))
        worker = self.start_worker()
        # A random moment of the job: once the worker has claimed one of its tasks (for BBC-DR: the packaging or the
        # upload, drawn at random), wait a random part of the job's usual length (a mail takes milliseconds, a dump
        # a fraction of a second), then SIGKILL.
        path = rng.choice(TASK_PATH[job_type])
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not any(
            row[0] == "RUNNING" and row[1] == path for row in self.state()["rows"]
        ):
            time.sleep(0.002)
        time.sleep(rng.uniform(0, SPREAD[job_type]))
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        killed_at = time.time()
        before = self.state()
        interrupted = [(row[1], row[4]) for row in before["rows"] if row[0] == "RUNNING"]
        result.killed_while_running = [path.rsplit(".", 1)[-1] for path, _ in interrupted]
        worker = self.start_worker()
        try:
            deadline = time.monotonic() + 60 + 3 * LEASE
            while True:
                state = self.state()
                busy = [row for row in state["rows"] if row[0] in ("READY", "RUNNING")] + self.unfinished(state)
                if not busy:
                    break
                if time.monotonic() > deadline:
                    result.problems.append(f"still waiting or running after 60 s: {busy}")
                    break
                time.sleep(0.5)
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        for path, arguments in interrupted:
            again = [
                row[3]
                for row in state["rows"]
                if row[1] == path and row[4] == arguments and row[3] and row[3] > killed_at
            ]
            if not again and path in RERUN_PATHS:
                result.problems.append(f"{path} {arguments} was interrupted and never ran again")
            elif not again:
                # A module's own recovery runs its work again only when it is not done: the kill fell after the job
                # committed its result but before the worker marked the task row (recovery settles that row). That
                # the work is done, once, is what the link, vendor and report checks below look at.
                result.finished_before_kill.append(path.rsplit(".", 1)[-1])
            else:
                result.resume_wait = max(result.resume_wait, min(again) - killed_at)
        failed = [row for row in state["rows"] if row[0] == "FAILED" and not (row[2] or "").endswith("WorkerLost")]
        if failed:
            result.problems.append(f"failed without a recovery: {failed}")
        result.problems += self.side_effect_problems(state)
        return result

    def serve_link(self, number: int) -> str:
        path = f"/besluiten/run-{self.runs}-{number}.pdf"
        body = b"%PDF-1.4\n" + random.Random(path).randbytes(LINK_BYTES)
        self.files.files[path] = ("application/pdf", body)
        url = self.files.url(path)
        self.expected_links[url] = hashlib.sha256(body).hexdigest()
        return url

    def serve_vendor_page(self) -> str:
        """The budget example page, its decision renamed for this run (a decision is submitted once)."""
        path = f"/publicatie/run-{self.runs}.html"
        page = (PAGES / "voorbeeld-budget.html").read_text(encoding="utf-8").replace(BUDGET, f"{BUDGET}-run{self.runs}")
        self.files.files[path] = ("text/html; charset=utf-8", page.encode())
        return self.files.url(path)

    def side_effect_problems(self, state: dict) -> list[str]:  # type: ignore[type-arg]
        problems = self.link_problems(state) + self.vendor_problems(state) + self.report_problems(state)
        with self.handler.lock:
            subjects = [str(mail.message["Subject"]) for mail in self.handler.received]
        enqueued = {
            (row[4] or {}).get("kwargs", {}).get("subject") for row in state["rows"] if row[1].endswith("send_email")
        }
        for subject in sorted(s for s in enqueued if s):
            count = subjects.count(subject)
            if count != 1:
                problems.append(f"mail {subject!r} arrived {count} times")
        media = self.base / "media"
        known = {name: sha for name, sha in state["dumps"]}
        for path in sorted((media / "opendata").rglob("*.gz")) if (media / "opendata").exists() else []:
            name = str(path.relative_to(media))
            data = path.read_bytes()
            if name not in known:
                problems.append(f"dump file {name} has no Dump row (a partial or orphaned file, {len(data)} bytes)")
                continue
            if hashlib.sha256(data).hexdigest() != known[name]:
                problems.append(f"dump file {name} differs from its recorded SHA-256")
            try:
                gzip.decompress(data)
            except (OSError, EOFError) as error:
                problems.append(f"dump file {name} is not a whole gzip file: {error}")
        for name in known:
            if not (media / name).is_file():
                problems.append(f"Dump row names {name}, which is not in the storage")
        return problems

    def link_problems(self, state: dict) -> list[str]:  # type: ignore[type-arg]
        """One cached copy per link, with the SHA-256 of the bytes served, and no other file in its folder."""
        problems = []
        media = self.base / "media"
        named = set()
        for url, storage_name, sha256, status, error, _uuid in state["links"]:
            if status != "done":
                problems.append(f"link {url} ended {status!r}: {error}")
                continue
            named.add(storage_name)
            stored = media / storage_name
            if not stored.is_file():
                problems.append(f"link {url}: its copy {storage_name} is not in the storage")
            elif hashlib.sha256(stored.read_bytes()).hexdigest() != self.expected_links.get(url) or (
                sha256 != self.expected_links.get(url)
            ):
                problems.append(f"link {url}: the copy or its recorded SHA-256 differs from the bytes served")
        folder = media / "submissions"
        for path in sorted(folder.rglob("*")) if folder.exists() else []:
            if path.is_file() and "links" in path.parts and str(path.relative_to(media)) not in named:
                problems.append(f"file {path.relative_to(media)} is no link's copy (orphan, {path.stat().st_size} B)")
        return problems

    def vendor_problems(self, state: dict) -> list[str]:  # type: ignore[type-arg]
        """Every vendor job ended (success, or failed with a reason) and made exactly one submission."""
        problems = []
        for pk, status, resource, error in state["jobs"]:
            if status == "failed" and not error:
                problems.append(f"vendor job {pk} failed without a reason")
            elif status != "success":
                problems.append(f"vendor job {pk} ended {status!r}: {error[:300]}")
            count = state["submitted"].get(resource, 0)
            if status == "success" and count != 1:
                problems.append(f"vendor job {pk} made {count} submissions of {resource}")
        return problems

    def report_problems(self, state: dict) -> list[str]:  # type: ignore[type-arg]
        """Exactly one whole package per sent report on the SFTP target, no partial file; the report delivered; no
        package file in the storage that no report names."""
        problems: list[str] = []
        if self.sftp is None:
            return problems
        on_target = {path.name: path for path in self.sftp.target_dir.iterdir()}
        expected = set()
        for pk, status, name, _storage_name, sha256, error in state["reports"]:
            if status != "afgeleverd":
                problems.append(f"report {pk} ended {status!r}: {error[:300]}")
                continue
            expected.add(name)
            if name not in on_target:
                problems.append(f"report {pk}: package {name} is not on the SFTP target")
            elif hashlib.sha256(on_target[name].read_bytes()).hexdigest() != sha256:
                problems.append(f"report {pk}: the package on the SFTP target differs from its SHA-256")
        for name in sorted(set(on_target) - expected):
            problems.append(f"SFTP target holds {name}, which is no delivered report's package")
        media = self.base / "media"
        named = {row[3] for row in state["reports"]}
        folder = media / "bbcdr" / "pakketten"
        for path in sorted(folder.rglob("*")) if folder.exists() else []:
            if path.is_file() and str(path.relative_to(media)) not in named:
                problems.append(f"package file {path.relative_to(media)} is named by no report (orphan)")
        return problems

    def close(self) -> None:
        self.files.shutdown()
        self.files.server_close()
        if self.sftp is not None:
            self.sftp.stop()
        self.smtp.stop()
        self.cluster.stop()
        import shutil

        shutil.rmtree(self.base, ignore_errors=True)


def run_many(count: int, *, seed: int = 18, report=print, job_types=JOB_TYPES) -> list[RunResult]:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    rig = Rig()
    results = []
    seen: set[str] = set()  # the checks look at everything so far: report a problem once, in the run it appeared
    try:
        for number in range(count):
            job_type = job_types[number % len(job_types)]
            outcome = rig.run(job_type, rng)
            outcome.problems = [problem for problem in outcome.problems if problem not in seen]
            seen.update(outcome.problems)
            results.append(outcome)
            report(
                f"run {number + 1:3}/{count} {job_type:6} killed while running: "
                f"{','.join(outcome.killed_while_running) or '-':30} resumed after {outcome.resume_wait:4.1f} s "
                f"{'OK' if not outcome.problems else 'PROBLEMS: ' + '; '.join(outcome.problems)}"
            )
    finally:
        rig.close()
    return results
