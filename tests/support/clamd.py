"""A real clamd (Debian's clamav-daemon) on a unix socket in a temp directory, with a database directory holding
only the repository's signature for the EICAR test string (tests/support/clamav/loket-eicar.ndb), and the settings
that point the Loket at it. The EICAR string itself is never committed: `eicar()` builds it from parts."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

CLAMD = "/usr/sbin/clamd"
SIGNATURES = Path(__file__).parent / "clamav" / "loket-eicar.ndb"
SIGNATURE_NAME = "Loket.Test.EICAR.UNOFFICIAL"  # clamd marks signatures from outside its official databases


def eicar() -> bytes:
    """The EICAR anti-virus test string, from parts (so this file is no test virus itself)."""
    parts = ["X5O!P%@AP[4\\PZX54(P^)7CC)7}$", "EICAR-STANDARD-", "ANTIVIRUS-TEST-FILE!$H+H*"]
    return "".join(parts).encode("ascii")


@dataclass
class Clamd:
    socket_path: str
    process: subprocess.Popen | None
    config: Path | None = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None

    def start(self) -> None:
        """Start it again (after `stop`) with the same configuration and socket: the scanner is back."""
        assert self.process is None and self.config is not None
        self.process = subprocess.Popen(
            [CLAMD, "--config-file", str(self.config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 60
        while not _answers(self.socket_path):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                log = (
                    (self.config.parent / "clamd.log").read_text()
                    if (self.config.parent / "clamd.log").exists()
                    else ""
                )
                raise RuntimeError(f"clamd did not start: {log[-2000:]}")
            time.sleep(0.1)


def _config(directory: Path, stream_max_length: str = "100M") -> Path:
    database = directory / "db"
    database.mkdir()
    shutil.copy(SIGNATURES, database / SIGNATURES.name)
    config = directory / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                f"LocalSocket {directory / 'clamd.sock'}",
                f"DatabaseDirectory {database}",
                f"LogFile {directory / 'clamd.log'}",
                "Foreground yes",
                "ScanArchive yes",
                "MaxFileSize 100M",
                "MaxScanSize 400M",
                f"StreamMaxLength {stream_max_length}",
                "MaxRecursion 16",
                "MaxFiles 10000",
                "",
            ]
        )
    )
    return config


def _answers(path: str) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(2)
            connection.connect(path)
            connection.sendall(b"zPING\0")
            return connection.recv(16).startswith(b"PONG")
    except OSError:
        return False


@contextmanager
def running_clamd(stream_max_length: str = "100M") -> Iterator[Clamd]:
    """A clamd of its own in a temp directory until the block ends."""
    if not Path(CLAMD).exists():
        if os.environ.get("CI"):
            pytest.fail("clamd is missing (Debian clamav-daemon): the virus-scanning tests must run in CI")
        pytest.skip("clamd (Debian's clamav-daemon) is not installed: make clamav")
    directory = Path(tempfile.mkdtemp(prefix="loket-clamd-"))
    config = _config(directory, stream_max_length)
    server = Clamd(socket_path=str(directory / "clamd.sock"), process=None, config=config)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def clamd_server() -> Iterator[Clamd]:
    with running_clamd() as server:
        yield server


@pytest.fixture
def own_clamd(settings) -> Iterator[Clamd]:  # type: ignore[no-untyped-def]
    """Scanning on, through a clamd of this test's own that the test may stop and start (an outage)."""
    with running_clamd() as server:
        settings.LOKET_CLAMD_SOCKET = server.socket_path
        yield server


@pytest.fixture
def clamd(clamd_server: Clamd, settings) -> Clamd:  # type: ignore[no-untyped-def]
    """Scanning on, through the test clamd."""
    settings.LOKET_CLAMD_SOCKET = clamd_server.socket_path
    return clamd_server
