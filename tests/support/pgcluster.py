"""A throwaway PostgreSQL cluster: Debian's `initdb`/`pg_ctl` from the installed PostgreSQL, its own data directory
in a temporary directory and its own port on loopback, never the machine's shared server. Used by the fault
injection (`tests/faults/`) and the restore drill test: they kill and restart the server at will.

As root (CI), the server runs as the `postgres` system user (PostgreSQL refuses to run as root)."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's bin directory (/usr/lib/postgresql/<version>/bin), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name))
    return Path(found[-1]).parent if found else None


def _alive(pid: int) -> bool:
    """Running or not yet dead; a zombie (exited, not reaped) no longer holds the shared memory."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in {"Z", "X"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    """`start()` creates and starts it; `kill()` is kill -9 of the postmaster; `stop()` removes everything."""

    def __init__(self) -> None:
        bin_dir = postgres_bin()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)")
        self.bin = bin_dir
        self.base = Path(tempfile.mkdtemp(prefix="loket-pg-"))
        self.data = self.base / "data"
        self.port = free_port()
        self._user: list[str] = []
        if os.geteuid() == 0:
            postgres = pwd.getpwnam("postgres")
            os.chown(self.base, postgres.pw_uid, postgres.pw_gid)
            self._user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self._user, *command], capture_output=True, text=True, check=check)

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> Cluster:
        if not self.data.exists():
            self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
            with open(self.data / "postgresql.conf", "a") as conf:
                conf.write(
                    f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.base}'\n"
                    "fsync = on\nmax_connections = 100\nshared_buffers = 32MB\n"
                )
        started = self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.base / "log"), "-w", "start", check=False
        )
        if started.returncode != 0:
            log = (self.base / "log").read_text(errors="replace") if (self.base / "log").exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {started.stdout}{started.stderr}\nserver log: {log[-1500:]}")
        self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready = subprocess.run(
                [str(self.bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)], capture_output=True
            )
            if ready.returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError(f"the throwaway PostgreSQL on port {self.port} did not start")

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().splitlines()[0])

    def kill(self) -> None:
        """kill -9 of the postmaster and every backend (as a power cut would), and wait until all are gone.

        The postmaster is stopped first so that it forks no backend for a connecting client between its children's
        kill and its own: such a backend would outlive the kill, attached to the shared memory, and can make the
        restart fail. A stopped process does nothing more, so the kill still interrupts every process mid-work."""
        pid = self.postmaster_pid()
        os.kill(pid, signal.SIGSTOP)
        listed = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        children = [int(child) for child in listed]
        for process in [pid, *children]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process, signal.SIGKILL)
        deadline = time.monotonic() + 10
        # the postmaster until it is reaped (its pid in postmaster.pid must be free), the others until they exited
        while time.monotonic() < deadline and (Path(f"/proc/{pid}").exists() or any(map(_alive, children))):
            time.sleep(0.02)

    def psql(self, sql: str, database: str = "postgres") -> str:
        result = subprocess.run(
            [
                str(self.bin / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                database,
                "-Atc",
                sql,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    def create_database(self, name: str) -> str:
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.data.exists():
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
