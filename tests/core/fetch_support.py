"""A small real HTTP(S) server on loopback for the fetch tests, with one route per behaviour under test."""

import datetime
import json
import ssl
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

SMALL_BODY = b"%PDF-1.7\nEen klein besluit.\n"


@dataclass
class RecordedRequest:
    path: str
    headers: dict[str, str]


@dataclass
class LocalServer:
    base_url: str
    requests: list[RecordedRequest] = field(default_factory=list)
    server_names: list[str | None] = field(default_factory=list)  # TLS SNI as received

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # the connection closes after each answer: a body needs no Content-Length
    server: "_Server"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        self.server.record.requests.append(RecordedRequest(parts.path, {k.lower(): v for k, v in self.headers.items()}))
        route = getattr(self, "route_" + parts.path.strip("/").split("/")[0].replace("-", "_"), None)
        if route is None:
            self.answer(404, b"niet gevonden")
        else:
            route(parts.path, query)

    def answer(
        self,
        status: int,
        body: bytes,
        content_type: str = "text/plain; charset=utf-8",
        *,
        content_length: bool = True,
        extra: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if content_length:
            self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def route_small(self, path: str, query: dict[str, str]) -> None:
        self.answer(200, SMALL_BODY, "application/pdf; name=besluit.pdf")

    def route_eicar(self, path: str, query: dict[str, str]) -> None:
        """A "PDF" carrying the EICAR test string (built from parts: tests/support/clamd.py)."""
        from tests.support.clamd import eicar

        self.answer(200, b"%PDF-1.4\n" + eicar() + b"\n%%EOF\n", "application/pdf")

    def route_sized(self, path: str, query: dict[str, str]) -> None:
        """?size=N bytes, announced in Content-Length unless ?length=no."""
        body = b"x" * int(query["size"])
        self.answer(200, body, "application/octet-stream", content_length=query.get("length") != "no")

    def route_slow(self, path: str, query: dict[str, str]) -> None:
        time.sleep(float(query.get("delay", "2")))
        self.answer(200, b"te laat")

    def route_drip(self, path: str, query: dict[str, str]) -> None:
        """Sends a byte every 0.1 s for ?seconds: each read is quick, the whole transfer is not."""
        self.send_response(200)
        self.end_headers()
        end = time.monotonic() + float(query["seconds"])
        while time.monotonic() < end:
            self.wfile.write(b".")
            self.wfile.flush()
            time.sleep(0.1)

    def route_status(self, path: str, query: dict[str, str]) -> None:
        self.answer(int(path.rsplit("/", 1)[1]), b"fout")

    def route_redirect(self, path: str, query: dict[str, str]) -> None:
        """?to=<location> with ?code (default 302)."""
        self.answer(int(query.get("code", "302")), b"", extra={"Location": query["to"]})

    def route_chain(self, path: str, query: dict[str, str]) -> None:
        """/chain/N redirects to /chain/N-1; /chain/0 answers."""
        remaining = int(path.rsplit("/", 1)[1])
        if remaining == 0:
            self.answer(200, b"einde van de keten")
        else:
            self.answer(302, b"", extra={"Location": f"/chain/{remaining - 1}"})

    def route_headers(self, path: str, query: dict[str, str]) -> None:
        body = json.dumps({k.lower(): v for k, v in self.headers.items()}).encode()
        self.answer(200, body, "application/json")

    def route_protected(self, path: str, query: dict[str, str]) -> None:
        self.answer(401, b"geen toegang", extra={"WWW-Authenticate": 'Basic realm="besluiten"'})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    record: LocalServer

    def handle_error(self, request: object, client_address: object) -> None:
        # The client hanging up early (a body past the size limit, a timeout) is what several tests do on purpose.
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError | ssl.SSLError | TimeoutError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serve(tls: "TlsFiles | None" = None, host_name: str = "127.0.0.1") -> Iterator[LocalServer]:
    """Serve the routes above on 127.0.0.1 (with TLS when given) until the block ends."""
    server = _Server(("127.0.0.1", 0), _Handler)
    scheme = "http"
    record = LocalServer(base_url="")
    if tls is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tls.certificate, tls.key)
        context.sni_callback = lambda sock, name, ctx: record.server_names.append(name)  # type: ignore[assignment]
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
        scheme = "https"
    record.base_url = f"{scheme}://{host_name}:{server.server_address[1]}"
    server.record = record
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield record
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass(frozen=True)
class TlsFiles:
    authority: Path  # the CA certificate the client must trust
    certificate: Path  # the server's certificate, for `host_name`
    key: Path


def make_tls_files(directory: Path, host_name: str) -> TlsFiles:
    """A throw-away certificate authority and a server certificate for `host_name` signed by it."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Loket test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host_name)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host_name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    files = TlsFiles(directory / "ca.pem", directory / "server.pem", directory / "server-key.pem")
    files.authority.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files.certificate.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    files.key.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return files
