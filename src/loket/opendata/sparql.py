"""Answering SPARQL 1.1 queries over the public projection (query protocol only; updates are refused).

Queries run in a child process that keeps the store open read-only, so that a query can be stopped at the time limit
(`LOKET_SPARQL_TIMEOUT`, 503) without harming the server: the child is killed and the next query starts a new one.
The child lives on between queries (one per server process) and reopens the store only when the writer has marked a
new generation (store.mark_generation) — before, every query forked a child that opened the store, about 50 ms of a
small query's time. While a compaction or a rebuild merges or replaces the store's files, queries wait for it (at most
half the time limit, then 503 with Retry-After): a reader that kept the store open across it blew up (storelock.py).
Results are cut at `LOKET_SPARQL_MAX_ROWS` (the response says so in `X-Loket-Row-Limit` and
`X-Loket-Truncated`). With an external store (`LOKET_SPARQL_QUERY_URL`) the query is passed on over the protocol with
the same limits.

The child never outlives its server process: it asks the kernel to kill it when that process ends (kill -9, OOM;
Linux's PR_SET_PDEATHSIG), and a server that stops gracefully on SIGTERM (a gunicorn worker: finish the request, then
exit) first kills the child of a running query and answers that request with a 503 — else a deploy waits for the
query, up to the graceful timeout. See docs/operations.md ("SPARQL query processes").
"""

import csv
import ctypes
import hashlib
import io
import json
import multiprocessing
import os
import resource
import signal
import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.utils.translation import gettext as _

from loket.core.linkeddata import Unwritable, oxigraph_rdfxml_one, rdfxml_unwritable_predicates, rdfxml_well_formed

RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
STOPPING_RETRY_AFTER = 10  # seconds; another server process (or this one, restarted) answers by then
BUSY_RETRY_AFTER = 60  # seconds; a compaction takes about 8 s at 1.8 M triples, a rebuild minutes


class QueryFailed(Exception):
    def __init__(self, status: int, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


@dataclass
class Answer:
    body: bytes
    content_type: str
    truncated: bool = False
    rows: int = 0
    table: dict[str, Any] | None = None  # for the HTML page: {"vars": [...], "rows": [[...]]} or {"boolean": b}


def _term_json(term: Any) -> dict[str, str]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        found = {"type": "literal", "value": term.value}
        if term.language:
            found["xml:lang"] = term.language
        elif term.datatype and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            found["datatype"] = term.datatype.value
        return found
    return {"type": "literal", "value": str(term)}


_encode_json = json.JSONEncoder(ensure_ascii=False).encode
TERM_CACHE_SIZE = 100_000  # distinct terms whose JSON is kept while one result is written


def _json_bindings(variables: list[str], rows: list[tuple[Any, ...]]) -> str:
    """The `bindings` array of SPARQL JSON results, written as text: each distinct term is encoded once and reused
    (codes, bodies and classes repeat in most rows). Building a dict per term and handing the lot to json.dumps took
    1.7 s of the 3.7 s that a query of 56,665 rows with six variables took (bench/opendata.py, optional-heavy)."""
    keys = [_encode_json(name) + ":" for name in variables]
    encoded: dict[Any, str] = {}

    def fragment(term: Any) -> str:
        found = encoded.get(term)
        if found is None:
            found = _encode_json(_term_json(term))
            if len(encoded) < TERM_CACHE_SIZE:
                encoded[term] = found
        return found

    return ",".join(
        "{" + ",".join(key + fragment(term) for key, term in zip(keys, row, strict=True) if term is not None) + "}"
        for row in rows
    )


def _term_text(term: Any) -> str:
    return "" if term is None else _term_json(term)["value"]


def _term_tsv(term: Any) -> str:
    return "" if term is None else str(term)  # N-Triples form, as SPARQL TSV asks


def _select(solutions: Any, fmt: str, cap: int) -> Answer:
    variables = [v.value for v in solutions.variables]
    rows: list[tuple[Any, ...]] = []  # the terms of each solution in the order of `variables`, None when unbound
    truncated = False
    for solution in solutions:
        if len(rows) == cap:
            truncated = True
            break
        rows.append(tuple(solution))
    table = {"vars": variables, "rows": [[_term_text(t) for t in row] for row in rows[:1000]]}
    if fmt == "json":
        head = _encode_json({"head": {"vars": variables}})[:-1]  # without its closing brace
        body = head + ',"results":{"bindings":[' + _json_bindings(variables, rows) + "]}}"
        return Answer(body.encode(), RESULT_TYPES["json"], truncated, len(rows), table)
    if fmt == "xml":
        parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
        parts.append("</head>\n<results>")
        for row in rows:
            parts.append("<result>")
            for name, term in zip(variables, row, strict=True):
                if term is None:
                    continue
                item = _term_json(term)
                if item["type"] == "uri":
                    inner = f"<uri>{escape(item['value'])}</uri>"
                elif item["type"] == "bnode":
                    inner = f"<bnode>{escape(item['value'])}</bnode>"
                else:
                    attributes = ""
                    if "xml:lang" in item:
                        attributes = f" xml:lang={quoteattr(item['xml:lang'])}"
                    elif "datatype" in item:
                        attributes = f" datatype={quoteattr(item['datatype'])}"
                    inner = f"<literal{attributes}>{escape(item['value'])}</literal>"
                parts.append(f"<binding name={quoteattr(name)}>{inner}</binding>")
            parts.append("</result>")
        parts.append("</results>\n</sparql>\n")
        return Answer("\n".join(parts).encode(), RESULT_TYPES["xml"], truncated, len(rows), table)
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join(_term_tsv(t) for t in row) for row in rows]
        return Answer(("\n".join(lines) + "\n").encode(), RESULT_TYPES["tsv"], truncated, len(rows), table)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    writer.writerows([[_term_text(t) for t in row] for row in rows])
    return Answer(out.getvalue().encode(), RESULT_TYPES["csv"], truncated, len(rows), table)


