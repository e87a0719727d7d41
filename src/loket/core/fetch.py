"""Fetching a document from an address a user gave us, without letting that address reach our own network.

A user-given URL is a request forgery risk (SSRF): `http://169.254.169.254/` or `http://localhost:8000/admin/`
would make the Loket fetch something only it can see. So `fetch`:

- accepts only http and https;
- resolves the host itself and refuses when *any* address is not public: every range of the IANA special-purpose
  registries for IPv4 and IPv6 (private, loopback, link-local, shared, documentation, benchmarking, translation,
  ...), multicast, IPv6 outside global unicast, or such an address hidden in an IPv4-mapped, 6to4, Teredo or NAT64
  form; unless the setting `LOKET_ALLOW_PRIVATE_FETCH` lists it;
- connects to exactly the vetted address (the host name is not resolved again, so a DNS answer that changes
  between check and connect cannot redirect us), while the Host header, TLS SNI and certificate check still use
  the host name;
- follows at most five redirects itself, vetting every hop; credentials and caller headers go to the original
  origin only;
- POSTs a form (`method="POST", data=...`, e.g. an OAuth2 token request) under the same rules, but never follows
  a redirect with it: re-sending the form (and its secrets) elsewhere, or silently turning it into a GET, is
  refused;
- streams the body and stops past `max_bytes`; times out on connect and on every read, and on the whole transfer.

Errors are `FetchError`s with a message a clerk understands; `retryable` says whether trying again later makes
sense (timeouts, connection errors, 5xx and 429). Credentials never appear in messages or logs.
"""

import hashlib
import ipaddress
import logging
import random
import socket
import ssl
import threading
import time
import typing
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import certifi
import httpcore
import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext, gettext_noop

from loket.core.errors import DomainError
from loket.core.files import format_size_nl

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 5
USER_AGENT = "Loket-voor-Lokale-Besturen/1.0"
_REDIRECT_STATUSES = {301, 302, 303, 307, 308}
_NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")
UNKNOWN_HOST = gettext_noop("Het adres %(host)s bestaat niet.")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class FetchError(DomainError):
    """Fetching failed; `message_nl` says why in words a clerk understands, in the active language. `reason` is the
    same as data (`{"text": Dutch source text, "params": {...}}`, empty when the words came from elsewhere) for a
    record that keeps why: `reason_text` says it again in the language of whoever reads the record later."""

    code = "fetch_failed"

    def __init__(
        self,
        message_nl: str,
        code: str,
        retryable: bool = False,
        status: int | None = None,
        *,
        reason: dict[str, typing.Any] | None = None,
    ) -> None:
        super().__init__(message_nl, code=code)
        self.message_nl = message_nl
        self.retryable = retryable
        self.status = status  # the server's HTTP status, when it answered with an error status
        self.reason = reason or {}

    def __repr__(self) -> str:
        return f"FetchError({self.message_nl!r}, code={self.code!r}, retryable={self.retryable!r})"


def _refused(text: str, code: str, *, retryable: bool = False, status: int | None = None, **params: str) -> FetchError:
    """A FetchError for `text` (marked with gettext_noop) with `params`, worded in the active language."""
    reason = {"text": text, "params": params}
    return FetchError(reason_text(reason), code, retryable, status, reason=reason)


def reason_text(reason: Mapping[str, typing.Any]) -> str:
    """A FetchError's `reason` in the active language."""
    return gettext(reason["text"]) % reason["params"]


@dataclass(frozen=True)
class FetchResult:
    url: str  # as asked, without user information
    final_url: str  # after redirects, without user information
    status: int
    content_type: str  # media type from the Content-Type header, lower case, without parameters; "" if absent
    body: bytes
    sha256: str


