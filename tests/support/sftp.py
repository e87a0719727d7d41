"""A real SFTP server on loopback for tests: Debian's OpenSSH `sshd`, started on a free port with a host key and a
client key generated for the test, logging in as the current user with that key. `readonly=True` serves SFTP
read-only (every write: permission denied). `stop()`/`start()` take it down and up again on the same port."""

import getpass
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _keygen(path: Path, kind: str = "ed25519") -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", kind, "-N", "", "-f", str(path)], check=True)


@dataclass
class SftpServer:
    home: Path
    readonly: bool = False
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen | None = None  # type: ignore[type-arg]

    def __post_init__(self) -> None:
        self.user = getpass.getuser()
        self.target_dir = self.home / "inkomend"
        self.target_dir.mkdir(parents=True)
        self.host_key = self.home / "host_ed25519"
        self.client_key = self.home / "client_ed25519"
        _keygen(self.host_key)
        _keygen(self.client_key)
        (self.home / "authorized_keys").write_text((self.home / "client_ed25519.pub").read_text())
        os.chmod(self.home / "authorized_keys", 0o600)
        public = (self.home / "host_ed25519.pub").read_text().split()
        self.known_hosts = self.home / "known_hosts"
        self.known_hosts.write_text(f"[127.0.0.1]:{self.port} {public[0]} {public[1]}\n")
        sftp = "internal-sftp -R" if self.readonly else "internal-sftp"
        (self.home / "sshd_config").write_text(
            "\n".join(
                [
                    f"ListenAddress 127.0.0.1:{self.port}",
                    f"HostKey {self.host_key}",
                    f"PidFile {self.home / 'sshd.pid'}",
                    f"AuthorizedKeysFile {self.home / 'authorized_keys'}",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "PubkeyAuthentication yes",
                    "PermitRootLogin prohibit-password",
                    "StrictModes no",
                    "UsePAM no",
                    f"AllowUsers {self.user}",
                    f"Subsystem sftp {sftp}",
                    "LogLevel ERROR",
                    "",
                ]
            )
        )

    @property
    def url(self) -> str:
        return f"sftp://{self.user}@127.0.0.1:{self.port}{self.target_dir}"

    def start(self) -> None:
        Path("/run/sshd").mkdir(exist_ok=True)  # privilege separation directory
        self.process = subprocess.Popen(
            [SSHD, "-D", "-e", "-f", str(self.home / "sshd_config")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"sshd stopped: {self.process.stderr.read().decode()}")  # type: ignore[union-attr]
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("sshd did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(5)
        self.process = None

    def files(self) -> list[str]:
        return sorted(path.name for path in self.target_dir.iterdir())

    def configure(self, settings) -> None:  # type: ignore[no-untyped-def]
        settings.LOKET_BBCDR_TARGET = self.url
        settings.LOKET_BBCDR_SFTP_KNOWN_HOSTS = str(self.known_hosts)
        settings.LOKET_BBCDR_SFTP_KEY_FILE = str(self.client_key)
        settings.LOKET_BBCDR_SFTP_PASSWORD = ""


def _require_sshd() -> None:
    if not Path(SSHD).exists():
        if os.environ.get("CI"):
            pytest.fail("OpenSSH's sshd is missing (Debian openssh-server): the SFTP tests must run in CI")
        pytest.skip("OpenSSH's sshd is not installed (Debian openssh-server)")


@pytest.fixture
def sftp_server(tmp_path):  # type: ignore[no-untyped-def]
    _require_sshd()
    server = SftpServer(tmp_path / "sftp")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def readonly_sftp_server(tmp_path):  # type: ignore[no-untyped-def]
    _require_sshd()
    server = SftpServer(tmp_path / "sftp-ro", readonly=True)
    server.start()
    yield server
    server.stop()