def _graph(triples: Any, fmt: str, cap: int) -> Answer:
    import pyoxigraph as ox

    kept: list[ox.Triple] = []
    truncated = False
    for triple in triples:
        if len(kept) == cap:
            truncated = True
            break
        kept.append(triple)
    formats = {
        "turtle": ox.RdfFormat.TURTLE,
        "ntriples": ox.RdfFormat.N_TRIPLES,
        "jsonld": ox.RdfFormat.JSON_LD,
        "rdfxml": ox.RdfFormat.RDF_XML,
    }
    body = ox.serialize(kept, format=formats[fmt]) or b""
    if fmt == "rdfxml" and not rdfxml_well_formed(body):  # a predicate with no XML name, a control character
        predicates = {triple.predicate.value for triple in kept}
        raise Unwritable(rdfxml_unwritable_predicates(predicates, oxigraph_rdfxml_one))
    table = {
        "vars": ["s", "p", "o"],
        "rows": [[_term_text(t.subject), t.predicate.value, _term_text(t.object)] for t in kept[:1000]],
    }
    return Answer(body, GRAPH_TYPES[fmt], truncated, len(kept), table)


def _answer(store: Any, union: bool, query: str, result_format: str, graph_format: str, cap: int) -> Answer:
    import pyoxigraph as ox

    result = store.query(query, use_default_graph_as_union=union)
    if isinstance(result, ox.QueryBoolean):
        value = bool(result)
        if result_format == "xml":
            body = (
                '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{str(value).lower()}</boolean></sparql>\n"
            ).encode()
            return Answer(body, RESULT_TYPES["xml"], table={"boolean": value})
        if result_format in {"csv", "tsv"}:
            return Answer(f"{str(value).lower()}\n".encode(), RESULT_TYPES[result_format], table={"boolean": value})
        body = json.dumps({"head": {}, "boolean": value}).encode()
        return Answer(body, RESULT_TYPES["json"], table={"boolean": value})
    if isinstance(result, ox.QuerySolutions):
        return _select(result, result_format, cap)
    return _graph(result, graph_format, cap)


def _generation(path: str) -> str:
    try:
        with open(f"{path}/GENERATION", encoding="ascii") as marker:
            return marker.read()
    except OSError:
        return ""  # a store written before the marker existed: reopened for every query


def _die_with_parent(parent: int) -> None:
    """In the child, first thing: have the kernel kill it when the server process ends, however it ends (kill -9,
    OOM), instead of running the query on under init. If the server already ended between the fork and the prctl,
    the child has a new parent by now and ends itself. (The signal comes when the *thread* that forked ends: with
    gunicorn's sync workers that is the worker's only thread.)"""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:
        os._exit(0)