def fetch(
    url: str,
    *,
    max_bytes: int,
    timeout: float = 15.0,
    auth: httpx.Auth | None = None,
    headers: dict | None = None,
    accept: str | None = None,
    total_timeout: float | None = None,
    method: typing.Literal["GET", "POST"] = "GET",
    data: Mapping[str, str] | None = None,
) -> FetchResult:
    """GET `url` safely (see the module docstring), or POST the form `data` to it (`method="POST"`; redirects
    are then refused). `timeout` bounds connecting and each read; `total_timeout` (default ten times `timeout`)
    bounds the whole transfer including redirects."""
    if method not in ("GET", "POST"):
        raise ValueError(f"fetch() only GETs and POSTs, not {method!r}.")
    if data is not None and method != "POST":
        raise ValueError("Form data can only be sent with method='POST'.")
    current = _parse_url(url)
    if current.userinfo:
        # Credentials in the address become Basic auth for its own origin and are dropped from the URL.
        auth = auth or httpx.BasicAuth(current.username, current.password)
        current = current.copy_with(username=None, password=None)
        url = str(current)
    origin = current
    deadline = _Deadline(total_timeout if total_timeout is not None else 10 * timeout)
    allowed = _allowed_networks()
    for _hop in range(MAX_REDIRECTS + 1):
        addresses = _vetted_addresses(current, allowed)
        for_origin = _is_same_origin(origin, current)
        request_headers = _request_headers(headers if for_origin else None, accept)
        deadline.check(timeout)
        backend = _PinnedBackend(current.raw_host.decode("ascii"), addresses)
        with (
            # a second past the deadline: its timer cuts the connection first, so the message names that limit
            _client(backend, min(timeout, deadline.remaining() + 1)) as client,
            _translated_errors(current, timeout, deadline),
            deadline.watching(backend),
        ):
            request_auth = auth if for_origin else None
            with client.stream(method, current, headers=request_headers, auth=request_auth, data=data) as response:
                if response.status_code in _REDIRECT_STATUSES and "location" in response.headers:
                    if method != "GET":
                        raise _refused(
                            gettext_noop(
                                "De server verwees het verzoek door naar een ander adres; dat wordt niet gevolgd."
                            ),
                            "redirect_refused",
                        )
                    current = _redirect_target(current, response.headers["location"])
                    continue
                _check_status(response)
                body, sha256 = _read_body(response, max_bytes=max_bytes, deadline=deadline)
        logger.info("Fetched %s: status %s, %s bytes", _loggable(current), response.status_code, len(body))
        if method == "GET":
            _scan(body, sha256=sha256, url=current)
        return FetchResult(
            url=url,
            final_url=str(current),
            status=response.status_code,
            content_type=response.headers.get("content-type", "").split(";")[0].strip().lower(),
            body=body,
            sha256=sha256,
        )
    raise _refused(
        gettext_noop("Het adres verwijst meer dan %(count)s keer door naar een ander adres en wordt niet opgehaald."),
        "too_many_redirects",
        count=str(MAX_REDIRECTS),
    )


def backoff_delays(attempts: int, base: float = 2.0, cap: float = 300.0) -> list[float]:
    """Waiting times before each retry: exponential (base, 2·base, 4·base, …, at most `cap`) with "full jitter"
    (a random time up to that bound, at least a tenth of it), so that many failed jobs do not retry in step."""
    delays = []
    for attempt in range(attempts):
        bound = min(cap, base * 2**attempt)
        delays.append(random.uniform(bound / 10, bound))
    return delays


# --- Checking addresses -------------------------------------------------------------------------------------


def _parse_url(url: str | httpx.URL) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        raise _refused(gettext_noop("Dit is geen geldig webadres."), "invalid_url") from None
    if parsed.scheme not in {"http", "https"}:
        raise _refused(
            gettext_noop("Alleen adressen die beginnen met http:// of https:// kunnen worden opgehaald."),
            "unsupported_scheme",
        )
    if not parsed.host:
        raise _refused(gettext_noop("Dit is geen geldig webadres."), "invalid_url")
    return parsed


def _allowed_networks() -> list[IPNetwork]:
    networks = []
    for entry in getattr(settings, "LOKET_ALLOW_PRIVATE_FETCH", []):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(f"LOKET_ALLOW_PRIVATE_FETCH: {entry!r} is no address or network.") from error
    return networks


def _vetted_addresses(url: httpx.URL, allowed: list[IPNetwork]) -> list[str]:
    """Resolve the host once and return its addresses, refusing if any of them is internal and not allowed."""
    host = url.raw_host.decode("ascii")
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        retryable = isinstance(error, socket.gaierror) and error.errno == socket.EAI_AGAIN
        raise _refused(UNKNOWN_HOST, "unknown_host", retryable=retryable, host=url.host) from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    for address in addresses:
        if not _is_allowed(ipaddress.ip_address(address), allowed):
            logger.warning("Refused to fetch from %s: it resolves to internal address %s", url.host, address)
            raise _refused(
                gettext_noop("Het adres %(host)s verwijst naar een intern netwerk en wordt niet opgehaald."),
                "internal_address",
                host=url.host,
            )
    if not addresses:
        raise _refused(UNKNOWN_HOST, "unknown_host", retryable=True, host=url.host)
    return addresses


