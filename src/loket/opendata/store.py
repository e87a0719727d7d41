"""The SPARQL store of the public projection, kept in step with the change feed by the worker.

Embedded by default: pyoxigraph on disk (`LOKET_SPARQL_STORE_DIR`), each instance's triples in a named graph of its
own (`projection.graph_name`), and the default graph kept as the set union of them, which queries read. With
`LOKET_SPARQL_QUERY_URL` and `LOKET_SPARQL_UPDATE_URL` the same sync code writes to any SPARQL 1.1 store over the
protocol (graph by graph: `DROP SILENT GRAPH` + `INSERT DATA`), and queries go there.
"""

import contextlib
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.util import from_n3

from loket.core.linkeddata import mapping_infos, ntriples_text
from loket.core.writelock import let_writers_in
from loket.opendata.models import FeedEntry, StoreState
from loket.opendata.projection import current_public, graph_name, preload, public_instances, stable_graph
from loket.opendata.storelock import exclusive

BATCH = 500


def store_dir() -> Path:
    return Path(settings.LOKET_SPARQL_STORE_DIR)


def is_remote() -> bool:
    return bool(settings.LOKET_SPARQL_QUERY_URL and settings.LOKET_SPARQL_UPDATE_URL)


def _ox_term(term: Any) -> Any:
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(term)


class EmbeddedStore:
    def __init__(self) -> None:
        import pyoxigraph as ox

        store_dir().mkdir(parents=True, exist_ok=True)
        self.store = ox.Store(str(store_dir()))

    def replace(self, graphs: Iterable[tuple[str, Graph | None]], *, fresh: bool = False) -> None:
        """Put each named graph's triples in place of what it held (`fresh`: the store was just emptied).

        The default graph is kept as the set union of the named graphs (what queries read): a triple that two
        instances publish (a person in two holder versions) is there once, as SPARQL's RDF merge asks; it leaves
        the default graph only when no named graph holds it any more."""
        import pyoxigraph as ox

        default = ox.DefaultGraph()
        quads: list[ox.Quad] = []
        stale: set[ox.Triple] = set()
        for name, graph in graphs:
            node = ox.NamedNode(name)
            if not fresh and self.store.contains_named_graph(node):
                stale.update(q.triple for q in self.store.quads_for_pattern(None, None, None, node))
                self.store.remove_graph(node)
            if graph is not None and len(graph):
                for s, p, o in graph:
                    terms = (_ox_term(s), _ox_term(p), _ox_term(o))
                    quads.append(ox.Quad(*terms, node))  # type: ignore[arg-type]
                    quads.append(ox.Quad(*terms, default))  # type: ignore[arg-type]
        if fresh:
            self.store.bulk_extend(quads)
        else:
            self.store.extend(quads)
        for triple in stale:
            held = self.store.quads_for_pattern(triple.subject, triple.predicate, triple.object, None)
            if not any(quad.graph_name != default for quad in held):
                self.store.remove(ox.Quad(triple.subject, triple.predicate, triple.object, default))

    def clear(self) -> None:
        self.store.clear()

    def graph_names(self) -> set[str]:
        return {graph.value for graph in self.store.named_graphs()}

    def triples_of(self, name: str) -> set[tuple[str, str, str]]:
        import pyoxigraph as ox

        return {
            (str(q.subject), str(q.predicate), str(q.object))  # N-Triples forms
            for q in self.store.quads_for_pattern(None, None, None, ox.NamedNode(name))
        }

    def flush(self) -> None:
        self.store.flush()

    def compact(self) -> None:
        """Merge RocksDB's files (pyoxigraph's Store.optimize): see compact_if_due."""
        self.store.optimize()

    def close(self) -> None:
        del self.store
        mark_generation()


GENERATION_FILE = "GENERATION"


def mark_generation() -> None:
    """Tell the read-only query processes (sparql.py) that the store changed: they reopen it before the next query."""
    import os
    import time

    marker = store_dir() / GENERATION_FILE
    partial = marker.with_suffix(".tmp")
    partial.write_text(str(time.time_ns()))
    os.replace(partial, marker)