def _default_signals() -> None:
    """In the child: drop the signal handling it inherited from the server. gunicorn's worker handler only marks the
    worker as stopping, so SIGTERM did not end the child, and the worker's exit (multiprocessing joins its daemon
    children after terminating them) waited for it until gunicorn killed the worker at the graceful timeout."""
    signal.set_wakeup_fd(-1)  # gunicorn's wake-up pipe belongs to the worker
    for number in signal.valid_signals():
        if callable(signal.getsignal(number)):
            signal.signal(number, signal.SIG_DFL)


def _limit_memory(megabytes: int) -> None:
    """In the child: let a query take at most `megabytes` of memory beyond what the process held when it started
    (LOKET_SPARQL_MAX_MEMORY_MB). Without a limit one public query (a cross product with ORDER BY) grew by about 220 MB
    a second until the time limit, 6-7 GB in 30 s for each server process: enough for the kernel's OOM killer to pick
    PostgreSQL. oxigraph (Rust) aborts the process when an allocation fails, Python raises MemoryError; the server
    answers 503 either way (run_query). RLIMIT_DATA counts the heap and anonymous mappings, not the store's files."""
    if megabytes <= 0:
        return
    with open("/proc/self/status", encoding="ascii") as status:
        held = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmData:"))
    limit = held + megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def _serve(path: str, connection: Any, parent: int, memory: int) -> None:
    """In the child: keep the store open read-only; for each request, reopen it if the writer marked a new
    generation, run, serialise, send the answer (or the error)."""
    _die_with_parent(parent)
    _default_signals()
    _limit_memory(memory)
    import pyoxigraph as ox

    from loket.opendata.storelock import ReaderLock

    store, union, opened = None, False, None
    lock = ReaderLock(path)
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return  # the server process is gone
        query, result_format, graph_format, cap, lock_wait = request
        if not lock.acquire(lock_wait):  # a compaction or rebuild holds the store (storelock)
            reply: tuple[str, Any] = ("busy", "")
        else:
            try:
                generation = _generation(path)
                if store is None or not generation or generation != opened:
                    store = ox.Store.read_only(path)
                    opened = generation
                    # The default graph is the set union of the instances' graphs (store.EmbeddedStore.replace); a
                    # store written before it was kept is read as the union of its graphs until its next rebuild.
                    union = next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None
                reply = ("ok", _answer(store, union, query, result_format, graph_format, cap))
            except SyntaxError as error:
                reply = ("syntax", str(error))
            except Unwritable as error:
                reply = ("unwritable", error.predicates)
            except MemoryError:
                reply = ("memory", "")
            except OSError as error:
                store = None
                reply = ("store", str(error))
            except Exception as error:
                reply = ("failed", f"{type(error).__name__}: {error}")
            finally:
                lock.release()
        try:
            connection.send(reply)
        except (BrokenPipeError, OSError):
            return


class _QueryProcess:
    """The child that answers this server process's queries, started on first use, replaced after a timeout."""

    def __init__(self, path: str) -> None:
        context = multiprocessing.get_context("fork")
        self.path = path
        self.connection, child_end = context.Pipe(duplex=True)
        self.busy = False  # a query is under way (SIGTERM kills the child then)
        memory = settings.LOKET_SPARQL_MAX_MEMORY_MB
        self.process = context.Process(target=_serve, args=(path, child_end, os.getpid(), memory), daemon=True)
        self.process.start()
        child_end.close()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(1)
        self.connection.close()


_LOCK = threading.Lock()
_PROCESS: dict[int, _QueryProcess] = {}  # by the server's pid: a forked server process never uses its parent's
_WATCHING: set[int] = set()  # server pids whose SIGTERM handler cancels a running query
_STOPPING: set[int] = set()  # server pids that received SIGTERM: no new query starts


def _cancel_on_terminate() -> None:
    """Make SIGTERM kill this server process's running query before the server's own handler runs.

    Only where the server handles SIGTERM itself (gunicorn's worker marks itself to stop after the request): with the
    default handling the process ends at once and the kernel ends the child (_die_with_parent). Installed on the
    first query of each server process, after gunicorn has set its handlers; signals can be handled only in the main
    thread, which is where gunicorn's sync workers answer requests."""
    pid = os.getpid()
    if pid in _WATCHING or threading.current_thread() is not threading.main_thread():
        return
    _WATCHING.add(pid)
    previous = signal.getsignal(signal.SIGTERM)
    if not callable(previous):
        return

    def on_terminate(number: int, frame: Any) -> None:
        _STOPPING.add(os.getpid())
        running = _PROCESS.get(os.getpid())
        if running is not None and running.busy:
            running.process.kill()  # the wait in run_query sees the pipe close and answers 503
        previous(number, frame)

    signal.signal(signal.SIGTERM, on_terminate)