def _is_allowed(address: IPAddress, allowed: list[IPNetwork]) -> bool:
    if any(address.version == network.version and address in network for network in allowed):
        return True
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        mapped = address.ipv4_mapped  # an allowed IPv4 address is allowed in its mapped form too
        return any(mapped in network for network in allowed if network.version == 4)
    return is_public_address(address)


# The IANA special-purpose address registries (iana-ipv4-special-registry, iana-ipv6-special-registry), every
# entry, whether or not IANA marks it "globally reachable": no vendor publishes decisions on an anycast relay, a
# documentation prefix or a DNS sink, and Python's `is_global` is wrong for several (3fff::/20, 5f00::/16 in 3.11).
# Plus multicast, and for IPv6 everything outside global unicast 2000::/3 (deprecated site-local fec0::/10,
# IPv4-compatible ::/96, ...). Embedded IPv4 addresses (mapped, 6to4, Teredo, NAT64) are refused with their range.
SPECIAL_PURPOSE_IPV4 = tuple(
    ipaddress.IPv4Network(network)
    for network in (
        "0.0.0.0/8",  # "this network"
        "10.0.0.0/8",  # private
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link local (cloud metadata)
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments (DS-Lite, NAT64 discovery, PCP/TURN anycast, ...)
        "192.0.2.0/24",  # documentation (TEST-NET-1)
        "192.31.196.0/24",  # AS112-v4
        "192.52.193.0/24",  # AMT
        "192.88.99.0/24",  # deprecated 6to4 relay anycast
        "192.168.0.0/16",  # private
        "192.175.48.0/24",  # direct delegation AS112
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation (TEST-NET-2)
        "203.0.113.0/24",  # documentation (TEST-NET-3)
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and 255.255.255.255 limited broadcast
    )
)
SPECIAL_PURPOSE_IPV6 = tuple(
    ipaddress.IPv6Network(network)
    for network in (
        "::/128",  # unspecified
        "::1/128",  # loopback
        "::ffff:0:0/96",  # IPv4-mapped
        "64:ff9b::/96",  # IPv4/IPv6 translation (NAT64)
        "64:ff9b:1::/48",  # local-use IPv4/IPv6 translation
        "100::/64",  # discard-only
        "100:0:0:1::/64",  # dummy IPv6 prefix
        "2001::/23",  # IETF protocol assignments (Teredo, benchmarking, AMT, AS112, ORCHID, drone DET, ...)
        "2001:db8::/32",  # documentation
        "2002::/16",  # 6to4
        "2620:4f:8000::/48",  # direct delegation AS112
        "3fff::/20",  # documentation
        "5f00::/16",  # segment routing (SRv6) SIDs
        "fc00::/7",  # unique local
        "fe80::/10",  # link local
        "fec0::/10",  # site local (deprecated)
        "ff00::/8",  # multicast
    )
)
GLOBAL_UNICAST_IPV6 = ipaddress.IPv6Network("2000::/3")