class RemoteStore:
    """Any SPARQL 1.1 store over the protocol (Virtuoso, Fuseki, QLever with updates …)."""

    def __init__(self) -> None:
        import httpx

        self.client = httpx.Client(timeout=settings.LOKET_SPARQL_TIMEOUT)

    def _update(self, text: str) -> None:
        response = self.client.post(
            settings.LOKET_SPARQL_UPDATE_URL,
            content=text.encode(),
            headers={"Content-Type": "application/sparql-update"},
        )
        response.raise_for_status()

    def replace(self, graphs: Iterable[tuple[str, Graph | None]], *, fresh: bool = False) -> None:
        parts = []
        for name, graph in graphs:
            parts.append(f"DROP SILENT GRAPH <{name}>")
            if graph is not None and len(graph):
                body = ntriples_text(graph)
                parts.append(f"INSERT DATA {{ GRAPH <{name}> {{\n{body}}} }}")
        if parts:
            self._update(" ;\n".join(parts))

    def clear(self) -> None:
        self._update("DROP SILENT ALL")

    def graph_names(self) -> set[str]:
        response = self.client.get(
            settings.LOKET_SPARQL_QUERY_URL,
            params={
                "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'urn:loket:')) }"
            },
            headers={"Accept": "application/sparql-results+json"},
        )
        response.raise_for_status()
        return {row["g"]["value"] for row in response.json()["results"]["bindings"]}

    def triples_of(self, name: str) -> set[tuple[str, str, str]]:
        response = self.client.get(
            settings.LOKET_SPARQL_QUERY_URL,
            params={"query": f"SELECT ?s ?p ?o WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"},
            headers={"Accept": "application/sparql-results+json"},
        )
        response.raise_for_status()
        return {(_n3(row["s"]), _n3(row["p"]), _n3(row["o"])) for row in response.json()["results"]["bindings"]}

    def flush(self) -> None:
        return None

    def compact(self) -> None:
        return None  # the external store looks after its own files

    def close(self) -> None:
        self.client.close()


def _key(s: Any, p: Any, o: Any) -> tuple[str, str, Any]:
    """A triple compared by value: stores normalise literals ("…T00:00:00+00:00" is kept as "…T00:00:00Z")."""
    if isinstance(o, Literal):
        try:
            value = o.toPython()
        except Exception:
            value = str(o)
        return (s.n3(), p.n3(), (str(value), str(o.datatype or ""), o.language or ""))
    return (s.n3(), p.n3(), o.n3())


def _n3(binding: dict[str, str]) -> str:
    """A SPARQL JSON result term in its N-Triples form."""
    kind, value = binding.get("type"), binding.get("value", "")
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"  # the store's own labels: compared as is
    return str(_ox_term(Literal(value, lang=binding.get("xml:lang"), datatype=binding.get("datatype"))))


# RocksDB lets a process open a store's directory once: a second open in the same process fails ("lock hold by current
# process"). A worker runs tasks in several threads (core.workerthreads), and a sync in one would meet a rebuild in
# another; so the embedded store is opened by one thread of the process at a time, the others wait their turn.
_EMBEDDED_OPEN = threading.Lock()


@contextlib.contextmanager
def open_store() -> Iterator[EmbeddedStore | RemoteStore]:
    with contextlib.nullcontext() if is_remote() else _EMBEDDED_OPEN:
        store: EmbeddedStore | RemoteStore = RemoteStore() if is_remote() else EmbeddedStore()
        try:
            yield store
            store.flush()
        finally:
            store.close()


def _state() -> StoreState:
    StoreState.objects.bulk_create([StoreState(id=1)], ignore_conflicts=True)
    return StoreState.objects.select_for_update().get(id=1)


@dataclass
class SyncReport:
    applied: int
    position: int


# Feed entries applied per transaction: on SQLite a transaction holds the write lock, and the demo data's 2,058 entries
# in one held it for 25 s on a busy machine, past a sign-in's busy timeout (20 s).
SYNC_BATCH = 250


def sync(*, limit: int = 5000) -> SyncReport:
    """Apply the change feed after the store's position, SYNC_BATCH entries per transaction, at most `limit`."""
    report, taken = SyncReport(0, 0), 0
    while taken < limit:
        size = min(SYNC_BATCH, limit - taken)
        count, batch = _sync_batch(size)
        report, taken = SyncReport(report.applied + batch.applied, batch.position), taken + count
        if count < size:
            break
        let_writers_in()
    return report


def _sync_batch(limit: int) -> tuple[int, SyncReport]:
    """Apply the next `limit` settled entries of the feed (one worker at a time: the state row is locked); returns how
    many entries were taken. The store's writes are not undone with the transaction: applying them again is harmless
    (each instance's current graph is put in place)."""
    with transaction.atomic():
        state = _state()
        from loket.opendata.ldes import settled_before

        entries = list(
            FeedEntry.objects.filter(position__gt=state.position, at__lt=settled_before()).order_by("position")[:limit]
        )
        if not entries:
            return 0, SyncReport(0, state.position)
        latest: dict[tuple[str, str], FeedEntry] = {}
        for entry in entries:
            latest[(entry.model_label, entry.object_pk)] = entry
        preload(latest)
        graphs = []
        for (label, pk), _entry in latest.items():
            instance = current_public(label, pk)
            graphs.append((graph_name(label, pk), stable_graph(instance) if instance is not None else None))
        with open_store() as store:
            store.replace(graphs)
        state.position = entries[-1].position
        state.writes_since_compaction += 1
        state.save(update_fields=["position", "writes_since_compaction"])
        return len(entries), SyncReport(len(latest), state.position)