def _memory_failure() -> QueryFailed:
    return QueryFailed(
        503,
        _(
            "De query had meer dan %(megabytes)s MB geheugen nodig en werd gestopt. Maak ze specifieker (LIMIT, meer "
            "voorwaarden, minder rijen sorteren)."
        )
        % {"megabytes": settings.LOKET_SPARQL_MAX_MEMORY_MB},
    )


def _stopping_failure() -> QueryFailed:
    return QueryFailed(
        503,
        _("De server stopt of herstart; de query werd afgebroken. Probeer ze over enkele seconden opnieuw."),
        retry_after=STOPPING_RETRY_AFTER,
    )


def _query_process(path: str) -> _QueryProcess:
    found = _PROCESS.get(os.getpid())
    if found is None or found.path != path or not found.process.is_alive():
        if found is not None:
            found.stop()
        found = _QueryProcess(path)
        _PROCESS[os.getpid()] = found
    return found


class _ResultCache:
    """The answers of this server process's latest queries, by (store generation, store, query, formats, row cap): an
    answer is reused only while the store holds the data it was computed from (every write session that closes marks
    a new generation, store.mark_generation), so a hit is byte for byte what the query process would answer now.
    Least recently used answers go first beyond `LOKET_SPARQL_RESULT_CACHE_MB`; an answer larger than a quarter of
    that is not kept. With no generation marker (a store written before it existed) nothing is cached."""

    def __init__(self) -> None:
        self.answers: OrderedDict[tuple[str, ...], Answer] = OrderedDict()
        self.size = 0
        self.generation = ""

    @staticmethod
    def weight(answer: Answer) -> int:
        return 2 * len(answer.body) + 1024  # the body and, at most as large, the HTML page's first 1,000 rows

    def get(self, key: tuple[str, ...]) -> Answer | None:
        found = self.answers.get(key)
        if found is not None:
            self.answers.move_to_end(key)
        return found

    def put(self, key: tuple[str, ...], answer: Answer) -> None:
        limit = settings.LOKET_SPARQL_RESULT_CACHE_MB * 1024 * 1024
        weight = self.weight(answer)
        if not key[0] or weight > limit // 4 or key in self.answers:
            return
        if key[0] != self.generation:  # the store moved on: nothing kept can be asked for again
            self.answers.clear()
            self.size, self.generation = 0, key[0]
        self.answers[key] = answer
        self.size += weight
        while self.size > limit:
            _key, dropped = self.answers.popitem(last=False)
            self.size -= self.weight(dropped)


_RESULTS: dict[int, _ResultCache] = {}  # by the server's pid, as _PROCESS


def result_key(query: str, result_format: str, graph_format: str) -> tuple[str, ...] | None:
    """What an answer of the embedded store depends on (the result cache's key and the ETag's data), or None when it
    cannot be told (an external store, a store without generation marker)."""
    if settings.LOKET_SPARQL_QUERY_URL:
        return None
    from loket.opendata.store import store_dir

    path = str(store_dir())
    generation = _generation(path)
    if not generation:
        return None
    return (generation, path, query, result_format, graph_format, str(settings.LOKET_SPARQL_MAX_ROWS))


def result_etag(key: tuple[str, ...]) -> str:
    """The ETag of the answer `result_key` describes: the same in every server process over the same store (they share
    its generation marker), another once the store changed. Weak: another process may write the same data in other
    bytes (a graph's order)."""
    return f'W/"{hashlib.sha256(chr(0).join(key).encode()).hexdigest()[:32]}"'