def is_public_address(address: IPAddress) -> bool:
    """Whether a user-given address may be fetched: a public unicast address in no special-purpose range."""
    if isinstance(address, ipaddress.IPv6Address):
        if any(not is_public_address(embedded) for embedded in _embedded_ipv4(address)):
            return False
        if address not in GLOBAL_UNICAST_IPV6:
            return False
        return not any(address in network for network in SPECIAL_PURPOSE_IPV6)
    return address.is_global and not any(address in network for network in SPECIAL_PURPOSE_IPV4)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> Iterator[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address can smuggle in (each of these forms can route to them)."""
    if address.ipv4_mapped is not None:
        yield address.ipv4_mapped
    if address.sixtofour is not None:
        yield address.sixtofour
    if address.teredo is not None:
        yield from address.teredo
    if address in _NAT64_PREFIX:
        yield ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)


def _is_same_origin(origin: httpx.URL, target: httpx.URL) -> bool:
    """Whether credentials meant for `origin` may go to `target`: same origin, or its upgrade from http to https."""
    if target.raw_host.lower() != origin.raw_host.lower():
        return False
    if (target.scheme, target.port) == (origin.scheme, origin.port):
        return True
    return origin.scheme == "http" and target.scheme == "https" and origin.port is None and target.port is None


def _redirect_target(current: httpx.URL, location: str) -> httpx.URL:
    try:
        target = current.join(location)
    except (httpx.InvalidURL, TypeError):
        raise _refused(gettext_noop("De server verwees door naar een ongeldig adres."), "invalid_redirect") from None
    return _parse_url(target.copy_with(username=None, password=None, fragment=None))


# --- Connecting to the vetted address -----------------------------------------------------------------------


class _PinnedBackend(httpcore.SyncBackend):
    """Opens TCP connections for `host` to the already vetted addresses only, never resolving `host` again.
    TLS is layered on top by httpcore with the host name, so SNI and certificate checks are unaffected."""

    def __init__(self, host: str, addresses: list[str]) -> None:
        self._host = host
        self._addresses = addresses
        self._streams: list[httpcore.NetworkStream] = []
        self._aborted = False

    def abort(self) -> None:
        """Cut every connection now (from the deadline's timer thread): a blocked read returns at once."""
        self._aborted = True
        for stream in self._streams:
            connection = stream.get_extra_info("socket")
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except (OSError, AttributeError):
                pass

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        if host.lower() != self._host.lower():
            raise httpcore.ConnectError(f"Connection to unvetted host {host!r} refused.")
        if self._aborted:
            raise httpcore.ConnectError("The deadline passed.")
        last_error: Exception | None = None
        for address in self._addresses:
            try:
                stream = super().connect_tcp(address, port, timeout, local_address, socket_options)
                self._streams.append(stream)
                return stream
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last_error = error
        assert last_error is not None  # _vetted_addresses never returns an empty list
        raise last_error


@lru_cache(maxsize=4)
def _ssl_context(cafile: str) -> ssl.SSLContext:
    """One TLS client context per CA bundle: loading the bundle costs milliseconds, and a context is safe to share
    between connections and threads (it holds no per-connection state)."""
    return ssl.create_default_context(cafile=cafile)


class _PinnedTransport(httpx.HTTPTransport):
    def __init__(self, backend: _PinnedBackend) -> None:
        ssl_context = _ssl_context(certifi.where())
        super().__init__(verify=ssl_context, trust_env=False)
        # httpx offers no public way to choose the network backend; its pool is replaced by one that has it.
        self._pool = httpcore.ConnectionPool(ssl_context=ssl_context, max_connections=1, network_backend=backend)


def _client(backend: _PinnedBackend, timeout: float) -> httpx.Client:
    return httpx.Client(
        transport=_PinnedTransport(backend),
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        trust_env=False,  # no proxies or .netrc from the environment: they would bypass the checks above
    )


def _request_headers(headers: dict | None, accept: str | None) -> dict[str, str]:
    request_headers = {"User-Agent": USER_AGENT, **(headers or {})}
    # No compression: the size limit must hold for what we receive, and a small gzip body can unpack to gigabytes.
    request_headers["Accept-Encoding"] = "identity"
    if accept:
        request_headers["Accept"] = accept
    return request_headers


class _Deadline:
    """The hard bound on one whole fetch (connecting, redirects, every read): a timer cuts the connection when it
    passes, so a server that drips its answer byte by byte cannot hold the caller past it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        return max(0.01, self.at - time.monotonic())

    def passed(self) -> bool:
        return time.monotonic() >= self.at

    def check(self, timeout: float) -> None:
        if self.passed():
            raise self.error()

    def error(self) -> FetchError:
        return _refused(
            gettext_noop(
                "Het ophalen duurde langer dan %(seconds)s seconden in totaal (de grens voor één poging); de server "
                "stuurt te traag."
            ),
            "deadline",
            retryable=True,
            seconds=_seconds_nl(self.seconds),
        )

    @contextmanager
    def watching(self, backend: "_PinnedBackend") -> Iterator[None]:
        timer = threading.Timer(self.remaining(), backend.abort)
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            timer.cancel()


@contextmanager
def _translated_errors(url: httpx.URL, timeout: float, deadline: _Deadline) -> Iterator[None]:
    """Turn httpx's errors into FetchErrors (the deadline's when it has passed: it cut the connection).
    `from None`: the originals may carry request details."""
    try:
        yield
    except httpx.HTTPError as error:
        if deadline.passed():
            raise deadline.error() from None
        raise _translated(error, url, timeout) from None


def _translated(error: httpx.HTTPError, url: httpx.URL, timeout: float) -> FetchError:
    if isinstance(error, httpx.TimeoutException):
        return _timeout_error(timeout)
    if isinstance(error, httpx.ConnectError):
        if _caused_by_tls(error):
            return _refused(
                gettext_noop(
                    "De beveiligde verbinding met %(host)s kon niet worden gecontroleerd (ongeldig certificaat)."
                ),
                "tls_error",
                host=url.host,
            )
        text = gettext_noop("De server %(host)s kon niet worden bereikt.")
        return _refused(text, "connection_error", retryable=True, host=url.host)
    logger.info("Fetching from %s failed: %s", url.host, type(error).__name__)
    if isinstance(error, httpx.TransportError):
        text = gettext_noop("De verbinding met %(host)s werd onverwacht verbroken.")
        return _refused(text, "connection_error", retryable=True, host=url.host)
    return _refused(gettext_noop("De server %(host)s gaf een onbruikbaar antwoord."), "invalid_response", host=url.host)


def _caused_by_tls(error: BaseException) -> bool:
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ssl.SSLError | ssl.CertificateError):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def _seconds_nl(seconds: float) -> str:
    return str(int(seconds)) if seconds == int(seconds) else f"{seconds:g}".replace(".", ",")


def _timeout_error(timeout: float) -> FetchError:
    return _refused(
        gettext_noop("De server antwoordde niet binnen %(seconds)s seconden (de wachttijd voor elk antwoord)."),
        "timeout",
        retryable=True,
        seconds=_seconds_nl(timeout),
    )


# --- Reading the answer -------------------------------------------------------------------------------------


def _check_status(response: httpx.Response) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    raise _refused(
        gettext_noop("De server antwoordde met foutcode %(number)s."),
        "http_error",
        retryable=status >= 500 or status == 429,
        status=status,
        number=str(status),
    )


def _read_body(response: httpx.Response, *, max_bytes: int, deadline: _Deadline) -> tuple[bytes, str]:
    """The body; the deadline is checked after every chunk and at the end (a connection it cut can look like the
    end of a body without a declared length)."""
    text = gettext_noop("Het bestand is groter dan %(size)s.")
    too_large = _refused(text, "too_large", size=format_size_nl(max_bytes))
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    digest = hashlib.sha256()
    chunks = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise too_large
        if deadline.passed():
            raise deadline.error()
        digest.update(chunk)
        chunks.append(chunk)
    if deadline.passed():
        raise deadline.error()
    return b"".join(chunks), digest.hexdigest()


def _scan(body: bytes, *, sha256: str, url: httpx.URL) -> None:
    """Every downloaded file goes through the virus scanner (`core.virusscan`) before anyone keeps it. Scanner
    down: a retryable error, so the worker's task tries again later and nothing unscanned is kept."""
    from loket.core import virusscan  # the audit trail's models load after this module

    if not virusscan.scanning_enabled():
        return
    try:
        signature = virusscan.scan_chunks([body])
    except virusscan.ScannerUnavailable as error:
        logger.warning("Download of %s not kept, virus scanner unavailable: %s", _loggable(url), error.detail)
        raise FetchError(error.message_nl, "scanner_unavailable", retryable=True) from error
    except virusscan.TooLargeToScan as error:
        logger.warning("Download of %s not kept, larger than clamd's StreamMaxLength", _loggable(url))
        raise FetchError(error.message_nl, "too_large_to_scan") from error
    if signature is not None:
        name = _loggable(url)
        virusscan.record_infected(sha256=sha256, signature=signature, file_name=name, source="download")
        raise FetchError(virusscan.infected_message_nl(name, signature), "infected")


def _loggable(url: httpx.URL) -> str:
    """The address without user information or query string (either may hold a secret)."""
    port = f":{url.port}" if url.port else ""
    return f"{url.scheme}://{url.host}{port}{url.path}"
