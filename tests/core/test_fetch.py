"""fetch(): the guarded downloader, against a real HTTP server on loopback."""

import hashlib
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import certifi
import httpx
import pytest

from loket.core.fetch import FetchError, FetchResult, _ssl_context, backoff_delays, fetch
from tests.core.fetch_support import SMALL_BODY, LocalServer, make_tls_files, serve

SECRET = "geheim-wachtwoord-42"
_real_getaddrinfo = socket.getaddrinfo


@pytest.fixture
def allow_loopback(settings):  # type: ignore[no-untyped-def]
    settings.LOKET_ALLOW_PRIVATE_FETCH = ["127.0.0.1"]


@pytest.fixture
def server(allow_loopback) -> Iterator[LocalServer]:  # type: ignore[no-untyped-def]
    with serve() as local:
        yield local


@pytest.fixture
def other_server(allow_loopback) -> Iterator[LocalServer]:  # type: ignore[no-untyped-def]
    """A second origin (another port) to check what crosses origins on redirects."""
    with serve() as local:
        yield local


def fake_dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> dict[str, int]:
    """Resolve the given names to the given addresses (each next call gives the next answer; past the last one the
    name does not exist); other names resolve normally. Returns how often each name was looked up."""
    calls = dict.fromkeys(answers, 0)

    def getaddrinfo(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host not in answers:
            return _real_getaddrinfo(host, port, *args, **kwargs)
        calls[host] += 1
        if calls[host] > len(answers[host]):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        address = answers[host][calls[host] - 1]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return calls


def fetch_error(url: str, **kwargs) -> FetchError:  # type: ignore[no-untyped-def]
    kwargs.setdefault("max_bytes", 1_000_000)
    with pytest.raises(FetchError) as caught:
        fetch(url, **kwargs)
    return caught.value


# --- Success ------------------------------------------------------------------------------------------------


def test_fetches_body_with_hash_and_media_type(server: LocalServer) -> None:
    result = fetch(server.url("/small"), max_bytes=1000)

    assert result == FetchResult(
        url=server.url("/small"),
        final_url=server.url("/small"),
        status=200,
        content_type="application/pdf",
        body=SMALL_BODY,
        sha256=hashlib.sha256(SMALL_BODY).hexdigest(),
    )


def test_sends_accept_and_caller_headers_without_compression(server: LocalServer) -> None:
    result = fetch(server.url("/headers"), max_bytes=10_000, accept="application/pdf", headers={"X-Loket": "ja"})

    sent = json.loads(result.body)
    assert sent["accept"] == "application/pdf"
    assert sent["x-loket"] == "ja"
    assert sent["accept-encoding"] == "identity"
    assert sent["host"] == server.base_url.removeprefix("http://")


def test_follows_redirects_up_to_five(server: LocalServer) -> None:
    result = fetch(server.url("/chain/5"), max_bytes=1000)

    assert result.body == b"einde van de keten"
    assert result.final_url == server.url("/chain/0")
    assert [request.path for request in server.requests] == [f"/chain/{n}" for n in range(5, -1, -1)]


def test_refuses_a_sixth_redirect(server: LocalServer) -> None:
    error = fetch_error(server.url("/chain/6"))

    assert error.code == "too_many_redirects"
    assert error.message_nl == ("Het adres verwijst meer dan 5 keer door naar een ander adres en wordt niet opgehaald.")
    assert len(server.requests) == 6


# --- Refused addresses --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://127.0.0.1/", "127.0.0.1"),
        ("http://localhost:8000/admin/", "localhost"),
        ("http://[::1]/", "::1"),
        ("http://10.0.0.1/", "10.0.0.1"),
        ("http://192.168.1.1/", "192.168.1.1"),
        ("http://100.64.0.1/", "100.64.0.1"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://0.0.0.0/", "0.0.0.0"),  # noqa: S104 - an address we refuse, not one we bind
        ("http://224.0.0.1/", "224.0.0.1"),
        ("http://2130706433/", "2130706433"),  # 127.0.0.1 as a single number
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1"),  # IPv4-mapped
        ("http://[::ffff:a9fe:a9fe]/", "::ffff:a9fe:a9fe"),  # IPv4-mapped 169.254.169.254
        ("http://[2002:a00:1::]/", "2002:a00:1::"),  # 6to4 of 10.0.0.1
        ("http://[64:ff9b::a9fe:a9fe]/", "64:ff9b::a9fe:a9fe"),  # NAT64 of 169.254.169.254
        ("http://[fe80::1]/", "fe80::1"),
        ("http://[fd00::1]/", "fd00::1"),
    ],
)
def test_refuses_internal_addresses(url: str, host: str) -> None:
    error = fetch_error(url)

    assert error.code == "internal_address"
    assert error.message_nl == f"Het adres {host} verwijst naar een intern netwerk en wordt niet opgehaald."
    assert error.retryable is False