def compaction_due_at() -> datetime | None:
    """When the embedded store should next be compacted: None when no sync wrote to it since the last compaction
    (or compaction is off, or the store is external)."""
    interval = settings.LOKET_SPARQL_COMPACT_INTERVAL
    state = StoreState.objects.filter(id=1).first()
    if is_remote() or interval <= 0 or state is None or not state.writes_since_compaction:
        return None
    if state.compacted_at is None:
        return timezone.now()
    return state.compacted_at + timedelta(seconds=interval)


def compact_if_due() -> bool:
    """Compact the embedded store when syncs wrote to it and the last compaction is `LOKET_SPARQL_COMPACT_INTERVAL`
    seconds old.

    Each sync opens the store, writes a few graphs and closes it. RocksDB writes those changes as new files in every
    index and merges files in the background, but the store is closed before it gets to that, so the files pile up and
    every query reads all of them: after a thousand instances changed in ten syncs, the benchmark's queries took
    1.3-1.5x as long, after ten thousand in a hundred syncs about 2x (bench/README.md, "Compaction"). Compacting the
    whole store costs about 8 s of CPU for 1.8 M triples, so it is done at most once per interval, under the state
    row's lock (one writer at a time: a sync waits, it does not fail on RocksDB's lock)."""
    due = compaction_due_at()
    if due is None or due > timezone.now():
        return False
    with transaction.atomic():
        state = _state()
        if not state.writes_since_compaction:
            return False  # another worker compacted it meanwhile
        with exclusive(store_dir()), open_store() as store:  # no query reads files the compaction deletes
            store.compact()
        state.compacted_at = timezone.now()
        state.writes_since_compaction = 0
        state.save(update_fields=["compacted_at", "writes_since_compaction"])
    return True


def rebuild() -> SyncReport:
    """Empty the store and load every public instance of every dataset again.

    No database transaction is held while the store loads (about 90 s for the demo data; on SQLite it would hold
    the write lock, and every login in that time would wait and fail). It is safe without one: the position is read
    before any instance, so every change made while loading has a feed entry after it, and the next sync applies
    those again (a sync puts each instance's current graph in place, so applying one twice does no harm)."""
    position = FeedEntry.objects.order_by("-position").values_list("position", flat=True).first() or 0
    count = 0
    # Queries wait (then 503) while the store is emptied and filled: they would read files the rebuild deletes.
    with contextlib.nullcontext() if is_remote() else exclusive(store_dir()), open_store() as store:
        store.clear()
        batch: list[tuple[str, Graph | None]] = []
        for info in mapping_infos():
            if info.dataset is None:
                continue
            for instance in public_instances(info):
                batch.append((graph_name(instance._meta.label, instance.pk), stable_graph(instance)))
                count += 1
                if len(batch) >= BATCH:
                    store.replace(batch, fresh=True)
                    batch = []
        store.replace(batch, fresh=True)
        store.compact()  # the bulk loader leaves many files: queries took up to 2x as long before this
    with transaction.atomic():
        state = _state()
        state.position = position
        state.rebuilt_at = state.compacted_at = timezone.now()
        state.writes_since_compaction = 0
        state.save(update_fields=["position", "rebuilt_at", "compacted_at", "writes_since_compaction"])
    return SyncReport(count, position)


def check() -> list[str]:
    """Every difference between the store and the database's public projection, in words."""
    differences = []
    with open_store() as store:
        in_store = store.graph_names()
        expected = set()
        for info in mapping_infos():
            if info.dataset is None:
                continue
            for instance in public_instances(info):
                name = graph_name(instance._meta.label, instance.pk)
                expected.add(name)
                want = {_key(s, p, o) for s, p, o in stable_graph(instance)}
                if name not in in_store:
                    differences.append(f"missing in the store: {name}")
                elif {_key(*(from_n3(part) for part in triple)) for triple in store.triples_of(name)} != want:
                    differences.append(f"different in the store: {name}")
        for name in sorted(in_store - expected):
            differences.append(f"in the store but not public (or gone): {name}")
    return differences