def run_query(query: str, *, result_format: str = "json", graph_format: str = "turtle") -> Answer:
    if settings.LOKET_SPARQL_QUERY_URL:
        return _run_remote(query, result_format=result_format, graph_format=graph_format)
    from loket.opendata.store import store_dir

    if not (store_dir() / "CURRENT").exists():
        raise QueryFailed(503, _("De SPARQL-store is nog niet opgebouwd (manage.py opendata rebuild)."))
    key = result_key(query, result_format, graph_format) if settings.LOKET_SPARQL_RESULT_CACHE_MB > 0 else None
    with _LOCK:  # one query at a time per server process (gunicorn's sync workers are single-threaded anyway)
        cache = _RESULTS.setdefault(os.getpid(), _ResultCache())
        if key is not None and (cached := cache.get(key)) is not None:
            return cached
        _cancel_on_terminate()
        if os.getpid() in _STOPPING:
            raise _stopping_failure()
        process = _query_process(str(store_dir()))
        process.busy = True
        try:
            lock_wait = settings.LOKET_SPARQL_TIMEOUT / 2  # for a compaction (about 8 s) or a rebuild to finish
            request = (query, result_format, graph_format, settings.LOKET_SPARQL_MAX_ROWS, lock_wait)
            process.connection.send(request)
            answered = process.connection.poll(settings.LOKET_SPARQL_TIMEOUT)
            if answered:
                kind, payload = process.connection.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError):
            process.process.join(1)
            aborted = process.process.exitcode == -signal.SIGABRT  # oxigraph could not allocate: _limit_memory
            _discard(process)
            if os.getpid() in _STOPPING:
                raise _stopping_failure() from None
            if aborted:
                raise _memory_failure() from None
            raise QueryFailed(503, _("De query kon niet uitgevoerd worden (het proces stopte).")) from None
        except BaseException:
            _discard(process)  # gunicorn's quick stop (SIGQUIT, SIGINT) raises SystemExit here: no query left running
            raise
        finally:
            process.busy = False
        if not answered:
            _discard(process)
            raise QueryFailed(503, _too_long())
    if kind == "ok":
        if key is not None:
            with _LOCK:
                _RESULTS.setdefault(os.getpid(), _ResultCache()).put(key, payload)
        return payload
    # The sentence in the request's language; what the store said (oxigraph's parser: position, what it expected)
    # follows as it is.
    if kind == "unwritable":
        raise QueryFailed(406, Unwritable(payload).refusal())
    if kind == "syntax":
        raise QueryFailed(400, _("De query is geen geldige SPARQL 1.1-query: %(detail)s") % {"detail": payload})
    if kind == "store":
        raise QueryFailed(503, _("De SPARQL-store is niet beschikbaar: %(detail)s") % {"detail": payload})
    if kind == "memory":
        raise _memory_failure()
    if kind == "busy":
        raise QueryFailed(
            503,
            _(
                "De SPARQL-store wordt op dit moment gecompacteerd of herbouwd. Probeer de query over een minuut "
                "opnieuw."
            ),
            retry_after=BUSY_RETRY_AFTER,
        )
    raise QueryFailed(400, _("De query kon niet uitgevoerd worden: %(detail)s") % {"detail": payload})


def _too_long() -> str:
    return _(
        "De query duurde langer dan %(seconds)s seconden en werd gestopt. Maak ze specifieker (LIMIT, meer "
        "voorwaarden)."
    ) % {"seconds": settings.LOKET_SPARQL_TIMEOUT}


def _discard(process: _QueryProcess) -> None:
    """Kill and reap the child of a query that cannot finish (time limit, server stopping, gone)."""
    process.stop()
    _PROCESS.pop(os.getpid(), None)


def _run_remote(query: str, *, result_format: str, graph_format: str) -> Answer:
    import httpx

    accept = f"{RESULT_TYPES[result_format]}, {GRAPH_TYPES[graph_format]};q=0.9"
    try:
        response = httpx.post(
            settings.LOKET_SPARQL_QUERY_URL,
            data={"query": query},
            headers={"Accept": accept},
            timeout=settings.LOKET_SPARQL_TIMEOUT,
        )
    except httpx.TimeoutException:
        raise QueryFailed(503, _too_long()) from None
    except httpx.HTTPError as error:
        raise QueryFailed(503, _("De SPARQL-store is niet bereikbaar: %(detail)s") % {"detail": error}) from None
    if response.status_code >= 500:
        raise QueryFailed(503, _("De SPARQL-store is niet beschikbaar: %(detail)s") % {"detail": response.text[:500]})
    if response.status_code >= 400:
        raise QueryFailed(400, _("De SPARQL-store weigerde de query: %(detail)s") % {"detail": response.text[:500]})
    return Answer(response.content, response.headers.get("content-type", "application/octet-stream"))
