"""A small HTTP server on loopback that serves the example RDFa pages (and a few misbehaving ones) to the
pipeline, and an OAuth2 token endpoint. Records each request's path and headers."""

import base64
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

EXAMPLES = Path("/work/shared/reference/vendor-api-examples")
PAGES = EXAMPLES / "meldingsplicht-annotaties"
BODIES = EXAMPLES / "meldingsplicht"


@dataclass
class Route:
    status: int
    content_type: str
    body: bytes
    basic: tuple[str, str] | None = None  # required credentials
    bearer: str | None = None
    # A slow page: the first `slow_requests` requests are answered only after `delay` seconds (`arrived` is set as
    # such a request comes in); `drip` sends the body one byte per `drip` seconds instead.
    slow_requests: int = 0
    delay: float = 0.0
    drip: float = 0.0
    arrived: threading.Event = field(default_factory=threading.Event)
    served: int = 0


@dataclass
class PageServer:
    base_url: str
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def serve(
        self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8", status: int = 200, **kwargs
    ) -> str:  # type: ignore[no-untyped-def]
        self.routes[path] = Route(status, content_type, body.encode() if isinstance(body, str) else body, **kwargs)
        return self.url(path)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _answer(self, status: int, body: bytes, content_type: str, drip: float = 0.0) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not drip:
            self.wfile.write(body)
            return
        try:
            for index in range(len(body)):
                self.wfile.write(body[index : index + 1])
                self.wfile.flush()
                time.sleep(drip)
        except OSError:  # the client gave up
            pass

    def do_GET(self) -> None:
        record = self.server.record
        headers = {k.lower(): v for k, v in self.headers.items()}
        record.requests.append(("GET", self.path, headers))
        route = record.routes.get(self.path)
        if route is None:
            return self._answer(404, b"niet gevonden", "text/plain")
        if route.basic is not None:
            expected = "Basic " + base64.b64encode(f"{route.basic[0]}:{route.basic[1]}".encode()).decode()
            if headers.get("authorization") != expected:
                return self._answer(401, b"aanmelden vereist", "text/plain")
        if route.bearer is not None and headers.get("authorization") != f"Bearer {route.bearer}":
            return self._answer(401, b"token vereist", "text/plain")
        route.served += 1
        if route.served <= route.slow_requests:
            route.arrived.set()
            if route.delay:
                time.sleep(route.delay)
            try:
                return self._answer(route.status, route.body, route.content_type, drip=route.drip)
            except OSError:
                return None
        self._answer(route.status, route.body, route.content_type)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode()
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.server.record.token_requests.append({"authorization": headers.get("authorization", ""), "body": body})
        expected = "Basic " + base64.b64encode(b"foo:bar").decode()
        if self.path == "/oauth2/token" and headers.get("authorization") == expected:
            return self._answer(
                200, json.dumps({"access_token": "tok-123", "token_type": "bearer"}).encode(), "application/json"
            )
        self._answer(401, b'{"error": "invalid_client"}', "application/json")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    record: PageServer


@contextmanager
def page_server() -> Iterator[PageServer]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.record = PageServer(base_url=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.record
    finally:
        server.shutdown()
        server.server_close()
