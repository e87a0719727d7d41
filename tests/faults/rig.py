"""Fault injection against the real worker: a throwaway PostgreSQL cluster (tests/support/pgcluster.py), a real
SMTP server (aiosmtpd), `manage.py worker` as a separate process, killed with SIGKILL at a random moment while it
runs a job, then started again. Used by `make faults` (`python -m tests.faults.worker_kill`, 100 runs), by CI
(tests/faults/test_worker_kill.py, a bounded count) and by bench/faults.py.

Job types: e-mail (`core.tasks.send_email`), the open-data dump (`opendata.tasks.regenerate_dump`) and the SPARQL
store sync with the LDES page materialisation (`opendata.tasks.sync_store`). After every run: no task is left
waiting or running, every mail arrived exactly once, and every dump file in the storage is a whole one that a Dump
row names with the right SHA-256 (no partial file)."""

from __future__ import annotations

import gzip
import hashlib
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

from tests.support.pgcluster import Cluster, free_port
from tests.support.smtp import CollectingHandler

ROOT = Path(__file__).resolve().parents[2]
LEASE = 2  # seconds: LOKET_TASK_LEASE of the workers under test
JOB_TYPES = ("email", "dump", "sync")
MAILS_PER_RUN = 20
TASK_PATH = {
    "email": "loket.core.tasks.send_email",
    "dump": "loket.opendata.tasks.regenerate_dump",
    "sync": "loket.opendata.tasks.sync_store",
}
SPREAD = {"email": 0.1, "dump": 0.3, "sync": 0.3}

ENQUEUE = {
    "email": (
        "from loket.core.tasks import send_email\n"
        "for n in range({count}):\n"
        "    send_email.enqueue(to=['griffie@example.org'], subject=f'run {run} mail {{n}}', body='x' * 2000)\n"
    ),
    "dump": "from loket.opendata.tasks import regenerate_dump\nregenerate_dump.enqueue(dataset='codelijsten')\n",
    "sync": "from loket.opendata.tasks import sync_store\nsync_store.enqueue()\n",
}


@dataclass
class RunResult:
    job_type: str
    killed_while_running: list[str] = field(default_factory=list)
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
        self.runs = 0

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
                # a task scheduled well ahead (the hourly LDES pruning each store sync plans) is not work in flight;
                # a task without a time has run_after = datetime.max and is due
                "WHERE NOT (status = 'READY' AND run_after > now() + interval '5 minutes' "
                "AND run_after < '9999-01-01')"
            ).fetchall()
            dumps = connection.execute("SELECT storage_name, sha256 FROM opendata_dump").fetchall()
        return {"rows": [[s, p, e, float(a) if a else None, k] for s, p, e, a, k in rows], "dumps": dumps}

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
        self.manage("shell", "-c", ENQUEUE[job_type].format(run=self.runs, count=MAILS_PER_RUN))
        worker = self.start_worker()
        # A random moment of the job: once the worker has claimed one of its tasks, wait a random part of the
        # job's usual length (a mail takes milliseconds, a dump a fraction of a second), then SIGKILL.
        path = TASK_PATH[job_type]
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
                busy = [row for row in state["rows"] if row[0] in ("READY", "RUNNING")]
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
            if not again:
                result.problems.append(f"{path} {arguments} was interrupted and never ran again")
            else:
                result.resume_wait = max(result.resume_wait, min(again) - killed_at)
        failed = [row for row in state["rows"] if row[0] == "FAILED" and not (row[2] or "").endswith("WorkerLost")]
        if failed:
            result.problems.append(f"failed without a recovery: {failed}")
        result.problems += self.side_effect_problems(state)
        return result

    def side_effect_problems(self, state: dict) -> list[str]:  # type: ignore[type-arg]
        problems = []
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

    def close(self) -> None:
        self.smtp.stop()
        self.cluster.stop()
        import shutil

        shutil.rmtree(self.base, ignore_errors=True)


def run_many(count: int, *, seed: int = 18, report=print) -> list[RunResult]:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    rig = Rig()
    results = []
    seen: set[str] = set()  # the checks look at everything so far: report a problem once, in the run it appeared
    try:
        for number in range(count):
            job_type = JOB_TYPES[number % len(JOB_TYPES)]
            outcome = rig.run(job_type, rng)
            outcome.problems = [problem for problem in outcome.problems if problem not in seen]
            seen.update(outcome.problems)
            results.append(outcome)
            report(
                f"run {number + 1:3}/{count} {job_type:5} killed while running: "
                f"{','.join(outcome.killed_while_running) or '-':30} resumed after {outcome.resume_wait:4.1f} s "
                f"{'OK' if not outcome.problems else 'PROBLEMS: ' + '; '.join(outcome.problems)}"
            )
    finally:
        rig.close()
    return results
