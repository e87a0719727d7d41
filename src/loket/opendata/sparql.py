"""Answering SPARQL 1.1 queries over the public projection (query protocol only; updates are refused).

Queries run in a child process that keeps the store open read-only, so that a query can be stopped at the time limit
(`LOKET_SPARQL_TIMEOUT`, 503) without harming the server: the child is killed and the next query starts a new one.
The child lives on between queries (one per server process) and reopens the store only when the writer has marked a
new generation (store.mark_generation) — before, every query forked a child that opened the store, about 50 ms of a
small query's time. Results are cut at `LOKET_SPARQL_MAX_ROWS` (the response says so in `X-Loket-Row-Limit` and
`X-Loket-Truncated`). With an external store (`LOKET_SPARQL_QUERY_URL`) the query is passed on over the protocol with
the same limits.
"""

import csv
import io
import json
import multiprocessing
import os
import threading
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings

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


class QueryFailed(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


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


def _term_text(term: Any) -> str:
    return "" if term is None else _term_json(term)["value"]


def _term_tsv(term: Any) -> str:
    return "" if term is None else str(term)  # N-Triples form, as SPARQL TSV asks


def _select(solutions: Any, fmt: str, cap: int) -> Answer:
    variables = [v.value for v in solutions.variables]
    rows, truncated = [], False
    for solution in solutions:
        if len(rows) == cap:
            truncated = True
            break
        rows.append([solution[v] for v in variables])
    table = {"vars": variables, "rows": [[_term_text(t) for t in row] for row in rows[:1000]]}
    if fmt == "json":
        bindings = [{v: _term_json(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
        body = json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False)
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

    kept, truncated = [], False
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


def _serve(path: str, connection: Any) -> None:
    """In the child: keep the store open read-only; for each request, reopen it if the writer marked a new
    generation, run, serialise, send the answer (or the error)."""
    import pyoxigraph as ox

    store, union, opened = None, False, None
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return  # the server process is gone
        query, result_format, graph_format, cap = request
        try:
            generation = _generation(path)
            if store is None or not generation or generation != opened:
                store = ox.Store.read_only(path)
                opened = generation
                # The default graph is the set union of the instances' graphs (store.EmbeddedStore.replace); a
                # store written before it was kept is read as the union of its graphs until its next rebuild.
                union = next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None
            reply: tuple[str, Any] = ("ok", _answer(store, union, query, result_format, graph_format, cap))
        except SyntaxError as error:
            reply = ("syntax", str(error))
        except OSError as error:
            store = None
            reply = ("store", str(error))
        except Exception as error:
            reply = ("failed", f"{type(error).__name__}: {error}")
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
        self.process = context.Process(target=_serve, args=(path, child_end), daemon=True)
        self.process.start()
        child_end.close()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(1)
        self.connection.close()


_LOCK = threading.Lock()
_PROCESS: dict[int, _QueryProcess] = {}  # by the server's pid: a forked server process never uses its parent's


def _query_process(path: str) -> _QueryProcess:
    found = _PROCESS.get(os.getpid())
    if found is None or found.path != path or not found.process.is_alive():
        if found is not None:
            found.stop()
        found = _QueryProcess(path)
        _PROCESS[os.getpid()] = found
    return found


def run_query(query: str, *, result_format: str = "json", graph_format: str = "turtle") -> Answer:
    if settings.LOKET_SPARQL_QUERY_URL:
        return _run_remote(query, result_format=result_format, graph_format=graph_format)
    from loket.opendata.store import store_dir

    if not (store_dir() / "CURRENT").exists():
        raise QueryFailed(503, "De SPARQL-store is nog niet opgebouwd (manage.py opendata rebuild).")
    with _LOCK:  # one query at a time per server process (gunicorn's sync workers are single-threaded anyway)
        process = _query_process(str(store_dir()))
        try:
            process.connection.send((query, result_format, graph_format, settings.LOKET_SPARQL_MAX_ROWS))
            if not process.connection.poll(settings.LOKET_SPARQL_TIMEOUT):
                process.stop()
                _PROCESS.pop(os.getpid(), None)
                raise QueryFailed(
                    503,
                    f"De query duurde langer dan {settings.LOKET_SPARQL_TIMEOUT} seconden en werd gestopt. "
                    "Maak ze specifieker (LIMIT, meer voorwaarden).",
                )
            kind, payload = process.connection.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError):
            process.stop()
            _PROCESS.pop(os.getpid(), None)
            raise QueryFailed(503, "De query kon niet uitgevoerd worden (het proces stopte).") from None
    if kind == "ok":
        return payload
    if kind == "syntax":
        raise QueryFailed(400, f"De query is geen geldige SPARQL 1.1-query: {payload}")
    if kind == "store":
        raise QueryFailed(503, f"De SPARQL-store is niet beschikbaar: {payload}")
    raise QueryFailed(400, f"De query kon niet uitgevoerd worden: {payload}")


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
        raise QueryFailed(503, f"De query duurde langer dan {settings.LOKET_SPARQL_TIMEOUT} seconden.") from None
    except httpx.HTTPError as error:
        raise QueryFailed(503, f"De SPARQL-store is niet bereikbaar: {error}") from None
    if response.status_code >= 400:
        raise QueryFailed(400 if response.status_code < 500 else 503, response.text[:500])
    return Answer(response.content, response.headers.get("content-type", "application/octet-stream"))
