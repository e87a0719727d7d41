"""Fixtures for the secure-sending core: a per-session signing key and a real RFC 3161 timestamp authority on
loopback (openssl ts -reply behind http.server)."""

import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def signing_key_file(settings, tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """Tests sign with a throwaway key, never the one in var/."""
    path = tmp_path_factory.getbasetemp() / "keys" / "ledger-ed25519.pem"
    settings.LOKET_SIGNING_KEY_FILE = str(path)
    settings.LOKET_TSA_URL = None
    settings.LOKET_TSA_CA_FILE = None
    return path


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


TSA_CONFIG = """
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {dir}
serial = $dir/tsaserial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/ca.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""

TSA_EXTENSIONS = """basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""


@dataclass
class TimestampAuthority:
    url: str
    ca_file: Path
    tsa_cert: Path
    directory: Path
    requests: list[bytes]


def make_authority_files(directory: Path, *, name: str = "Test") -> None:
    """A throwaway CA and a TSA certificate it issued (extendedKeyUsage critical timeStamping)."""
    _openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        f"/CN={name} Loket CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        cwd=directory,
    )
    _openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "tsa.key",
        "-out",
        "tsa.csr",
        "-subj",
        f"/CN={name} Loket TSA",
        cwd=directory,
    )
    (directory / "tsa.ext").write_text(TSA_EXTENSIONS)
    _openssl(
        "x509",
        "-req",
        "-in",
        "tsa.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "tsa.pem",
        "-days",
        "2",
        "-extfile",
        "tsa.ext",
        cwd=directory,
    )
    (directory / "tsaserial").write_text("01\n")
    (directory / "openssl.cnf").write_text(TSA_CONFIG.format(dir=directory))


def _handler(directory: Path, seen: list[bytes]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            query = self.rfile.read(int(self.headers["Content-Length"]))
            seen.append(query)
            if self.headers["Content-Type"] != "application/timestamp-query":
                self.send_error(415)
                return
            with tempfile.TemporaryDirectory(dir=directory) as work:
                query_file, reply_file = Path(work) / "q.tsq", Path(work) / "r.tsr"
                query_file.write_bytes(query)
                _openssl(
                    "ts",
                    "-reply",
                    "-config",
                    str(directory / "openssl.cnf"),
                    "-queryfile",
                    str(query_file),
                    "-out",
                    str(reply_file),
                    cwd=directory,
                )
                reply = reply_file.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture(scope="session")
def timestamp_authority_server(tmp_path_factory) -> Iterator[TimestampAuthority]:  # type: ignore[no-untyped-def]
    directory = tmp_path_factory.mktemp("tsa")
    make_authority_files(directory)
    seen: list[bytes] = []
    server = HTTPServer(("127.0.0.1", 0), _handler(directory, seen))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield TimestampAuthority(
        url=f"http://{host}:{port}/tsa",
        ca_file=directory / "ca.pem",
        tsa_cert=directory / "tsa.pem",
        directory=directory,
        requests=seen,
    )
    server.shutdown()
    server.server_close()


@pytest.fixture
def timestamp_authority(settings, timestamp_authority_server) -> TimestampAuthority:  # type: ignore[no-untyped-def]
    """The loopback TSA, configured as the Loket's timestamp authority and trusted CA."""
    settings.LOKET_TSA_URL = timestamp_authority_server.url
    settings.LOKET_TSA_CA_FILE = str(timestamp_authority_server.ca_file)
    return timestamp_authority_server