def test_refuses_a_name_when_any_of_its_addresses_is_internal(monkeypatch: pytest.MonkeyPatch) -> None:
    def getaddrinfo(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        assert host == "gemengd.example.test"
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    error = fetch_error("https://gemengd.example.test/besluit.pdf")

    assert error.message_nl == (
        "Het adres gemengd.example.test verwijst naar een intern netwerk en wordt niet opgehaald."
    )


def test_loopback_is_refused_until_listed(settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOKET_ALLOW_PRIVATE_FETCH = []
    with serve() as local:
        assert fetch_error(local.url("/small")).code == "internal_address"
        assert local.requests == []

        settings.LOKET_ALLOW_PRIVATE_FETCH = ["127.0.0.0/8"]
        assert fetch(local.url("/small"), max_bytes=1000).body == SMALL_BODY


def test_allowing_one_address_does_not_allow_its_neighbours(server: LocalServer) -> None:
    assert fetch_error("http://127.0.0.2/").code == "internal_address"
    assert fetch_error("http://[::1]/").code == "internal_address"
    assert fetch_error("http://[::ffff:127.0.0.2]/").code == "internal_address"


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/intern"])
def test_redirect_to_an_internal_address_is_refused(server: LocalServer, target: str) -> None:
    error = fetch_error(server.url(f"/redirect?to={target}"))

    assert error.code == "internal_address"
    assert error.message_nl == (
        f"Het adres {httpx.URL(target).host} verwijst naar een intern netwerk en wordt niet opgehaald."
    )


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://example.org/besluit.pdf", "gopher://x/"])
def test_redirect_to_another_scheme_is_refused(server: LocalServer, target: str) -> None:
    assert fetch_error(server.url(f"/redirect?to={target}")).code == "unsupported_scheme"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/besluit.pdf", "javascript:alert(1)"])
def test_refuses_other_schemes(url: str) -> None:
    error = fetch_error(url)

    assert error.code == "unsupported_scheme"
    assert error.message_nl == "Alleen adressen die beginnen met http:// of https:// kunnen worden opgehaald."


@pytest.mark.parametrize("url", ["", "http://", "http:///pad", "besluit.pdf", "http://[::1/"])
def test_refuses_what_is_no_address(url: str) -> None:
    assert fetch_error(url).code in {"invalid_url", "unsupported_scheme"}


def test_unknown_host(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(monkeypatch, {"weg.example.test": []})

    error = fetch_error("https://weg.example.test/besluit.pdf")

    assert error.code == "unknown_host"
    assert error.message_nl == "Het adres weg.example.test bestaat niet."


def test_connects_to_the_vetted_address_without_resolving_again(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DNS rebinding: the first answer passes the check, any later lookup would fail (or point elsewhere).
    port = httpx.URL(server.base_url).port
    calls = fake_dns(monkeypatch, {"besluiten.example.test": ["127.0.0.1"]})

    result = fetch(f"http://besluiten.example.test:{port}/small", max_bytes=1000)

    assert result.body == SMALL_BODY
    assert calls == {"besluiten.example.test": 1}
    assert server.requests[0].headers["host"] == f"besluiten.example.test:{port}"


def test_every_redirect_hop_is_resolved_and_vetted(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(monkeypatch, {"elders.example.test": ["10.1.2.3"]})

    error = fetch_error(server.url("/redirect?to=http://elders.example.test/besluit.pdf"))

    assert error.message_nl == "Het adres elders.example.test verwijst naar een intern netwerk en wordt niet opgehaald."


def test_https_uses_the_host_name_for_sni_and_certificate(
    allow_loopback,
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    tls = make_tls_files(tmp_path, "besluiten.example.test")
    monkeypatch.setattr(certifi, "where", lambda: str(tls.authority))
    calls = fake_dns(monkeypatch, {"besluiten.example.test": ["127.0.0.1"]})
    with serve(tls=tls, host_name="besluiten.example.test") as local:
        result = fetch(local.url("/small"), max_bytes=1000)

    assert result.body == SMALL_BODY
    assert local.server_names == ["besluiten.example.test"]
    assert calls == {"besluiten.example.test": 1}


def test_https_with_a_certificate_for_another_name_is_refused(
    allow_loopback,
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    tls = make_tls_files(tmp_path, "iemand-anders.example.test")
    monkeypatch.setattr(certifi, "where", lambda: str(tls.authority))
    fake_dns(monkeypatch, {"besluiten.example.test": ["127.0.0.1"]})
    with serve(tls=tls, host_name="besluiten.example.test") as local:
        error = fetch_error(local.url("/small"))

    assert error.code == "tls_error"
    assert error.retryable is False


# --- Size, time, status -------------------------------------------------------------------------------------


def test_refuses_a_body_announced_too_large(server: LocalServer) -> None:
    error = fetch_error(server.url("/sized?size=3000000"), max_bytes=2 * 1024 * 1024)

    assert error.code == "too_large"
    assert error.message_nl == "Het bestand is groter dan 2 MB."
    assert error.retryable is False


def test_stops_streaming_a_body_without_length_past_the_limit(server: LocalServer) -> None:
    error = fetch_error(server.url("/sized?size=5000&length=no"), max_bytes=4096)

    assert error.code == "too_large"
    assert error.message_nl == "Het bestand is groter dan 4 kB."


def test_accepts_a_body_of_exactly_the_limit(server: LocalServer) -> None:
    assert len(fetch(server.url("/sized?size=4096&length=no"), max_bytes=4096).body) == 4096
    assert len(fetch(server.url("/sized?size=4096"), max_bytes=4096).body) == 4096


def test_times_out_on_a_slow_server(server: LocalServer) -> None:
    error = fetch_error(server.url("/slow?delay=2"), timeout=0.5)

    assert error.code == "timeout"
    assert error.message_nl == "De server antwoordde niet binnen 0,5 seconden (de wachttijd voor elk antwoord)."
    assert error.retryable is True


def test_times_out_on_a_transfer_that_takes_too_long_overall(server: LocalServer) -> None:
    started = time.monotonic()
    error = fetch_error(server.url("/drip?seconds=3"), timeout=1, total_timeout=0.6)

    assert time.monotonic() - started < 0.9
    assert (error.code, error.retryable) == ("deadline", True)
    assert error.message_nl == (
        "Het ophalen duurde langer dan 0,6 seconden in totaal (de grens voor één poging); de server stuurt te traag."
    )


def test_the_deadline_is_hard_even_while_a_read_waits(server: LocalServer) -> None:
    """The answer comes after 3 s, each read may wait 10 s: the 0.5 s deadline cuts the connection itself."""
    started = time.monotonic()
    error = fetch_error(server.url("/slow?delay=3"), timeout=10, total_timeout=0.5)

    assert time.monotonic() - started < 0.8
    assert error.code == "deadline"


@pytest.mark.parametrize(("status", "retryable"), [(404, False), (403, False), (429, True), (500, True), (503, True)])
def test_error_statuses(server: LocalServer, status: int, retryable: bool) -> None:
    error = fetch_error(server.url(f"/status/{status}"))

    assert error.code == "http_error"
    assert error.message_nl == f"De server antwoordde met foutcode {status}."
    assert error.retryable is retryable


def test_unreachable_server_is_retryable(allow_loopback) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    error = fetch_error(f"http://127.0.0.1:{port}/")

    assert error.code == "connection_error"
    assert error.message_nl == "De server 127.0.0.1 kon niet worden bereikt."
    assert error.retryable is True


# --- Credentials --------------------------------------------------------------------------------------------


def _all_text(error: BaseException) -> str:
    texts = []
    current: BaseException | None = error
    while current is not None:
        texts += [str(current), repr(current), repr(current.args)]
        current = current.__cause__ or current.__context__
    return "\n".join(texts)


@pytest.mark.parametrize("path", ["/protected", "/status/500", "/slow?delay=2", "/sized?size=5000"])
def test_credentials_never_appear_in_errors_or_logs(
    server: LocalServer, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    error = fetch_error(server.url(path), auth=httpx.BasicAuth("gemeente", SECRET), max_bytes=1000, timeout=0.5)

    assert SECRET not in _all_text(error)
    assert SECRET not in caplog.text
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__ is True  # tracebacks never show the original


def test_credentials_in_the_address_never_appear_in_errors_logs_or_results(
    server: LocalServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with_secret = server.url("/headers").replace("http://", f"http://gemeente:{SECRET}@")

    result = fetch(with_secret, max_bytes=10_000)
    error = fetch_error(server.url("/status/404").replace("http://", f"http://gemeente:{SECRET}@"))

    assert json.loads(result.body)["authorization"] == httpx.BasicAuth("gemeente", SECRET)._auth_header
    assert result.url == server.url("/headers")
    assert result.final_url == server.url("/headers")
    assert SECRET not in _all_text(error)
    assert SECRET not in caplog.text


def test_credentials_and_headers_stay_with_the_original_origin(server: LocalServer, other_server: LocalServer) -> None:
    target = other_server.url("/headers")

    result = fetch(
        server.url(f"/redirect?to={target}"),
        max_bytes=10_000,
        auth=httpx.BasicAuth("gemeente", SECRET),
        headers={"X-Api-Key": SECRET},
        accept="application/json",
    )

    assert server.requests[0].headers["authorization"].startswith("Basic ")
    assert server.requests[0].headers["x-api-key"] == SECRET
    sent = json.loads(result.body)
    assert "authorization" not in sent
    assert "x-api-key" not in sent
    assert sent["accept"] == "application/json"


def test_credentials_follow_a_redirect_within_the_origin(server: LocalServer) -> None:
    result = fetch(server.url("/redirect?to=/headers"), max_bytes=10_000, auth=httpx.BasicAuth("gemeente", SECRET))

    assert json.loads(result.body)["authorization"] == httpx.BasicAuth("gemeente", SECRET)._auth_header


# --- POSTing a form ----------------------------------------------------------------------------------------


class _FormHandler(BaseHTTPRequestHandler):
    """Answers every POST with what it received (method, path, headers, form); /redirect-307 sends it elsewhere,
    /status/N answers N."""

    protocol_version = "HTTP/1.0"
    received: list[dict]  # set per server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _record(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode()) if length else {}
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.received.append({"method": method, "path": self.path, "headers": headers, "form": form})
        if self.path.startswith("/redirect-307"):
            self.send_response(307)
            self.send_header("Location", self.path.split("to=", 1)[1])
            body = b""
        elif self.path.startswith("/status/"):
            self.send_response(int(self.path.rsplit("/", 1)[1]))
            body = b"fout"
        else:
            self.send_response(200)
            body = json.dumps(self.received[-1]).encode()
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        self._record("POST")

    def do_GET(self) -> None:
        self._record("GET")


@contextmanager
def form_server() -> Iterator[tuple[str, list[dict]]]:
    received: list[dict] = []
    handler = type("Handler", (_FormHandler,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_posts_a_form_with_credentials(allow_loopback) -> None:  # type: ignore[no-untyped-def]
    with form_server() as (base, received):
        result = fetch(
            f"{base}/token",
            method="POST",
            data={"grant_type": "client_credentials", "scope": "lezen"},
            auth=httpx.BasicAuth("klant", SECRET),
            accept="application/json",
            max_bytes=10_000,
        )

    assert result.status == 200
    assert result.content_type == "application/json"
    assert len(received) == 1
    sent = received[0]
    assert sent["method"] == "POST"
    assert sent["path"] == "/token"
    assert sent["form"] == {"grant_type": ["client_credentials"], "scope": ["lezen"]}
    assert sent["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert sent["headers"]["authorization"] == httpx.BasicAuth("klant", SECRET)._auth_header
    assert sent["headers"]["accept"] == "application/json"
    assert sent["headers"]["accept-encoding"] == "identity"


def test_post_to_an_internal_address_is_refused_before_connecting(settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOKET_ALLOW_PRIVATE_FETCH = []
    with form_server() as (base, received):
        error = fetch_error(f"{base}/token", method="POST", data={"grant_type": "client_credentials"})

    assert error.code == "internal_address"
    assert received == []


def test_post_to_a_name_resolving_internally_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(monkeypatch, {"tokens.example.test": ["10.1.2.3"]})

    error = fetch_error("http://tokens.example.test/token", method="POST", data={"grant_type": "x"})

    assert error.code == "internal_address"
    assert error.message_nl == "Het adres tokens.example.test verwijst naar een intern netwerk en wordt niet opgehaald."


def test_a_post_is_never_redirected(allow_loopback) -> None:  # type: ignore[no-untyped-def]
    with form_server() as (base, received), form_server() as (elsewhere, received_elsewhere):
        error = fetch_error(
            f"{base}/redirect-307?to={elsewhere}/token",
            method="POST",
            data={"client_secret": SECRET},
            auth=httpx.BasicAuth("klant", SECRET),
        )

    assert error.code == "redirect_refused"
    assert error.retryable is False
    assert [r["path"] for r in received] == [f"/redirect-307?to={elsewhere}/token"]
    assert received_elsewhere == []
    assert SECRET not in _all_text(error)


@pytest.mark.parametrize(("status", "retryable"), [(401, False), (400, False), (503, True)])
def test_a_post_answered_with_an_error_status(allow_loopback, status: int, retryable: bool) -> None:  # type: ignore[no-untyped-def]
    with form_server() as (base, _received):
        error = fetch_error(f"{base}/status/{status}", method="POST", data={"a": "b"})

    assert error.code == "http_error"
    assert error.status == status
    assert error.retryable is retryable


def test_a_post_answer_is_capped_in_size(allow_loopback) -> None:  # type: ignore[no-untyped-def]
    with form_server() as (base, _received):
        error = fetch_error(f"{base}/token", method="POST", data={"grant_type": "x" * 500}, max_bytes=100)

    assert error.code == "too_large"


def test_only_get_and_post_and_form_data_only_with_post() -> None:
    with pytest.raises(ValueError, match="only GETs and POSTs"):
        fetch("http://example.test/", method="PUT", max_bytes=10)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="method='POST'"):
        fetch("http://example.test/", data={"a": "b"}, max_bytes=10)


def test_the_tls_context_is_built_once_per_certificate_bundle() -> None:
    assert _ssl_context(certifi.where()) is _ssl_context(certifi.where())


# --- Back-off -----------------------------------------------------------------------------------------------


def test_backoff_delays_grow_exponentially_within_their_cap() -> None:
    for _ in range(50):
        delays = backoff_delays(10, base=2.0, cap=60.0)
        assert len(delays) == 10
        bounds = [2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0, 60.0, 60.0]
        assert all(bound / 10 <= delay <= bound for delay, bound in zip(delays, bounds, strict=True))


def test_backoff_delays_are_jittered() -> None:
    assert len({tuple(backoff_delays(4)) for _ in range(20)}) > 1
    assert backoff_delays(0) == []
